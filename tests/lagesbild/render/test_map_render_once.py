"""The map's faster build draws what the plain folium build drew: the parts rendered once (base map, OpenStreetMap
layer, places) render to the same text as the folium elements they replace, and the incident rows written as JSON in
one pass are the rows the per-point loop made, serialised as folium's `tojson` did."""

from __future__ import annotations

import json
import random
import re
from datetime import date

import pandas as pd
import pytest
from jinja2.utils import htmlsafe_json_dumps

from lagesbild.disclosure import Rule
from lagesbild.i18n.formats import fmt_date
from lagesbild.render import folium_text
from lagesbild.render import map_html as maps
from tests.lagesbild.render import test_map_html as test_maps

NAME = re.compile(r"(?<![A-Za-z0-9_])([a-z_]+?)_([0-9a-f]{32}|lagesbild)(?![0-9a-f])")
JINJA = "{{ 7*7 }}{% for c in 'xyz' %}Q{{ c }}{% endfor %}"


def normalised(html: str) -> str:
    """Element names (random per element) replaced by their order of first appearance."""
    names: dict[str, str] = {}
    return NAME.sub(lambda m: names.setdefault(m[0], f"{m[1]}_#{len(names)}"), html)


def rendered(elements) -> str:
    fmap = maps.offline_map(maps.TextMap)
    for element in elements:
        element.add_to(fmap)
    return fmap.get_root().render()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_layer_rendered_once_is_the_text_its_folium_elements_render_to(lang):
    places = [dict(test_maps.PLACES[0], name=f"Parken {JINJA}"), *test_maps.PLACES[1:]]
    builds = {
        "basemap": lambda: maps._basemap_layer(lang),
        "places": lambda: [maps._places_layer(places, ("park",), lang)],
        "places, none selected": lambda: [maps._places_layer(places, (), lang)],
    }
    for what, build in builds.items():
        live = rendered(build())
        once = rendered([maps.RenderedLayer(maps.render_once(build()))])
        assert normalised(once) == normalised(live), what
    assert "49" not in rendered([maps.RenderedLayer(maps.render_once(builds["places"]()))]).split("Parken")[1][:40]


def control_entries(html: str) -> list[tuple[str, str]]:
    """(label without its symbol, layer variable) of each overlay in the layer control."""
    control = re.search(r"overlays :  \{(.*?)\},\n", html, re.S)[1]
    return [(re.sub(r"<[^>]+>", "", json.loads(label)), variable)
            for label, variable in re.findall(r'("(?:[^"\\]|\\.)*") : (\w+),', control)]


def test_the_layer_control_lists_rendered_layers_as_it_listed_the_layers():
    html = maps.map_html(test_maps.map_data())
    entries = control_entries(html)
    labels = [label for label, _ in entries]
    first = [label.split(" (")[0] for label in labels[:3]]
    assert first == ["Gator och stadsdelar", "OpenStreetMap-bakgrund", "Platser"]
    assert len(labels) == len(test_maps.layer_names(maps.build_map(test_maps.map_data())))
    for _, variable in entries:  # every entry names a layer the document creates
        assert re.search(rf"var {variable} = ", html), variable


def test_rendered_parts_are_kept_per_language_selection_and_places():
    data = test_maps.map_data()
    first = maps.map_html(data)
    assert normalised(maps.map_html(data)) == normalised(first)
    hits = maps._place_layer.cache_info().hits
    cached = maps._place_layer("sv", (), maps._places_key(data.places))
    assert maps._place_layer.cache_info().hits == hits + 1, "rendered again"
    assert cached.layer_name.endswith("Platser")
    english = maps.map_html(data, "en")
    assert "Places" in [label for label, _ in control_entries(english)]
    assert "Platser" not in [label for label, _ in control_entries(english)]
    selected = maps.map_html(test_maps.map_data(selected=("park",)))
    assert normalised(selected) != normalised(first)
    renamed = [dict(test_maps.PLACES[0], name="Nya parken"), *test_maps.PLACES[1:]]
    assert "Nya parken" in maps.map_html(test_maps.map_data(places=renamed))
    assert "Nya parken" not in maps.map_html(data)


def test_the_map_is_named_the_same_in_every_document():
    html = maps.map_html(test_maps.map_data())
    assert f"var map_{folium_text.MAP_NAME_ID} = L.map(" in html
    assert len(set(re.findall(r"\.addTo\((map_\w+)\)", html))) == 1


