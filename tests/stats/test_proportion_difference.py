"""Newcombe's interval for a difference of proportions against statsmodels' "newcomb" and the paper's example."""

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from lagesbild.stats.proportions import proportion_difference, share_difference, wilson

CASES = [(56, 70, 48, 80), (9, 10, 3, 10), (0, 20, 5, 20), (40, 116, 30, 100), (0, 10, 0, 10), (10, 10, 0, 10),
         (5, 1515, 100, 108000)]


@pytest.mark.parametrize(("x_a", "n_a", "x_b", "n_b"), CASES)
def test_matches_statsmodels_newcomb(x_a, n_a, x_b, n_b):
    low, high = confint_proportions_2indep(x_a, n_a, x_b, n_b, method="newcomb", compare="diff")
    result = proportion_difference(x_a, n_a, x_b, n_b)
    assert (result.low, result.high) == pytest.approx((low, high), abs=1e-12)
    assert result.difference == pytest.approx(x_a / n_a - x_b / n_b)


def test_newcombes_own_example():
    # Newcombe (1998), table II, example (a): 56/70 against 48/80, method 10 gives 0.0524 to 0.3339.
    result = proportion_difference(56, 70, 48, 80)
    assert (round(result.low, 4), round(result.high, 4)) == (0.0524, 0.3339)


@pytest.mark.parametrize(("x", "n"), [(0, 10), (3, 10), (10, 10), (40, 116)])
def test_wilson_matches_statsmodels(x, n):
    assert wilson(x, n) == pytest.approx(proportion_confint(x, n, method="wilson"), abs=1e-12)


def test_from_shares_is_the_same_as_from_counts():
    assert share_difference(0.25, 116, 0.4, 100) == proportion_difference(29, 116, 40, 100)


def test_other_confidence_levels_are_narrower_or_wider():
    narrow = proportion_difference(40, 116, 30, 100, confidence=0.8)
    wide = proportion_difference(40, 116, 30, 100, confidence=0.99)
    assert wide.low < narrow.low < narrow.high < wide.high


@pytest.mark.parametrize("bad", [(11, 10, 3, 10), (1, 0, 1, 1), (-1, 10, 1, 10)])
def test_nonsense_is_refused(bad):
    with pytest.raises(ValueError):
        proportion_difference(*bad)


def test_a_share_outside_0_to_1_is_refused():
    with pytest.raises(ValueError):
        share_difference(34.0, 116, 0.4, 100)  # 34 %, given as a percent by mistake
