"""An estimate with its interval, shared by the displacement and time-series results."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """A point estimate and its interval at `confidence`; nan where the data cannot say."""

    value: float
    low: float
    high: float
    confidence: float = 0.95

    def excludes(self, value: float) -> bool:
        """Whether the interval leaves `value` out: the estimate is then distinguishable from it."""
        return self.high < value or self.low > value
