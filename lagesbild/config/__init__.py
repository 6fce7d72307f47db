"""The configuration another district changes (area, places, vocabulary, indicators), read and checked in one place.

`read_config(files)` reads every file, checks each one and reports every problem at once (`ConfigError`, each
problem naming its file and key); what it returns is typed and is handed to whatever needs it. `load_config(settings)`
is the same, kept per process and read again when a file's modification time changes, so an edited target shows on
the next page load without a restart. An edit that breaks a file does not take a running dashboard down: the last
good configuration stays in use and the problem is logged (`lagesbild config check` names it).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from lagesbild.config.area import Area, ComparisonArea, Evaluation, Goal, SmallCounts, parse_area
from lagesbild.config.indicators import Group, Indicator, IndicatorConfig, parse_indicators, vocabulary_codes
from lagesbild.config.places import Place, Places, parse_places
from lagesbild.config.problems import ConfigError, Problem, Problems
from lagesbild.config.vocabulary import Category, Vocabulary, parse_vocabulary

__all__ = ["Area", "Category", "ComparisonArea", "Config", "ConfigError", "ConfigFiles", "Evaluation", "Goal", "Group",
           "Indicator", "IndicatorConfig", "Place", "Places", "Problem", "SmallCounts", "Vocabulary", "load_config",
           "read_config"]

CONFIG_DIR = Path(__file__).parent
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConfigFiles:
    area: Path
    places: Path
    vocabulary: Path
    indicators: Path
    basemap_streets: Path = CONFIG_DIR / "basemap_streets.geojson"
    basemap_districts: Path = CONFIG_DIR / "basemap_districts.geojson"

    @classmethod
    def of(cls, settings) -> ConfigFiles:
        """The files named by the settings (lagesbild.settings.Settings)."""
        return cls(Path(settings.area_file), Path(settings.places_file), Path(settings.vocabulary_file),
                   Path(settings.indicators_file))

    def stamps(self) -> tuple:
        """Each file's modification time and size: a change to any of them means reading them again."""
        return tuple(_stamp(path) for path in (self.area, self.places, self.vocabulary, self.indicators))


@dataclass(frozen=True)
class Config:
    files: ConfigFiles
    area: Area
    places: Places
    vocabulary: Vocabulary
    indicators: IndicatorConfig


def read_config(files: ConfigFiles) -> Config:
    """Every file read and checked; ConfigError with every problem of every file when any is wrong."""
    found: list[Problem] = []
    area = _read(files.area, parse_area, found)
    places = _read(files.places, parse_places, found, json.loads)
    vocabulary = _read(files.vocabulary, parse_vocabulary, found)
    codes = vocabulary_codes(vocabulary) if vocabulary else None
    indicators = _read(files.indicators, lambda data, problems: parse_indicators(
        data, problems, codes, area.goal.date if area else None), found)
    if area and places:
        found.extend(check_evaluation(area.evaluation, places, Problems.of(files.area)))
    if found:
        raise ConfigError(found)
    return Config(files, area, places, vocabulary, indicators)


def check_evaluation(evaluation: Evaluation, places: Places, problems: Problems) -> list[Problem]:
    """area.yaml's evaluation against places.geojson: every place named exists and is of the right zone, every
    comparison area has places, and every place outside the area belongs to a declared comparison area or buffer."""
    known = {place.id: place for place in places.places}
    for area in evaluation.comparison_areas:
        if not places.in_area(area.id):
            problems.add(f"evaluation.comparison_areas ({area.id})", "no place in places.geojson has zone comparison "
                         f"and area {area.id!r}")
    buffered = set()
    for target, neighbours in evaluation.buffers.items():
        if target not in known or not known[target].is_own:
            problems.add(f"evaluation.buffers.{target}", "the target must be one of the area's own places")
        for place_id in neighbours:
            place = known.get(place_id)
            if place is None or place.zone == "comparison" or place_id == target:
                problems.add(f"evaluation.buffers.{target}", f"{place_id!r} is not a place of the area or of zone "
                             "buffer in places.geojson (a comparison place, or the target itself, cannot be a buffer)")
            buffered.add(place_id)
    declared = {area.id for area in evaluation.comparison_areas}
    for place in places.places:
        if place.zone == "comparison" and place.area not in declared:
            problems.add("evaluation.comparison_areas", f"the place {place.id!r} names the comparison area "
                         f"{place.area!r}, which is not declared")
        if place.zone == "buffer" and place.id not in buffered:
            problems.add("evaluation.buffers", f"the buffer place {place.id!r} is in no target's buffer")
    return problems.found


def _read(path: Path, parse, found: list[Problem], decode=yaml.safe_load):
    problems = Problems.of(path)
    try:
        data = decode(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:  # json's JSONDecodeError is a ValueError
        problems.add("(file)", f"cannot be read: {exc}")
        found.extend(problems.found)
        return None
    value = parse(data, problems)
    found.extend(problems.found)
    return value


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


_loaded: dict[ConfigFiles, tuple[tuple, Config]] = {}
_lock = threading.Lock()


def load_config(settings) -> Config:
    """The configuration of `settings`, read once and again whenever one of its files changes.

    The first read raises ConfigError (a server must not start on a broken configuration); a later broken edit keeps
    the last good configuration in use and logs the problems once per edit."""
    files = ConfigFiles.of(settings)
    stamps = files.stamps()
    held = _loaded.get(files)
    if held is not None and held[0] == stamps:
        return held[1]
    with _lock:
        held = _loaded.get(files)
        if held is not None and held[0] == stamps:
            return held[1]
        try:
            config = read_config(files)
        except ConfigError as exc:
            if held is None:
                raise
            log.error("the configuration changed but has problems; the last good one stays in use:\n%s", exc)
            _loaded[files] = (stamps, held[1])
            return held[1]
        _loaded[files] = (stamps, config)
        return config
