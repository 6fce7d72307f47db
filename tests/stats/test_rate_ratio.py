"""The rate ratio's exact interval and p-value against scipy and statsmodels, on a table of cases."""

import math

import pytest
from scipy.stats import binomtest
from statsmodels.stats import rates as sm_rates

from lagesbild.stats.rates import rate_ratio

# (a, b, t_a, t_b): the issue's 11 vs 16, zeros on each side, a clear halving, and unequal exposures
# (3 months against 12, 2 against 12).
CASES = [
    (11, 16, 1, 1), (0, 5, 1, 1), (5, 0, 1, 1), (30, 60, 1, 1), (1, 1, 1, 1), (100, 80, 1, 1),
    (12, 40, 3, 12), (7, 30, 2, 12), (3, 0, 1, 2),
]


@pytest.mark.parametrize(("a", "b", "t_a", "t_b"), CASES)
def test_interval_is_clopper_pearson_on_a_share_of_the_total(a, b, t_a, t_b):
    result = rate_ratio(a, b, t_a, t_b)
    pi = binomtest(a, a + b).proportion_ci(confidence_level=0.95, method="exact")
    scale = t_b / t_a
    expected_high = math.inf if pi.high == 1.0 else pi.high / (1 - pi.high) * scale
    assert result.low == pytest.approx(pi.low / (1 - pi.low) * scale, rel=1e-9, abs=1e-12)
    assert result.high == pytest.approx(expected_high, rel=1e-9)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # statsmodels' own ratio when b = 0
@pytest.mark.parametrize(("a", "b", "t_a", "t_b"), CASES)
def test_p_value_is_twice_the_smaller_exact_tail_as_in_statsmodels(a, b, t_a, t_b):
    smaller = sm_rates.test_poisson_2indep(a, t_a, b, t_b, method="exact-cond", alternative="smaller").pvalue
    larger = sm_rates.test_poisson_2indep(a, t_a, b, t_b, method="exact-cond", alternative="larger").pvalue
    assert rate_ratio(a, b, t_a, t_b).p_value == pytest.approx(min(1.0, 2 * min(smaller, larger)), rel=1e-9)


@pytest.mark.parametrize(("a", "b"), [(11, 16), (0, 5), (30, 60), (100, 80), (1, 1)])
def test_with_equal_exposures_the_p_value_is_scipys_and_statsmodels_two_sided(a, b):
    # At π = 1/2 the binomial is symmetric, so the central and the "minlike" two-sided p-values agree.
    ours = rate_ratio(a, b).p_value
    assert ours == pytest.approx(binomtest(a, a + b, 0.5).pvalue, rel=1e-9)
    assert ours == pytest.approx(sm_rates.test_poisson_2indep(a, 1, b, 1, method="exact-cond").pvalue, rel=1e-9)


def test_the_issues_example():
    result = rate_ratio(11, 16)
    assert result.ratio == pytest.approx(11 / 16)
    assert result.p_value == pytest.approx(0.44, abs=0.01)
    assert result.low < 1 < result.high


@pytest.mark.parametrize(("a", "b", "t_a", "t_b"), [c for c in CASES if c[0] and c[1]])
def test_exact_interval_holds_the_score_interval(a, b, t_a, t_b):
    # statsmodels has no exact conditional interval (its "exact-cond" is a test only); its score interval is
    # the nearest, and an exact interval is the more conservative of the two.
    low, high = sm_rates.confint_poisson_2indep(a, t_a, b, t_b, method="score")
    result = rate_ratio(a, b, t_a, t_b)
    assert result.low <= low * 1.0001 and result.high >= high * 0.9999


def test_unequal_exposures_compare_rates_not_counts():
    # 12 in 3 months is 4 a month; 40 in 12 months is 3.33 a month.
    assert rate_ratio(12, 40, 3, 12).ratio == pytest.approx(1.2)


def test_zero_now_has_an_open_lower_bound_and_zero_before_an_open_upper_bound():
    zero_now, zero_before = rate_ratio(0, 5), rate_ratio(5, 0)
    assert (zero_now.ratio, zero_now.low) == (0.0, 0.0) and math.isfinite(zero_now.high)
    assert (zero_before.ratio, zero_before.high) == (math.inf, math.inf) and zero_before.low > 0
    assert zero_now.high == pytest.approx(1 / zero_before.low)


def test_both_zero_says_nothing():
    result = rate_ratio(0, 0)
    assert math.isnan(result.ratio)
    assert (result.low, result.high, result.p_value, result.events) == (0.0, math.inf, 1.0, 0)


def test_the_p_value_agrees_with_the_interval():
    for a, b in [(4, 12), (5, 14), (6, 15), (9, 20), (20, 9), (0, 6), (0, 5)]:
        result = rate_ratio(a, b)
        assert (result.p_value < 0.05) == (result.high < 1 or result.low > 1), (a, b)


@pytest.mark.parametrize("bad", [
    dict(a=-1, b=3), dict(a=2.5, b=3), dict(a=1, b=1, t_a=0), dict(a=1, b=1, confidence=1),
])
def test_nonsense_is_refused(bad):
    with pytest.raises(ValueError):
        rate_ratio(**bad)


# ---- over-dispersed sums (quasi-Poisson): the interval of the effective counts ----

def test_an_overdispersed_sum_has_the_interval_of_its_effective_counts():
    from lagesbild.stats.rates import overdispersed_rate_ratio
    wide = overdispersed_rate_ratio(40, 80, 4.0)
    plain = rate_ratio(10, 20)
    assert wide.ratio == pytest.approx(0.5)
    assert (wide.low, wide.high, wide.p_value) == pytest.approx((plain.low, plain.high, plain.p_value))
    assert wide.effective_events == pytest.approx(30)


def test_an_overdispersed_sum_need_not_be_whole_and_its_interval_widens_with_the_dispersion():
    from lagesbild.stats.rates import overdispersed_rate_ratio
    hours = [overdispersed_rate_ratio(1234.5, 1000.0, phi) for phi in (1.0, 2.0, 8.0)]
    assert all(h.ratio == pytest.approx(1.2345) for h in hours)
    assert hours[0].low > hours[1].low > hours[2].low and hours[0].high < hours[1].high < hours[2].high
    assert overdispersed_rate_ratio(12, 30, 1.0) == rate_ratio(12, 30)
    with pytest.raises(ValueError):
        overdispersed_rate_ratio(10, 10, 0.5)
