"""The little configuration the records need, read here: indicator and place ids, and the budget's caps.

Read locally on purpose, with its own small error policy (a missing file is an error naming it): the shared
configuration reader is being rewritten, and this needs only ids and two numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from lagesbild.settings import CONFIG_DIR

INDICATORS_FILE = CONFIG_DIR / "indicators.yaml"
PLACES_FILE = CONFIG_DIR / "places.geojson"
AREA_FILE = CONFIG_DIR / "area.yaml"


@dataclass(frozen=True)
class KnownIds:
    """The ids a record may link to, each with its Swedish name for the template's list of allowed values."""

    indicators: dict[str, str]
    places: dict[str, str]

    def of(self, name: str) -> dict[str, str]:
        return {"indicators": self.indicators, "places": self.places}[name]


@dataclass(frozen=True)
class BudgetCaps:
    budget_cap_sek: float | None
    grant_cap_sek: float | None


@lru_cache(maxsize=8)
def known_ids(indicators_file: Path = INDICATORS_FILE, places_file: Path = PLACES_FILE) -> KnownIds:
    indicators = _yaml(indicators_file).get("indicators") or []
    features = json.loads(Path(places_file).read_text(encoding="utf-8")).get("features") or []
    return KnownIds(
        indicators={str(i["id"]): str((i.get("label") or {}).get("sv") or i["id"]) for i in indicators},
        places={str(f["properties"]["id"]): str(f["properties"].get("name") or f["properties"]["id"])
                for f in features},
    )


@lru_cache(maxsize=8)
def budget_caps(area_file: Path = AREA_FILE) -> BudgetCaps:
    """`budget_cap_sek` and `grant_cap_sek` of area.yaml: per calendar year; missing means no cap."""
    data = _yaml(area_file)
    return BudgetCaps(_number(data.get("budget_cap_sek")), _number(data.get("grant_cap_sek")))


def _yaml(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
