"""What every source module declares (fields, identity, a conform hook) and the shared header matching."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
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
        raise NotImplementedError

    def natural_key(self, record: dict[str, Any]) -> str:
        identity = [_jsonable(record.get(name)) for name in self.identity]
        digest = hashlib.sha256(json.dumps([self.name, *identity], ensure_ascii=False).encode()).hexdigest()
        return f"{self.name}:{digest[:40]}"

    def prefer(self, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        """Which of two rows with one natural key in the same file to keep: the later row by default."""
        return new


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


def row_hash(record: dict[str, Any]) -> str:
    payload = json.dumps({k: _jsonable(v) for k, v in sorted(record.items())}, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value
