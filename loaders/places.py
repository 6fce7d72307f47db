"""The area's places from a GeoJSON file, and a resolver that puts a record at a place by name, point or text."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

from loaders.values import fold

AREA_KIND = "area"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
POLYGON_TYPES = ("Polygon", "MultiPolygon")
# A named place beats a street, a street beats the area as a whole: the most precise statement wins.
TEXT_RANK = {"text": 0, "street": 1, "area": 2}


class PlacesConfigError(ValueError):
    """A places file that cannot be used; the message names the file and the feature."""


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    area: str
    is_unspecified: bool
    aliases: tuple[str, ...]
    streets: tuple[str, ...]
    geometry: dict | None = field(compare=False, repr=False)  # GeoJSON; a dict cannot be hashed
    sort_order: int


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
    def from_geojson(cls, path: str | Path) -> PlaceResolver:
        path = Path(path)
        collection = read_collection(path)
        return cls(parse_places(collection, path), area_meta(collection).get("name"))

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


def compact(text: str) -> str:
    """The matching key: folded, with spaces and hyphens gone, so 'Hornstulls strand' = 'Hornstullsstrand'."""
    return fold(text).replace(" ", "")


def term_method(term: Term, exact: bool) -> str:
    if term.place.is_unspecified:
        return "area"
    if term.is_street:
        return "street"
    return "alias" if exact else "text"


def spellings(place: Place) -> list[tuple[str, bool]]:
    names = [place.id, place.name, *place.aliases]
    return [(s, True) for s in place.streets] + [(n, False) for n in names]


def build_terms(places: list[Place]) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for place in places:
        for spelling, is_street in spellings(place):  # streets first: a place's own name overrides them
            terms[compact(spelling)] = Term(place, is_street)
    terms.pop("", None)
    return terms


def term_pattern(places: list[Place]) -> re.Pattern[str]:
    """One regex for every spelling: whole words, longest first, optional space between words, genitive -s."""
    spelled = {fold(s) for place in places for s, _ in spellings(place)}
    words = sorted((s for s in spelled if s), key=len, reverse=True)
    alternatives = "|".join(" ?".join(map(re.escape, s.split(" "))) for s in words)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})s?(?![a-z0-9])")


def read_collection(path: Path) -> dict[str, Any]:
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlacesConfigError(f"{path}: cannot read the places file as JSON ({exc})") from exc
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise PlacesConfigError(f"{path}: expected a GeoJSON FeatureCollection with a 'features' list")
    return collection


def area_meta(collection: dict[str, Any]) -> dict[str, Any]:
    """The optional top-level member {"id": ..., "name": ...} naming the area the places belong to."""
    meta = collection.get("area")
    return meta if isinstance(meta, dict) else {}


def parse_places(collection: dict[str, Any], path: Path) -> list[Place]:
    features = collection["features"]
    areas = [i for i, f in enumerate(features) if isinstance(f, dict) and properties(f).get("kind") == AREA_KIND]
    if len(areas) != 1:
        raise PlacesConfigError(f"{path}: needs exactly one feature with kind 'area' (the area as a whole, "
                                f"'ej specificerad'); found {len(areas)}")
    area_id = area_meta(collection).get("id") or properties(features[areas[0]]).get("id") or ""
    places = [parse_place(f, f"{path}, feature {i}", str(area_id)) for i, f in enumerate(features)]
    check_unique(places, path)
    return places


def properties(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature.get("properties")
    return props if isinstance(props, dict) else {}


def parse_place(feature: Any, where: str, area_id: str) -> Place:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise PlacesConfigError(f"{where}: not a GeoJSON Feature with properties")
    props = feature["properties"]
    place_id = required_text(props, "id", where)
    if not SLUG.fullmatch(place_id):
        raise PlacesConfigError(f"{where}: id {place_id!r} is not a slug (a-z, 0-9 and hyphens, e.g. 'tantolunden')")
    where = f"{where} ({place_id})"
    kind = props.get("kind", "spot")  # only "area" changes behaviour; park/spot are for people and maps
    if not isinstance(kind, str) or not kind.strip():
        raise PlacesConfigError(f"{where}: 'kind' must be a word such as park, spot or area")
    sort_order = props.get("sort_order", 0)
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        raise PlacesConfigError(f"{where}: 'sort_order' must be a whole number, not {sort_order!r}")
    return Place(
        id=place_id, name=required_text(props, "name", where), kind=kind, area=area_id,
        is_unspecified=kind == AREA_KIND, aliases=text_list(props, "aliases", where),
        streets=text_list(props, "streets", where),
        geometry=polygon_geometry(feature.get("geometry"), where, required=kind == AREA_KIND), sort_order=sort_order,
    )


def required_text(props: dict[str, Any], key: str, where: str) -> str:
    value = props.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PlacesConfigError(f"{where}: property {key!r} is missing or empty")
    return value.strip()


def text_list(props: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = props.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise PlacesConfigError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in values)


def polygon_geometry(geometry: Any, where: str, required: bool) -> dict | None:
    """A valid Polygon or MultiPolygon; a specific place may have none (then only names place it)."""
    if geometry is None and not required:
        return None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in POLYGON_TYPES:
        raise PlacesConfigError(f"{where}: geometry must be a Polygon or MultiPolygon in lon/lat, not {kind!r}")
    polygon = parse_shape(geometry, where)
    if polygon.is_empty or not polygon.is_valid:
        raise PlacesConfigError(f"{where}: the {kind} is empty or invalid (e.g. its outline crosses itself)")
    west, south, east, north = polygon.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise PlacesConfigError(f"{where}: coordinates must be lon/lat (WGS84), got bounds {polygon.bounds}")
    return geometry


def parse_shape(geometry: dict, where: str) -> BaseGeometry:
    try:
        return shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise PlacesConfigError(f"{where}: unreadable coordinates ({exc})") from exc


def check_unique(places: list[Place], path: Path) -> None:
    """Ids, and every spelling that names a place, must point at one place only, or matching would guess."""
    owners: dict[tuple[str, str], int] = {}
    for index, place in enumerate(places):
        keys = {("id", place.id)} | {("spelling", compact(s)) for s, _ in spellings(place)}
        for key in sorted(keys):  # "id" sorts first, so a duplicate id is reported as such
            first = owners.setdefault(key, index)
            if first != index:
                what = f"id {place.id!r}" if key[0] == "id" else f"the spelling {key[1]!r}"
                raise PlacesConfigError(f"{path}, feature {index} ({place.id}): {what} is also used by "
                                        f"feature {first} ({places[first].id})")
