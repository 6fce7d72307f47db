"""The Effekt page: a measure's zones before and after against direct SQL, the URL reproducing the view, partners'
small counts, and the page in Chromium with a measure picked."""

from __future__ import annotations

import importlib
import re

import pytest
from sqlalchemy import text

from lagesbild.i18n.formats import fmt_int
from tests.dashboard.layout_tree import find
from tests.dashboard.roles import as_role

LIGHTING = "2023-05-15-ny-belysning-tantolunden"  # the measure that displaces (sample_data/README.md)
CLEARING = "2023-04-20-rojning-av-buskage-drakenbergsparken"  # the measure that works
DRUGS = "'narkotikaforsaljning', 'narkotikabruk'"


@pytest.fixture(scope="module")
def page(dash_app):
    return importlib.import_module("dashboard.pages.effekt")


def count(engine, places: list[str], first: str, last: str) -> int:
    """Drug reports at the places from month `first` to `last` ('YYYY-MM'), by the rows' own dates."""
    marks = ", ".join(f"'{p}'" for p in places)
    query = (f"SELECT count(*) FROM incidents WHERE category IN ({DRUGS}) AND place_id IN ({marks}) "
             "AND strftime('%Y-%m', date) BETWEEN :first AND :last")
    with engine.connect() as conn:
        return conn.execute(text(query), {"first": first, "last": last}).scalar_one()


def texts(component) -> list[str]:
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    return [s for child in (children if isinstance(children, list | tuple) else [children]) for s in texts(child)]


def table_rows(layout) -> list[list[str]]:
    table = find(layout, "effekt-table")
    body = table.children[1] if not isinstance(table.children[0], str) and table.children[0].__class__.__name__ == \
        "Thead" else table.children[2]
    return [["".join(texts(cell)) for cell in row.children] for row in body.children]


def test_the_counts_before_and_after_are_those_of_direct_sql(dash_app, page, sample_engine):
    with as_role(dash_app, "styrgrupp"):
        layout = page.layout(lang="sv", measure=LIGHTING, months="6")
    rows = {row[0]: row for row in table_rows(layout)}
    expected = {
        "Målområdet": ["tantolunden"],
        "Buffertzonen": ["hornstull", "zinkensdamm"],
        "Jämförelseområdet": ["bjorns-tradgard", "nytorget"],
    }
    for zone, places in expected.items():
        before = count(sample_engine, places, "2022-06", "2022-11")  # June–November, a year before
        after = count(sample_engine, places, "2023-06", "2023-11")  # the first six whole months after 15 May
        assert rows[zone][2:4] == [fmt_int(before), fmt_int(after)], zone
        assert before > 0 and after > 0
    verdict = " ".join(texts(find(layout, "effekt-verdict")))
    assert "Målområdet (Tantolunden)" in verdict and "KI" in verdict
    assert "undanträngning" in verdict.lower()  # the measure that displaces: WDQ below zero
    assert "Korta perioder" in verdict  # six months: the caveat


def test_the_measure_that_works_spreads_its_benefit_and_the_one_that_displaces_does_not(dash_app, page):
    from lagesbild.stats.displacement import Interpretation

    with as_role(dash_app, "styrgrupp"):
        works = page.layout(lang="en", measure=CLEARING, months="12")
        moves = page.layout(lang="en", measure=LIGHTING, months="12")
    assert "spread to the buffer" in " ".join(texts(find(works, "effekt-verdict")))
    assert "displacement to the buffer" in " ".join(texts(find(moves, "effekt-verdict"))).lower()
    assert Interpretation.DIFFUSION.value and find(works, "effekt-wdq") is not None


def test_the_url_is_the_view(page):
    assert page.effect_query("?place=tantolunden&measure=x&months=3", {"measure": LIGHTING, "months": "6"}) == (
        f"?place=tantolunden&measure={LIGHTING}&months=6")
    assert page.measure_slug("2023-05-15", "Ny belysning Tantolunden") == LIGHTING


def test_an_unknown_measure_or_window_falls_back_to_the_defaults(dash_app, page):
    with as_role(dash_app, "styrgrupp"):
        layout = page.layout(lang="sv", measure="nothing-like-it", months="40")
    assert find(layout, "effekt-months").value == "12"
    assert find(layout, "effekt-measure").value in {o["value"] for o in find(layout, "effekt-measure").options}


