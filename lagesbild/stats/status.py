"""The status rule for the KPI cards: a window against the same calendar months of the baseline year."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lagesbild.stats.proportions import ProportionDifference, share_difference
from lagesbild.stats.rates import RateRatio, overdispersed_rate_ratio, rate_ratio


class Direction(StrEnum):
    LOWER = "lower"  # fewer is better: drug offences, syringe finds, share feeling unsafe
    HIGHER = "higher"  # more is better: outreach contacts, activities


class Case(StrEnum):
    GOOD = "good"  # better, and the whole interval is on the better side
    BETTER_WITHIN_CHANCE = "better_within_chance"
    WORSE_WITHIN_CHANCE = "worse_within_chance"  # also "unchanged": not better, and chance explains it
    BAD = "bad"  # worse, and the whole interval is on the worse side
    TOO_FEW = "too_few"  # too few events (or answers) to tell anything
    NOT_COMPARABLE = "not_comparable"  # survey waves the caller declared not comparable


@dataclass(frozen=True)
class StatusRule:
    """The rule's parameters, so that indicators.yaml can set them.

    Counts are `too_few` when both windows together hold fewer than `min_events` events, or when the
    interval is so wide that it holds both 1/`too_wide_factor` and `too_wide_factor` (by default: neither
    a halving nor a doubling can be excluded). Survey shares are `too_few` when either wave has fewer than
    `min_answers` answers, or when the interval holds both −`too_wide_points` and +`too_wide_points`.
    """

    confidence: float = 0.95
    # Below ten events one double-reported incident moves the ratio a lot, and reports cluster (one scene,
    # several reporters), which the Poisson model does not know about: the exact interval is least honest here.
    min_events: int = 10
    too_wide_factor: float = 2.0
    min_answers: int = 30
    too_wide_points: float = 0.20


@dataclass(frozen=True)
class Target:
    """Whether the point estimate, and the whole interval, is at or beyond the target."""

    change: float  # −0.40: 40 % fewer; for shares, in proportions: −0.10 is 10 percentage points lower
    reached: bool
    reached_with_confidence: bool  # never when the case is too_few or not_comparable


@dataclass(frozen=True)
class CountStatus:
    case: Case
    comparison: RateRatio  # a = the window, b = the same months of the baseline year
    direction: Direction
    target: Target | None
    rule: StatusRule


@dataclass(frozen=True)
class ShareStatus:
    case: Case
    comparison: ProportionDifference | None  # None when the waves are not comparable
    direction: Direction
    target: Target | None
    rule: StatusRule


@dataclass(frozen=True)
class CountWindow:
    """The window's months, the same calendar months of the baseline year, and the counts summed over each."""

    months: tuple[date, ...]
    baseline_months: tuple[date, ...]
    count: int
    baseline_count: int


def count_status(count: int, baseline_count: int, *, direction: Direction | str,
                 target_change: float | None = None, rule: StatusRule = StatusRule(),
                 exposure: float = 1.0, baseline_exposure: float = 1.0, dispersion: float = 1.0) -> CountStatus:
    """Classify a count against its baseline (same number of months unless exposures say otherwise).

    dispersion: above 1 for a sum that varies more than a Poisson count (hours, attendance); the counts may then
    be any sums ≥ 0, and the interval and the too-few test use the effective counts (overdispersed_rate_ratio).
    """
    direction = Direction(direction)
    if dispersion == 1.0 and int(count) == count and int(baseline_count) == baseline_count:
        comparison = rate_ratio(int(count), int(baseline_count), exposure, baseline_exposure,
                                confidence=rule.confidence)
    else:
        comparison = overdispersed_rate_ratio(count, baseline_count, dispersion, exposure, baseline_exposure,
                                              confidence=rule.confidence)
    case = _count_case(comparison, direction, rule)
    target = None if target_change is None else _target(
        comparison.ratio, comparison.low, comparison.high, 1.0 + target_change, target_change, direction, case)
    return CountStatus(case, comparison, direction, target, rule)


def share_status(share: float, n: float, baseline_share: float, baseline_n: float, *, comparable: bool,
                 direction: Direction | str, target_change: float | None = None,
                 rule: StatusRule = StatusRule()) -> ShareStatus:
    """Classify a survey share against the baseline wave's; `comparable` is the caller's judgement of the waves."""
    direction = Direction(direction)
    if not comparable:
        target = None if target_change is None else Target(target_change, False, False)
        return ShareStatus(Case.NOT_COMPARABLE, None, direction, target, rule)
    comparison = share_difference(share, n, baseline_share, baseline_n, confidence=rule.confidence)
    case = _share_case(comparison, direction, rule)
    target = None if target_change is None else _target(
        comparison.difference, comparison.low, comparison.high, target_change, target_change, direction, case)
    return ShareStatus(case, comparison, direction, target, rule)


def count_window(monthly: Mapping[date, int], *, end: date, months: int, baseline_year: int) -> CountWindow:
    """Sum the `months` months ending with `end` and the same calendar months of `baseline_year`.

    `monthly` maps the first day of a month to its count; a month it leaves out counts as 0, because queries
    return only months with events. So `end` must be a month the sources cover (the last complete month).
    """
    window = window_months(end, months)
    if any(m.year == baseline_year for m in window):
        raise ValueError(f"the window {window[0]:%Y-%m}–{window[-1]:%Y-%m} overlaps the baseline year {baseline_year}")
    baseline = tuple(sorted(date(baseline_year, m.month, 1) for m in window))
    return CountWindow(window, baseline, sum(monthly.get(m, 0) for m in window),
                       sum(monthly.get(m, 0) for m in baseline))


def window_months(end: date, months: int) -> tuple[date, ...]:
    """The first days of the `months` months ending with the month of `end`, oldest first."""
    if not 1 <= months <= 12:
        raise ValueError(f"a window is 1 to 12 months (one of each calendar month at most), got {months}")
    index = end.year * 12 + end.month - 1
    return tuple(date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1))


def _count_case(comparison: RateRatio, direction: Direction, rule: StatusRule) -> Case:
    wide = comparison.low < 1.0 / rule.too_wide_factor and comparison.high > rule.too_wide_factor
    if comparison.effective_events < rule.min_events or wide:
        return Case.TOO_FEW
    return _case(comparison.ratio - 1.0, comparison.low - 1.0, comparison.high - 1.0, direction)


def _share_case(comparison: ProportionDifference, direction: Direction, rule: StatusRule) -> Case:
    wide = comparison.low < -rule.too_wide_points and comparison.high > rule.too_wide_points
    if min(comparison.n_a, comparison.n_b) < rule.min_answers or wide:
        return Case.TOO_FEW
    return _case(comparison.difference, comparison.low, comparison.high, direction)


def _case(change: float, low: float, high: float, direction: Direction) -> Case:
    """Change and interval on a scale where 0 is no change; flipped so that negative is better."""
    if direction is Direction.HIGHER:
        change, low, high = -change, -high, -low
    if high < 0.0:
        return Case.GOOD
    if low > 0.0:
        return Case.BAD
    return Case.BETTER_WITHIN_CHANCE if change < 0.0 else Case.WORSE_WITHIN_CHANCE


def _target(estimate: float, low: float, high: float, goal: float, change: float, direction: Direction,
            case: Case) -> Target:
    if direction is Direction.LOWER:
        reached, sure = estimate <= goal, high <= goal
    else:
        reached, sure = estimate >= goal, low >= goal
    # An interval that is too wide to read, or two waves that are not comparable, never confirm a target.
    return Target(change, bool(reached), bool(sure) and case not in (Case.TOO_FEW, Case.NOT_COMPARABLE))
