"""The area's places from a GeoJSON file, and a resolver that puts a record at a place by name, point or text."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Point, shape
from shapely.prepared import prep

from lagesbild.config import ConfigError, Place, Places
from lagesbild.config.places import parse_places
from lagesbild.config.problems import Problems
from lagesbild.config.spelling import compact, fold

__all__ = ["Place", "PlaceMatch", "PlaceResolver", "PlacesConfigError"]
# A named place beats a street, a street beats the area as a whole: the most precise statement wins.
TEXT_RANK = {"text": 0, "street": 1, "area": 2}


class PlacesConfigError(ConfigError):
    """A places file that cannot be used; the message names the file and each feature that is wrong."""


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    method: str  # "alias", "street", "polygon", "text" or "area"


@dataclass(frozen=True)
class Term:
    """One spelling that names a place: a name/alias or a street."""

    place: Place
    is_street: bool


class PlaceResolver:
    """Finds a place by its name, a point or a free text; built once, then called for every row."""

    def __init__(self, places: list[Place], area_name: str | None = None):
        self.places = sorted(places, key=lambda p: (p.sort_order, p.id))
        unspecified = [p for p in self.places if p.is_unspecified]
        if len(unspecified) != 1:
            raise ValueError("the places need exactly one place of kind 'area' (the area, 'ej specificerad')")
        self.unspecified = unspecified[0]
        # "Västra Södermalm, ej specificerad" -> "Västra Södermalm" when the file does not name the area.
        self.area_name = area_name or self.unspecified.name.split(",")[0].strip()
        self._by_id = {p.id: p for p in self.places}
        self._terms = build_terms(self.places)
        self._text_pattern = term_pattern(self.places)
        # Smallest polygon first, so a spot inside a park wins over the park.
        shaped = [(p, shape(p.geometry)) for p in self.places if p.geometry and not p.is_unspecified]
        self._polygons = [(p, prep(g)) for p, g in sorted(shaped, key=lambda pg: pg[1].area)]
        self._area_polygon = prep(shape(self.unspecified.geometry)) if self.unspecified.geometry else None

    @classmethod
    def from_config(cls, places: Places) -> PlaceResolver:
        return cls(list(places.places), places.area_name)

    @classmethod
    def from_geojson(cls, path: str | Path) -> PlaceResolver:
        """A resolver for a places file read on its own (the configuration's reader checks it the same way)."""
        path = Path(path)
        problems = Problems.of(path)
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.add("(file)", f"cannot read the places file as JSON ({exc})")
            raise PlacesConfigError(problems.found) from exc
        places = parse_places(collection, problems)
        if places is None:
            raise PlacesConfigError(problems.found)
        return cls.from_config(places)

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    def by_name(self, text: str) -> PlaceMatch | None:
        """A place column value: exactly an id, name, alias or street, however cased, spaced or accented."""
        term = self._terms.get(compact(text or ""))
        return None if term is None else PlaceMatch(term.place, term_method(term, exact=True))

    def by_point(self, lat: float, lon: float) -> PlaceMatch | None:
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        point = Point(lon, lat)
        hit = next((p for p, polygon in self._polygons if polygon.covers(point)), None)
        if hit is not None:
            return PlaceMatch(hit, "polygon")
        inside_area = self._area_polygon is not None and self._area_polygon.covers(point)
        return PlaceMatch(self.unspecified, "area") if inside_area else None

    def by_text(self, text: str) -> PlaceMatch | None:
        """The most precise place a free text names; None when it names nothing of the area."""
        best: tuple[int, int, int] | None = None
        found: PlaceMatch | None = None
        for hit in self._text_pattern.finditer(fold(text or "")):
            term = self._term_of(hit.group())
            method = term_method(term, exact=False)
            key = (TEXT_RANK[method], -len(hit.group()), hit.start())
            if best is None or key < best:
                best, found = key, PlaceMatch(term.place, method)
        return found

    def _term_of(self, matched: str) -> Term:
        key = compact(matched)
        # The pattern allows a genitive -s ("Tantolundens"), which the term itself does not have.
        return self._terms.get(key) or self._terms[key[:-1]]


def term_method(term: Term, exact: bool) -> str:
    if term.place.is_unspecified:
        return "area"
    if term.is_street:
        return "street"
    return "alias" if exact else "text"


def build_terms(places: list[Place]) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for place in places:
        for spelling, is_street in place.spellings():  # streets first: a place's own name overrides them
            terms[compact(spelling)] = Term(place, is_street)
    terms.pop("", None)
    return terms


def term_pattern(places: list[Place]) -> re.Pattern[str]:
    """One regex for every spelling: whole words, longest first, optional space between words, genitive -s."""
    spelled = {fold(s) for place in places for s, _ in place.spellings()}
    words = sorted((s for s in spelled if s), key=len, reverse=True)
    alternatives = "|".join(" ?".join(map(re.escape, s.split(" "))) for s in words)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})s?(?![a-z0-9])")
