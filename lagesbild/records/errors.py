"""What the records layer refuses, as typed errors the web layer and the CLI can tell apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lagesbild.records.words import MESSAGES, label


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value: which field, why, and (for an import) where in the file."""

    field: str | None  # the field's name (or None for the whole row, sheet or file)
    reason: str  # a key of words.MESSAGES
    value: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    column: str | None = None  # the column header as the user sees it
    sheet: str | None = None
    row: int | None = None  # 1-based, as Excel shows it
    column_letter: str | None = None  # e.g. D
    file: str | None = None

    def message(self, lang: str = "en") -> str:
        params = {name: _in(lang, value) for name, value in self.params.items()}
        return label(MESSAGES[self.reason], lang).format(value=_shown(_in(lang, self.value)), **params)

    def where(self, lang: str = "en") -> str:
        """'file.xlsx, Risker, row 5, column D (Sannolikhet (1–5))', or the field's name for a form."""
        row_word, column_word = ("rad", "kolumn") if lang == "sv" else ("row", "column")
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"{row_word} {self.row}")
        if self.column_letter and self.column:
            parts.append(f"{column_word} {self.column_letter} ({self.column})")
        elif self.column or self.column_letter:
            parts.append(f"{column_word} {self.column or self.column_letter}")
        elif self.field:
            parts.append(self.field)
        return ", ".join(parts)

    def text(self, lang: str = "en") -> str:
        where = self.where(lang)
        return f"{where}: {self.message(lang)}" if where else self.message(lang)

    def __str__(self) -> str:
        return self.text("en")


def _in(lang: str, value: Any) -> Any:
    """A label ({"sv": …, "en": …}) in the reader's language; anything else as it is."""
    return label(value, lang) if isinstance(value, dict) and "sv" in value else value


def _shown(value: Any) -> Any:
    return value if not isinstance(value, str) or len(value) <= 60 else value[:57] + "…"


class RecordsError(Exception):
    """Anything the records layer refuses."""


class NotAllowed(RecordsError, PermissionError):
    """The acting user's role may not do this (partners read shared records; only styrgrupp and admin write)."""


class NoSuchRecord(RecordsError, LookupError):
    """No record with that id, or none the viewer may see."""


class StaleVersion(RecordsError):
    """The edit was based on an older version than the store's: someone changed the record in between."""

    def __init__(self, kind: str, record_id: str, based_on: int, current: int):
        super().__init__(f"{kind} {record_id}: edited from version {based_on}, but the store has version {current} "
                         "now; reload the record, look at what changed, and edit again")
        self.kind, self.record_id, self.based_on, self.current = kind, record_id, based_on, current


class InvalidRecord(RecordsError, ValueError):
    """One or more values are wrong; `problems` names every field and why."""

    def __init__(self, problems: list[Problem], subject: str = "record"):
        self.problems = list(problems)
        shown = "; ".join(p.text() for p in self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(f"{subject}: {len(self.problems)} problem(s): {shown}{more}")


class ImportRefused(InvalidRecord):
    """A workbook was refused as a whole: nothing of it was written. `problems` has sheet, row, column, reason."""

    def __init__(self, problems: list[Problem], file: str):
        super().__init__(problems, subject=f"{file} refused, nothing written")
        self.file = file
