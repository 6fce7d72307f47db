"""places.geojson as typed data: the area's places (parks, spots, the area as a whole) with names, aliases, streets
and polygons. Loaders place records with them (loaders/places.py); the map draws them.

A feature with `zone: comparison` (and `area`: its comparison area's id, declared in area.yaml's evaluation) or
`zone: buffer` is a place outside the area kept for evaluating measures (the Effekt page): its records are stored at
it, tagged with that area, and never counted as the area's own (lagesbild.queries reads the own zone unless asked
for a place by id)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import shape

from lagesbild.config.problems import Problems
from lagesbild.config.spelling import compact

AREA_KIND = "area"
AREA_ZONE, BUFFER_ZONE, COMPARISON_ZONE = "area", "buffer", "comparison"
ZONES = (AREA_ZONE, BUFFER_ZONE, COMPARISON_ZONE)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
POLYGON_TYPES = ("Polygon", "MultiPolygon")


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
    zone: str = AREA_ZONE  # area (the area's own) | buffer | comparison: outside, for evaluating measures

    @property
    def is_own(self) -> bool:
        return self.zone == AREA_ZONE

    def spellings(self) -> list[tuple[str, bool]]:
        """Every spelling that names the place, streets first (is_street True): its own names win over them."""
        return [(s, True) for s in self.streets] + [(n, False) for n in (self.id, self.name, *self.aliases)]


@dataclass(frozen=True)
class Places:
    places: tuple[Place, ...]  # in display order (sort_order, then id)
    area_id: str
    area_name: str  # the area as the places file names it ('Västra Södermalm')

    @property
    def unspecified(self) -> Place:
        return next(place for place in self.places if place.is_unspecified)

    def names(self) -> dict[str, str]:
        return {place.id: place.name for place in self.places}

    def own(self) -> tuple[Place, ...]:
        """The area's own places: what every page counts."""
        return tuple(place for place in self.places if place.is_own)

    def in_area(self, area_id: str) -> tuple[Place, ...]:
        """The places of a comparison area (by the area id their features name)."""
        return tuple(place for place in self.places if not place.is_own and place.area == area_id)

    def get(self, place_id: str) -> Place | None:
        return next((place for place in self.places if place.id == place_id), None)


def parse_places(collection: object, problems: Problems) -> Places | None:
    """The places of a GeoJSON FeatureCollection; None (and the problems added) when they cannot be used."""
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        problems.add("(file)", "expected a GeoJSON FeatureCollection with a 'features' list")
        return None
    before = len(problems.found)
    features = collection["features"]
    areas = [i for i, f in enumerate(features) if isinstance(f, dict) and _properties(f).get("kind") == AREA_KIND]
    if len(areas) != 1:
        problems.add("features", "needs exactly one feature with kind 'area' (the area as a whole, 'ej specificerad'); "
                     f"found {len(areas)}")
    meta = collection.get("area") if isinstance(collection.get("area"), dict) else {}
    area_id = str(meta.get("id") or (_properties(features[areas[0]]).get("id") if areas else "") or "")
    places = [_place(feature, f"feature {i}", area_id, problems) for i, feature in enumerate(features)]
    if len(problems.found) > before:
        return None
    _check_unique(places, problems)
    if len(problems.found) > before:
        return None
    ordered = tuple(sorted(places, key=lambda p: (p.sort_order, p.id)))
    unspecified = next(p for p in ordered if p.is_unspecified)
    # "Västra Södermalm, ej specificerad" -> "Västra Södermalm" when the file does not name the area.
    return Places(ordered, area_id, str(meta.get("name") or unspecified.name.split(",")[0].strip()))


def _properties(feature: Mapping[str, Any]) -> dict[str, Any]:
    props = feature.get("properties")
    return props if isinstance(props, dict) else {}


