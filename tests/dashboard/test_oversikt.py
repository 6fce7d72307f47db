"""Tests for the Översikt page on the sample store: KPI values checked against direct SQL, and in the browser."""

from __future__ import annotations

import importlib
import re
from datetime import date

import pytest
from sqlalchemy import text

from lagesbild.config import load_config
from lagesbild.filters import FilterState
from lagesbild.i18n.formats import fmt_int, fmt_pct
from lagesbild.settings import load_settings
from tests.dashboard.roles import reads_for

DRUGS = "'narkotikaforsaljning', 'narkotikabruk'"
UNSAFE = "'Ganska otrygg', 'Mycket otrygg'"
TODAY = date(2026, 11, 27)


def count_drug_reports(engine, month: str, place: str | None = None) -> int:
    """Independently of the month column and the query layer: rows whose own date falls in `month`."""
    where = f"category IN ({DRUGS}) AND strftime('%Y-%m', date) = :month"
    # the area's own places: the comparison area's incidents are stored but never counted as the area's
    where += " AND place_id = :place" if place else " AND place_id IN (SELECT id FROM places WHERE zone = 'area')"
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM incidents WHERE {where}"),
                            {"month": month, "place": place}).scalar_one()


def sum_contacts(engine, month: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT sum(contacts) FROM outreach_shifts WHERE strftime('%Y-%m', date) = :m"),
                            {"m": month}).scalar_one()


def unsafe_share(engine, wave: str) -> float:
    query = (f"SELECT sum(count) * 1.0 / max(n) FROM survey_results WHERE survey = 'Polisens trygghetsmätning' "
             f"AND question_code = 'otrygg_kvall' AND wave = :wave AND answer IN ({UNSAFE})")
    with engine.connect() as conn:
        return conn.execute(text(query), {"wave": wave}).scalar_one()


def count_joint_shifts(engine, month: str) -> int:
    query = "SELECT count(*) FROM outreach_shifts WHERE category = 'samverkanspass' AND strftime('%Y-%m', date) = :m"
    with engine.connect() as conn:
        return conn.execute(text(query), {"m": month}).scalar_one()


@pytest.fixture(scope="module")
def page(dash_app):
    return importlib.import_module("dashboard.pages.oversikt")


@pytest.fixture(scope="module")
def config():
    settings = load_settings({})
    config = load_config(settings)
    return config.area.goal, config.indicators


def readings(page, engine, config, state: FilterState | None = None, today: date = TODAY):
    goal, indicators = config
    return reads_for(None, engine).indicator_readings(indicators, goal, state or FilterState(), today)


# ---- values, without a browser ----

def test_the_latest_complete_month_of_the_sample_is_december_2025(page, sample_engine, config):
    result = readings(page, sample_engine, config)
    monthly = [r for r in result.values() if not r.indicator.is_survey]
    assert {r.latest.period for r in monthly} == {date(2025, 12, 1)}
    assert result["otrygghet"].latest.label == "2025"


def test_drug_reports_match_a_direct_count(page, sample_engine, config):
    drugs = readings(page, sample_engine, config)["narkotika_rapporter"]
    latest, base = count_drug_reports(sample_engine, "2025-12"), count_drug_reports(sample_engine, "2022-12")
    assert (drugs.latest.value, drugs.baseline.value) == (latest, base)
    assert drugs.previous.value == count_drug_reports(sample_engine, "2025-11")
    assert drugs.change_baseline == pytest.approx(latest / base - 1)
    assert drugs.status == "good"  # the sample's story: well over 40 % lower than in 2022
    assert len(drugs.series) == 13 and len(drugs.baseline_series) == 13


def test_outreach_contacts_and_the_survey_share_match_direct_sql(page, sample_engine, config):
    result = readings(page, sample_engine, config)
    assert result["kontakter"].latest.value == sum_contacts(sample_engine, "2025-12")
    assert result["kontakter"].baseline.value == sum_contacts(sample_engine, "2022-12")
    unsafe = result["otrygghet"]
    assert unsafe.latest.value == pytest.approx(unsafe_share(sample_engine, "2025"))
    assert unsafe.baseline.value == pytest.approx(unsafe_share(sample_engine, "2022"))
    assert unsafe.n == 123 and unsafe.interval[0] < unsafe.latest.value < unsafe.interval[1]


def test_a_place_and_month_range_move_the_latest_month_into_the_range(page, sample_engine, config):
    state = FilterState(("tantolunden",), date(2024, 1, 1), date(2024, 6, 1))
    drugs = readings(page, sample_engine, config, state)["narkotika_rapporter"]
    assert drugs.latest.period == date(2024, 6, 1)
    assert drugs.latest.value == count_drug_reports(sample_engine, "2024-06", "tantolunden")
    assert drugs.baseline.value == count_drug_reports(sample_engine, "2022-06", "tantolunden")


def test_the_area_wide_survey_has_no_value_for_a_park(page, sample_engine, config):
    unsafe = readings(page, sample_engine, config, FilterState(("tantolunden",)))["otrygghet"]
    assert (unsafe.status, unsafe.reason) == ("unknown", "no_wave")


