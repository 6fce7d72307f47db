"""The kinds of record and their fields, derived from the store's tables (the one declaration) and words.py."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import JSON, Boolean, Column, Date, Float, Integer, String, Table

from lagesbild.records.words import CHOICES, COMMON_FIELD_LABELS, FIELD_LABELS, KIND_LABELS, Label, label
from lagesbild.store.schema import RECORD_TABLES

# Written by the register, never by the user: identity, version and lineage.
VERSION_COLUMNS = ("id", "record_id", "version", "recorded_at", "recorded_by", "operation", "changes")
EDITOR_ROLES = ("admin", "styrgrupp")
DEMO_ROLE = "demo"  # the open demo (dashboard.auth): sees every record, like an admin, but changes nothing
READER_ROLES = ("admin", "styrgrupp", DEMO_ROLE, "partner")


@dataclass(frozen=True)
class FieldSpec:
    """One field a user fills in: its type and rules come from the column, its words from words.py."""

    name: str
    labels: Label
    type: str  # text | integer | number | date | month | boolean | list
    required: bool
    max_length: int | None = None
    choices: str | None = None  # the name of a list in words.CHOICES
    range: tuple[int, int] | None = None
    ids: str | None = None  # "indicators" | "places"
    refers: str | None = None  # the kind whose record_id this holds
    min_items: int = 0

    def label(self, lang: str = "sv") -> str:
        return label(self.labels, lang)

    @property
    def is_list(self) -> bool:
        return self.type == "list"


def field_spec(column: Column, labels: Label) -> FieldSpec:
    info = column.info
    return FieldSpec(
        name=column.name, labels=labels, type=_field_type(column),
        required=not column.nullable and not isinstance(column.type, JSON | Boolean),
        max_length=column.type.length if isinstance(column.type, String) else None,
        choices=info.get("choices"), range=info.get("range"), ids=info.get("ids"), refers=info.get("refers"),
        min_items=info.get("min_items", 0),
    )


def _field_type(column: Column) -> str:
    kind = column.type
    if isinstance(kind, Date):
        return "month" if column.info.get("month") else "date"
    for sql_type, name in ((Boolean, "boolean"), (Integer, "integer"), (Float, "number"), (JSON, "list")):
        if isinstance(kind, sql_type):
            return name
    return "text"


@dataclass(frozen=True)
class Kind:
    """A kind of record and what its lifecycle means: which statuses are open, what closing sets."""

    name: str
    id_prefix: str | None  # generated ids: prefix-001; None: the id is made of key_fields
    starts_on: str  # the field dating the record: the report shows nothing dated after its as-of date
    shared_default: bool | None = None  # None: no flag of its own (shared as its parent is)
    open_statuses: tuple[str, ...] = ()
    close_status: str | None = None  # what close_record sets when no status is given
    close_date: str | None = None  # the field close_record dates
    key_fields: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def table(self) -> Table:
        return RECORD_TABLES[self.name]

    def label(self, lang: str = "sv") -> str:
        return label(KIND_LABELS[self.name], lang)

    @cached_property
    def fields(self) -> tuple[FieldSpec, ...]:
        """The fields a user fills in, in the table's order: the flag `shared` last."""
        labels = {**FIELD_LABELS[self.name], **COMMON_FIELD_LABELS}
        data = [c for c in self.table.columns if c.name not in VERSION_COLUMNS and c.name != "shared"]
        specs = [field_spec(c, labels[c.name]) for c in data]
        if "shared" in self.table.c:
            specs.append(field_spec(self.table.c.shared, labels["shared"]))
        return tuple(specs)

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    @property
    def statuses(self) -> tuple[str, ...]:
        status = self.table.c.get("status")
        return tuple(CHOICES[status.info["choices"]]) if status is not None else ()

    @property
    def closed_statuses(self) -> tuple[str, ...]:
        return tuple(s for s in self.statuses if s not in self.open_statuses)

    def record_id_from(self, values: dict) -> str:
        """The id of a record keyed by its fields (a risk's review: R-001:2023-05)."""
        return ":".join(_key_text(values[name]) for name in self.key_fields)


def _key_text(value) -> str:
    return value.strftime("%Y-%m") if hasattr(value, "strftime") else str(value)


KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (
        Kind("actions", "B", "meeting_on", shared_default=True, open_statuses=("open",), close_status="done",
             close_date="closed_on"),
        Kind("risks", "R", "identified_on", shared_default=False, open_statuses=("open",), close_status="closed",
             close_date="closed_on"),
        Kind("risk_reviews", None, "month", key_fields=("risk_id", "month"), parent="risks"),
        Kind("change_requests", "AB", "submitted_on", shared_default=False, open_statuses=("submitted",),
             close_date="decided_on"),
        Kind("budget", "BU", "month", shared_default=False, open_statuses=("booked",), close_status="voided"),
        Kind("classifications", "K", "assessed_on", shared_default=True, open_statuses=("valid",),
             close_status="withdrawn"),
    )
}


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown kind of record {name!r}; one of: {', '.join(KINDS)}") from None
