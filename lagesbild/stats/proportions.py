"""Difference of two independent proportions with Newcombe's hybrid score interval (method 10, 1998)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from lagesbild.stats.rates import check_confidence


@dataclass(frozen=True)
class ProportionDifference:
    """share_a − share_b with its interval, in proportions (−0.08 is 8 percentage points lower)."""

    x_a: float
    n_a: float
    x_b: float
    n_b: float
    difference: float
    low: float
    high: float
    confidence: float

    @property
    def share_a(self) -> float:
        return self.x_a / self.n_a

    @property
    def share_b(self) -> float:
        return self.x_b / self.n_b


def proportion_difference(x_a: float, n_a: float, x_b: float, n_b: float, *,
                          confidence: float = 0.95) -> ProportionDifference:
    """x_a of n_a against x_b of n_b; counts may be fractional (weighted survey answers)."""
    _check(x_a, n_a)
    _check(x_b, n_b)
    check_confidence(confidence)
    p_a, p_b = x_a / n_a, x_b / n_b
    low_a, high_a = wilson(x_a, n_a, confidence)
    low_b, high_b = wilson(x_b, n_b, confidence)
    # Newcombe combines the two Wilson intervals' distances from their estimates, each side with the side
    # of the other interval that moves the difference the same way.
    low = p_a - p_b - math.hypot(p_a - low_a, high_b - p_b)
    high = p_a - p_b + math.hypot(high_a - p_a, p_b - low_b)
    return ProportionDifference(x_a, n_a, x_b, n_b, p_a - p_b, low, high, confidence)


def share_difference(share_a: float, n_a: float, share_b: float, n_b: float, *,
                     confidence: float = 0.95) -> ProportionDifference:
    """The same from shares (0–1) and the number of answers behind each, as survey reports give them."""
    for share in (share_a, share_b):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"a share must be between 0 and 1, got {share}")
    return proportion_difference(share_a * n_a, n_a, share_b * n_b, n_b, confidence=confidence)


def wilson(x: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for x / n, without continuity correction."""
    z = stats.norm.isf((1.0 - confidence) / 2.0)
    centre = (x + z * z / 2.0) / (n + z * z)
    half = z / (n + z * z) * math.sqrt(x * (n - x) / n + z * z / 4.0)
    return max(0.0, centre - half), min(1.0, centre + half)


def _check(x: float, n: float) -> None:
    if not (n > 0 and 0 <= x <= n):
        raise ValueError(f"need 0 ≤ x ≤ n and n > 0, got x={x}, n={n}")
