"""Trygghet, Karta and Data: their queries and figures against the sample store (expected values by direct SQL),
their layouts without a browser, and in headless Chromium: offline rendering, the filter in the URL."""

from __future__ import annotations

import importlib
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import map_frames
from lagesbild import queries
from lagesbild.charts.survey import answers_figure, indicator_figure, ntu_figure, ntu_table, small_n_waves, wave_label
from lagesbild.i18n.formats import fmt_int
from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade
from lagesbild.surveys import (
    DRUG_PROBLEM_ANSWERS,
    NTU_SURVEY,
    NTU_TABLES,
    UNSAFE_ANSWERS,
    wilson_interval,
    with_interval,
)
from loaders.surveys import wilson_interval as loader_wilson
from tests.dashboard.figure_check import validated
from tests.dashboard.layout_tree import find

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
NTU_FILE = DATA_DIR / "bra_ntu_kommunala_resultat_2017-2022.xlsx"
POLICE = "Polisens trygghetsmätning"

@pytest.fixture(autouse=True)
def in_a_request(dash_app):
    """Pages are drawn in a request (the viewer is the request's user: in the session's open demo, every number)."""
    with dash_app.server.test_request_context("/"):
        yield



@pytest.fixture(scope="module")
def pages(dash_app):
    """The page modules, imported by the app (dash.register_page needs the app first)."""
    return {name: importlib.import_module(f"dashboard.pages.{name}") for name in ("trygghet", "karta", "data")}


@pytest.fixture(scope="module")
def ntu_engine(tmp_path_factory):
    """A store with only BRÅ's NTU workbook (the sample data has no NTU file)."""
    from loaders.load import load_file, make_context

    url = sqlite_url(tmp_path_factory.mktemp("ntu") / "store.sqlite")
    upgrade(url)
    settings = load_settings({}).with_db(url)
    engine = make_engine(url)
    load_file(engine, NTU_FILE, settings, ctx=make_context(settings))
    yield engine
    engine.dispose()


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def texts(component) -> str:
    """All text in a layout tree, for 'does the page say…' checks."""
    if isinstance(component, str | int | float):
        return str(component)
    children = getattr(component, "children", None)
    parts = children if isinstance(children, list | tuple) else [children]
    return " ".join(texts(child) for child in parts if child is not None)


# ---- survey queries and figures --------------------------------------------------------------------------------


def test_unsafe_share_is_the_sum_of_the_two_answers_per_wave(sample_engine):
    frame = queries.survey_answer_share(sample_engine, UNSAFE_ANSWERS, categories=["otrygghet"])
    expected = rows(sample_engine, """
        SELECT survey, wave, SUM(share), MAX(n) FROM survey_results
        WHERE category = 'otrygghet' AND answer IN ('Ganska otrygg', 'Mycket otrygg')
        GROUP BY survey, wave, place_id""")
    got = {(r.survey, r.wave): (r.share, r.n) for r in frame.itertuples()}
    assert len(got) == len(expected) == 13
    for survey, wave, share, n in expected:
        assert got[(survey, wave)] == (pytest.approx(share), n)
    assert got[(POLICE, "2021")][0] == pytest.approx(0.344)  # the sample data's story: ~34 % in 2021


def test_the_interval_of_a_summed_share_is_wilson_on_its_n(sample_engine):
    frame = with_interval(queries.survey_answer_share(sample_engine, DRUG_PROBLEM_ANSWERS,
                                                      categories=["problem_narkotika"]))
    for row in frame.itertuples():
        low, high = loader_wilson(row.share, row.n)
        assert (row.ci_low, row.ci_high) == (pytest.approx(low), pytest.approx(high))
        assert row.ci_low < row.share < row.ci_high


def test_the_dashboards_wilson_interval_reproduces_the_stored_ones(sample_engine):
    for share, n, low, high in rows(sample_engine, "SELECT share, n, ci_low, ci_high FROM survey_results"):
        assert wilson_interval(share, n) == (pytest.approx(low), pytest.approx(high))
    assert wilson_interval(0.5, 0) is None


def test_the_place_filter_keeps_area_wide_surveys_and_the_months_pick_waves(sample_engine):
    frame = queries.survey_answer_share(sample_engine, UNSAFE_ANSWERS, categories=["otrygghet"],
                                        place_ids=["tantolunden"], period_from=date(2023, 1, 1),
                                        period_to=date(2023, 12, 31))
    assert sorted(set(zip(frame["survey"], frame["wave"], strict=True))) == [
        ("Platsmätning Tantolunden", "2023-05"), ("Platsmätning Tantolunden", "2023-09"), (POLICE, "2023")]
    answers = queries.survey_answers(sample_engine, place_ids=["drakenbergsparken"])
    expected = scalar(sample_engine, """
        SELECT COUNT(*) FROM survey_results s JOIN places p ON p.id = s.place_id
        WHERE s.place_id = 'drakenbergsparken' OR p.is_unspecified""")
    assert len(answers) == expected
    assert "Platsmätning Tantolunden" not in set(answers["survey"])


