"""What the records need of the configuration (lagesbild.config): the indicator and place ids a record may link
to, and the budget's caps."""

from __future__ import annotations

from dataclasses import dataclass

from lagesbild.config import Config, load_config
from lagesbild.settings import load_settings


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


def known_ids(config: Config | None = None) -> KnownIds:
    """The configuration's indicators and places (by default the configuration the environment names)."""
    config = config or load_config(load_settings())
    return KnownIds(indicators={i.id: i.label.get("sv") or i.id for i in config.indicators.indicators},
                    places={place.id: place.name for place in config.places.own()})


def budget_caps(config: Config | None = None) -> BudgetCaps:
    """`budget_cap_sek` and `grant_cap_sek` of area.yaml: per calendar year; missing means no cap."""
    area = (config or load_config(load_settings())).area
    return BudgetCaps(area.budget_cap_sek, area.grant_cap_sek)
