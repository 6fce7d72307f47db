"""What the filter bar offers (places, months, the area's name), read through the query layer."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from lagesbild.filters import months_between
from lagesbild.settings import Settings
from lagesbild.store.db import cached_engine

log = logging.getLogger(__name__)


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


@lru_cache(maxsize=16)
def area_name(area_file: Path) -> str:
    """The area's display name from the area configuration ('' when the file is missing or has none); read once per
    process, as the rest of the configuration (edit it, then restart the dashboard)."""
    try:
        data = yaml.safe_load(area_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        log.warning("could not read the area name from %s", area_file)
        return ""
    return str(data.get("area_name") or "")


def _queries():
    """lagesbild.queries, or None while it does not exist yet (the shell then offers no places or months)."""
    try:
        return importlib.import_module("lagesbild.queries")
    except ModuleNotFoundError as exc:
        if exc.name != "lagesbild.queries":
            raise
        log.warning("lagesbild.queries is missing: the filter bar offers no places or months")
        return None


def load_options(settings: Settings) -> ShellOptions:
    """The default options provider: places and the month span of the data in the store."""
    queries = _queries()
    if queries is None:
        return ShellOptions(area_name=area_name(settings.area_file))
    engine = cached_engine(settings.db_url)
    places = tuple((row["id"], row["name"]) for row in queries.list_places(engine))
    span = queries.month_span(engine)
    months = tuple(months_between(*span)) if span else ()
    return ShellOptions(places, months, area_name(settings.area_file))
