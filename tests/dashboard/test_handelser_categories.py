"""Händelser's category selection lives in the URL: the layout draws it, the dropdown writes it, exports name it."""

from __future__ import annotations

import base64
import importlib
from pathlib import Path

import pytest
from sqlalchemy import text

from lagesbild.i18n.formats import fmt_int
from tests.dashboard.layout_tree import figure, find

SYRINGES_AND_DEALING = ["sprutfynd", "narkotikaforsaljning"]  # URL order; the page keeps vocabulary order
LABELS_SV = ["Misstänkt narkotikaförsäljning", "Sprutfynd"]

@pytest.fixture(autouse=True)
def in_a_request(dash_app):
    """Pages are drawn in a request (the viewer is the request's user: in the session's open demo, every number)."""
    with dash_app.server.test_request_context("/"):
        yield



@pytest.fixture(scope="module")
def handelser(dash_app):
    """The page module, imported by the app (dash.register_page needs the app first)."""
    return importlib.import_module("dashboard.pages.handelser")


def count(engine, where: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM incidents WHERE {where}")).scalar_one()


def category_traces(page) -> list[str]:
    """The names of the monthly chart's category bars (not the 2022 reference, the measures or the summer band)."""
    return [trace.name for trace in figure(page, "handelser-monthly").data if trace.type == "bar"]


def test_the_layout_shows_only_the_categories_in_the_url(handelser, sample_engine):
    page = handelser.layout(lang="sv", place="tantolunden", category=SYRINGES_AND_DEALING)
    assert category_traces(page) == LABELS_SV
    assert find(page, handelser.CATEGORIES).value == ["narkotikaforsaljning", "sprutfynd"]
    assert find(page, "page-filter").children == \
        "Tantolunden · alla månader · Kategorier: Misstänkt narkotikaförsäljning, Sprutfynd"
    expected = count(sample_engine, "place_id = 'tantolunden' AND category IN ('sprutfynd', 'narkotikaforsaljning')")
    assert find(page, "handelser-total").children == fmt_int(expected)
    assert find(page, "handelser-effort-note") is None  # no police-recorded drug offences chosen
    assert find(page, handelser.FILTER).data["categories"] == ["narkotikaforsaljning", "sprutfynd"]


def test_one_category_from_a_link_as_dash_passes_it_and_in_english(handelser, sample_engine):
    page = handelser.layout(lang="en", place="tantolunden", category="sprutfynd",
                            **{"from": "2024-01", "to": "2024-06"})
    assert category_traces(page) == ["Syringe find"]
    assert find(page, "page-filter").children == "Tantolunden · Jan–Jun 2024 · Category: Syringe find"
    expected = count(sample_engine, "place_id = 'tantolunden' AND category = 'sprutfynd' "
                                    "AND month BETWEEN '2024-01-01' AND '2024-06-01'")
    assert find(page, "handelser-total").children == fmt_int(expected, "en")


def test_unknown_categories_are_dropped_and_without_known_ones_every_category_shows(handelser):
    everything = category_traces(handelser.layout(lang="sv", place="tantolunden"))
    assert len(everything) > 2
    page = handelser.layout(lang="sv", place="tantolunden", category=["bogus", "<script>"])
    assert category_traces(page) == everything
    assert find(page, handelser.CATEGORIES).value == []
    assert find(page, "page-filter").children == "Tantolunden · alla månader"


def test_a_chosen_category_without_incidents_stays_chosen_in_the_dropdown(handelser):
    """Else Dash's dropdown could drop the value it has no option for, and write the URL a second time."""
    selector = handelser.category_selector({"sprutfynd": "Sprutfynd", "otrygg_plats": "Otrygg plats"}, {"sprutfynd"},
                                           ("otrygg_plats",), "sv")
    dropdown = find(selector, handelser.CATEGORIES)
    assert [option["value"] for option in dropdown.options] == ["sprutfynd", "otrygg_plats"]
    assert dropdown.value == ["otrygg_plats"]


CODES = ["narkotikabrott", "narkotikaforsaljning", "narkotikabruk", "sprutfynd"]
KNOWN = {"tantolunden", "hornstull"}


def test_the_dropdown_writes_the_url_keeping_place_and_months(handelser):
    search = "?place=tantolunden&from=2024-01&to=2024-06"
    assert handelser.categories_query(["sprutfynd", "narkotikabrott"], search, KNOWN, CODES) == \
        search + "&category=narkotikabrott&category=sprutfynd"
    assert handelser.categories_query([], search + "&category=sprutfynd", KNOWN, CODES) == search  # all again
    assert handelser.categories_query([], "?category=sprutfynd", KNOWN, CODES) == ""


def test_the_dropdown_writes_nothing_when_the_url_already_says_so(handelser):
    """No loop: the page drawn from the URL has the URL's selection, in whatever order it was clicked."""
    search = "?place=tantolunden&category=narkotikabrott&category=sprutfynd"
    assert handelser.categories_query(["sprutfynd", "narkotikabrott"], search, KNOWN, CODES) is None
    assert handelser.categories_query([], "?place=tantolunden", KNOWN, CODES) is None


def test_a_change_in_the_dropdown_drops_what_the_url_had_wrong(handelser):
    search = "?place=tantolunden&place=nowhere&category=bogus&utm_source=mail"
    assert handelser.categories_query(["sprutfynd"], search, KNOWN, CODES) == "?place=tantolunden&category=sprutfynd"


def test_the_callback_reads_the_vocabulary_and_the_places(handelser, dash_app):
    with dash_app.server.test_request_context():
        assert handelser.categories_to_url(["sprutfynd"], "?place=tantolunden") == \
            "?place=tantolunden&category=sprutfynd"


def test_the_callback_writes_nothing_for_the_selection_the_page_was_drawn_with(handelser, dash_app):
    """Dash calls it whenever the page is drawn (its output is outside the page); that must never write, even when
    the URL has moved on meanwhile (a page drawn for an older URL)."""
    from dash import no_update

    drawn_with = {"places": ["tantolunden"], "categories": ["narkotikaforsaljning", "sprutfynd"], "lang": "sv"}
    with dash_app.server.test_request_context():
        newer = "?place=tantolunden&category=narkotikabrott"
        assert handelser.categories_to_url(["sprutfynd", "narkotikaforsaljning"], newer, drawn_with) is no_update
        assert handelser.categories_to_url(["sprutfynd"], newer, drawn_with) == "?place=tantolunden&category=sprutfynd"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="kaleido draws with /usr/bin/chromium")
def test_a_figure_export_names_the_categories_of_the_url(dash_app):
    """The figure export's callback captions from the page's URL: the same parser, the same words."""
    from dashboard.export import figure_download as graph

    request = {"fmt": "svg", "figure": {"data": [{"type": "bar", "x": ["2024-01-01"], "y": [3], "name": "Sprutfynd"}],
                                       "layout": {"height": 300}}, "at": 1}
    meta = {"graph": "handelser-monthly", "names": {"sv": "Händelser per månad", "en": "Incidents per month"},
            "title": None, "lang": "sv", "filtered": True}
    search = "?place=tantolunden&from=2024-01&to=2024-06&category=sprutfynd&category=bogus"
    with dash_app.server.test_request_context():
        sent, problem = graph.download_figure(request, meta, "/handelser", search, "sv")
    assert problem == ""
    drawn = base64.b64decode(sent["content"]).decode() if sent.get("base64") else sent["content"]
    assert "Tantolunden · jan–jun 2024 · Kategori: Sprutfynd" in drawn
    assert "bogus" not in drawn
