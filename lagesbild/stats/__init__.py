"""Honest numbers at small counts: rate ratios, proportion differences, the status rule, WDQ and time series."""

from lagesbild.stats.proportions import ProportionDifference, proportion_difference, share_difference
from lagesbild.stats.rates import RateRatio, rate_ratio

__all__ = ["ProportionDifference", "RateRatio", "proportion_difference", "rate_ratio", "share_difference"]
