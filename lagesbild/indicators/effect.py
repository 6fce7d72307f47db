"""Before and after a measure: the target places, their buffer and the comparison area over the same calendar months
before and after, each as a rate ratio with its exact interval, and the weighted displacement quotient (Bowers &
Johnson 2003) between them; the trend and break of an indicator as a segmented Poisson regression (lagesbild.stats).

Pure: the counts come from lagesbild.reads (EffectReads) as the viewer may see them; a count the viewer does not see
(1–4 for a partner) leaves its zone without a ratio and the displacement unread.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lagesbild.config import Config
from lagesbild.config.indicators import Indicator
from lagesbild.dates import add_months, months_between
from lagesbild.stats.displacement import BeforeAfter, WeightedDisplacement, weighted_displacement
from lagesbild.stats.its import SegmentedFit, SegmentedRefusal, segmented_regression
from lagesbild.stats.status import CountStatus, count_status

ZONES = ("target", "buffer", "control")
MIN_MONTHS, MAX_MONTHS = 3, 12
# Below this many events in a zone's two windows together, most changes are chance (the caveat says so).
SMALL_COUNT = 20
SHORT_WINDOW = 12  # months: a window shorter than a year says little about a lasting effect


@dataclass(frozen=True)
class EffectWindows:
    """`months` complete months from the first whole month of the measure on, and the same months a year before."""

    months: int
    before: tuple[date, date]
    after: tuple[date, date]

    @property
    def after_months(self) -> list[date]:
        return months_between(*self.after)


def effect_windows(start: date, months: int) -> EffectWindows:
    """The windows of a measure done on `start` (a month begun is not a month after it: the next one starts)."""
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise ValueError(f"a window is {MIN_MONTHS} to {MAX_MONTHS} months, got {months}")
    first = start if start.day == 1 else add_months(start.replace(day=1), 1)
    after = (first, add_months(first, months - 1))
    return EffectWindows(months, (add_months(after[0], -12), add_months(after[1], -12)), after)


@dataclass(frozen=True)
class ZoneCount:
    """One zone's count before and after, as the viewer may see it, and the change with its interval."""

    zone: str  # target | buffer | control
    places: tuple[str, ...]
    before: float | None
    after: float | None
    before_hidden: str = ""  # the rule's token ("<5") when the count is small and not shown
    after_hidden: str = ""
    change: CountStatus | None = None  # after against before by the indicator's rule; None when hidden or empty

    @property
    def shown(self) -> bool:
        return not (self.before_hidden or self.after_hidden) and self.before is not None and self.after is not None

    @property
    def events(self) -> float:
        return (self.before or 0.0) + (self.after or 0.0)


@dataclass(frozen=True)
class Effect:
    indicator: Indicator
    windows: EffectWindows
    zones: Mapping[str, ZoneCount]
    displacement: WeightedDisplacement | None  # None when a count is hidden or a zone has no places
    complete: bool  # the after window lies within the data
    caveats: tuple[str, ...]  # stats.wording keys: caveat.short_window, caveat.small_counts, caveat.police_effort

    @property
    def target(self) -> ZoneCount:
        return self.zones["target"]


def zone_count(indicator: Indicator, zone: str, places: Sequence[str], before: tuple[float | None, str],
               after: tuple[float | None, str]) -> ZoneCount:
    """A zone's two (value, hidden) totals and, when both are shown, the change by the indicator's interval rule."""
    (b, b_hidden), (a, a_hidden) = before, after
    change = None
    if places and not (b_hidden or a_hidden) and b is not None and a is not None:
        change = count_status(a, b, direction=indicator.direction, rule=indicator.rule)
    return ZoneCount(zone, tuple(places), b, a, b_hidden, a_hidden, change)


def evaluate(indicator: Indicator, windows: EffectWindows, zones: Mapping[str, ZoneCount], complete: bool,
             police_effort: bool, *, draws: int = 2000) -> Effect:
    """The zones' counts read together: the displacement quotient when every count is shown, and the caveats."""
    shown = all(zones[z].shown and zones[z].places for z in ZONES)
    displacement = None
    if shown and complete:
        counts = [BeforeAfter(int(round(zones[z].before)), int(round(zones[z].after))) for z in ZONES]
        displacement = weighted_displacement(*counts, draws=draws)
    caveats = []
    if windows.months < SHORT_WINDOW:
        caveats.append("caveat.short_window")
    if any(zones[z].events < SMALL_COUNT for z in ZONES if zones[z].shown) or not shown:
        caveats.append("caveat.small_counts")
    if police_effort:
        caveats.append("caveat.police_effort")
    return Effect(indicator, windows, zones, displacement, complete, tuple(caveats))


# ---- which measure, which places ----

def measure_slug(day: date, title: str) -> str:
    """'2023-05-15-ny-belysning-tantolunden': a measure's name in the URL, the same for the same row in any store."""
    folded = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode().lower()
    return f"{day:%Y-%m-%d}-" + re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def measure_zones(config: Config, place_id: str) -> dict[str, tuple[str, ...]]:
    """The target place of a measure, its buffer and the default comparison area's places (area.yaml, evaluation)."""
    evaluation = config.area.evaluation
    control = evaluation.comparison_area()
    return {"target": (place_id,), "buffer": tuple(evaluation.buffers.get(place_id, ())),
            "control": tuple(p.id for p in config.places.in_area(control.id)) if control else ()}


def effect_indicators(config: Config) -> list[Indicator]:
    """The count indicators of incidents: what a comparison area has data for."""
    return [i for i in config.indicators.indicators if i.kind == "incidents" and not i.measure.columns]


def evaluable(config: Config, place_id: str, day: date, months: int, latest: date | None) -> bool:
    """A measure at a place with a buffer whose window after is over by `latest`."""
    return (place_id in config.area.evaluation.buffers and latest is not None
            and effect_windows(day, months).after[1] <= latest)


# ---- trend and break ----

def trend_and_break(series: Mapping[date, float | None], first: date, last: date, break_month: date,
                    covariate: Mapping[date, float] | None = None) -> SegmentedFit | SegmentedRefusal | None:
    """The segmented regression of the months from `first` to `last` (a month missing from `series` is 0), with the
    covariate on the log scale (log(1 + effort)); None when a month is hidden from the viewer (None in `series`)."""
    months = months_between(first, last)
    values = [series.get(month, 0.0) for month in months]
    if any(value is None or (isinstance(value, float) and math.isnan(value)) for value in values):
        return None
    # A month the effort's source does not cover is unknown (nan: the fit refuses), not zero effort.
    effort = None if covariate is None else [
        math.nan if covariate.get(month) is None else math.log1p(covariate[month]) for month in months]
    return segmented_regression(months, [int(round(v)) for v in values], break_month, covariate=effort)
