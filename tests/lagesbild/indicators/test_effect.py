"""Tests for lagesbild.indicators.effect: a measure's windows, its zones read together, the trend and break."""

from __future__ import annotations

from datetime import date

import pytest

from lagesbild.config.indicators import Indicator, Measure
from lagesbild.indicators.effect import effect_windows, evaluate, trend_and_break, zone_count
from lagesbild.indicators.effect_wording import verdict
from lagesbild.stats.its import Refusal, SegmentedRefusal

DRUGS = Indicator(id="drugs", group="problem", label={"sv": "Narkotika", "en": "Drugs"},
                  unit={"sv": "händelser", "en": "incidents"}, measure=Measure("incidents", (), ("narkotikabruk",)),
                  direction="lower", baseline_year=2022, target_change=-0.40, counts="incidents")


def test_the_windows_start_with_the_first_whole_month_and_compare_the_same_months_a_year_before():
    w = effect_windows(date(2023, 5, 15), 6)
    assert (w.before, w.after) == ((date(2022, 6, 1), date(2022, 11, 1)), (date(2023, 6, 1), date(2023, 11, 1)))
    assert effect_windows(date(2023, 4, 1), 12).after == (date(2023, 4, 1), date(2024, 3, 1))
    for months in (2, 13):
        with pytest.raises(ValueError):
            effect_windows(date(2023, 4, 1), months)


def zones(target, buffer, control, hidden: str = ""):
    return {"target": zone_count(DRUGS, "target", ["a"], (target[0], ""), (target[1], "")),
            "buffer": zone_count(DRUGS, "buffer", ["b"], (buffer[0], hidden), (buffer[1], "")),
            "control": zone_count(DRUGS, "control", ["c"], (control[0], ""), (control[1], ""))}


def test_the_zones_read_together_give_the_displacement_quotient_worked_by_hand():
    # Target 100 → 50, buffer 40 → 50, control 100 → 100: success 50/100 − 100/100 = −0.5, buffer
    # 50/100 − 40/100 = +0.1, WDQ = 0.1 / −0.5 = −0.2: some displacement, smaller than the gain.
    effect = evaluate(DRUGS, effect_windows(date(2023, 5, 15), 12), zones((100, 50), (40, 50), (100, 100)),
                      complete=True, police_effort=False)
    d = effect.displacement
    assert (d.success_measure.value, d.buffer_measure.value, d.wdq.value) == pytest.approx((-0.5, 0.1, -0.2))
    assert d.interpretation == "displacement_smaller_than_effect"
    assert effect.target.change.case == "good"  # 50 against 100: more than chance
    assert effect.caveats == ()
    text = " ".join(verdict(effect, {"a": "Parken"}, "sv"))
    assert "Målområdet (Parken): 100 före, 50 efter (−50 %" in text.replace("\u00a0", " ")
    assert "Viss undanträngning till buffertzonen" in text


def test_a_hidden_count_leaves_the_displacement_unread_and_says_why():
    effect = evaluate(DRUGS, effect_windows(date(2023, 5, 15), 6), zones((100, 50), (None, 3), (100, 100), "<5"),
                      complete=True, police_effort=True)
    assert effect.displacement is None and effect.zones["buffer"].change is None
    assert effect.caveats == ("caveat.short_window", "caveat.small_counts", "caveat.police_effort")
    text = " ".join(verdict(effect, {}, "en"))
    assert "hidden" in text and "Displacement cannot be assessed" in text and "police effort" in text


def test_the_trend_is_not_fitted_on_a_month_the_viewer_does_not_see():
    months = [date(2021 + i // 12, i % 12 + 1, 1) for i in range(48)]
    series = {m: float(18 + 2 * (i % 3)) for i, m in enumerate(months)}  # 18, 20, 22: no change at the break
    assert trend_and_break({**series, months[5]: None}, months[0], months[-1], date(2023, 4, 1)) is None
    fit = trend_and_break(series, months[0], months[-1], date(2023, 4, 1), covariate={m: 3.0 for m in months[12:]})
    assert isinstance(fit, SegmentedRefusal) and fit.reason == Refusal.COVARIATE_INCOMPLETE
    fitted = trend_and_break(series, months[0], months[-1], date(2023, 4, 1))
    assert fitted.level.low < 1.0 < fitted.level.high and fitted.months_after == 21