def _place(feature: object, where: str, area_id: str, problems: Problems) -> Place | None:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        problems.add(where, "not a GeoJSON Feature with properties")
        return None
    props = feature["properties"]
    place_id = _required_text(props, "id", where, problems)
    if place_id and not SLUG.fullmatch(place_id):
        problems.add(f"{where}.id", f"{place_id!r} is not a slug (a-z, 0-9 and hyphens, e.g. 'tantolunden')")
    where = f"{where} ({place_id})" if place_id else where
    kind = props.get("kind", "spot")  # only "area" changes behaviour; park/spot are for people and maps
    if not isinstance(kind, str) or not kind.strip():
        problems.add(f"{where}.kind", "must be a word such as park, spot or area")
        kind = "spot"
    sort_order = props.get("sort_order", 0)
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        problems.add(f"{where}.sort_order", f"must be a whole number, not {sort_order!r}")
        sort_order = 0
    zone, area_id = _zone(props, where, kind, area_id, problems)
    return Place(
        zone=zone, id=place_id, name=_required_text(props, "name", where, problems), kind=kind, area=area_id,
        is_unspecified=kind == AREA_KIND, aliases=_text_list(props, "aliases", where, problems),
        streets=_text_list(props, "streets", where, problems),
        geometry=_polygon(feature.get("geometry"), where, kind == AREA_KIND, problems), sort_order=sort_order,
    )


def _zone(props: Mapping[str, Any], where: str, kind: str, area_id: str, problems: Problems) -> tuple[str, str]:
    """The place's zone and the area it is tagged with: the area's own, or a comparison area's id (or 'buffer')."""
    zone = props.get("zone", AREA_ZONE)
    if zone not in ZONES:
        problems.add(f"{where}.zone", f"must be one of {', '.join(ZONES)}; got {zone!r}")
        return AREA_ZONE, area_id
    if zone == AREA_ZONE:
        return zone, area_id
    if kind == AREA_KIND:
        problems.add(f"{where}.zone", "the area as a whole ('ej specificerad') is the area's own; it has no zone")
    own_area = props.get("area", BUFFER_ZONE if zone == BUFFER_ZONE else None)
    if not isinstance(own_area, str) or not SLUG.fullmatch(own_area) or own_area == area_id:
        problems.add(f"{where}.area", f"a {zone} place names its comparison area's id (a slug other than the "
                     f"area's own, declared in area.yaml under evaluation.comparison_areas); got {own_area!r}")
        return zone, BUFFER_ZONE
    return zone, own_area


def _required_text(props: Mapping[str, Any], key: str, where: str, problems: Problems) -> str:
    value = props.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{where}.{key}", "missing or empty")
        return ""
    return value.strip()


def _text_list(props: Mapping[str, Any], key: str, where: str, problems: Problems) -> tuple[str, ...]:
    values = props.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        problems.add(f"{where}.{key}", "must be a list of non-empty strings")
        return ()
    return tuple(v.strip() for v in values)


def _polygon(geometry: Any, where: str, required: bool, problems: Problems) -> dict | None:
    """A valid Polygon or MultiPolygon; a specific place may have none (then only names place it)."""
    if geometry is None and not required:
        return None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in POLYGON_TYPES:
        problems.add(f"{where}.geometry", f"must be a Polygon or MultiPolygon in lon/lat, not {kind!r}")
        return None
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        problems.add(f"{where}.geometry", f"unreadable coordinates ({exc})")
        return None
    if polygon.is_empty or not polygon.is_valid:
        problems.add(f"{where}.geometry", f"the {kind} is empty or invalid (e.g. its outline crosses itself)")
        return None
    west, south, east, north = polygon.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        problems.add(f"{where}.geometry", f"coordinates must be lon/lat (WGS84), got bounds {polygon.bounds}")
        return None
    return geometry


def _check_unique(places: list[Place], problems: Problems) -> None:
    """Ids, and every spelling that names a place, must point at one place only, or matching would guess."""
    owners: dict[tuple[str, str], int] = {}
    for index, place in enumerate(places):
        keys = {("id", place.id)} | {("spelling", compact(s)) for s, _ in place.spellings()} - {("spelling", "")}
        for key in sorted(keys):  # "id" sorts first, so a duplicate id is reported as such
            first = owners.setdefault(key, index)
            if first != index:
                what = f"id {place.id!r}" if key[0] == "id" else f"the spelling {key[1]!r}"
                problems.add(f"feature {index} ({place.id})", f"{what} is also used by feature {first} "
                             f"({places[first].id})")
