"""The weighted displacement quotient on examples worked by hand, Bowers & Johnson's table, and its intervals."""

import math

import pytest

from lagesbild.stats.displacement import BeforeAfter, Interpretation, interpret, weighted_displacement


def test_a_measure_that_displaces_a_little_worked_by_hand():
    # Target 40 → 20, buffer 30 → 36, comparison area 100 → 100 (no trend there).
    # success = 20/100 − 40/100 = −0.20; buffer = 36/100 − 30/100 = +0.06; WDQ = 0.06 / −0.20 = −0.30.
    # Net effect = (40·100/100 − 20) − (36 − 30·100/100) = 20 − 6 = 14 events prevented.
    result = weighted_displacement(BeforeAfter(40, 20), BeforeAfter(30, 36), BeforeAfter(100, 100))
    assert result.success_measure.value == pytest.approx(-0.20)
    assert result.buffer_measure.value == pytest.approx(0.06)
    assert result.wdq.value == pytest.approx(-0.30)
    assert result.total_net_effect.value == pytest.approx(14.0)
    assert result.interpretation is Interpretation.DISPLACEMENT_SMALLER_THAN_EFFECT


def test_a_measure_whose_benefit_spreads_against_a_rising_comparison_area_worked_by_hand():
    # Target 50 → 30, buffer 40 → 30, comparison area 80 → 100 (up by a quarter).
    # success = 30/100 − 50/80 = −0.325; buffer = 30/100 − 40/80 = −0.20; WDQ = −0.20 / −0.325 = 0.615.
    # Net effect = (50·1.25 − 30) − (30 − 40·1.25) = 32.5 + 20 = 52.5.
    result = weighted_displacement(BeforeAfter(50, 30), BeforeAfter(40, 30), BeforeAfter(80, 100))
    assert result.success_measure.value == pytest.approx(-0.325)
    assert result.buffer_measure.value == pytest.approx(-0.20)
    assert result.wdq.value == pytest.approx(0.2 / 0.325)
    assert result.total_net_effect.value == pytest.approx(52.5)
    assert result.interpretation is Interpretation.DIFFUSION


@pytest.mark.parametrize(("success", "wdq", "code"), [
    (-0.2, 1.5, Interpretation.DIFFUSION_GREATER_THAN_EFFECT),
    (-0.2, 1.0, Interpretation.DIFFUSION),
    (-0.2, 0.3, Interpretation.DIFFUSION),
    (-0.2, 0.0, Interpretation.NO_DISPLACEMENT_OR_DIFFUSION),
    (-0.2, -0.3, Interpretation.DISPLACEMENT_SMALLER_THAN_EFFECT),
    (-0.2, -1.0, Interpretation.DISPLACEMENT_SMALLER_THAN_EFFECT),
    (-0.2, -1.8, Interpretation.DISPLACEMENT_GREATER_THAN_EFFECT),
    (0.0, math.nan, Interpretation.NO_EFFECT_IN_TARGET),
    (0.1, -0.5, Interpretation.NO_EFFECT_IN_TARGET),  # the target got worse: the WDQ's sign means nothing
    (math.nan, math.nan, Interpretation.UNDEFINED),
])
def test_bowers_and_johnsons_table(success, wdq, code):
    assert interpret(success, wdq) is code


def test_intervals_hold_the_estimate_and_are_reproducible():
    args = (BeforeAfter(40, 20), BeforeAfter(30, 36), BeforeAfter(100, 100))
    first, again = weighted_displacement(*args), weighted_displacement(*args)
    assert first == again
    for estimate in (first.success_measure, first.buffer_measure, first.wdq, first.total_net_effect):
        assert estimate.low <= estimate.value <= estimate.high
    assert first.target_effect_distinguishable  # 40 → 20 against a flat comparison area
    assert not first.buffer_change_distinguishable  # 30 → 36 is well within chance
    assert first != weighted_displacement(*args, seed=1)


def test_small_counts_give_wide_intervals_and_undefined_draws():
    result = weighted_displacement(BeforeAfter(6, 3), BeforeAfter(4, 5), BeforeAfter(3, 2))
    assert result.undefined_draws > 0  # the comparison area drew 0 in some of the 2 000 draws
    assert result.wdq.low < -1 and result.wdq.high > 1
    assert not result.target_effect_distinguishable


def test_a_comparison_area_without_events_leaves_it_undefined():
    result = weighted_displacement(BeforeAfter(6, 3), BeforeAfter(4, 5), BeforeAfter(4, 0))
    assert result.interpretation is Interpretation.UNDEFINED
    assert math.isnan(result.wdq.value) and result.undefined_draws == result.draws


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        weighted_displacement(BeforeAfter(-1, 3), BeforeAfter(4, 5), BeforeAfter(4, 2))
