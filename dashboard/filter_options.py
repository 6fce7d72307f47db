"""What the filter bar offers (places, months, the area's name), from the store's catalogue and the configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lagesbild.config import load_config
from lagesbild.dates import months_between
from lagesbild.reads import catalog
from lagesbild.settings import Settings
from lagesbild.store.db import cached_engine


@dataclass(frozen=True)
class ShellOptions:
    places: tuple[tuple[str, str], ...] = ()  # (place id, display name), in display order
    months: tuple[date, ...] = ()  # first day of each month with data, oldest first
    area_name: str = ""

    @property
    def known_places(self) -> set[str]:
        return {place_id for place_id, _ in self.places}

    @property
    def place_names(self) -> dict[str, str]:
        return dict(self.places)


def load_options(settings: Settings) -> ShellOptions:
    """The default options provider: places and the month span of the data in the store, the area's name."""
    engine = cached_engine(settings.db_url)
    places = tuple((row["id"], row["name"]) for row in catalog.places(engine))
    span = catalog.month_span(engine)
    months = tuple(months_between(*span)) if span else ()
    return ShellOptions(places, months, load_config(settings).area.name)
