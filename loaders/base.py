"""What every source module declares (fields, identity, a conform hook) and the shared header matching."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from loaders.places import PlaceMatch, PlaceResolver
from loaders.privacy import Redactor
from loaders.read import RawTable
from loaders.values import fold, text
from loaders.vocabulary import Vocabulary


@dataclass(frozen=True)
class Field:
    """One canonical column: the header spellings it accepts and how a cell becomes a value."""

    name: str
    headers: tuple[str, ...]
    parse: Callable[[Any], Any] = text
    required: bool = True
    nullable: bool = False
    free_text: bool = False  # redacted rather than refused when it holds an identity number
    # A column-wide parser for CSV text: floats, NaN where `parse` must look at the cell (and explain).
    vector: Callable[[Any], Any] | None = None


@dataclass
class RowError(Exception):
    """One bad cell (or a whole bad row when column is None)."""

    row_number: int
    column: str | None
    value: Any
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row_number}" + (f", column {self.column!r}" if self.column else "")
        shown = "" if self.value is None else f" (value {str(self.value)[:60]!r})"
        return f"{where}: {self.reason}{shown}"


class RowProblems(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


class Skip(Exception):
    """A row that is read but is not a fact of the area (a digest, an event elsewhere); counted, not stored."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Context:
    """What a conform hook may use: places, vocabulary, redaction, and counters for the load report."""

    resolver: PlaceResolver
    vocabulary: Vocabulary
    redactor: Redactor
    counts: Counter = field(default_factory=Counter)
    unknown_categories: Counter = field(default_factory=Counter)
    unknown_places: Counter = field(default_factory=Counter)

    def category(self, kind: str, source_category: str | None) -> str:
        code = self.vocabulary.code(kind, source_category)
        if code is None:
            self.unknown_categories[source_category or ""] += 1
            return self.vocabulary.other
        return code

    def place(self, match: PlaceMatch | None, raw_place: str | None = None) -> tuple[str, str]:
        """Place id and method; a row that names no known place goes to the area's unspecified place."""
        if match is not None and not match.place.is_unspecified:
            self.counts["placed"] += 1
            return match.place.id, match.method
        if raw_place and match is None:
            self.unknown_places[raw_place] += 1
        self.counts["unplaced"] += 1
        return self.resolver.unspecified.id, match.method if match else "area"

    def redact(self, value: str | None) -> str | None:
        cleaned, found = self.redactor.redact(value)
        self.counts["redacted"] += found
        return cleaned


class Source:
    """A data format of one kind. Subclasses are mostly data: fields, identity and one conform hook."""

    kind: ClassVar[str]
    name: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]
    identity: ClassVar[tuple[str, ...]]  # record keys whose values identify a fact across exports
    # Of two rows with one natural key in a file, the one with the greatest of these record values is kept;
    # among equals (and by default) the later row.
    prefer_by: ClassVar[tuple[str, ...]] = ()
    table_formats: ClassVar[tuple[str, ...]] = ("csv", "xlsx")

    def header_score(self, headers: list[str]) -> int:
        mapping, _, _ = match_headers(headers, self.fields)
        return len(mapping)

    def detect(self, table: RawTable) -> tuple[float, int]:
        """How well the file fits: the share of required fields present, then fewest unexplained columns."""
        if table.format not in self.table_formats:
            return (0.0, 0)
        mapping, _, unknown = match_headers(table.headers, self.fields)
        required = [f for f in self.fields if f.required]
        return (sum(f.name in mapping for f in required) / max(len(required), 1), -len(unknown))

    def conform(self, values: dict[str, Any], ctx: Context, row_number: int) -> dict[str, Any]:
        """One row's parsed values -> its record; raise RowProblems to reject it, Skip to leave it out."""
        raise NotImplementedError

    conform_frame = None  # (values, rows, ctx) -> (positions kept, record columns, errors), in column steps; the
    # sources with large files define it, the others are conformed row by row (loaders.conform.conform_each)

    def natural_keys(self, fragments) -> list[str]:
        """Each record's natural key: the source name and a hash of its identity values (loaders.identity)."""
        return fragments.natural_keys(self.name, self.identity)


def match_headers(
    headers: list[str], fields: tuple[Field, ...]
) -> tuple[dict[str, str], list[Field], list[str]]:
    """Map canonical field names to the file's headers; also return missing required fields and unknown headers."""
    folded = {fold(h): h for h in headers if h}
    mapping: dict[str, str] = {}
    for spec in fields:
        hit = next((folded[fold(alias)] for alias in (spec.name, *spec.headers) if fold(alias) in folded), None)
        if hit is not None:
            mapping[spec.name] = hit
    used = set(mapping.values())
    missing = [f for f in fields if f.required and f.name not in mapping]
    unknown = [h for h in headers if h and h not in used]
    return mapping, missing, unknown


