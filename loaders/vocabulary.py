"""The controlled vocabulary as the loaders use it: a source's own category to a code (lagesbild.config reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from lagesbild.config import ConfigError
from lagesbild.config import Vocabulary as VocabularyConfig
from lagesbild.config.problems import Problems
from lagesbild.config.spelling import fold
from lagesbild.config.vocabulary import KINDS, OTHER, parse_vocabulary


class VocabularyError(ConfigError):
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

    def __init__(self, config: VocabularyConfig):
        self.categories: dict[str, dict[str, Category]] = {}
        self._lookup: dict[str, dict[str, str]] = {}
        self._not_fact_patterns = config.not_facts
        for kind in KINDS:
            self.categories[kind], self._lookup[kind] = {}, {}
            for entry in config.categories(kind):
                self.categories[kind][entry.code] = Category(kind, entry.code, entry.label("sv"), entry.label("en"),
                                                             entry.is_measure)
                for spelling in (entry.code, entry.labels.get("sv", ""), entry.labels.get("en", ""), *entry.spellings):
                    if spelling:
                        self._lookup[kind][fold(str(spelling))] = entry.code

    @classmethod
    def from_data(cls, data: object, source: str = "vocabulary") -> Vocabulary:
        problems = Problems(source)
        config = parse_vocabulary(data, problems)
        if config is None:
            raise VocabularyError(problems.found)
        return cls(config)

    @classmethod
    def from_yaml(cls, path: Path) -> Vocabulary:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems = Problems.of(path)
            problems.add("(file)", f"not valid YAML ({exc})")
            raise VocabularyError(problems.found) from exc
        return cls.from_data(data, path.name)

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
