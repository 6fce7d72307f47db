"""Tests for lagesbild.render.map_html: offline resources only, every layer, hostile text escaped, outreach never as
points."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import folium
import pandas as pd
import pytest

from lagesbild.config import load_config
from lagesbild.reads import MapData
from lagesbild.reads.map import map_data_of
from lagesbild.render.folium_offline import resource_urls
from lagesbild.render.map_html import (
    BASEMAP_DISTRICTS,
    BASEMAP_STREETS,
    INCIDENT_GROUPS,
    build_map,
    map_html,
    place_bounds,
    place_centre,
    safe_text,
)
from lagesbild.settings import load_settings

ASSETS = Path(__file__).resolve().parents[3] / "assets"
HOSTILE = "<script>alert(1)</script>"
TEMPLATE_BREAK = "`${alert(2)}`\\`"  # would end or interpolate the JS template literal folium puts popups in


def square(lon: float, lat: float, size: float = 0.002) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


PLACES = [
    {"id": "park", "name": "Parken", "kind": "park", "is_unspecified": False, "geometry": square(18.04, 59.31)},
    {"id": "torget", "name": f"Torget {HOSTILE}", "kind": "spot", "is_unspecified": False,
     "geometry": square(18.05, 59.315)},
    {"id": "area-ej", "name": "Området, ej specificerad", "kind": "area", "is_unspecified": True,
     "geometry": square(18.03, 59.30, 0.03)},
]


def points(summary: str = "Grupp vid bänken") -> pd.DataFrame:
    return pd.DataFrame([
        {"date": date(2024, 5, 1), "occurred_at": pd.Timestamp("2024-05-01 21:14"), "category": "narkotikaforsaljning",
         "source": "incident-log", "source_category": "Langning", "organisation": f"Väktare {HOSTILE}",
         "summary": summary, "latitude": 59.311, "longitude": 18.041, "place_id": "park", "place": "Parken"},
        {"date": date(2024, 5, 2), "occurred_at": None, "category": "sprutfynd", "source": "incident-log",
         "source_category": "Sprutfynd", "organisation": None, "summary": None, "latitude": 59.3115,
         "longitude": 18.0415, "place_id": "park", "place": "Parken"},
    ])


def map_data(summary: str = "Grupp vid bänken", **overrides) -> MapData:
    """The map's data from the query layer's frames (lagesbild.reads.map.map_data_of, each count with its cell key),
    every number shown unless `rule` is given (a salted one: lagesbild.reads gives the store's salt)."""
    values = dict(
        places=PLACES,
        points=points(summary),
        unplaced=pd.DataFrame({"place_id": ["torget", "torget", "area-ej"],
                               "category": ["vald_hot", "ovrigt", "ovrigt"], "value": [3, 2, 7],
                               "cell_key": [11, 22, 33], "cell_records": [3, 2, 7]}),
        events=pd.DataFrame({"place_id": ["park", "park", "area-ej"],
                             "category": ["kultur", "stadsmiljoatgard", "sport"], "is_measure": [False, True, False],
                             "events": [4, 1, 2], "attendance": [300, 0, 40], "cell_key": [44, 55, 66],
                             "cell_records": [4, 1, 2]}),
        measures=pd.DataFrame({"date": [date(2023, 5, 15)], "title": [f"Ny belysning {TEMPLATE_BREAK}"],
                               "category": ["stadsmiljoatgard"], "place_id": ["park"]}),
        outreach=pd.DataFrame({"place_id": ["park", "area-ej"], "shifts": [12, 3], "contacts": [140, 9],
                               "new_persons": [20, 1], "hours": [36.0, 6.0], "referrals_beroendevard": [4, 0],
                               "referrals_psykiatri": [1, 0], "cell_key": [77, 88], "cell_records": [12, 3]}),
        labels={"incidents": {"narkotikaforsaljning": "Misstänkt narkotikaförsäljning", "sprutfynd": "Sprutfynd"},
                "events": {"kultur": "Kultur", "stadsmiljoatgard": "Stadsmiljöåtgärd"}},
    )
    values = {"rule": None, **values, **overrides}
    return map_data_of(**values)


@pytest.fixture(scope="module")
def rendered() -> str:
    return map_html(map_data(summary=HOSTILE + TEMPLATE_BREAK))


def layer_names(fmap: folium.Map) -> list[str]:
    return [re.sub(r"<[^>]+>", "", child.layer_name) for child in fmap._children.values()
            if isinstance(child, folium.map.Layer) and child.control]


def test_map_references_only_vendored_files_that_exist(rendered):
    urls = resource_urls(rendered)
    assert urls, "no script or stylesheet found: the regex or folium changed"
    for url in urls:
        assert url.startswith("/assets/vendor/"), url
        assert (ASSETS / url.removeprefix("/assets/")).is_file(), url
    assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", rendered)
    assert "cdn" not in " ".join(urls).lower()


def test_the_openstreetmap_tiles_are_offered_but_never_loaded_by_default(rendered):
    found = re.search(r"var (tile_layer_\w+) = L\.tileLayer\(\s*\"https://tile\.openstreetmap\.org", rendered)
    assert found, "the optional OpenStreetMap layer is missing"
    assert f"{found[1]}.addTo(" not in rendered
    internet = set(re.findall(r"https?://[^\"'\s)\\]+", rendered))
    assert internet <= {"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://www.openstreetmap.org/copyright"}


def test_every_layer_is_in_the_layer_control():
    fmap = build_map(map_data())
    names = layer_names(fmap)
    for expected in ("Gator och stadsdelar", "OpenStreetMap", "Platser", "Värmekarta", "Narkotika (1)",
                     "Sprutfynd (1)", "Händelser utan koordinater", "Uppsökande arbete", "Aktiviteter", "Åtgärder"):
        assert any(name.startswith(expected) for name in names), (expected, names)
    rendered = fmap.get_root().render()
    assert "L.control.layers(" in rendered and "L.heatLayer(" in rendered and "L.markerClusterGroup(" in rendered


def test_one_cluster_layer_per_category_group_with_incidents():
    many = pd.concat([points().assign(category=codes[0]) for codes in INCIDENT_GROUPS.values()], ignore_index=True)
    names = layer_names(build_map(map_data(points=many)))
    groups = [name for name in names if re.search(r"\(\d+\)$", name)]
    assert len(groups) == len(INCIDENT_GROUPS)


def test_hostile_text_is_escaped_everywhere(rendered):
    assert HOSTILE not in rendered
    assert "<script>alert" not in rendered
    # Outside the JSON data (double-quoted strings, inert) nothing may open a template literal interpolation.
    outside_data = re.sub(r"var data = \[.*?\];\n", "", rendered)
    assert "${alert" not in outside_data
    assert "&#96;&#36;{alert(2)}&#96;&#92;&#96;" in rendered  # the measure title in its folium popup
    # The summary travels as JSON data and is put into the popup as text, never as HTML.
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in rendered
    assert "textContent = row[6]" in rendered


def test_safe_text_escapes_html_and_template_literal_characters():
    assert safe_text(HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert safe_text("`${x}`\\") == "&#96;&#36;{x}&#96;&#92;"
    assert safe_text(None) == "" and safe_text(float("nan")) == ""


def test_incidents_without_coordinates_are_counted_at_their_place_centre(rendered):
    lat, lon = place_centre(square(18.05, 59.315))
    assert re.search(rf"L\.marker\(\s*\[{lat}, {lon}\]", rendered)
    assert "\\u003e5\\u003c/div\\u003e" in rendered  # 3 + 2 at Torget, in the badge's HTML


def test_outreach_is_drawn_as_place_shading_never_as_points():
    fmap = build_map(map_data())
    outreach = next(child for child in fmap._children.values()
                    if isinstance(child, folium.FeatureGroup) and "Uppsökande" in child.layer_name)
    drawn = list(outreach._children.values())
    assert len(drawn) == 1  # the park; the area-wide shifts go to the area box
    assert all(isinstance(child, folium.GeoJson) for child in drawn)
    assert [f["geometry"]["type"] for f in drawn[0].data["features"]] == ["Polygon"]


def test_the_unspecified_area_is_summed_in_a_box_not_placed_at_its_centroid(rendered):
    data = map_data()
    assert {key: value for key, (value, _) in data.area.items()} == {"incidents": 7, "shifts": 3, "contacts": 9,
                                                                      "activities": 2, "measures": 0}
    lat, lon = place_centre(PLACES[2]["geometry"])
    assert f"[{lat}, {lon}]" not in rendered
    assert "lb-area-box" in rendered


def test_an_empty_filter_still_draws_the_places():
    empty = map_data(points=points().iloc[0:0], unplaced=pd.DataFrame(columns=["place_id", "category", "value"]),
                     events=pd.DataFrame(columns=["place_id", "category", "is_measure", "events", "attendance"]),
                     measures=pd.DataFrame(columns=["date", "title", "category", "place_id"]),
                     outreach=pd.DataFrame(columns=["place_id", "shifts", "contacts", "new_persons", "hours"]))
    html = map_html(empty)
    assert "L.markerClusterGroup(" not in html and "L.heatLayer(" not in html
    assert "Parken" in html


def test_the_view_fits_the_selected_places():
    assert place_bounds(PLACES, ["park"]) == [[59.31, 18.04], [59.312, 18.042]]
    south_west, north_east = place_bounds(PLACES, [])
    assert south_west == [59.31, 18.04] and north_east == [pytest.approx(59.317), pytest.approx(18.052)]


def test_the_base_map_is_small_and_says_where_it_comes_from():
    assert BASEMAP_STREETS.stat().st_size + BASEMAP_DISTRICTS.stat().st_size < 500_000
    for path in (BASEMAP_STREETS, BASEMAP_DISTRICTS):
        assert json.loads(path.read_text(encoding="utf-8"))["features"]
    readme = (BASEMAP_STREETS.parent / "README.md").read_text(encoding="utf-8")
    assert "ODbL" in readme and "CC0" in readme


def test_category_labels_come_from_the_vocabulary():
    labels = load_config(load_settings({})).vocabulary.labels_by_kind("en")
    assert labels["incidents"]["sprutfynd"] == "Syringe find"
    assert labels["events"]["stadsmiljoatgard"] == "Urban environment measure"
