"""Honest numbers at small counts: rate ratios, proportion differences, the status rule, WDQ and time series."""

from lagesbild.stats.displacement import BeforeAfter, Interpretation, WeightedDisplacement, weighted_displacement
from lagesbild.stats.estimate import Estimate
from lagesbild.stats.its import Method, Refusal, SegmentedFit, SegmentedRefusal, segmented_regression
from lagesbild.stats.proportions import ProportionDifference, proportion_difference, share_difference
from lagesbild.stats.rates import RateRatio, rate_ratio
from lagesbild.stats.status import (
    Case,
    CountStatus,
    CountWindow,
    Direction,
    ShareStatus,
    StatusRule,
    Target,
    count_status,
    count_window,
    share_status,
    window_months,
)

__all__ = [
    "BeforeAfter", "Case", "CountStatus", "CountWindow", "Direction", "Estimate", "Interpretation", "Method",
    "ProportionDifference", "RateRatio", "Refusal", "SegmentedFit", "SegmentedRefusal", "ShareStatus", "StatusRule",
    "Target", "WeightedDisplacement", "count_status", "count_window", "proportion_difference", "rate_ratio",
    "segmented_regression", "share_difference", "share_status", "weighted_displacement", "window_months",
]