def reference_rows(points: pd.DataFrame, lookup: maps._Lookup, lang: str) -> list[list]:
    """The rows of one cluster layer as the per-point loop made them."""
    rows = []
    for row in points.itertuples():
        when = fmt_date(pd.Timestamp(row.date).date(), lang)
        stamp = pd.to_datetime(row.occurred_at, errors="coerce")
        if not pd.isna(stamp):
            when += " " + stamp.strftime("%H:%M")
        who = row.organisation if isinstance(row.organisation, str) else str(row.source)
        summary = row.summary if isinstance(row.summary, str) else ""
        rows.append([round(float(row.latitude), 5), round(float(row.longitude), 5),
                     lookup.categories.setdefault(row.category, len(lookup.categories)), when,
                     lookup.places.setdefault(str(row.place), len(lookup.places)),
                     lookup.organisations.setdefault(who, len(lookup.organisations)), summary[:300]])
    return rows


def assert_same_as_the_loop(points: pd.DataFrame, lang: str) -> None:
    incidents = maps._Incidents.of(points, lang)
    lookup = maps._Lookup()
    grouped = {code: group for group, codes in maps.INCIDENT_GROUPS.items() for code in codes}
    groups = points["category"].map(lambda c: grouped.get(c, "ovrigt"))
    expected = {}
    for group in maps.INCIDENT_GROUPS:
        part = points[groups == group]
        if not part.empty:
            expected[group] = (len(part), str(htmlsafe_json_dumps(reference_rows(part, lookup, lang),
                                                                  sort_keys=True)))
    assert incidents.groups == expected
    assert incidents.lookup == lookup
    coords = [[round(float(a), 5), round(float(b), 5)]
              for a, b in zip(points["latitude"], points["longitude"], strict=True)]
    assert incidents.coords_json == str(htmlsafe_json_dumps(coords, sort_keys=True))


def test_incident_rows_are_the_rows_the_per_point_loop_made():
    hostile = test_maps.points(summary=test_maps.HOSTILE + test_maps.TEMPLATE_BREAK + "'&" + "x" * 400)
    many = pd.concat([hostile.assign(category=code, place=f"Plats {i % 3}") for i, code in
                      enumerate(["ovrigt", "okand", "narkotikabruk", "sprutfynd", "vald_hot", "narkotikabruk"])],
                     ignore_index=True)
    for points in (hostile, hostile.head(1), many):
        assert_same_as_the_loop(points, "sv")
    assert_same_as_the_loop(many, "en")


def test_incident_rows_from_the_sample_store_are_the_rows_the_loop_made(sample_engine):
    from lagesbild import queries

    points = queries.incident_points(sample_engine, limit=3000)
    assert len(points) > 1000
    assert_same_as_the_loop(points, "sv")


def test_coordinates_are_rounded_as_round_does():
    rng = random.Random(7)
    values = [59.3 + rng.random() / 10 for _ in range(5000)]
    values += [round(v, 6) for v in values]  # six decimals, as stored: a tenth of them end in 5, a tie at five
    values += [18.000005, 18.000015, 59.312345, 59.3123450000001, -18.000005, 0.0, float("nan")]
    got = maps._rounded(pd.Series(values))
    want = [round(v, 5) for v in values]
    assert got[:-1] == want[:-1] and pd.isna(got[-1])


def test_a_partner_map_after_a_full_one_has_no_points():
    full = maps.map_html(test_maps.map_data())
    rule = Rule(minimum=5, roles=frozenset({"partner"}), salt=987_654)
    partner = maps.map_html(test_maps.map_data(points=test_maps.points().iloc[0:0], rule=rule))
    assert "L.heatLayer(" in full and "markerClusterGroup" in full
    assert "L.heatLayer(" not in partner and "markerClusterGroup" not in partner and "lbLookup" not in partner
    assert "Händelser per plats" in partner.replace("\\u00e4", "ä")


def test_a_day_is_written_as_fmt_date_writes_it():
    assert maps._day_text(date(2024, 5, 1), "sv") == fmt_date(date(2024, 5, 1), "sv")
    assert maps._day_text("2024-05-01", "en") == fmt_date(date(2024, 5, 1), "en")
