"""Remembered column mappings: a sender's unknown columns mapped to fields (or ignored), missing ones filled.

A mapping belongs to a source (an organisation, or '' for any sender, and the file's header set) and is kept in
the store (`column_mappings`); the next file with the same headers from that source loads with it, through the
CLI and the web alike. A column nobody mapped still refuses the file, naming the columns and what is expected.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, inspect, select

from lagesbild.accounts import audit
from lagesbild.store.schema import column_mappings
from loaders.base import Source, match_headers
from loaders.values import fold

IGNORE = "ignore"


class MappingError(ValueError):
    """A mapping that cannot be used; the message names the column or field and what is allowed."""


@dataclass(frozen=True)
class ColumnMapping:
    """File header -> field name (or IGNORE), and field name -> a constant for a column the file lacks."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    organisation: str = ""
    id: int | None = None  # set when remembered in the store

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "organisation": self.organisation, "columns": self.columns,
                "constants": self.constants}

    def digest(self) -> str:
        payload = json.dumps([self.columns, self.constants], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def describe(self) -> str:
        parts = [f"{h!r} -> {'ignored' if f == IGNORE else f}" for h, f in self.columns.items()]
        parts += [f"{f} = {v!r}" for f, v in self.constants.items()]
        return ", ".join(parts)


def header_set(headers: list[str]) -> str:
    """Which headers a file has, however ordered, cased or spaced."""
    names = sorted({fold(h) for h in headers if h})
    return hashlib.sha256(json.dumps(names, ensure_ascii=False).encode()).hexdigest()


def field_named(source: Source, name: str):
    """A field by its name or by any header it accepts ('Hänvisning övrigt' or 'referrals_ovrigt')."""
    wanted = fold(name)
    for spec in source.fields:
        if wanted in {fold(spec.name), *(fold(h) for h in spec.headers)}:
            return spec
    names = ", ".join(spec.name for spec in source.fields)
    raise MappingError(f"{source.kind} ({source.name}) has no field {name!r}; the fields are: {names}, or {IGNORE!r}")


def resolve(source: Source, headers: list[str], mapping: ColumnMapping) -> ColumnMapping:
    """The mapping checked against a file and a source, with canonical field names; MappingError when unusable."""
    auto, _, _ = match_headers(headers, source.fields)
    columns: dict[str, str] = {}
    for header, target in mapping.columns.items():
        if header not in headers:
            raise MappingError(f"the file has no column {header!r} (its columns: "
                               f"{', '.join(repr(h) for h in headers if h)})")
        if fold(target) == IGNORE:
            columns[header] = IGNORE
            continue
        spec = field_named(source, target)
        if auto.get(spec.name, header) != header:
            raise MappingError(f"column {header!r} cannot be {spec.name}: column {auto[spec.name]!r} already is")
        if spec.name in columns.values():
            raise MappingError(f"two columns are mapped to {spec.name}")
        columns[header] = spec.name
    constants: dict[str, Any] = {}
    for name, value in mapping.constants.items():
        spec = field_named(source, name)
        if spec.name in auto or spec.name in columns.values():
            raise MappingError(f"{spec.name} comes from a column of the file; a constant fills only a missing one")
        try:
            spec.parse(value)
        except ValueError as exc:
            raise MappingError(f"constant for {spec.name}: {exc}") from exc
        constants[spec.name] = value
    return ColumnMapping(columns, constants, mapping.organisation, mapping.id)


def remember(engine: Engine, source: Source, headers: list[str], mapping: ColumnMapping,
             username: str | None = None) -> ColumnMapping:
    """Keep the mapping for this source and header set (replacing an earlier one); audited."""
    checked = resolve(source, headers, mapping)
    key = header_set(headers)
    with engine.begin() as conn:
        conn.execute(delete(column_mappings).where(_same_source(source, checked.organisation, key)))
        new_id = conn.execute(insert(column_mappings).values(
            organisation=checked.organisation, kind=source.kind, source=source.name, header_set=key,
            headers=[h for h in headers if h], columns=checked.columns, constants=checked.constants,
            created_at=datetime.now(), created_by=username)).inserted_primary_key[0]
    audit(engine, "mapping_added", username, f"#{new_id} {source.name} ({checked.organisation or 'any sender'}): "
          f"{checked.describe()}")
    return ColumnMapping(checked.columns, checked.constants, checked.organisation, new_id)


def forget(engine: Engine, mapping_id: int, username: str | None = None) -> None:
    with engine.begin() as conn:
        if conn.execute(delete(column_mappings).where(column_mappings.c.id == mapping_id)).rowcount == 0:
            raise MappingError(f"no remembered mapping #{mapping_id} (lagesbild mapping list shows them)")
    audit(engine, "mapping_removed", username, f"#{mapping_id}")


def remembered_mappings(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(column_mappings).order_by(column_mappings.c.id)).mappings()]


def remembered_for(conn: Connection, source: Source, headers: list[str],
                   organisation: str | None) -> ColumnMapping | None:
    """The mapping remembered for this file's headers: the organisation's own, else one for any sender.

    Without an organisation, the one mapping remembered for these headers (MappingError if senders differ)."""
    if not inspect(conn).has_table(column_mappings.name):
        return None  # a store from before migration 0006 remembers none
    key = header_set(headers)
    query = select(column_mappings).where(column_mappings.c.source == source.name,
                                          column_mappings.c.header_set == key)
    rows = conn.execute(query.order_by(column_mappings.c.id)).mappings().all()
    if organisation is not None:
        rows = [r for r in rows if r["organisation"] == organisation] or [r for r in rows if not r["organisation"]]
    if len(rows) > 1:
        senders = ", ".join(repr(r["organisation"]) for r in rows)
        raise MappingError(f"mappings for these columns are remembered for several senders ({senders}); "
                           "say which with --organisation")
    if not rows:
        return None
    row = rows[0]
    return ColumnMapping(dict(row["columns"]), dict(row["constants"]), row["organisation"], row["id"])


def remembered_kind(conn: Connection, headers: list[str]) -> str | None:
    """The kind of data a mapping was remembered for with these headers, when it is one kind."""
    if not inspect(conn).has_table(column_mappings.name):
        return None
    kinds = set(conn.execute(select(column_mappings.c.kind).where(column_mappings.c.header_set == header_set(headers)))
                .scalars())
    return kinds.pop() if len(kinds) == 1 else None


def _same_source(source: Source, organisation: str, key: str):
    c = column_mappings.c
    return (c.source == source.name) & (c.organisation == organisation) & (c.header_set == key)