def test_indicator_figure_draws_points_with_intervals_and_n_never_lines(sample_engine):
    frame = with_interval(queries.survey_answer_share(sample_engine, UNSAFE_ANSWERS, categories=["otrygghet"]))
    fig = validated(indicator_figure(frame, "otrygghet"))
    assert all(trace.type == "scatter" and "lines" not in trace.mode for trace in fig.data)
    assert len([a for a in fig.layout.annotations]) == 3  # one panel per survey series
    labels = [text for trace in fig.data if trace.mode == "text" for text in trace.text]
    assert "<b>n = 75</b>" in labels  # Tantolunden May 2023: fewer than 100, in bold
    assert "n = 126" in labels  # the police survey 2022: 100 or more
    points = [trace for trace in fig.data if trace.mode == "markers" and trace.hovertext]
    hollow = [c for trace in points for c in trace.marker.color if c == "white"]
    assert len(hollow) == 8  # the eight place-survey waves have n < 100
    assert small_n_waves(frame) == ["Platsmätning Tantolunden: 4 av 4 omgångar (n = 59–79)",
                                    "Platsmätning Drakenbergsparken: 4 av 4 omgångar (n = 68–73)"]


def test_answers_figure_has_a_bar_per_wave_with_n_in_the_legend(sample_engine):
    answers = queries.survey_answers(sample_engine, place_ids=["tantolunden"])
    question = answers[(answers["survey"] == "Platsmätning Tantolunden")
                       & (answers["question_code"] == "problem_narkotika")]
    fig = validated(answers_figure(question))
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert [bar.name for bar in bars] == ["maj 2023 (n = 73 ⚠)", "sep 2023 (n = 65 ⚠)", "sep 2024 (n = 41 ⚠)",
                                          "sep 2025 (n = 70 ⚠)"]
    assert list(bars[0].x) == ["Ja, ett stort problem", "Ja, ett litet problem", "Nej", "Vet inte"]
    stored = scalar(sample_engine, """SELECT share FROM survey_results WHERE survey = 'Platsmätning Tantolunden'
                                      AND wave = '2023-05' AND answer = 'Ja, ett stort problem'""")
    assert bars[0].y[0] == pytest.approx(stored * 100)
    assert all("lines" not in (trace.mode or "") for trace in fig.data if trace.type == "scatter")


def test_wave_labels():
    assert wave_label("2023-05", "sv") == "maj 2023"
    assert wave_label("2023-05", "en") == "May 2023"
    assert wave_label("2024", "sv") == "2024"
    assert wave_label("NTU 2021–2022", "sv") == "NTU 2021–2022"


def test_ntu_södermalm_against_stockholm_with_brås_codes(ntu_engine):
    frame = queries.survey_answers(ntu_engine, question_codes=list(NTU_TABLES))
    assert set(frame["survey"]) == {NTU_SURVEY}
    share, low, high = rows(ntu_engine, """
        SELECT share, ci_low, ci_high FROM survey_results WHERE question_code = 'ntu-3.1'
        AND geography = 'Stadsdelsomr. Södermalm' AND wave = 'NTU 2021–2022'""")[0]
    table = ntu_table(frame)
    cell = table[(table["table"] == "3.1") & (table["wave"] == "NTU 2021–2022")]["Stadsdelsomr. Södermalm"].item()
    assert cell == (f"{share * 100:.1f} % ({low * 100:.1f}–{high * 100:.1f})".replace(".", ",")
                    .replace(" %", "\u00a0%"))
    codes = rows(ntu_engine, """SELECT wave FROM survey_results WHERE question_code = 'ntu-3.23'
                                AND geography = 'Stadsdelsomr. Södermalm' AND value_note = '..'""")
    fig = validated(ntu_figure(frame[frame["question_code"] == "ntu-3.23"], "problem_narkotika"))
    labels = next(trace for trace in fig.data if getattr(trace, "mode", None) == "text")  # Södermalm's labels
    coded = [wave for wave, label in zip(labels.x, labels.text, strict=True) if label == "<b>..</b>"]
    assert coded == [wave for (wave,) in codes] and coded
    intervals = [trace for trace in fig.data if trace.type == "scatter" and trace.error_y.array is not None]
    drawn = [y for trace in intervals for y in trace.y if y is not None]
    assert len(drawn) == 2  # BRÅ publishes intervals for the latest edition only: Södermalm and Stockholm


# ---- map and data queries ----------------------------------------------------------------------------------------


