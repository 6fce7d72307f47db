"""Interrupted time series: segmented Poisson regression of monthly counts with season terms and a break."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import statsmodels.api as sm
from statsmodels.genmod.generalized_linear_model import GLMResults

from lagesbild.stats.estimate import Estimate
from lagesbild.stats.rates import check_confidence


class Method(StrEnum):
    POISSON = "poisson"
    # Same estimates as Poisson, intervals widened by the over-dispersion (Pearson χ²/df) and read from a t
    # distribution: what Bernal, Cummins & Gasparrini's tutorial does, and it needs no extra model for the
    # variance, which 24–60 monthly points could not estimate well (as a negative binomial would have to).
    QUASI_POISSON = "quasi_poisson"


class Refusal(StrEnum):
    TOO_FEW_MONTHS_BEFORE = "too_few_months_before"
    TOO_FEW_MONTHS_AFTER = "too_few_months_after"
    NO_EVENTS_BEFORE = "no_events_before"
    NO_EVENTS_AFTER = "no_events_after"
    COVARIATE_INCOMPLETE = "covariate_incomplete"  # a month without the covariate (police effort not loaded)
    DID_NOT_CONVERGE = "did_not_converge"


@dataclass(frozen=True)
class SegmentedFit:
    """The break's effects as rate ratios and the lines to draw, month by month.

    level: the jump at the break month (0.7 = 30 % lower than the pre-trend predicts).
    slope: the change of the monthly trend from the break on (0.98 = 2 % lower each further month).
    covariate: the rate ratio per unit of the covariate (e.g. per patrol hour), when one was given.
    counterfactual: the pre-break trend continued, with the same season and covariate, without the break.
    dispersion: Pearson χ²/df of the Poisson fit; above `dispersion_limit` the quasi-Poisson intervals are used.
    residual_autocorrelation: lag-1 autocorrelation of the Pearson residuals; far from 0 (say beyond ±0.3)
    the intervals are too narrow, as the model assumes independent months.
    """

    months: tuple[date, ...]
    observed: tuple[int, ...]
    fitted: tuple[float, ...]
    counterfactual: tuple[float, ...]
    break_month: date
    level: Estimate
    slope: Estimate
    covariate: Estimate | None
    method: Method
    dispersion: float
    residual_autocorrelation: float
    months_before: int
    months_after: int


@dataclass(frozen=True)
class SegmentedRefusal:
    """Why no fit is shown; the counts of months say how far the data is from enough."""

    reason: Refusal
    months_before: int
    months_after: int
    min_before: int
    min_after: int


def segmented_regression(months: Sequence[date], counts: Sequence[int], break_month: date, *,
                         covariate: Sequence[float] | None = None, harmonics: int = 2, min_before: int = 12,
                         min_after: int = 6, dispersion_limit: float = 1.5,
                         confidence: float = 0.95) -> SegmentedFit | SegmentedRefusal:
    """Fit log E[count] = trend + level·after + slope·months since break + season (+ covariate).

    `months` are consecutive first days of months; `break_month` is the first month the measure could act in.
    Season is `harmonics` sine/cosine pairs of the month of year: two pairs draw a summer peak of any width
    with 4 parameters, where 11 month dummies would spend a third of a 36-month series.
    Pass the covariate on the scale it should act on (e.g. the log of patrol hours).
    """
    check_confidence(confidence)
    months, counts = tuple(months), np.asarray(counts, dtype=float)
    _check_series(months, counts, covariate)
    after = np.array([m >= break_month for m in months])
    refusal = _refusal(counts, after, covariate, min_before, min_after)
    if refusal is not None:
        return SegmentedRefusal(refusal, int((~after).sum()), int(after.sum()), min_before, min_after)
    design = _design(months, after, covariate, harmonics)
    poisson = sm.GLM(counts, design, family=sm.families.Poisson()).fit()
    if not poisson.converged:
        return SegmentedRefusal(Refusal.DID_NOT_CONVERGE, int((~after).sum()), int(after.sum()), min_before, min_after)
    dispersion = float(poisson.pearson_chi2 / poisson.df_resid)
    method = Method.QUASI_POISSON if dispersion > dispersion_limit else Method.POISSON
    result = poisson if method is Method.POISSON else sm.GLM(
        counts, design, family=sm.families.Poisson()).fit(scale="X2", use_t=True)
    return _fit(months, counts, break_month, after, design, result, method, dispersion, covariate, confidence)


def _design(months: tuple[date, ...], after: np.ndarray, covariate: Sequence[float] | None,
            harmonics: int) -> np.ndarray:
    time = np.arange(len(months), dtype=float)
    start = float(np.argmax(after))
    columns = [np.ones_like(time), time, after.astype(float), np.where(after, time - start, 0.0)]
    month_angle = 2.0 * math.pi * np.array([m.month - 1 for m in months]) / 12.0
    for k in range(1, harmonics + 1):
        columns += [np.sin(k * month_angle), np.cos(k * month_angle)]
    if covariate is not None:
        columns.append(np.asarray(covariate, dtype=float))
    return np.column_stack(columns)


def _fit(months: tuple[date, ...], counts: np.ndarray, break_month: date, after: np.ndarray, design: np.ndarray,
         result: GLMResults, method: Method, dispersion: float, covariate: Sequence[float] | None,
         confidence: float) -> SegmentedFit:
    bounds = result.conf_int(alpha=1.0 - confidence)
    ratios = [Estimate(*np.exp([result.params[i], *bounds[i]]).tolist(), confidence) for i in range(design.shape[1])]
    without_break = design.copy()
    without_break[:, 2:4] = 0.0
    return SegmentedFit(
        months=months,
        observed=tuple(int(c) for c in counts),
        fitted=tuple(result.predict(design).tolist()),
        counterfactual=tuple(result.predict(without_break).tolist()),
        break_month=break_month,
        level=ratios[2],
        slope=ratios[3],
        covariate=ratios[-1] if covariate is not None else None,
        method=method,
        dispersion=dispersion,
        residual_autocorrelation=_lag1(result.resid_pearson),
        months_before=int((~after).sum()),
        months_after=int(after.sum()),
    )


def _refusal(counts: np.ndarray, after: np.ndarray, covariate: Sequence[float] | None, min_before: int,
             min_after: int) -> Refusal | None:
    if (~after).sum() < min_before:
        return Refusal.TOO_FEW_MONTHS_BEFORE
    if after.sum() < min_after:
        return Refusal.TOO_FEW_MONTHS_AFTER
    # With no events on one side the Poisson estimate of the break runs off to ±infinity.
    if counts[~after].sum() == 0:
        return Refusal.NO_EVENTS_BEFORE
    if counts[after].sum() == 0:
        return Refusal.NO_EVENTS_AFTER
    if covariate is not None and not np.isfinite(np.asarray(covariate, dtype=float)).all():
        return Refusal.COVARIATE_INCOMPLETE
    return None


def _check_series(months: tuple[date, ...], counts: np.ndarray, covariate: Sequence[float] | None) -> None:
    if len(months) != len(counts) or (covariate is not None and len(covariate) != len(months)):
        raise ValueError("months, counts and the covariate must have one value per month")
    index = [m.year * 12 + m.month for m in months]
    if any(b - a != 1 for a, b in zip(index, index[1:], strict=False)):
        raise ValueError("months must be consecutive and in order (fill months without events with 0)")
    if (counts < 0).any():
        raise ValueError("counts must be ≥ 0")


def _lag1(residuals: np.ndarray) -> float:
    centred = residuals - residuals.mean()
    denominator = float(centred @ centred)
    return float(centred[1:] @ centred[:-1] / denominator) if denominator > 0 else 0.0
