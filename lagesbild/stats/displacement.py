"""Weighted displacement quotient (Bowers & Johnson 2003): did a problem move to the buffer, or the benefit spread?"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from lagesbild.stats.estimate import Estimate
from lagesbild.stats.rates import check_confidence


@dataclass(frozen=True)
class BeforeAfter:
    """One area's count in the window before the measure and in the window after (same calendar months)."""

    before: int
    after: int


class Interpretation(StrEnum):
    """Bowers & Johnson's reading of the WDQ, for a problem where fewer is better."""

    UNDEFINED = "undefined"  # the comparison area had no events in one of the windows
    NO_EFFECT_IN_TARGET = "no_effect_in_target"  # the target did not improve relative to the comparison area
    DIFFUSION_GREATER_THAN_EFFECT = "diffusion_greater_than_effect"  # WDQ > 1
    DIFFUSION = "diffusion"  # 0 < WDQ ≤ 1: the buffer improved too
    NO_DISPLACEMENT_OR_DIFFUSION = "no_displacement_or_diffusion"  # WDQ = 0
    DISPLACEMENT_SMALLER_THAN_EFFECT = "displacement_smaller_than_effect"  # −1 ≤ WDQ < 0: a net benefit
    DISPLACEMENT_GREATER_THAN_EFFECT = "displacement_greater_than_effect"  # WDQ < −1: the measure backfired


@dataclass(frozen=True)
class WeightedDisplacement:
    """The three measures, the net effect and their simulation intervals.

    success_measure: A_a/C_a − A_b/C_b, below 0 when the target improved relative to the comparison area.
    buffer_measure: B_a/C_a − B_b/C_b, above 0 suggests displacement, below 0 diffusion of benefits.
    wdq: buffer_measure / success_measure; only read when the success measure is below 0.
    total_net_effect: events prevented in the target less those added in the buffer, each against what the
    comparison area's trend predicts ([A_b·C_a/C_b − A_a] − [B_a − B_b·C_a/C_b]); above 0 is a net gain.
    undefined_draws: simulated draws in which the WDQ could not be computed (a zero comparison count or no
    change in the target); the WDQ interval is over the others.
    """

    target: BeforeAfter
    buffer: BeforeAfter
    control: BeforeAfter
    success_measure: Estimate
    buffer_measure: Estimate
    wdq: Estimate
    total_net_effect: Estimate
    interpretation: Interpretation
    draws: int
    undefined_draws: int

    @property
    def target_effect_distinguishable(self) -> bool:
        """The whole success interval is below 0: the target improved by more than chance, against control."""
        return self.success_measure.high < 0.0

    @property
    def buffer_change_distinguishable(self) -> bool:
        return self.buffer_measure.excludes(0.0)


def weighted_displacement(target: BeforeAfter, buffer: BeforeAfter, control: BeforeAfter, *, draws: int = 2000,
                          seed: int = 2003, confidence: float = 0.95) -> WeightedDisplacement:
    """WDQ for target A, buffer B and comparison area C, with percentile intervals from Poisson resampling."""
    check_confidence(confidence)
    observed = np.array([[target.before, target.after, buffer.before, buffer.after, control.before, control.after]])
    if (observed < 0).any():
        raise ValueError(f"counts must be ≥ 0, got {observed.tolist()[0]}")
    point = _measures(observed.astype(float))
    # Parametric simulation: each count redrawn from a Poisson with the observed count as its mean, which is
    # the noise a count at these volumes carries; a count of 0 stays 0 and adds no uncertainty (a limitation).
    simulated = np.random.default_rng(seed).poisson(observed[0], size=(draws, 6)).astype(float)
    spread = _measures(simulated)
    estimates = {name: _estimate(point[name][0], spread[name], confidence) for name in point}
    return WeightedDisplacement(
        target, buffer, control, **estimates, interpretation=interpret(point["success_measure"][0], point["wdq"][0]),
        draws=draws, undefined_draws=int(np.count_nonzero(~np.isfinite(spread["wdq"]))),
    )


def interpret(success: float, wdq: float) -> Interpretation:
    """Bowers & Johnson's table: the WDQ means something only when the target improved (success < 0)."""
    if math.isnan(success):
        return Interpretation.UNDEFINED
    if success >= 0.0:
        return Interpretation.NO_EFFECT_IN_TARGET
    if wdq > 1.0:
        return Interpretation.DIFFUSION_GREATER_THAN_EFFECT
    if wdq > 0.0:
        return Interpretation.DIFFUSION
    if wdq == 0.0:
        return Interpretation.NO_DISPLACEMENT_OR_DIFFUSION
    if wdq >= -1.0:
        return Interpretation.DISPLACEMENT_SMALLER_THAN_EFFECT
    return Interpretation.DISPLACEMENT_GREATER_THAN_EFFECT


def _measures(counts: np.ndarray) -> dict[str, np.ndarray]:
    """The four measures for each row of (A_b, A_a, B_b, B_a, C_b, C_a); nan where undefined."""
    a_b, a_a, b_b, b_a, c_b, c_a = counts.T
    with np.errstate(divide="ignore", invalid="ignore"):
        defined = (c_b > 0) & (c_a > 0)
        success = np.where(defined, a_a / c_a - a_b / c_b, np.nan)
        buffer = np.where(defined, b_a / c_a - b_b / c_b, np.nan)
        wdq = np.where(success != 0.0, buffer / success, np.nan)
        trend = c_a / c_b
        net = np.where(defined, (a_b * trend - a_a) - (b_a - b_b * trend), np.nan)
    return {"success_measure": success, "buffer_measure": buffer, "wdq": wdq, "total_net_effect": net}


def _estimate(value: float, draws: np.ndarray, confidence: float) -> Estimate:
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return Estimate(float(value), math.nan, math.nan, confidence)
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return Estimate(float(value), float(low), float(high), confidence)