def test_incident_points_and_the_ones_without_coordinates_add_up(sample_engine):
    span = dict(place_ids=["tantolunden"], month_from=date(2024, 1, 1), month_to=date(2024, 6, 1))
    where = "place_id = 'tantolunden' AND month BETWEEN '2024-01-01' AND '2024-06-01'"
    with_point = scalar(sample_engine, f"SELECT COUNT(*) FROM incidents WHERE {where} AND latitude IS NOT NULL")
    without = scalar(sample_engine, f"SELECT COUNT(*) FROM incidents WHERE {where} AND latitude IS NULL")
    assert len(queries.incident_points(sample_engine, **span)) == with_point > 0
    assert queries.incidents_without_coordinates(sample_engine, **span)["value"].sum() == without > 0


def test_event_place_totals_match_direct_sql(sample_engine):
    frame = queries.event_place_totals(sample_engine)
    expected = rows(sample_engine, """SELECT place_id, COUNT(*), COALESCE(SUM(attendance), 0) FROM events
                                      GROUP BY place_id""")
    got = frame.groupby("place_id")[["events", "attendance"]].sum()
    assert {(p, int(got.loc[p, "events"]), int(got.loc[p, "attendance"])) for p in got.index} == set(expected)


def test_coverage_and_load_summary_match_direct_sql(sample_engine):
    coverage = queries.coverage_by_source(sample_engine)
    expected = dict(rows(sample_engine, """
        SELECT source, COUNT(*) FROM (SELECT source FROM incidents
        WHERE place_id IN (SELECT id FROM places WHERE zone = 'area') UNION ALL SELECT source FROM outreach_shifts
        UNION ALL SELECT source FROM events UNION ALL SELECT source FROM survey_results) GROUP BY source"""))
    assert coverage.groupby("source")["rows"].sum().to_dict() == expected
    summary = queries.load_summary(sample_engine)
    inserted = dict(rows(sample_engine, "SELECT source, SUM(rows_inserted) FROM loads GROUP BY source"))
    assert dict(zip(summary["source"], summary["rows_inserted"], strict=True)) == inserted


