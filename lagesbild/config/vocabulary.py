"""vocabulary.yaml as typed data: per kind of data the category codes, their labels, and the source spellings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lagesbild.config.problems import Problems

KINDS = ("incidents", "outreach", "events", "surveys")
LANGS = ("sv", "en")
OTHER = "ovrigt"  # every kind has it: a source category the vocabulary does not know loads as this


@dataclass(frozen=True)
class Category:
    kind: str
    code: str
    labels: Mapping[str, str]  # {sv, en}; a missing English label is the Swedish one, a missing Swedish the code
    is_measure: bool = False
    spellings: tuple[str, ...] = ()  # the source categories (`from`) that map to this code

    def label(self, lang: str = "sv") -> str:
        return self.labels.get(lang) or self.labels.get("sv") or self.code


@dataclass(frozen=True)
class Vocabulary:
    kinds: Mapping[str, Mapping[str, Category]]  # kind -> code -> category, in the file's order
    not_facts: tuple[str, ...] = ()  # police feed types that are not incidents (digests), shell-style patterns

    def categories(self, kind: str) -> tuple[Category, ...]:
        return tuple(self.kinds.get(kind, {}).values())

    def codes(self, kind: str) -> tuple[str, ...]:
        return tuple(self.kinds.get(kind, {}))

    def labels(self, kind: str, lang: str = "sv") -> dict[str, str]:
        """{code: label} for one kind, in the vocabulary's order."""
        return {category.code: category.label(lang) for category in self.categories(kind)}

    def labels_by_kind(self, lang: str = "sv") -> dict[str, dict[str, str]]:
        """kind -> code -> label, for every kind."""
        return {kind: self.labels(kind, lang) for kind in self.kinds}

    def label(self, kind: str, code: str, lang: str = "sv") -> str:
        category = self.kinds.get(kind, {}).get(code)
        return code if category is None else category.label(lang)


def parse_vocabulary(data: object, problems: Problems) -> Vocabulary | None:
    if not isinstance(data, dict):
        problems.add("(top level)", "must be a mapping with one section per kind: " + ", ".join(KINDS))
        return None
    before = len(problems.found)
    kinds = {kind: _kind(kind, data.get(kind), problems) for kind in KINDS}
    not_facts = data.get("incidents_not_facts") or []
    if not isinstance(not_facts, list) or any(not isinstance(p, str) for p in not_facts):
        problems.add("incidents_not_facts", "must be a list of police feed types (patterns with * allowed)")
        not_facts = []
    return Vocabulary(kinds, tuple(not_facts)) if len(problems.found) == before else None


def _kind(kind: str, entries: object, problems: Problems) -> dict[str, Category]:
    if not isinstance(entries, dict) or OTHER not in entries:
        problems.add(kind, f"missing, or has no {OTHER!r} category (every kind needs one)")
        return {}
    return {str(code): _category(kind, str(code), entry, problems) for code, entry in entries.items()}


def _category(kind: str, code: str, entry: object, problems: Problems) -> Category:
    where = f"{kind}.{code}"
    entry = entry if isinstance(entry, dict) else {}
    labels = entry.get("labels") or {}
    if not isinstance(labels, dict) or any(not isinstance(v, str) for v in labels.values()):
        problems.add(f"{where}.labels", "must be {sv: …, en: …}")
        labels = {}
    spellings = entry.get("from") or []
    if not isinstance(spellings, list):
        problems.add(f"{where}.from", "must be a list of the source's own category names")
        spellings = []
    return Category(kind, code, {lang: labels[lang] for lang in LANGS if labels.get(lang)},
                    bool(entry.get("is_measure", False)), tuple(str(s) for s in spellings if s is not None))