def test_a_window_after_that_is_not_over_shows_no_count_after(dash_app, page):
    with as_role(dash_app, "styrgrupp"):
        layout = page.layout(lang="sv", measure=page.measure_slug("2025-08-09", "Trygghetsvandring"), months="12")
    options = {o["value"] for o in find(layout, "effekt-measure").options}
    if page.measure_slug("2025-08-09", "Trygghetsvandring") not in options:
        pytest.skip("the sample has no measure late enough")
    rows = table_rows(layout)
    assert all(row[3] == "–" for row in rows)
    assert "inte slut i data" in " ".join(texts(find(layout, "effekt-verdict")))


def test_a_partner_sees_no_count_from_1_to_4(dash_app, page):
    small = re.compile(r"^[1-4]$")
    for measure in (LIGHTING, CLEARING):
        for months in ("3", "6", "12"):
            with as_role(dash_app, "partner"):
                layout = page.layout(lang="sv", measure=measure, months=months, place="tantolunden")
            for row in table_rows(layout):
                assert not any(small.match(cell) for cell in row[2:4]), row
                assert all(cell == "<5" or cell == "–" or int(cell.replace("\u00a0", "")) % 5 == 0
                           for cell in row[2:4]), row
            assert find(layout, "disclosure-note") is not None


def test_the_trend_chart_draws_observed_fitted_and_counterfactual(dash_app, page):
    from tests.dashboard.layout_tree import figure

    with as_role(dash_app, "styrgrupp"):
        layout = page.layout(lang="sv", measure=LIGHTING, months="6", indicator="narkotikabrott")
    fig = figure(layout, "effekt-its")
    assert [trace.name for trace in fig.data] == ["Observerat", "Skattat", "Utan brytpunkt (kontrafaktiskt)"]
    sentence = " ".join(texts(find(layout, "effekt-its-text")))
    assert "Vid brytpunkten ändrades nivån" in sentence and "Justerad för insatsen" in sentence


# ---- in the browser ----

@pytest.mark.browser
@pytest.mark.slow
def test_picking_a_window_writes_the_url_and_the_url_draws_the_same_view(browsing, sample_engine):
    from playwright.sync_api import expect

    browsing.open(f"/effekt?measure={LIGHTING}&months=6")
    page = browsing.page
    after = count(sample_engine, ["tantolunden"], "2023-06", "2023-11")
    expect(page.locator("#effekt-table tbody tr").first).to_contain_text(fmt_int(after))
    expect(page.locator("#effekt-verdict")).to_contain_text("Målområdet (Tantolunden)")
    page.click("#effekt-months")
    page.get_by_role("option", name="12", exact=True).click()
    page.wait_for_url(re.compile(r"/effekt\?.*months=12"))
    after_year = count(sample_engine, ["tantolunden"], "2023-06", "2024-05")
    expect(page.locator("#effekt-table tbody tr").first).to_contain_text(fmt_int(after_year))
    shown = page.inner_text("#effekt-counts")
    url = page.url
    again = page.context.new_page()
    again.goto(url, wait_until="networkidle")
    again.wait_for_selector("#effekt-counts")
    assert again.inner_text("#effekt-counts") == shown  # the link someone sends shows the same
    page.wait_for_selector("#effekt-its .js-plotly-plot")
    browsing.settle()
    browsing.assert_clean()


# ---- exports: the page's own parameters reach the PDF ----

def test_the_export_keeps_the_measure_and_the_window_and_nothing_else(dash_app):
    from dashboard.export.page import page_view

    pairs = [("place", "tantolunden"), ("measure", LIGHTING), ("months", "6"), ("evil", "1"), ("category", "x")]
    view = page_view("/effekt", pairs, "sv", {"tantolunden"})
    assert view.query == f"?place=tantolunden&measure={LIGHTING}&months=6"
    assert page_view("/handelser", pairs, "sv", {"tantolunden"}).own == ()  # a page that takes none


@pytest.mark.browser
@pytest.mark.slow
def test_the_page_pdf_is_the_view_on_screen(chromium, live_server):
    from tests.dashboard.test_export_page import check_a4_landscape, fetch

    status, headers, pdf = fetch(f"{live_server}/export/page.pdf?path=/effekt&measure={LIGHTING}&months=6&lang=sv")
    assert status == 200, pdf[:300]
    assert headers["Content-Disposition"].startswith('attachment; filename="effekt_')
    words = " ".join(" ".join(p.extract_text().split()) for p in check_a4_landscape(pdf).pages)
    assert "Målområdet (Tantolunden)" in words and "jun–nov 2023" in words