def test_coverage_figure_leaves_months_without_rows_empty(pages):
    frame = pd.DataFrame({"kind": "events", "source": "event-log", "place_id": "park", "rows": [2, 5],
                          "month": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    months = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    fig = validated(pages["data"].coverage_figure(frame, months, [("park", "Parken"), ("torg", "Torget")], "sv"))
    z = fig.data[0].z
    assert list(fig.data[0].y) == ["Parken", "Torget"]
    assert z[0][0] == 2 and z[0][1] is None and z[0][2] == 5
    assert all(v is None for v in z[1])  # a place with no rows at all is a whole row of gaps


def test_rejections_are_listed_with_file_column_reason_and_count(pages):
    frame = pd.DataFrame({"file_name": ["est.csv"], "column": ["Datum"], "reason": ["not a date: '2024-13-45'"],
                          "rows": [1234]})
    table = pages["data"].rejections(frame, "sv")
    assert table.id == "data-rejections-table"
    cells = [cell.children for cell in table.children[1].children[0].children]
    assert cells[:3] == ["est.csv", "Datum", "not a date: '2024-13-45'"]
    assert cells[3] == "1\u00a0234"


# ---- layouts without a browser -----------------------------------------------------------------------------------


def test_trygghet_layout_explains_an_empty_filter(pages):
    page = pages["trygghet"].layout(lang="sv", **{"from": "2030-01"})
    assert find(page, "trygghet-empty") is not None
    assert "Inga trygghetsmätningar för filtret" in texts(page)


def test_trygghet_layout_without_ntu_says_how_to_load_it(pages):
    page = pages["trygghet"].layout(lang="sv")
    assert find(page, "trygghet-otrygghet") is not None and find(page, "trygghet-problem_narkotika") is not None
    assert find(page, "trygghet-ntu-none") is not None


def test_karta_layout_counts_what_the_map_draws(pages, sample_engine):
    page = pages["karta"].layout(lang="sv", place="tantolunden", **{"from": "2024-01", "to": "2024-06"})
    where = "place_id = 'tantolunden' AND month BETWEEN '2024-01-01' AND '2024-06-01'"
    points = scalar(sample_engine, f"SELECT COUNT(*) FROM incidents WHERE {where} AND latitude IS NOT NULL")
    shifts = scalar(sample_engine, f"SELECT COUNT(*) FROM outreach_shifts WHERE {where}")
    assert find(page, "karta-count-points").children[0].children == fmt_int(points)
    assert find(page, "karta-count-shifts").children[0].children == fmt_int(shifts)
    assert "leaflet" in map_frames.stored(find(page, "karta-map").src)


def test_karta_layout_explains_an_empty_filter(pages):
    page = pages["karta"].layout(lang="en", **{"from": "2030-01"})
    assert "No incidents, shifts or activities for this filter" in texts(find(page, "karta-no-facts"))
    assert find(page, "karta-map") is not None  # the places are still drawn


def test_data_layout_lists_every_source_and_no_rejections(pages, sample_engine):
    page = pages["data"].layout(lang="sv")
    sources = find(page, "data-sources-table")
    body = sources.children[1].children
    assert len(body) == scalar(sample_engine, "SELECT COUNT(DISTINCT kind || source) FROM loads")
    assert find(page, "data-no-rejections") is not None
    history = find(page, "data-history-table").children[1].children
    assert len(history) == scalar(sample_engine, "SELECT COUNT(*) FROM loads")


# ---- in the browser ------------------------------------------------------------------------------------------------


def choose(page, dropdown_id: str, option: str) -> None:
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def plotly_x(page, graph_id: str) -> list[list]:
    return page.evaluate(f"""Array.from(document.querySelector('#{graph_id} .js-plotly-plot').data)
                             .filter(t => t.hoverinfo !== 'skip').map(t => t.x)""")


@pytest.mark.browser
@pytest.mark.parametrize(("path", "ready"), [
    ("/trygghet", "#trygghet-otrygghet .js-plotly-plot"),
    ("/karta", "#karta-map"),
    ("/data", "#data-coverage-0 .js-plotly-plot"),
])
def test_page_renders_offline_without_errors(browsing, path, ready):
    browsing.open(path)
    browsing.page.wait_for_selector(ready)
    browsing.settle()
    browsing.assert_clean()


@pytest.mark.browser
def test_the_map_draws_leaflet_inside_its_frame_without_tiles(browsing):
    browsing.open("/karta")
    frame = browsing.page.frame_locator("#karta-map")
    frame.locator(".leaflet-container").wait_for()
    frame.locator(".lb-cluster").first.wait_for()
    assert frame.locator(".leaflet-control-layers-overlays label").count() >= 10
    assert frame.locator(".leaflet-tile").count() == 0  # OpenStreetMap stays off until someone asks for it
    browsing.settle()
    browsing.assert_clean()


@pytest.mark.browser
def test_changing_the_place_updates_the_url_and_the_map(browsing, sample_engine):
    browsing.open("/karta")
    page = browsing.page
    choose(page, "filter-place", "Drakenbergsparken")
    page.wait_for_url(re.compile(r"/karta\?place=drakenbergsparken$"))
    expected = fmt_int(scalar(sample_engine, """SELECT COUNT(*) FROM incidents
                                                WHERE place_id = 'drakenbergsparken' AND latitude IS NOT NULL"""))
    page.wait_for_function(f"() => document.querySelector('#karta-count-points').innerText.startsWith({expected!r})")
    page.frame_locator("#karta-map").locator(".leaflet-container").wait_for()
    browsing.assert_clean()


@pytest.mark.browser
def test_changing_the_place_narrows_the_place_surveys(browsing):
    browsing.open("/trygghet")
    page = browsing.page
    page.wait_for_selector("#trygghet-details")
    assert "Platsmätning Drakenbergsparken" in page.inner_text("#trygghet-details")
    choose(page, "filter-place", "Tantolunden")
    page.wait_for_url(re.compile(r"/trygghet\?place=tantolunden$"))
    page.wait_for_function("""() => !document.querySelector('#trygghet-details').innerText
                              .includes('Platsmätning Drakenbergsparken')""")
    assert "Polisens trygghetsmätning" in page.inner_text("#trygghet-details")  # area-wide: always shown
    browsing.assert_clean()


@pytest.mark.browser
def test_a_link_with_filters_reproduces_the_survey_view(browsing):
    browsing.open("/trygghet?place=drakenbergsparken&from=2023-01&to=2023-12")
    page = browsing.page
    page.wait_for_selector("#trygghet-otrygghet .js-plotly-plot")
    assert page.inner_text("#page-filter") == "Drakenbergsparken · jan–dec 2023"
    assert plotly_x(page, "trygghet-otrygghet") == [["2023"], ["maj 2023", "sep 2023"]]
    browsing.assert_clean()


@pytest.mark.browser
def test_a_link_with_filters_reproduces_the_coverage_view(browsing):
    browsing.open("/data?place=hornstull&from=2024-01&to=2024-03")
    page = browsing.page
    page.wait_for_selector("#data-coverage-0 .js-plotly-plot")
    y = page.evaluate("document.querySelector('#data-coverage-0 .js-plotly-plot').data[0].y")
    assert y == ["Hornstull"]
    assert "3 av 3 månader" in page.inner_text("#data-coverage")
    browsing.assert_clean()
