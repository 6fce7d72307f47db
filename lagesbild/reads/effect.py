"""The Effekt page's reads: a measure's zones before and after, and an indicator's monthly series, as the viewer may
see them (each window's total a cell of its own, rounded or hidden by the small-count rule)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from lagesbild.config.indicators import Indicator
from lagesbild.disclosure import HIDDEN
from lagesbild.indicators.effect import ZONES, Effect, EffectWindows, evaluate, zone_count
from lagesbild.reads.activity import ActivityReads


class EffectReads(ActivityReads):
    def measure_effect(self, indicator: Indicator, zones: Mapping[str, Sequence[str]], windows: EffectWindows,
                       latest: date | None, *, police_effort: bool = False) -> Effect:
        """The indicator's count in each zone (target, buffer, control: place ids, named by id so that a comparison
        area's places are read) in the window before and the window after, and what they say together."""
        measure = indicator.measure
        if measure.kind != "incidents" or measure.columns:
            raise ValueError(f"the effect of a measure is read on a count of incidents, not {indicator.id!r}")

        def total(places: Sequence[str], window: tuple[date, date]) -> tuple[float | None, str]:
            if not places:
                return None, ""
            return self.total("incidents", place_ids=tuple(places), month_from=window[0], month_to=window[1],
                              categories=measure.categories or None)

        complete = latest is not None and windows.after[1] <= latest
        # An after window that is not over has no count to compare: a month without data is not a month of zero.
        counted = {zone: zone_count(indicator, zone, zones.get(zone, ()), total(zones.get(zone, ()), windows.before),
                                    total(zones.get(zone, ()), windows.after) if complete else (None, ""))
                   for zone in ZONES}
        return evaluate(indicator, windows, counted, complete, police_effort)

    def effect_series(self, indicator: Indicator, place_ids: Sequence[str] = (),
                      before: date | None = None) -> dict[date, float | None]:
        """The indicator's count per month (months without rows left out: 0), None where this viewer does not see it
        (a small count), up to but not including the month `before`."""
        measure = indicator.measure
        frame = self.monthly(measure.kind, "count", place_ids=tuple(place_ids), categories=measure.categories or None,
                             counts=indicator.is_count)
        series = {}
        for row in frame.itertuples(index=False):
            if before is not None and row.month >= before:
                continue
            hidden = bool(getattr(row, HIDDEN, "")) if HIDDEN in frame.columns else False
            series[row.month] = None if hidden else float(row.value)
        return series