def test_the_police_drug_offences_show_the_joint_shifts_beside_them(page, sample_engine, config):
    offences = readings(page, sample_engine, config)["narkotikabrott"]
    assert offences.indicator.note and offences.effort is not None
    assert offences.effort.value == count_joint_shifts(sample_engine, "2025-12")
    assert offences.effort.baseline == count_joint_shifts(sample_engine, "2022-12")


def test_the_outcome_at_the_goal_date_is_shown_after_it(page, sample_engine, config):
    result = readings(page, sample_engine, config)
    outcome = result["narkotika_rapporter"].outcome
    assert outcome.period == (date(2024, 1, 1), date(2024, 12, 1))
    before_goal = readings(page, sample_engine, config, today=date(2024, 11, 1))
    assert before_goal["narkotika_rapporter"].outcome is None


def test_sources_older_than_the_limit_are_flagged(page, sample_engine, config):
    from lagesbild import queries

    _, indicators = config
    sources = queries.freshness(sample_engine)
    assert page.stale_sources(sources, indicators, TODAY) == set(sources["source"])  # the sample ends in 2025
    soon_after = page.stale_sources(sources, indicators, date(2026, 1, 10))
    assert "polisen-feed" in soon_after  # its last event is from November 2024
    assert {"incident-log", "outreach-shifts", "survey-results"}.isdisjoint(soon_after)


# ---- in the browser ----

@pytest.mark.browser
@pytest.mark.slow
def test_overview_renders_the_expected_kpis_without_errors(browsing, sample_engine):
    from playwright.sync_api import expect

    browsing.open("/")
    page = browsing.page
    expect(page.locator("#kpi-narkotika_rapporter .kpi-value")).to_have_text(
        fmt_int(count_drug_reports(sample_engine, "2025-12")))
    expect(page.locator("#kpi-kontakter .kpi-value")).to_have_text(fmt_int(sum_contacts(sample_engine, "2025-12")))
    expect(page.locator("#kpi-otrygghet .kpi-value")).to_have_text(fmt_pct(unsafe_share(sample_engine, "2025"), 0))
    expect(page.locator("#kpi-narkotika_rapporter .kpi-period")).to_have_text("december 2025")
    assert "passerat för" in page.inner_text("#goal-date")
    assert page.locator(".kpi-card[id^='kpi-']").count() == 13  # the indicators; records add cards of their own
    title = page.get_attribute("#kpi-status-narkotika_rapporter", "title")
    assert title.startswith("Grön – bättre, ej slump: de senaste 12 månaderna lägre än samma månader 2022")
    page.click("#kpi-status-narkotika_rapporter")
    expect(page.locator("#kpi-rule-narkotika_rapporter")).to_contain_text(
        "Röd – sämre, ej slump: de senaste 12 månaderna högre än samma månader 2022")
    # The status rests on the 12 months of 2025 against 2022, counted here by direct SQL, with its interval.
    window = sum(count_drug_reports(sample_engine, f"2025-{m:02d}") for m in range(1, 13))
    base = sum(count_drug_reports(sample_engine, f"2022-{m:02d}") for m in range(1, 13))
    line = page.inner_text("#kpi-window-narkotika_rapporter-12")
    assert line.startswith(f"12 mån mot 2022: {fmt_int(window)} mot {fmt_int(base)} (") and "KI" in line, line
    assert page.locator(".sources .source-item").count() >= 4
    browsing.settle()
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_a_link_with_a_filter_shows_that_filters_values(browsing, sample_engine):
    from playwright.sync_api import expect

    browsing.open("/?place=tantolunden&from=2024-01&to=2024-06")
    page = browsing.page
    expected = fmt_int(count_drug_reports(sample_engine, "2024-06", "tantolunden"))
    expect(page.locator("#kpi-narkotika_rapporter .kpi-value")).to_have_text(expected)
    expect(page.locator("#kpi-narkotika_rapporter .kpi-period")).to_have_text("juni 2024")
    expect(page.locator("#kpi-otrygghet .kpi-reason")).to_have_text("Ingen mätomgång för vald plats och period.")
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_changing_the_place_in_the_filter_bar_changes_a_kpi_and_the_url(browsing, sample_engine):
    from playwright.sync_api import expect

    whole_area = fmt_int(count_drug_reports(sample_engine, "2024-06"))
    drakenberg = fmt_int(count_drug_reports(sample_engine, "2024-06", "drakenbergsparken"))
    assert whole_area != drakenberg
    browsing.open("/?from=2024-01&to=2024-06")
    page = browsing.page
    value = page.locator("#kpi-narkotika_rapporter .kpi-value")
    expect(value).to_have_text(whole_area)
    page.click("#filter-place")
    page.get_by_role("option", name="Drakenbergsparken", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/\?place=drakenbergsparken&from=2024-01&to=2024-06$"))
    expect(value).to_have_text(drakenberg)
    browsing.assert_clean()
