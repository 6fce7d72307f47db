"""Rate ratio of two Poisson counts, with its exact interval conditional on the total (the binomial method)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from scipy import special


@dataclass(frozen=True)
class RateRatio:
    """(a / t_a) / (b / t_b): a events over exposure t_a against b events over exposure t_b.

    `ratio` is inf when b = 0 < a and nan when both are 0 (no information: the interval is then 0 to inf).
    `low` is 0 when a = 0 and `high` is inf when b = 0: the interval is open on that side.
    `p_value` is two-sided for "the two rates are equal", twice the smaller exact tail, so that it is below
    1 − confidence exactly when the interval leaves out 1.
    """

    a: int
    b: int
    t_a: float
    t_b: float
    ratio: float
    low: float
    high: float
    p_value: float
    confidence: float
    # Above 1 for a sum that varies more than a Poisson count (hours, attendance): the interval is then the one
    # of the effective counts a/dispersion and b/dispersion (quasi-Poisson), wider by about √dispersion.
    dispersion: float = 1.0

    @property
    def events(self) -> int:
        return self.a + self.b

    @property
    def effective_events(self) -> float:
        """The events the interval rests on: the events, or for an over-dispersed sum its effective count."""
        return (self.a + self.b) / self.dispersion

    @property
    def change(self) -> float:
        """The relative change: −0.31 is 31 % fewer per unit of exposure."""
        return self.ratio - 1.0


# Cached because the cards and the simulation tests ask the same few small pairs again and again, and the beta
# quantiles are the slow part; the result is frozen, so sharing it is safe.
@lru_cache(maxsize=4096)
def rate_ratio(a: int, b: int, t_a: float = 1.0, t_b: float = 1.0, *, confidence: float = 0.95) -> RateRatio:
    """Compare a over t_a with b over t_b (t in months, person-years, ...; equal by default)."""
    _check_counts(a, b, t_a, t_b, confidence)
    n = a + b
    if n == 0:
        return RateRatio(a, b, t_a, t_b, math.nan, 0.0, math.inf, 1.0, confidence)
    # Given the total n, a is binomial(n, π) with π = λ_a t_a / (λ_a t_a + λ_b t_b); an exact interval for π
    # is one for the ratio, because the ratio is a monotone function of π.
    pi_low, pi_high = clopper_pearson(a, n, confidence)
    to_ratio = _pi_to_ratio(t_a, t_b)
    return RateRatio(
        a, b, t_a, t_b,
        ratio=(a / t_a) / (b / t_b) if b else math.inf,
        low=to_ratio(pi_low),
        high=to_ratio(pi_high),
        p_value=_central_p_value(a, n, t_a / (t_a + t_b)),
        confidence=confidence,
    )


def overdispersed_rate_ratio(a: float, b: float, dispersion: float, t_a: float = 1.0, t_b: float = 1.0, *,
                             confidence: float = 0.95) -> RateRatio:
    """rate_ratio for sums that vary `dispersion` times more than Poisson counts (quasi-Poisson).

    The ratio is that of the sums; the interval and p-value are the exact ones of the effective counts
    a/dispersion and b/dispersion, which need not be whole (the beta and binomial functions take any real).
    """
    if not dispersion >= 1.0:
        raise ValueError(f"dispersion must be ≥ 1, got {dispersion}")
    if a < 0 or b < 0 or not (t_a > 0 and t_b > 0):
        raise ValueError(f"need sums ≥ 0 and exposures > 0, got a={a}, b={b}, t_a={t_a}, t_b={t_b}")
    check_confidence(confidence)
    if dispersion == 1.0 and int(a) == a and int(b) == b:
        return rate_ratio(int(a), int(b), t_a, t_b, confidence=confidence)
    x, n = a / dispersion, (a + b) / dispersion
    if n == 0:
        return RateRatio(a, b, t_a, t_b, math.nan, 0.0, math.inf, 1.0, confidence, dispersion)
    tail = (1.0 - confidence) / 2.0
    pi_low = float(special.betaincinv(x, n - x + 1, tail)) if x > 0 else 0.0
    pi_high = float(special.betaincinv(x + 1, n - x, 1.0 - tail)) if x < n else 1.0
    to_ratio = _pi_to_ratio(t_a, t_b)
    pi_null = t_a / (t_a + t_b)
    lower_tail = float(special.betainc(n - x, x + 1, 1.0 - pi_null)) if x < n else 1.0  # P(X ≤ x)
    upper_tail = float(special.betainc(x, n - x + 1, pi_null)) if x > 0 else 1.0  # P(X ≥ x)
    return RateRatio(a, b, t_a, t_b, ratio=(a / t_a) / (b / t_b) if b else math.inf, low=to_ratio(pi_low),
                     high=to_ratio(pi_high), p_value=min(1.0, 2.0 * min(lower_tail, upper_tail)),
                     confidence=confidence, dispersion=dispersion)


def clopper_pearson(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval for a binomial proportion x / n, from beta quantiles."""
    tail = (1.0 - confidence) / 2.0
    # betaincinv is the beta quantile (scipy.stats.beta.ppf) without the distribution object's overhead,
    # which the simulation tests would otherwise spend most of their time in.
    low = special.betaincinv(x, n - x + 1, tail) if x > 0 else 0.0
    high = special.betaincinv(x + 1, n - x, 1.0 - tail) if x < n else 1.0
    return float(low), float(high)


def _pi_to_ratio(t_a: float, t_b: float):
    def to_ratio(pi: float) -> float:
        return math.inf if pi >= 1.0 else pi / (1.0 - pi) * t_b / t_a
    return to_ratio


def _central_p_value(a: int, n: int, pi_null: float) -> float:
    # The central p-value (not scipy's "minlike" default) is the one dual to Clopper–Pearson: the status
    # rule reads the interval, and a p-value that disagreed with it would confuse the reader.
    lower_tail = special.bdtr(a, n, pi_null)  # P(X ≤ a)
    upper_tail = special.bdtrc(a - 1, n, pi_null) if a > 0 else 1.0  # P(X ≥ a)
    return float(min(1.0, 2.0 * min(lower_tail, upper_tail)))


def _check_counts(a: int, b: int, t_a: float, t_b: float, confidence: float) -> None:
    if a < 0 or b < 0 or int(a) != a or int(b) != b:
        raise ValueError(f"counts must be whole numbers ≥ 0, got a={a}, b={b}")
    if not (t_a > 0 and t_b > 0):
        raise ValueError(f"exposures must be > 0, got t_a={t_a}, t_b={t_b}")
    check_confidence(confidence)


def check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
