"""Händelser, Uppsökande and Aktiviteter: their queries against the sample store (expected values by direct SQL),
their layouts without a browser, and in headless Chromium: graphs, the filter in the URL, the empty explanation."""

from __future__ import annotations

import importlib
import re
from datetime import date

import pytest
from sqlalchemy import text

from dashboard.page_parts import table
from lagesbild import queries
from lagesbild.i18n.formats import fmt_int
from tests.dashboard.layout_tree import figure, find

TANTO_2023_24 = dict(place_ids=("tantolunden",), month_from=date(2023, 1, 1), month_to=date(2024, 12, 1))
SUMMER_2023 = "?place=tantolunden&from=2023-06&to=2023-08"

@pytest.fixture(autouse=True)
def in_a_request(dash_app):
    """Pages are drawn in a request (the viewer is the request's user: in the session's open demo, every number)."""
    with dash_app.server.test_request_context("/"):
        yield



@pytest.fixture(scope="module")
def pages(dash_app):
    """The page modules, imported by the app (dash.register_page needs the app first)."""
    return {name: importlib.import_module(f"dashboard.pages.{name}")
            for name in ("handelser", "uppsokande", "aktiviteter")}


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


# ---- queries, against direct SQL --------------------------------------------------------------------------------


def test_measure_markers_are_the_measures_that_cost_something(sample_engine):
    markers = queries.measure_markers(sample_engine)
    expected = rows(sample_engine, """
        SELECT date, title FROM events
        WHERE is_measure = 1 AND (COALESCE(cost_sek, 0) > 0 OR COALESCE(grant_sek, 0) > 0)
        ORDER BY date, id""")
    assert [(str(d), title) for d, title in zip(markers["date"], markers["title"], strict=True)] == \
        [(str(d), title) for d, title in expected]
    assert ("2023-05-15", "Ny belysning Tantolunden") in [(str(d), t) for d, t in expected]
    assert "Trygghetsvandring" not in set(markers["title"])  # a routine round, not a measure to mark


def test_measure_markers_follow_the_period_but_not_the_place(sample_engine):
    markers = queries.measure_markers(sample_engine, month_from=date(2023, 5, 1), month_to=date(2023, 6, 1))
    assert list(markers["title"]) == ["Ny belysning Tantolunden", "Mötesplats i Tantolunden öppnar",
                                      "Nya bänkar och papperskorgar"]


def test_monthly_incidents_and_the_baseline_match_sql(sample_engine):
    monthly = queries.monthly(sample_engine, "incidents", by="category", **TANTO_2023_24)
    expected = scalar(sample_engine, """SELECT COUNT(*) FROM incidents WHERE place_id = 'tantolunden'
                                         AND month BETWEEN '2023-01-01' AND '2024-12-01'""")
    assert monthly["value"].sum() == expected
    baseline = queries.monthly(sample_engine, "incidents", place_ids=("tantolunden",),
                               month_from=date(2022, 1, 1), month_to=date(2022, 12, 1))
    may = scalar(sample_engine, "SELECT COUNT(*) FROM incidents WHERE place_id = 'tantolunden' "
                                "AND month = '2022-05-01'")
    assert baseline.loc[baseline["month"] == date(2022, 5, 1), "value"].item() == may


def test_latest_incidents_by_category_newest_first(sample_engine):
    latest = queries.latest_incidents(sample_engine, 5, categories=["sprutfynd"], **TANTO_2023_24)
    expected = rows(sample_engine, """SELECT date, summary FROM incidents WHERE category = 'sprutfynd'
        AND place_id = 'tantolunden' AND month BETWEEN '2023-01-01' AND '2024-12-01'
        ORDER BY date DESC, occurred_at DESC LIMIT 5""")
    assert [str(d) for d in latest["date"]] == [str(d) for d, _ in expected]
    assert set(latest["category"]) == {"sprutfynd"}
    assert "personnummer" not in " ".join(latest.columns)


