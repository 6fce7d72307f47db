"""The area's configuration as the dashboard reads it: category labels (vocabulary.yaml), baseline year and caps."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_BASELINE_YEAR = 2022


@dataclass(frozen=True)
class AreaConfig:
    baseline_year: int = DEFAULT_BASELINE_YEAR
    grant_cap_sek: float | None = None
    budget_cap_sek: float | None = None


@lru_cache(maxsize=16)
def _yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}


def area_config(area_file: Path) -> AreaConfig:
    """Baseline year and caps from area.yaml; a missing file or key gives the defaults, never an error."""
    data = _yaml(Path(area_file))
    return AreaConfig(
        baseline_year=int(data.get("baseline_year") or DEFAULT_BASELINE_YEAR),
        grant_cap_sek=_number(data.get("grant_cap_sek")),
        budget_cap_sek=_number(data.get("budget_cap_sek")),
    )


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def category_labels(vocabulary_file: Path, kind: str, lang: str = "sv") -> dict[str, str]:
    """{code: label} for one kind ('incidents', 'outreach', 'events', 'surveys'), in the vocabulary's order.

    The label is the `lang` one, else the Swedish one, else the code itself.
    """
    entries = _yaml(Path(vocabulary_file)).get(kind) or {}
    labels = {}
    for code, entry in entries.items():
        names = (entry or {}).get("labels") or {}
        labels[code] = str(names.get(lang) or names.get("sv") or code)
    return labels
