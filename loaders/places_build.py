"""Derive the bundled places file (lagesbild/config/places.geojson) from the public geodata in /work/shared/data/geo.

Run once by hand when the place definitions below change; the result is reviewed and committed, and from then
on the GeoJSON file (not this script) is the configuration:

    .venv/bin/python -m loaders.places_build /work/shared/data/geo lagesbild/config/places.geojson

Geometry recipes: the area is the SÖDERMALM stadsdel clipped to the west of Rosenlundsgatan/Götgatan and the
south of Högalidsgatan/Lundagatan/Hornsgatan, plus Liljeholmsbron; parks come from the hand-traced polygons
in vastra_sodermalm_places_approx.geojson; metro spots are octagons around the SL exits. A street belongs to a
place when it is named below (judgement: a park's own paths, the streets a summary uses for the spot), and to
the area when most of its length lies inside the area and no place has claimed it.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.ops import unary_union

LAT0 = 59.314  # local equirectangular projection: metres are exact enough at this scale
M_PER_LAT = 111_320.0
M_PER_LON = M_PER_LAT * math.cos(math.radians(LAT0))

# North and east edge of Västra Södermalm, drawn ~20-30 m outside the boundary streets so they count as inside.
AREA_CLIP = [
    (18.0200, 59.2990), (18.0200, 59.3188), (18.0322, 59.3187), (18.0398, 59.3187), (18.0419, 59.3183),
    (18.0493, 59.3190), (18.0500, 59.3189), (18.0556, 59.3183), (18.0585, 59.3126), (18.0705, 59.3141),
    (18.0742, 59.3141), (18.0772, 59.3077), (18.0745, 59.3050), (18.0720, 59.2990),
]
ROSENLUNDSPARKEN = [  # from Ringvägen by Södersjukhuset east to Götgatan, south of Magnus Ladulåsgatan
    (18.0582, 59.3108), (18.0592, 59.3117), (18.0650, 59.3124), (18.0700, 59.3129), (18.0733, 59.3129),
    (18.0737, 59.3119), (18.0722, 59.3110), (18.0680, 59.3106), (18.0640, 59.3101), (18.0600, 59.3100),
]
LILJEHOLMSBRON = [(18.0345, 59.3148), (18.0300, 59.3124)]  # OSM stops at the stadsdel edge: run on to the quay
HORNSTULL_CORE = [(18.034209, 59.315744), (18.03345, 59.315703), (18.0343, 59.3150), (18.0320, 59.3147)]
ZINKENSDAMM_EXIT = (18.05006, 59.317716)
NOT_STREET_NAMES = {"Strand"}  # an OSM name that is an ordinary word in any summary
# Long boundary streets whose well-known stretches (Slussen, Medborgarplatsen, Mariatorget) lie outside.
NOT_AREA_STREETS = {"Götgatan", "Hornsgatan"}

PLACES = [
    dict(id="tantolunden", name="Tantolunden", kind="park", sort_order=10,
         aliases=["Tanto", "Tantoparken", "Tantolunden park", "Tantolundsparken", "Tantoområdet",
                  "Tantolundens koloniområde"],
         streets=["Tantogatan", "Tantolundsvägen", "Zinkens Väg", "Alfred Medins Väg", "Flädervägen",
                  "Katarina Taikons Gång", "Strandpromenad Årstaviken"]),
    dict(id="drakenbergsparken", name="Drakenbergsparken", kind="park", sort_order=20,
         aliases=["Drakenberg", "Drakenbergsberget", "Drakenbergsparkens lekplats"],
         streets=["Drakenbergsgatan", "Skarpskyttestigen", "Hornsviksstigen"]),
    dict(id="hogalidsparken", name="Högalidsparken", kind="park", sort_order=30,
         aliases=["Högalid park", "Högalids park", "Högalidskyrkan", "Högalids kyrka", "Högalidsberget"],
         streets=["Högalids Kyrkväg"]),
    dict(id="hornstull", name="Hornstull", kind="spot", sort_order=40,
         aliases=["Hornstulls T-bana", "Hornstull T-bana", "T-bana Hornstull", "Hornstulls tunnelbana",
                  "Hornstulls tunnelbanestation", "Hornstulls station", "Hornstulls marknad"],
         streets=["Hornstulls Strand", "Långholmsgatan"]),
    dict(id="zinkensdamm", name="Zinkensdamm", kind="spot", sort_order=50,
         aliases=["Zinkensdamms T-bana", "Zinkensdamm T-bana", "T-bana Zinkensdamm", "Zinkensdamms tunnelbana",
                  "Zinkensdamms tunnelbanestation", "Zinkensdamms station"],
         streets=[]),
    dict(id="rosenlundsparken", name="Rosenlundsparken", kind="park", sort_order=60,
         aliases=["Ringvägen/Rosenlundsparken", "Rosenlundsparken/Ringvägen", "Rosenlunds park", "Skånegläntan",
                  "Skåneparken"],
         streets=["Ringvägen"]),
    dict(id="liljeholmsbron", name="Liljeholmsbron", kind="spot", sort_order=70,
         aliases=["Liljeholmsbro", "Liljeholmsbroarna"], streets=["Liljeholmsbron"]),
    dict(id="vastra-sodermalm-ej-specificerad", name="Västra Södermalm, ej specificerad", kind="area",
         sort_order=999,
         aliases=["Västra Södermalm", "Västra Söder", "Södermalm västra", "Högalid", "Mellersta Högalid",
                  "Högalids församling"],
         streets=[]),
]


def to_m(geom):
    return shapely.transform(geom, lambda xy: (xy - (18.0, LAT0)) * (M_PER_LON, M_PER_LAT))


def to_deg(geom):
    return shapely.transform(geom, lambda xy: xy / (M_PER_LON, M_PER_LAT) + (18.0, LAT0))


def buffer_m(geom, metres: float, resolution: int = 2):
    """A buffer in metres; resolution 2 turns a point into an octagon."""
    return to_deg(to_m(geom).buffer(metres, resolution))


def read_features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def approx_polygon(approx: list[dict], prefix: str) -> Polygon:
    return next(shape(f["geometry"]) for f in approx
                if f["properties"]["name"].startswith(prefix) and f["geometry"]["type"] == "Polygon")


def place_geometries(geo: Path) -> dict[str, Polygon]:
    approx = read_features(geo / "vastra_sodermalm_places_approx.geojson")
    sodermalm = next(shape(f["geometry"]) for f in read_features(geo / "stockholm_stadsdelar.geojson")
                     if f["properties"]["name"] == "SÖDERMALM")
    south_of_hogalidsgatan = Polygon([(18.02, 59.3183), (18.05, 59.3183), (18.05, 59.30), (18.02, 59.30)])
    drakenberg = approx_polygon(approx, "Drakenbergsparken")
    hogalid = approx_polygon(approx, "Högalidsparken").intersection(south_of_hogalidsgatan)
    hornstull = buffer_m(LineString(HORNSTULL_CORE).convex_hull, 80).difference(hogalid).difference(drakenberg)
    bridge = buffer_m(LineString(LILJEHOLMSBRON), 35).difference(hornstull)
    area = sodermalm.intersection(Polygon(AREA_CLIP)).union(bridge)
    shapes = {
        "tantolunden": approx_polygon(approx, "Tantolunden").difference(drakenberg),
        "drakenbergsparken": drakenberg, "hogalidsparken": hogalid, "hornstull": hornstull,
        "zinkensdamm": buffer_m(Point(ZINKENSDAMM_EXIT), 110), "rosenlundsparken": Polygon(ROSENLUNDSPARKEN),
        "liljeholmsbron": bridge,
    }
    area = largest_part(area)
    # Places are clipped a few metres inside the area, so simplifying and rounding cannot push them out of it.
    inner = area.buffer(-0.00004)
    shapes = {pid: largest_part(g.intersection(inner)) for pid, g in shapes.items()}
    shapes["vastra-sodermalm-ej-specificerad"] = area
    return shapes


def largest_part(geom) -> Polygon:
    """One clean polygon: clipping can leave slivers that a places file should not carry."""
    parts = getattr(geom, "geoms", [geom])
    return max((p for p in parts if p.geom_type == "Polygon"), key=lambda p: p.area).simplify(0.00001)


def street_lines(geo: Path) -> dict[str, object]:
    lines = defaultdict(list)
    for f in read_features(geo / "sodermalm_streets_osm.geojson"):
        name = f["properties"].get("name")
        if name and name not in NOT_STREET_NAMES:
            lines[name].append(shape(f["geometry"]))
    return {name: unary_union(parts) for name, parts in lines.items()}


def share_inside(line, polygon) -> float:
    length = to_m(line).length
    return to_m(line.intersection(polygon)).length / length if length else 0.0


def assign_streets(shapes: dict[str, Polygon], streets: dict[str, object]) -> dict[str, list[str]]:
    """Places keep the streets PLACES names; the area takes every other street mostly inside it."""
    area_id = PLACES[-1]["id"]
    named = {s for p in PLACES for s in p["streets"]} | NOT_AREA_STREETS
    area = buffer_m(shapes[area_id], 15)  # boundary streets run along the edge, not across it
    assigned = {p["id"]: list(p["streets"]) for p in PLACES}
    assigned[area_id] += [name for name, line in sorted(streets.items())
                          if name not in named and share_inside(line, area) >= 0.5]
    return assigned


def rounded(geom) -> dict:
    ring = [[round(x, 5), round(y, 5)] for x, y in geom.exterior.coords]
    return {"type": "Polygon", "coordinates": [ring]}


def build(geo: Path) -> dict:
    shapes = place_geometries(geo)
    streets = assign_streets(shapes, street_lines(geo))
    features = [{"type": "Feature", "properties": {**p, "streets": streets[p["id"]]},
                 "geometry": rounded(shapes[p["id"]])} for p in PLACES]
    return {
        "type": "FeatureCollection",
        "area": {"id": "vastra-sodermalm", "name": "Västra Södermalm"},
        "note": "Derived by loaders/places_build.py from Stockholm stad's stadsdelar (CC0), street names and "
                "lines from OpenStreetMap (© OpenStreetMap contributors, ODbL) and hand-traced park outlines "
                "(edges ±100 m). Edit by hand to refine; WGS84 lon/lat.",
        "features": features,
    }


def dump(collection: dict) -> str:
    """Indented JSON with one coordinate pair per line, so a hand edit gives a readable diff."""
    text = json.dumps(collection, ensure_ascii=False, indent=1)
    return re.sub(r"\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]", r"[\1, \2]", text)


if __name__ == "__main__":
    collection = build(Path(sys.argv[1]))
    text = dump(collection)
    Path(sys.argv[2]).write_text(text + "\n", encoding="utf-8")
    for feature in collection["features"]:
        print(feature["properties"]["id"], feature["properties"]["streets"])
