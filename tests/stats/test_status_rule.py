"""The status rule's cases, targets and windows, on hand-picked counts and shares."""

import math
from datetime import date

import pytest

from lagesbild.stats.status import Case, StatusRule, count_status, count_window, share_status, window_months


@pytest.mark.parametrize(("count", "baseline", "direction", "case"), [
    (11, 16, "lower", Case.BETTER_WITHIN_CHANCE),  # the "−31 % · Mål nått" month
    (30, 60, "lower", Case.GOOD),
    (60, 30, "lower", Case.BAD),
    (18, 16, "lower", Case.WORSE_WITHIN_CHANCE),
    (20, 20, "lower", Case.WORSE_WITHIN_CHANCE),  # unchanged is "no improvement"
    (60, 30, "higher", Case.GOOD),
    (30, 60, "higher", Case.BAD),
    (16, 11, "higher", Case.BETTER_WITHIN_CHANCE),
])
def test_cases(count, baseline, direction, case):
    assert count_status(count, baseline, direction=direction).case is case


@pytest.mark.parametrize(("count", "baseline"), [
    (3, 4),  # 7 events: below min_events
    (0, 9),  # distinguishable on paper (p = 0.004), but 9 events carry no claim
    (5, 6),  # 11 events, but neither a halving nor a doubling can be excluded
    (0, 0),
])
def test_too_few(count, baseline):
    status = count_status(count, baseline, direction="lower", target_change=-0.4)
    assert status.case is Case.TOO_FEW
    assert status.comparison.events == count + baseline
    assert not status.target.reached_with_confidence


def test_too_few_never_hides_a_distinguishable_change_above_min_events():
    # An interval that leaves out 1 cannot hold both 1/2 and 2, so the width rule only replaces "within chance".
    assert count_status(2, 12, direction="lower").case is Case.GOOD


def test_the_rule_is_a_parameter():
    loose = StatusRule(min_events=0, too_wide_factor=math.inf)
    assert count_status(0, 9, direction="lower", rule=loose).case is Case.GOOD
    assert count_status(30, 60, direction="lower", rule=StatusRule(confidence=0.999)).case is Case.BETTER_WITHIN_CHANCE


@pytest.mark.parametrize(("count", "baseline", "reached", "with_confidence"), [
    (11, 16, False, False),
    (30, 60, True, False),  # −50 %, but the interval reaches −21 %
    (10, 60, True, True),
])
def test_target_lower_is_better(count, baseline, reached, with_confidence):
    target = count_status(count, baseline, direction="lower", target_change=-0.40).target
    assert (target.change, target.reached, target.reached_with_confidence) == (-0.40, reached, with_confidence)


def test_target_higher_is_better():
    target = count_status(60, 30, direction="higher", target_change=0.20).target
    assert target.reached and target.reached_with_confidence
    assert count_status(60, 30, direction="higher").target is None


def test_exposures_compare_rates():
    # 12 in 3 months against 40 in 12: 4 a month against 3.3, within chance.
    status = count_status(12, 40, direction="lower", exposure=3, baseline_exposure=12)
    assert status.comparison.ratio == pytest.approx(1.2) and status.case is Case.WORSE_WITHIN_CHANCE


def test_shares():
    good = share_status(0.30, 116, 0.45, 120, comparable=True, direction="lower", target_change=-0.10)
    assert good.case is Case.GOOD and good.comparison.difference == pytest.approx(-0.15)
    assert good.target.reached and not good.target.reached_with_confidence
    assert share_status(0.40, 116, 0.45, 120, comparable=True, direction="lower").case is Case.BETTER_WITHIN_CHANCE
    assert share_status(0.60, 116, 0.45, 120, comparable=True, direction="lower").case is Case.BAD


def test_shares_too_few_answers_or_too_wide():
    assert share_status(0.2, 25, 0.5, 116, comparable=True, direction="lower").case is Case.TOO_FEW
    assert share_status(0.45, 30, 0.45, 30, comparable=True, direction="lower").case is Case.TOO_FEW


def test_waves_that_are_not_comparable_are_never_compared():
    status = share_status(0.1, 500, 0.6, 500, comparable=False, direction="lower", target_change=-0.1)
    assert status.case is Case.NOT_COMPARABLE and status.comparison is None
    assert not status.target.reached and not status.target.reached_with_confidence


def test_window_against_the_same_calendar_months_of_the_baseline_year():
    monthly = {date(2023, 12, 1): 4, date(2024, 1, 1): 2, date(2024, 2, 1): 3,
               date(2022, 1, 1): 5, date(2022, 2, 1): 6, date(2022, 12, 1): 9, date(2022, 6, 1): 40}
    window = count_window(monthly, end=date(2024, 2, 1), months=3, baseline_year=2022)
    assert window.months == (date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1))
    assert window.baseline_months == (date(2022, 1, 1), date(2022, 2, 1), date(2022, 12, 1))
    assert (window.count, window.baseline_count) == (9, 20)


def test_a_month_without_events_counts_as_zero():
    window = count_window({date(2022, 5, 1): 7}, end=date(2024, 5, 31), months=1, baseline_year=2022)
    assert (window.count, window.baseline_count) == (0, 7)


def test_windows_are_one_to_twelve_months_outside_the_baseline_year():
    assert len(window_months(date(2025, 3, 1), 12)) == 12
    with pytest.raises(ValueError):
        window_months(date(2025, 3, 1), 13)
    with pytest.raises(ValueError):
        count_window({}, end=date(2023, 3, 1), months=6, baseline_year=2022)