def test_outreach_totals_match_sql(sample_engine):
    months = queries.outreach_totals(sample_engine, **TANTO_2023_24)
    contacts, referrals = rows(sample_engine, """SELECT SUM(contacts), SUM(referrals_beroendevard
        + referrals_psykiatri + referrals_boende + referrals_halso_sjukvard + referrals_socialtjanst
        + referrals_ovrigt) FROM outreach_shifts WHERE place_id = 'tantolunden'
        AND month BETWEEN '2023-01-01' AND '2024-12-01'""")[0]
    assert months["contacts"].sum() == contacts
    assert months[[c for c in months.columns if c.startswith("referrals_")]].sum().sum() == referrals


def test_grants_per_year_match_the_story(sample_engine):
    grants = queries.grants_by_year(sample_engine)
    by_year = {int(y): v for y, v in zip(grants["year"], grants["grant_sek"], strict=True)}
    expected = dict(rows(sample_engine, "SELECT CAST(strftime('%Y', date) AS INTEGER), SUM(COALESCE(grant_sek, 0)) "
                                        "FROM events GROUP BY 1"))
    assert by_year == pytest.approx(expected)
    assert by_year[2023] == 259500  # sample_data/README.md: within the 275 tkr cap


# ---- layouts without a browser ----------------------------------------------------------------------------------


def test_handelser_layout_shows_the_total_of_the_filter(pages, sample_engine):
    handelser = pages["handelser"]
    page = handelser.layout(lang="sv", place="tantolunden", **{"from": "2023-01", "to": "2024-12"})
    expected = scalar(sample_engine, """SELECT COUNT(*) FROM incidents WHERE place_id = 'tantolunden'
                                         AND month BETWEEN '2023-01-01' AND '2024-12-01'""")
    assert find(page, "handelser-total").children == fmt_int(expected)
    assert find(page, "handelser-effort-note") is not None  # police-recorded drug offences are in the selection
    assert len(find(page, "handelser-latest").children[1].children) == handelser.LATEST


def test_choosing_categories_narrows_the_page(pages, sample_engine):
    page = pages["handelser"].layout(lang="sv", place="tantolunden", category="sprutfynd",
                                     **{"from": "2023-01", "to": "2024-12"})
    expected = scalar(sample_engine, """SELECT COUNT(*) FROM incidents WHERE place_id = 'tantolunden'
        AND category = 'sprutfynd' AND month BETWEEN '2023-01-01' AND '2024-12-01'""")
    assert find(page, "handelser-total").children == fmt_int(expected)
    assert find(page, "handelser-effort-note") is None  # no drug offences chosen, no note about them


def test_uppsokande_layout_in_english(pages, sample_engine):
    page = pages["uppsokande"].layout(lang="en", place="tantolunden", **{"from": "2023-06", "to": "2023-08"})
    contacts = scalar(sample_engine, """SELECT SUM(contacts) FROM outreach_shifts WHERE place_id = 'tantolunden'
                                         AND month BETWEEN '2023-06-01' AND '2023-08-01'""")
    assert find(page, "uppsokande-total-contacts").children == fmt_int(contacts, "en")
    contacts_figure = figure(page, "uppsokande-contacts")
    assert "Reference 2022" in [trace.name for trace in contacts_figure.data]


def test_aktiviteter_layout_counts_and_grants(pages, sample_engine):
    page = pages["aktiviteter"].layout(lang="sv")
    activities = scalar(sample_engine, "SELECT COUNT(*) FROM events WHERE is_measure = 0")
    attendance = scalar(sample_engine, "SELECT SUM(attendance) FROM events")
    assert find(page, "aktiviteter-total-activities").children == fmt_int(activities)
    assert find(page, "aktiviteter-total-attendance").children == fmt_int(attendance)
    grants = figure(page, "aktiviteter-grants")
    assert {trace.name for trace in grants.data} == {"Inom taket"}  # every year within 275 tkr
    timeline = figure(page, "aktiviteter-timeline")
    assert "Ny belysning Tantolunden" in timeline.layout.yaxis.categoryarray


@pytest.mark.parametrize("key", ["handelser", "uppsokande", "aktiviteter"])
def test_an_empty_filter_explains_itself_instead_of_drawing_axes(pages, key):
    page = pages[key].layout(lang="sv", **{"from": "2030-01"})
    alert = find(page, f"{key}-no-match")
    assert alert is not None
    assert "från jan 2030" in str(alert.children)
    assert find(page, f"{key}-monthly") is None and find(page, f"{key}-contacts") is None


