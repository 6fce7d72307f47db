"""The places file and the resolver: names, points and free text against the bundled Västra Södermalm config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import shape

from lagesbild.settings import CONFIG_DIR
from loaders.places import PlaceResolver, PlacesConfigError

BUNDLED = CONFIG_DIR / "places.geojson"
UNSPECIFIED = "vastra-sodermalm-ej-specificerad"
COMPARISON = ["bjorns-tradgard", "nytorget"]  # Östra Södermalm, the comparison area: outside the area
SPECIFIC = ["tantolunden", "drakenbergsparken", "hogalidsparken", "hornstull", "zinkensdamm", "rosenlundsparken",
            "liljeholmsbron"]


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver.from_geojson(BUNDLED)


def test_bundled_config_loads(resolver):
    assert [p.id for p in resolver.places] == [*SPECIFIC, UNSPECIFIED, *COMPARISON]
    assert {p.id: (p.zone, p.area) for p in resolver.places if not p.is_own} == {
        place_id: ("comparison", "ostra-sodermalm") for place_id in COMPARISON}
    assert resolver.unspecified.id == UNSPECIFIED
    assert resolver.unspecified.name == "Västra Södermalm, ej specificerad"
    assert resolver.unspecified.is_unspecified and resolver.unspecified.kind == "area"
    assert resolver.area_name == "Västra Södermalm"
    assert {p.area for p in resolver.places if p.is_own} == {"vastra-sodermalm"}
    assert resolver.get("tantolunden").name == "Tantolunden"
    assert resolver.get("nowhere") is None


def test_bundled_config_is_small_and_every_place_has_a_polygon(resolver):
    assert BUNDLED.stat().st_size < 200_000
    for place in resolver.places:
        assert place.geometry["type"] == "Polygon", place.id
        assert shape(place.geometry).is_valid, place.id


def test_every_specific_place_lies_within_the_area(resolver):
    area = shape(resolver.unspecified.geometry).buffer(1e-7)  # rounding to 5 decimals leaves ~1 m of slack
    for place in resolver.places:
        if not place.is_unspecified and place.is_own:
            assert area.covers(shape(place.geometry)), place.id
        elif not place.is_own:  # a comparison place lies outside: its records are kept at it, not the area's
            assert not area.intersects(shape(place.geometry)), place.id


def test_a_point_or_a_name_in_the_comparison_area_places_a_record_there_not_in_the_area(resolver):
    assert resolver.by_point(59.3160, 18.0738).place.id == "bjorns-tradgard"
    assert resolver.by_name("Björns trädgård").place.id == "bjorns-tradgard"
    assert resolver.by_text("Bråk vid Nytorget under kvällen.").place.id == "nytorget"
    assert resolver.by_point(59.3300, 18.1000) is None  # elsewhere: still outside, still skipped


@pytest.mark.parametrize(("value", "place_id"), [
    ("Tantolunden", "tantolunden"), ("  TANTOLUNDEN ", "tantolunden"), ("Tanto", "tantolunden"),
    ("Tantoparken", "tantolunden"), ("Tantolunden park", "tantolunden"), ("tantolunden", "tantolunden"),
    ("Drakenbergsparken", "drakenbergsparken"), ("Drakenberg", "drakenbergsparken"),
    ("drakenbergs-parken", "drakenbergsparken"),
    ("Högalidsparken", "hogalidsparken"), ("Hogalidsparken", "hogalidsparken"), ("Högalid park", "hogalidsparken"),
    ("hogalids park", "hogalidsparken"),
    ("Hornstull", "hornstull"), ("Hornstulls T-bana", "hornstull"), ("hornstulls t bana", "hornstull"),
    ("Zinkensdamm", "zinkensdamm"), ("ZINKENSDAMMS TUNNELBANA", "zinkensdamm"),
    ("Rosenlundsparken", "rosenlundsparken"), ("Ringvägen/Rosenlundsparken", "rosenlundsparken"),
    ("Liljeholmsbron", "liljeholmsbron"),
])
def test_by_name_finds_a_place_by_name_and_alias_spellings(resolver, value, place_id):
    match = resolver.by_name(value)
    assert (match.place.id, match.method) == (place_id, "alias")


@pytest.mark.parametrize(("value", "place_id"), [
    ("Tantogatan", "tantolunden"), ("zinkens väg", "tantolunden"), ("Zinkens Väg", "tantolunden"),
    ("Drakenbergsgatan", "drakenbergsparken"), ("Hornstulls strand", "hornstull"),
    ("Hornstullsstrand", "hornstull"), ("Ringvägen", "rosenlundsparken"),
])
def test_by_name_finds_a_place_by_its_streets(resolver, value, place_id):
    match = resolver.by_name(value)
    assert (match.place.id, match.method) == (place_id, "street")


@pytest.mark.parametrize("value", [
    "Västra Södermalm", "västra södermalm", "Mellersta Högalid", "Högalid", "Högalidsgatan", "Lundagatan",
    "Västra Södermalm, ej specificerad", UNSPECIFIED,
])
def test_by_name_an_area_alias_or_street_gives_the_unspecified_place(resolver, value):
    match = resolver.by_name(value)
    assert (match.place.id, match.method) == (UNSPECIFIED, "area")


@pytest.mark.parametrize("value", ["Södermalm", "Östermalm", "Mariatorget", "", "   ", "Tantolunden norra"])
def test_by_name_is_exact_and_knows_nothing_outside_the_area(resolver, value):
    assert resolver.by_name(value) is None


@pytest.mark.parametrize(("lat", "lon", "place_id"), [
    (59.3120, 18.0465, "tantolunden"),
    (59.3138, 18.0400, "drakenbergsparken"),  # inside Tantolunden's outline too: the smaller place wins
    (59.3173, 18.0375, "hogalidsparken"),
    (59.315744, 18.034209, "hornstull"),  # SL exit Långholmsgatan/Högalidsgatan
    (59.317716, 18.05006, "zinkensdamm"),  # SL exit Zinkensdamm
    (59.3115, 18.0650, "rosenlundsparken"),
    (59.3140, 18.0330, "liljeholmsbron"),
])
def test_by_point_inside_a_place(resolver, lat, lon, place_id):
    match = resolver.by_point(lat, lon)
    assert (match.place.id, match.method) == (place_id, "polygon")


@pytest.mark.parametrize(("lat", "lon"), [(59.3163, 18.0460), (59.3097, 18.0580), (59.3182, 18.0450)])
def test_by_point_inside_the_area_but_no_place(resolver, lat, lon):
    match = resolver.by_point(lat, lon)
    assert (match.place.id, match.method) == (UNSPECIFIED, "area")


@pytest.mark.parametrize(("lat", "lon"), [
    (59.338, 18.08),  # Östermalm
    (59.329324, 18.068581),  # the police feed's centroid for "Stockholm"
    (59.317, 18.0633),  # Mariatorget, Södermalm but not Västra Södermalm
    (59.310073, 18.022192),  # Liljeholmen T-bana, across the water
    (float("nan"), 18.04),
])
def test_by_point_outside_the_area(resolver, lat, lon):
    assert resolver.by_point(lat, lon) is None


# Summaries verbatim from the police events feed (polisen.se api/events via dnouri/polisen-se-events-history,
# /work/shared/data/polisen/stockholm_events_2023-03_to_2024-12.json), with the event id.
POLICE_SUMMARIES = [
    (550565, "Misstänkt drograttfylleri vid Tantolunden.", "tantolunden", "text"),
    (548451, "Två personer försöker stjäla en cykel i Tantolunden, Södermalm.", "tantolunden", "text"),
    (440594, "När polisen kontrollerade en man i Tantolunden uppstod misstanke om narkotikabrott.",
     "tantolunden", "text"),
    (442449, "På Södermalm avlägsnades ungefär ett 50 tal personer från Tantogatan.", "tantolunden", "street"),
    (430174, "Vid fotpatrulleringen i Drakenbergsparken tog polisen misstänkt narkotika i beslag.",
     "drakenbergsparken", "text"),
    (544977, "En man greps misstänkt för grov misshandel i Hornstull.", "hornstull", "text"),
    (448231, "Krock vid Hornstull.", "hornstull", "text"),
    (546436, "Polisen får samtal om att en man går runt med kniv vid Zinkensdamm på Södermalm.", "zinkensdamm", "text"),
    (426802, "En misstänkt gärningsman har gripits av polis efter det att han slagit en polisman vid Liljeholmsbron "
             "i samban", "liljeholmsbron", "text"),
    (559456, "En polispatrull stoppade en personbil på Ringvägen på Södermalm för kontroll av föraren.",
     "rosenlundsparken", "street"),
    (550272, "Lägenheter rökfyllda på Högalidsgatan.", UNSPECIFIED, "area"),
    (442751, "Polis och ambulans kallas till Hornsgatan/Varvsgatan på Södermalm med anledning av en trafikolycka.",
     UNSPECIFIED, "area"),
]
POLICE_SUMMARIES_ELSEWHERE = [
    (563922, "En man misstänks ha blottat sig inne i en galleria på Södermalm."),
    (563739, "En man som hotat personalen vi tunnelbana Liljeholmen har omhändertagits av ordningsvakter."),
    (540675, "I Fatbursparken på Södermalm har en man har skadat en annan man."),
    (534094, "Polis kallas till Medborgarplatsen efter att en man agerat hotfullt mot ordningsvakter."),
    (531981, "En man anmäler att han rånats på kontanter på Reimersholme."),
    (438118, "Flera gripna efter personrån i västra Söderort och Södermalm."),
    (564007, "Larm om stökig man på Vasagatan."),
    (564005, "Larm om påverkad man på Östermalm."),
    (563178, "En man på Östermalms torg frihetsberövades enligt lagen om omhändertagande av berusade personer."),
    (563433, "Slagsmål på en restaurang på Kungsholmen."),
    (542585, "En person har rånat en annan person på tillhörigheter på Vasagatan i centrala Stockholm. En "
             "misstänkt grips i "),
]


@pytest.mark.parametrize(("event_id", "summary", "place_id", "method"), POLICE_SUMMARIES)
def test_by_text_places_police_summaries(resolver, event_id, summary, place_id, method):
    match = resolver.by_text(summary)
    assert (match.place.id, match.method) == (place_id, method), event_id


@pytest.mark.parametrize(("event_id", "summary"), POLICE_SUMMARIES_ELSEWHERE)
def test_by_text_police_summaries_elsewhere_give_none(resolver, event_id, summary):
    assert resolver.by_text(summary) is None, event_id


@pytest.mark.parametrize(("text", "place_id", "method"), [
    ("Man gripen för narkotikabrott i Tantolunden.", "tantolunden", "text"),
    ("Bråk i Tantolundens koloniområde.", "tantolunden", "text"),
    ("Flera samtal om en man vid Hornstulls tunnelbana.", "hornstull", "text"),
    ("Stöld på Hornstullsstrand under natten.", "hornstull", "street"),
    ("Stöld på Hornstulls strand under natten.", "hornstull", "street"),
    ("Misshandel på Drakenbergsgatan.", "drakenbergsparken", "street"),
    ("Ringvägens trafik stoppades.", "rosenlundsparken", "street"),
    ("På Ringvägen vid Tantolunden greps en man.", "tantolunden", "text"),  # a named place beats a street
    ("En man greps på Tantogatan vid Hornstulls strand.", "hornstull", "street"),  # the longer street wins
    ("Drakenbergsparkens lekplats vandaliserades.", "drakenbergsparken", "text"),
    ("Oro i Högalid under kvällen.", UNSPECIFIED, "area"),
    ("Uppdrag i VÄSTRA SÖDERMALM.", UNSPECIFIED, "area"),
])
def test_by_text_tolerates_swedish_inflection_and_prefers_the_most_precise(resolver, text, place_id, method):
    match = resolver.by_text(text)
    assert (match.place.id, match.method) == (place_id, method)


@pytest.mark.parametrize("text", [
    "Larm om bråk på Södermalm.", "Tantobadet stängt.", "Ringvägenskolan larmade.", "Krock på Hornsgatan.", "",
])
def test_by_text_needs_whole_words_of_the_area(resolver, text):
    assert resolver.by_text(text) is None


def write_places(tmp_path: Path, features: list[dict], name: str = "places.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def feature(place_id: str | None = "park", name: str | None = "Parken", kind: str = "park", **extra) -> dict:
    square = [[[18.0, 59.0], [18.1, 59.0], [18.1, 59.1], [18.0, 59.1], [18.0, 59.0]]]
    props = {k: v for k, v in {"id": place_id, "name": name, "kind": kind}.items() if v is not None}
    geometry = extra.pop("geometry", {"type": "Polygon", "coordinates": square})
    return {"type": "Feature", "properties": {**props, **extra}, "geometry": geometry}


def area_feature() -> dict:
    return feature("omradet-ej-specificerad", "Området, ej specificerad", kind="area")


def test_a_minimal_config_loads(tmp_path):
    resolver = PlaceResolver.from_geojson(write_places(tmp_path, [feature(), area_feature()]))
    assert resolver.area_name == "Området"
    assert resolver.by_point(59.05, 18.05).place.id == "park"


@pytest.mark.parametrize(("features", "message"), [
    ([feature(place_id=None), area_feature()], "feature 0.id: missing or empty"),
    ([feature(name=None), area_feature()], "feature 0 (park).name: missing or empty"),
    ([feature("Stora Parken"), area_feature()], "feature 0.id: 'Stora Parken' is not a slug"),
    ([feature(), feature(name="Annan park"), area_feature()], "feature 1 (park): id 'park' is also used by feature 0"),
    ([feature()], "exactly one feature with kind 'area'"),
    ([feature(), area_feature(), area_feature()], "exactly one feature with kind 'area'"),
    ([feature(geometry={"type": "Point", "coordinates": [18.0, 59.0]}), area_feature()],
     "feature 0 (park).geometry: must be a Polygon"),
    ([feature(geometry={"type": "Polygon", "coordinates": [[[18.0, 59.0], [18.1, 59.1], [18.1, 59.0],
                                                            [18.0, 59.1], [18.0, 59.0]]]}), area_feature()],
     "feature 0 (park).geometry: the Polygon is empty or invalid"),
    ([feature(geometry={"type": "Polygon", "coordinates": "nonsense"}), area_feature()], "feature 0 (park)"),
    ([feature(geometry={"type": "Polygon", "coordinates": [[[1800, 5900], [1810, 5900], [1810, 5910],
                                                            [1800, 5900]]]}), area_feature()], "lon/lat"),
    ([feature(), {**area_feature(), "geometry": None}], "feature 1 (omradet-ej-specificerad).geometry: must be"),
    ([feature(aliases="Parken"), area_feature()], "aliases: must be a list"),
    ([feature(sort_order="1"), area_feature()], "sort_order: must be a whole number"),
    ([feature(aliases=["Gröna"]), feature("lund", "Lunden", aliases=["gröna"]), area_feature()],
     "feature 1 (lund): the spelling 'grona' is also used by feature 0 (park)"),
])
def test_a_bad_config_names_the_file_and_the_feature(tmp_path, features, message):
    path = write_places(tmp_path, features, name="trasig.geojson")
    with pytest.raises(PlacesConfigError, match="trasig.geojson") as error:
        PlaceResolver.from_geojson(path)
    assert message in str(error.value)


def test_a_file_that_is_not_geojson_is_a_config_error(tmp_path):
    path = tmp_path / "inte.geojson"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(PlacesConfigError, match="inte.geojson"):
        PlaceResolver.from_geojson(path)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(PlacesConfigError, match="FeatureCollection"):
        PlaceResolver.from_geojson(path)
    assert issubclass(PlacesConfigError, ValueError)
