"""Each indicator's reading for a filter, with the viewer's rule: the one reading Översikt and the lägesrapport
share."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lagesbild import queries
from lagesbild.config import Goal, Indicator, IndicatorConfig
from lagesbild.config.indicators import Measure
from lagesbild.disclosure import keyed_total, protect, protect_total
from lagesbild.filters import FilterState
from lagesbild.indicators.readings import (
    Reading,
    Total,
    monthly_outcome,
    read_monthly,
    read_survey,
    survey_outcome,
    waves,
    with_effort,
)
from lagesbild.reads.base import ReadsBase, measure_name


class IndicatorReads(ReadsBase):
    def indicator_readings(self, config: IndicatorConfig, goal: Goal, state: FilterState,
                           today: date) -> dict[str, Reading]:
        """Every indicator's reading for the filter, as of `today` (the month is complete, the next one not begun).

        A count of 1 to 4 is a hidden point for a viewer under the rule, a change with a hidden side is None and a
        status that rests on a hidden value is `hidden`, so the cards, the report's table and its notes all show the
        same '<5' and '–'."""
        kinds = {i.kind for i in config.indicators} | {i.effort.measure.kind for i in config.indicators if i.effort}
        spans = {kind: queries.kind_month_span(self.engine, kind, today.replace(day=1)) for kind in kinds}
        return {indicator.id: self._reading(indicator, goal, state, today, spans)
                for indicator in config.indicators}

    def _reading(self, indicator: Indicator, goal: Goal, state: FilterState, today: date, spans: dict) -> Reading:
        rule = self.rule
        if indicator.is_survey:
            frame = queries.survey_answer_shares(self.engine, indicator.survey, indicator.answers,
                                                 place_ids=state.places,
                                                 categories=indicator.measure.categories or None,
                                                 question_codes=indicator.question_codes or None)
            points, sizes = waves(frame, rule if indicator.is_count else None)
            reading = read_survey(indicator, points, sizes, today, state.month_to)
            return replace(reading, outcome=survey_outcome(indicator, points, goal.date, today, sizes))
        frame = self._frame(indicator.measure, state, today)
        series = self._values(frame, indicator.measure, indicator.is_count)
        span = spans[indicator.kind]
        total = self._window_total(frame, indicator.measure, indicator.is_count)
        reading = read_monthly(indicator, series, span, today, state.month_from, state.month_to, rule, total)
        if indicator.effort:
            effort = indicator.effort
            reading = with_effort(reading, effort, self._series(effort.measure, state, today, effort.is_count),
                                  spans[effort.measure.kind], rule)
        outcome = monthly_outcome(indicator, series, span, goal.date, today, rule) if today >= goal.date else None
        return replace(reading, outcome=outcome)

    def _series(self, measure: Measure, state: FilterState, today: date, counts: bool) -> dict[date, float]:
        return self._values(self._frame(measure, state, today), measure, counts)

    def _frame(self, measure: Measure, state: FilterState, today: date):
        return queries.indicator_monthly(self.engine, measure.kind, measure.columns, place_ids=state.places,
                                         categories=measure.categories or None, is_measure=measure.is_measure,
                                         before=today.replace(day=1))

    def _window_total(self, frame, measure: Measure, counts: bool) -> Total | None:
        """A window's sum for a viewer under the rule: the months' records summed with their cell key and shown as
        one cell (rounded, or hidden when 1–4), so the interval rests on what this viewer may see of the window;
        None (the months' values summed) for a viewer who sees every number or a measure that counts no one."""
        if not (self.viewer.protected and counts):
            return None
        rule, name = self.rule, measure_name(measure.columns or "count")

        def total(months) -> tuple[float, str]:
            value, key, records = keyed_total(frame[frame["month"].isin(list(months))])
            shown, hidden = protect_total(value, rule=rule, key=key, records=records, measure=name)
            return (0.0 if shown is None else shown), hidden
        return total

    def _values(self, frame, measure: Measure, counts: bool) -> dict[date, float]:
        """The measure per month; for a viewer under the rule a count of anyone comes rounded as every count is
        (lagesbild.disclosure), its 1–4 months as they are for the reading to hide (`read_monthly` shows them as
        '<5' and keeps any change or status that rests on one hidden)."""
        values = frame["value"].astype(float)
        if self.viewer.protected and counts and not frame.empty:
            shown = protect(frame, rule=self.rule, measure=measure_name(measure.columns or "count"))["value"]
            values = values.where(shown.isna() & (values > 0), shown)
        return dict(zip(frame["month"], values, strict=True))
