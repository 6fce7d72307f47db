"""The controlled vocabulary per kind, read from YAML: source categories to codes, codes to labels."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from loaders.values import fold

OTHER = "ovrigt"


class VocabularyError(ValueError):
    pass


@dataclass(frozen=True)
class Category:
    kind: str
    code: str
    label_sv: str
    label_en: str
    is_measure: bool


class Vocabulary:
    other = OTHER

    def __init__(self, data: dict, source: str = "vocabulary"):
        self.categories: dict[str, dict[str, Category]] = {}
        self._lookup: dict[str, dict[str, str]] = {}
        self._not_fact_patterns = tuple(data.get("incidents_not_facts", []))
        for kind in ("incidents", "outreach", "events", "surveys"):
            self._add_kind(kind, data.get(kind) or {}, source)

    @classmethod
    def from_yaml(cls, path: Path) -> Vocabulary:
        try:
            return cls(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, path.name)
        except yaml.YAMLError as exc:
            raise VocabularyError(f"{path}: not valid YAML ({exc})") from exc

    def _add_kind(self, kind: str, entries: dict, source: str) -> None:
        if OTHER not in entries:
            raise VocabularyError(f"{source}: kind {kind!r} has no {OTHER!r} category")
        self.categories[kind] = {}
        self._lookup[kind] = {}
        for code, entry in entries.items():
            labels = entry.get("labels") or {}
            self.categories[kind][code] = Category(
                kind, code, labels.get("sv", code), labels.get("en", labels.get("sv", code)),
                bool(entry.get("is_measure", False)),
            )
            for spelling in (code, labels.get("sv", ""), labels.get("en", ""), *(entry.get("from") or [])):
                if spelling:
                    self._lookup[kind][fold(str(spelling))] = code

    def code(self, kind: str, source_category: str | None) -> str | None:
        """The code for a source category, or None when the vocabulary does not know it."""
        if not source_category:
            return None
        return self._lookup[kind].get(fold(source_category))

    def is_not_fact(self, source_category: str | None) -> bool:
        value = (source_category or "").strip()
        return any(fnmatchcase(value.casefold(), p.casefold()) for p in self._not_fact_patterns)

    def label(self, kind: str, code: str, lang: str = "sv") -> str:
        category = self.categories[kind].get(code)
        if category is None:
            return code
        return category.label_en if lang == "en" else category.label_sv