def test_table_cells_are_text_never_html():
    rendered = table([("Sammanfattning", "text")], [["<img src=x onerror=alert(1)>"]], "t")
    cell = rendered.children.children[1].children[0].children[0]
    assert cell.children == "<img src=x onerror=alert(1)>"  # a string child: React escapes it


# ---- in the browser ---------------------------------------------------------------------------------------------

GRAPHS = {
    "/handelser": ["handelser-monthly", "handelser-places", "handelser-heatmap"],
    "/uppsokande": ["uppsokande-contacts", "uppsokande-new-persons", "uppsokande-referrals", "uppsokande-hours"],
    "/aktiviteter": ["aktiviteter-monthly", "aktiviteter-timeline", "aktiviteter-attendance-category",
                     "aktiviteter-attendance-place", "aktiviteter-grants"],
}


def choose(page, dropdown_id: str, option: str) -> None:
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def wait_for_text(page, selector: str, expected: str) -> None:
    page.wait_for_function("([sel, want]) => { const e = document.querySelector(sel); "
                           "return e !== null && e.innerText.trim() === want; }", arg=[selector, expected])


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", list(GRAPHS))
def test_page_draws_its_graphs_without_console_errors(browsing, path):
    browsing.open(path)
    page = browsing.page
    for graph in GRAPHS[path]:
        page.wait_for_selector(f"#{graph} .main-svg")
    assert page.locator(".no-match, .empty-state").count() == 0
    browsing.settle()
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_choosing_a_place_updates_the_url_and_the_charts(browsing, sample_engine):
    browsing.open("/handelser")
    page = browsing.page
    everything = scalar(sample_engine, "SELECT COUNT(*) FROM incidents "
                                       "WHERE place_id IN (SELECT id FROM places WHERE zone = 'area')")
    wait_for_text(page, "#handelser-total", fmt_int(everything))
    choose(page, "filter-place", "Tantolunden")
    page.wait_for_url(re.compile(r"/handelser\?place=tantolunden$"))
    tanto = scalar(sample_engine, "SELECT COUNT(*) FROM incidents WHERE place_id = 'tantolunden'")
    wait_for_text(page, "#handelser-total", fmt_int(tanto))
    page.wait_for_selector("#handelser-places .main-svg")
    assert page.locator("#handelser-places .ytick text").all_text_contents() == ["Tantolunden"]
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_a_link_with_filters_reproduces_the_view(browsing, sample_engine):
    browsing.open("/uppsokande" + SUMMER_2023)
    page = browsing.page
    assert page.inner_text("#page-filter") == "Tantolunden · jun–aug 2023"
    contacts = scalar(sample_engine, """SELECT SUM(contacts) FROM outreach_shifts WHERE place_id = 'tantolunden'
                                         AND month BETWEEN '2023-06-01' AND '2023-08-01'""")
    wait_for_text(page, "#uppsokande-total-contacts", fmt_int(contacts))
    page.wait_for_selector("#uppsokande-contacts .main-svg")
    ticks = " ".join(page.locator("#uppsokande-contacts .xtick text").all_text_contents())
    assert "jul 2023" in ticks  # Swedish month names on the axis
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_choosing_a_category_on_the_incident_page(browsing, sample_engine):
    browsing.open("/handelser?place=tantolunden")
    page = browsing.page
    choose(page, "handelser-categories", "Sprutfynd")
    syringes = scalar(sample_engine, "SELECT COUNT(*) FROM incidents WHERE place_id = 'tantolunden' "
                                     "AND category = 'sprutfynd'")
    wait_for_text(page, "#handelser-total", fmt_int(syringes))
    assert page.url.endswith("/handelser?place=tantolunden&category=sprutfynd")  # a link to what is shown
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", list(GRAPHS))
def test_an_empty_filter_shows_the_explanation(browsing, path):
    browsing.open(path + "?from=2030-01")
    page = browsing.page
    alert = page.wait_for_selector(".no-match")
    assert "Välj en annan plats eller period" in alert.inner_text()
    assert page.locator(".js-plotly-plot").count() == 0
    browsing.assert_clean()
