"""Tests for lagesbild.indicators: the interval rule on windows, the latest complete month, changes, surveys, the goal
date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lagesbild.config.indicators import Indicator, Measure
from lagesbild.indicators.readings import (
    Point,
    change,
    latest_complete_month,
    monthly_outcome,
    read_monthly,
    read_survey,
    read_window,
    value_at,
    waves,
    wilson_interval,
)
from lagesbild.indicators.wording import format_change, format_comparison, goal_sentence, rule_sentence, target_sentence

M = date  # months are first days: M(2024, 5, 1)


def indicator(**overrides) -> Indicator:
    fields = dict(id="drugs", group="problem", label={"sv": "Narkotika", "en": "Drugs"},
                  unit={"sv": "händelser", "en": "incidents"}, measure=Measure("incidents", (), ("narkotikabruk",)),
                  direction="lower", baseline_year=2022, target_change=-0.40, windows=(3, 12), status_window=12)
    return Indicator(**{**fields, **overrides})


LOWER = indicator()
HIGHER = indicator(id="contacts", direction="higher", target_change=0.25,
                   measure=Measure("outreach", ("contacts",)))
SURVEY = indicator(id="unsafe", measure=Measure("surveys", (), ("otrygghet",)), compare="points",
                   target_change=-0.10, survey="Polisens trygghetsmätning",
                   answers=("Ganska otrygg", "Mycket otrygg"))


# ---- the latest complete month ----

def test_the_current_month_is_never_the_latest_complete_month():
    assert latest_complete_month(M(2026, 1, 1), today=date(2026, 1, 15)) == M(2025, 12, 1)
    assert latest_complete_month(M(2025, 12, 1), today=date(2026, 1, 15)) == M(2025, 12, 1)
    assert latest_complete_month(M(2025, 10, 1), today=date(2026, 1, 1)) == M(2025, 10, 1)


def test_a_month_range_ends_the_latest_month_inside_it():
    last = M(2025, 12, 1)
    today = date(2026, 11, 27)
    assert latest_complete_month(last, today, M(2024, 1, 1), M(2024, 6, 1)) == M(2024, 6, 1)
    assert latest_complete_month(last, today, month_to=M(2027, 1, 1)) == last
    assert latest_complete_month(last, today, month_from=M(2026, 2, 1)) is None
    assert latest_complete_month(None, today) is None


def test_a_month_without_rows_inside_the_data_is_zero_and_outside_it_unknown():
    span = (M(2022, 2, 1), M(2025, 12, 1))
    assert value_at({M(2023, 5, 1): 4}, M(2023, 5, 1), span) == 4
    assert value_at({M(2023, 5, 1): 4}, M(2023, 6, 1), span) == 0
    assert value_at({}, M(2022, 1, 1), span) is None
    assert value_at({}, M(2023, 1, 1), None) is None


# ---- changes and status ----

def test_changes_are_relative_or_in_points():
    assert change(6, 10) == pytest.approx(-0.4)
    assert change(15, 10) == pytest.approx(0.5)
    assert change(3, 0) is None
    assert change(None, 10) is None
    assert change(0.29, 0.44, "points") == pytest.approx(-0.15)


def flat(base: float, now: float, years=(2022, 2025)) -> dict[date, float]:
    return {M(years[0], m, 1): base for m in range(1, 13)} | {M(years[1], m, 1): now for m in range(1, 13)}


@pytest.mark.parametrize(("base", "now", "status"), [
    (10, 5, "good"),  # 60 against 120 in 12 months: the whole interval below 1
    (10, 9, "watch"),  # 108 against 120: the right way, within chance
    (10, 11, "watch"),  # 132 against 120: worse, within chance
    (10, 15, "bad"),  # 180 against 120: the whole interval above 1
    (0.5, 0.25, "too_few"),  # 9 events in the two windows together
    (0, 0, "too_few"),
])
def test_the_status_is_the_interval_rule_on_the_12_month_window(base, now, status):
    reading = read_monthly(LOWER, flat(base, now), SPAN, today=date(2026, 1, 5))
    assert reading.status == status
    assert reading.status_window.length == 12


def test_one_month_of_11_against_16_is_not_a_success():
    # The month: −31 % read 'Mål nått' when one month decided. Over 3 months at that rate it is chance.
    series = flat(16, 11)
    window = read_window(LOWER, series, SPAN, M(2025, 12, 1), 3)
    assert (window.count, window.baseline_count) == (33, 48)
    assert window.status == "watch"
    assert window.comparison.comparison.low < 1 < window.comparison.comparison.high


def test_the_interval_matches_scipys_exact_binomial_test():
    from scipy.stats import binomtest
    window = read_window(LOWER, flat(10, 5), SPAN, M(2025, 12, 1), 12)
    ci = binomtest(60, 180, 0.5).proportion_ci(0.95, method="exact")
    c = window.comparison.comparison
    assert c.low == pytest.approx(ci.low / (1 - ci.low))
    assert c.high == pytest.approx(ci.high / (1 - ci.high))


def test_higher_is_better_flips_the_rule():
    assert read_monthly(HIGHER, flat(100, 130), SPAN, date(2026, 1, 5)).status == "good"
    assert read_monthly(HIGHER, flat(100, 70), SPAN, date(2026, 1, 5)).status == "bad"


def test_a_summed_measure_that_varies_more_than_poisson_gets_a_wider_interval():
    # Contacts of 50 one month and 150 the next: the sum of 1200 is not 1200 independent events.
    wild = {M(2022, m, 1): (50 if m % 2 else 150) for m in range(1, 13)} | {
        M(2025, m, 1): (60 if m % 2 else 170) for m in range(1, 13)}
    counted = indicator(id="rows", direction="higher", target_change=0.25)  # rows: Poisson
    summed = indicator(id="sum", direction="higher", target_change=0.25, measure=Measure("outreach", ("contacts",)))
    rows = read_window(counted, wild, SPAN, M(2025, 12, 1), 12)
    sums = read_window(summed, wild, SPAN, M(2025, 12, 1), 12)
    assert rows.status == "good"  # 1380 against 1200 as counts of events
    assert sums.comparison.comparison.dispersion > 10
    assert sums.status == "watch"  # the same change, within the months' own variation
    assert sums.comparison.comparison.ratio == pytest.approx(1380 / 1200)


def test_a_window_that_reaches_into_the_baseline_year_is_unknown():
    reading = read_monthly(LOWER, flat(10, 5, years=(2022, 2023)), (M(2022, 1, 1), M(2023, 12, 1)),
                           today=date(2023, 7, 5))
    assert [(w.length, w.status, w.reason) for w in reading.windows] == [
        (3, "good", None), (12, "unknown", "overlaps_baseline")]
    assert (reading.status, reading.reason) == ("unknown", "overlaps_baseline")


def test_the_rule_in_words():
    assert rule_sentence(LOWER) == (
        "Grön – bättre, ej slump: de senaste 12 månaderna lägre än samma månader 2022, och hela 95 %-intervallet "
        "ligger på den sidan. "
        "Gul – inom slumpen: intervallet rymmer ingen förändring; åt vilket håll punktskattningen pekar står på "
        "kortet. "
        "Röd – sämre, ej slump: de senaste 12 månaderna högre än samma månader 2022, och hela intervallet ligger på "
        "den sidan. "
        "Grå – för få att säga: färre än 10 händelser i de två perioderna tillsammans, eller ett intervall som "
        "rymmer både en halvering och en fördubbling."
    ).replace("95 %", "95\u00a0%")
    assert rule_sentence(HIGHER, "en").startswith(
        "Green – better, not chance: the last 12 months higher than the same months of 2022")
    assert "färre än 30 svar i en mätning" in rule_sentence(SURVEY)


def test_target_sentence_names_the_goal_date():
    text = target_sentence(indicator(target_by=date(2025, 1, 1)))
    assert text == "Mål: minst 40\u00a0% lägre än samma månader 2022, från 1 januari 2025."


def test_formatting_changes():
    assert format_change(LOWER, -0.4) == "\u221240\u00a0%"
    assert format_change(SURVEY, -0.14) == "\u221214\u00a0%-enheter"
    assert format_change(SURVEY, 0.01) == "+1\u00a0%-enhet"
    assert format_change(SURVEY, -0.14, "en") == "\u221214\u00a0pp"
    assert format_comparison(HIGHER, 4, 0) == "+4"  # no percentage from zero: the difference instead
    assert format_comparison(HIGHER, 0, 0) == "±0"


# ---- a monthly reading ----

def two_years(base_value: float = 10, now_value: float = 5) -> dict[date, float]:
    series = {M(2022, m, 1): base_value for m in range(1, 13)}
    series |= {M(2025, m, 1): now_value for m in range(1, 13)}
    series[M(2025, 11, 1)] = 8
    return series


SPAN = (M(2021, 1, 1), M(2025, 12, 1))


def test_read_monthly_compares_with_the_month_before_and_the_baseline_month():
    reading = read_monthly(LOWER, two_years(), SPAN, today=date(2026, 3, 2))
    assert reading.latest == Point(M(2025, 12, 1), 5)
    assert reading.previous == Point(M(2025, 11, 1), 8)
    assert reading.baseline == Point(M(2022, 12, 1), 10)
    assert reading.change_previous == pytest.approx(-0.375)
    assert reading.change_baseline == pytest.approx(-0.5)
    assert reading.status == "good"  # 63 against 120 over 12 months: the month's 5 against 10 alone is chance
    assert [(w.length, w.count, w.baseline_count, w.status) for w in reading.windows] == [
        (3, 18, 30, "watch"), (12, 63, 120, "good")]


def test_read_monthly_sparkline_has_thirteen_months_and_the_baseline_beneath():
    reading = read_monthly(LOWER, two_years(), SPAN, today=date(2026, 3, 2))
    assert [p.period for p in reading.series] == [M(2024, 12, 1)] + [M(2025, m, 1) for m in range(1, 13)]
    assert reading.series[0].value == 0  # inside the data, no rows: zero
    assert [p.value for p in reading.baseline_series] == [10] * 13


def test_read_monthly_respects_the_month_range():
    reading = read_monthly(LOWER, two_years(), SPAN, date(2026, 3, 2), M(2025, 1, 1), M(2025, 6, 1))
    assert reading.latest == Point(M(2025, 6, 1), 5)
    assert reading.baseline == Point(M(2022, 6, 1), 10)


def test_read_monthly_without_data_or_baseline_says_why():
    assert read_monthly(LOWER, {}, None, date(2026, 1, 5)).reason == "no_data"
    empty_range = read_monthly(LOWER, two_years(), SPAN, date(2026, 1, 5), month_from=M(2026, 5, 1))
    assert (empty_range.status, empty_range.reason) == ("unknown", "no_data")
    late_start = read_monthly(LOWER, two_years(), (M(2023, 1, 1), M(2025, 12, 1)), date(2026, 1, 5))
    assert (late_start.status, late_start.reason, late_start.baseline) == ("unknown", "no_baseline", None)


def test_outcome_at_the_goal_date_is_the_year_before_against_the_baseline_year():
    series = two_years() | {M(2024, m, 1): 7 for m in range(1, 13)}
    outcome = monthly_outcome(LOWER, series, SPAN, goal_date=date(2025, 1, 1), today=date(2026, 3, 2))
    assert outcome.period == (M(2024, 1, 1), M(2024, 12, 1))
    assert (outcome.value, outcome.baseline) == (84, 120)
    assert outcome.change == pytest.approx(-0.3)
    assert outcome.status == "good"  # 84 against 120 is more than chance, though short of the −40 % target
    assert outcome.comparison.target.reached is False
    assert monthly_outcome(LOWER, series, SPAN, date(2025, 1, 1), today=date(2024, 12, 20)) is None


def test_outcome_compares_only_months_with_data_in_both_years():
    series = {M(2022, m, 1): 10 for m in range(2, 13)} | {M(2024, m, 1): 20 for m in range(1, 13)}
    outcome = monthly_outcome(HIGHER, series, (M(2022, 2, 1), M(2025, 6, 1)), date(2025, 1, 1), date(2025, 8, 1))
    assert (outcome.value, outcome.baseline) == (220, 110)


# ---- surveys ----

def survey_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["wave", "period_end", "place_id", "question_code", "share", "count", "n"]
    return pd.DataFrame(rows, columns=columns)


def test_waves_pool_counts_and_fall_back_to_shares():
    frame = survey_frame([
        ("2021", date(2021, 10, 15), "area", "q", 0.344, None, 116),  # shares only
        ("2022", date(2022, 10, 14), "area", "q", 0.436, 55, 126),
        ("2023", date(2023, 5, 12), "tanto", "q", 0.5, 30, 60),
        ("2023", date(2023, 5, 12), "drake", "q", 0.25, 10, 40),
    ])
    points, sizes = waves(frame)
    assert [p.label for p in points] == ["2021", "2022", "2023"]
    assert points[0].value == pytest.approx(0.344)
    assert points[1].value == pytest.approx(55 / 126)
    assert points[2].value == pytest.approx(40 / 100)
    assert sizes[date(2023, 5, 12)] == 100


def test_read_survey_takes_the_latest_wave_against_the_baseline_wave():
    points = [Point(date(2022, 10, 14), 0.44, "2022"), Point(date(2024, 10, 11), 0.35, "2024"),
              Point(date(2025, 10, 10), 0.29, "2025")]
    sizes = {date(2025, 10, 10): 123, date(2024, 10, 11): 115, date(2022, 10, 14): 126}
    reading = read_survey(SURVEY, points, sizes, today=date(2026, 1, 1))
    assert (reading.latest.label, reading.baseline.label, reading.previous.label) == ("2025", "2022", "2024")
    assert reading.change_baseline == pytest.approx(-0.15)
    assert (reading.status, reading.n) == ("good", 123)  # −15 points, Newcombe's interval below 0
    c = reading.share_status.comparison
    assert c.high < 0 < c.low + 0.3
    assert reading.interval == pytest.approx(wilson_interval(0.29, 123))
    until_june = read_survey(SURVEY, points, sizes, today=date(2026, 1, 1), month_to=M(2025, 6, 1))
    assert until_june.latest.label == "2024"
    assert read_survey(SURVEY, points, sizes, today=date(2022, 1, 1)).reason == "no_wave"


def test_wilson_interval():
    low, high = wilson_interval(0.5, 100)
    assert (round(low, 3), round(high, 3)) == (0.404, 0.596)
    assert wilson_interval(0.3, None) is None


# ---- the goal date ----

def test_goal_sentence_before_on_and_after_the_goal_date():
    goal = date(2025, 1, 1)
    assert goal_sentence(goal, date(2026, 11, 27)) == "Måldatum 1 januari 2025 · passerat för 695 dagar sedan"
    assert goal_sentence(goal, date(2024, 12, 31)) == "Måldatum 1 januari 2025 · om 1 dag"
    assert goal_sentence(goal, date(2024, 9, 1)) == "Måldatum 1 januari 2025 · om 122 dagar"
    assert goal_sentence(goal, goal, "en") == "Goal date 1 January 2025 · today"
    assert goal_sentence(goal, date(2025, 1, 2), "en") == "Goal date 1 January 2025 · passed 1 day ago"
