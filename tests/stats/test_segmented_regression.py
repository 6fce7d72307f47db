"""Segmented Poisson regression on simulated monthly series: coverage, over-dispersion, a covariate, refusals."""

import math
from datetime import date

import numpy as np
import pytest

from lagesbild.stats.its import Method, Refusal, SegmentedFit, SegmentedRefusal, segmented_regression

SEASON = (0.6, 0.6, 0.75, 0.9, 1.2, 1.45, 1.6, 1.5, 1.2, 0.9, 0.7, 0.6)  # as the sample data's
MONTHS = tuple(date(2021 + i // 12, i % 12 + 1, 1) for i in range(48))
BREAK = date(2023, 1, 1)  # 24 months before, 24 after


def expected(level: float, monthly_mean: float = 15.0) -> np.ndarray:
    return np.array([monthly_mean * SEASON[m.month - 1] * (level if m >= BREAK else 1.0) for m in MONTHS])


def test_the_interval_covers_a_known_level_drop_in_most_runs():
    rng = np.random.default_rng(40)
    fits = [segmented_regression(MONTHS, rng.poisson(expected(0.6)), BREAK) for _ in range(200)]
    level_covered = np.mean([f.level.low <= 0.6 <= f.level.high for f in fits])
    slope_covered = np.mean([f.slope.low <= 1.0 <= f.slope.high for f in fits])
    assert level_covered >= 0.90 and slope_covered >= 0.90
    assert np.median([f.level.value for f in fits]) == pytest.approx(0.6, rel=0.1)


def test_poisson_counts_keep_the_poisson_method():
    rng = np.random.default_rng(1)
    methods = [segmented_regression(MONTHS, rng.poisson(expected(1.0)), BREAK).method for _ in range(100)]
    assert methods.count(Method.POISSON) >= 90


def test_over_dispersed_counts_take_the_quasi_poisson_path_and_keep_their_coverage():
    # Negative binomial with shape 4: the variance is μ + μ²/4, about 5 times Poisson's at 15 a month.
    rng = np.random.default_rng(2)
    fits = []
    for _ in range(100):
        mean = expected(0.6)
        fits.append(segmented_regression(MONTHS, rng.negative_binomial(4, 4 / (4 + mean)), BREAK))
    assert all(f.method is Method.QUASI_POISSON and f.dispersion > 1.5 for f in fits)
    assert np.mean([f.level.low <= 0.6 <= f.level.high for f in fits]) >= 0.85


def test_a_covariate_takes_out_what_police_effort_explains():
    # Effort (patrol hours) steps up by 60 % at the break and varies from month to month; recorded offences
    # follow the effort and nothing else. Without the covariate the break looks like a 60 % rise.
    rng = np.random.default_rng(3)
    adjusted, naive = [], []
    for _ in range(60):
        effort = np.where(np.array(MONTHS) >= BREAK, 1.6, 1.0) * rng.lognormal(0.0, 0.3, len(MONTHS))
        counts = rng.poisson(expected(1.0) * effort)
        adjusted.append(segmented_regression(MONTHS, counts, BREAK, covariate=np.log(effort)))
        naive.append(segmented_regression(MONTHS, counts, BREAK))
    assert np.mean([f.level.low <= 1.0 <= f.level.high for f in adjusted]) >= 0.85
    assert np.median([math.log(f.covariate.value) for f in adjusted]) == pytest.approx(1.0, abs=0.1)
    assert np.median([f.level.value for f in naive]) > 1.3
    assert all(f.covariate is None for f in naive)


def test_the_lines_part_at_the_break_by_the_level_and_then_by_the_slope():
    fit = segmented_regression(MONTHS, np.random.default_rng(4).poisson(expected(0.6)), BREAK)
    assert isinstance(fit, SegmentedFit)
    fitted, counterfactual = np.array(fit.fitted), np.array(fit.counterfactual)
    assert fitted[:24] == pytest.approx(counterfactual[:24])
    ratios = fitted[24:] / counterfactual[24:]
    assert ratios == pytest.approx(fit.level.value * fit.slope.value ** np.arange(24))
    assert (fit.months_before, fit.months_after, fit.months, fit.break_month) == (24, 24, MONTHS, BREAK)
    # The fit reproduces the total, as a Poisson GLM with an intercept does.
    assert sum(fit.fitted) == pytest.approx(sum(fit.observed))


@pytest.mark.parametrize(("months", "break_month", "reason"), [
    (MONTHS[:30], date(2021, 12, 1), Refusal.TOO_FEW_MONTHS_BEFORE),  # 11 months before
    (MONTHS[:29], date(2023, 1, 1), Refusal.TOO_FEW_MONTHS_AFTER),  # 5 months after
])
def test_too_short_a_series_is_refused_with_the_numbers(months, break_month, reason):
    result = segmented_regression(months, [5] * len(months), break_month)
    assert isinstance(result, SegmentedRefusal) and result.reason is reason
    assert (result.months_before + result.months_after, result.min_before, result.min_after) == (len(months), 12, 6)


def test_twelve_before_and_six_after_is_enough():
    months = MONTHS[12:30]
    counts = np.random.default_rng(5).poisson(expected(1.0)[12:30])
    assert isinstance(segmented_regression(months, counts, date(2023, 1, 1)), SegmentedFit)


@pytest.mark.parametrize(("counts", "covariate", "reason"), [
    ([0] * 24 + [3] * 24, None, Refusal.NO_EVENTS_BEFORE),
    ([3] * 24 + [0] * 24, None, Refusal.NO_EVENTS_AFTER),
    ([3] * 48, [1.0] * 47 + [math.nan], Refusal.COVARIATE_INCOMPLETE),
])
def test_series_that_cannot_say_anything_are_refused(counts, covariate, reason):
    assert segmented_regression(MONTHS, counts, BREAK, covariate=covariate).reason is reason


def test_a_gap_in_the_months_is_a_mistake_of_the_caller():
    with pytest.raises(ValueError, match="consecutive"):
        segmented_regression(MONTHS[:20] + MONTHS[21:], [3] * 47, BREAK)
    with pytest.raises(ValueError, match="one value per month"):
        segmented_regression(MONTHS, [3] * 47, BREAK)
