"""Each indicator's reading: the latest complete month (or survey wave) against the month before and the same
month of the baseline year, its status by the indicator's rule, its sparkline, and the outcome at the goal date."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from lagesbild.config.indicators import Effort, Indicator
from lagesbild.dates import add_months, months_between
from lagesbild.disclosure import Rule, share_is_small
from lagesbild.surveys import wilson_interval

SPARK_MONTHS = 13
HIDDEN_STATUS = "hidden"  # the status rests on a small count that the user does not see (lagesbild.disclosure)


# ---- readings ----

@dataclass(frozen=True)
class Point:
    period: date  # the first day of a month, or a survey wave's last fieldwork day
    value: float | None  # None only when hidden
    label: str = ""  # a survey wave, e.g. '2025'
    hidden: str = ""  # the rule's token ("<5"): a small count (or a share of few answers) this viewer does not see


@dataclass(frozen=True)
class Comparison:
    """The effort (or any second measure) in the latest month and in the same month of the baseline year."""

    label: Mapping[str, str]
    value: float | None
    baseline: float | None
    value_hidden: str = ""  # the rule's token ("<5") when the value is a small count this viewer does not see
    baseline_hidden: str = ""


@dataclass(frozen=True)
class Outcome:
    """The year before the goal date against the baseline year, judged by the same rule."""

    period: tuple[date, date]
    value: float | None
    baseline: float | None
    change: float | None
    status: str  # as a reading's; hidden: it rests on a small count the user does not see (nor does the change)
    wave: str = ""  # the survey wave judged, e.g. '2024'


@dataclass(frozen=True)
class Reading:
    indicator: Indicator
    status: str  # good | watch | bad | unknown | hidden (it rests on a small count the user does not see)
    reason: str | None = None  # why the status is unknown: no_data, no_baseline, no_wave
    latest: Point | None = None
    previous: Point | None = None
    baseline: Point | None = None
    change_previous: float | None = None  # None too when either side is hidden: with one side it gives the other
    change_baseline: float | None = None
    series: tuple[Point, ...] = ()
    baseline_series: tuple[Point, ...] = ()  # the baseline year under the series, month by month
    n: int | None = None
    interval: tuple[float, float] | None = None
    effort: Comparison | None = None
    outcome: Outcome | None = None


def latest_complete_month(last_with_data: date | None, today: date, month_from: date | None = None,
                          month_to: date | None = None) -> date | None:
    """The last month with data that is over (never the current month), and inside the chosen range."""
    if last_with_data is None:
        return None
    latest = min(last_with_data, add_months(today.replace(day=1), -1), month_to or date.max)
    return None if month_from and latest < month_from else latest


def value_at(series: Mapping[date, float], month: date, span: tuple[date, date] | None) -> float | None:
    """A month's value: 0 when the source has data that month but none counted here, None outside the data."""
    if span is None or not span[0] <= month <= span[1]:
        return None
    return float(series.get(month, 0))


def change(value: float | None, base: float | None, compare: str = "relative") -> float | None:
    """Relative change (0.25 = 25 % higher) or the difference in points; None when it cannot be computed."""
    if value is None or base is None:
        return None
    if compare == "points":
        return value - base
    return None if base == 0 else value / base - 1


def status_of(indicator: Indicator, value: float | None, base: float | None) -> str:
    """good when the change reaches `green`, bad when it is past `red` the wrong way, watch in between."""
    if value is None or base is None:
        return "unknown"
    delta = change(value, base, indicator.compare)
    if delta is None:  # relative change from zero: unchanged, or infinitely more
        delta = 0.0 if value == 0 else math.inf
    sign = -1 if indicator.direction == "lower" else 1
    better = round(sign * delta, 9)
    if better >= round(sign * indicator.green, 9):
        return "good"
    return "bad" if better < round(sign * indicator.red, 9) else "watch"


def read_monthly(indicator: Indicator, series: Mapping[date, float], span: tuple[date, date] | None, today: date,
                 month_from: date | None = None, month_to: date | None = None, rule: Rule | None = None) -> Reading:
    """The latest complete month against the month before and the same month of the baseline year.

    rule: the small-count rule of the user (lagesbild.disclosure.current_rule(); None: every number shown). For an
    indicator that counts people or incidents, a month of 1 to 4 is a hidden point, a change with a hidden side is
    None and a status that rests on a hidden value is `hidden`.
    """
    rule = rule if indicator.is_count else None
    latest = latest_complete_month(span[1] if span else None, today, month_from, month_to)
    if latest is None or value_at(series, latest, span) is None:
        return Reading(indicator, "unknown", "no_data")
    point = _point(series, latest, span, rule)
    previous = _point(series, add_months(latest, -1), span, rule)
    baseline = _point(series, latest.replace(year=indicator.baseline_year), span, rule)
    months = months_between(add_months(latest, 1 - SPARK_MONTHS), latest)
    return Reading(
        indicator, point_status(indicator, point, baseline), None if baseline else "no_baseline", point, previous,
        baseline, point_change(point, previous), point_change(point, baseline),
        _series(series, months, span, None, rule), _series(series, months, span, indicator.baseline_year, rule),
    )


def shown_point(period: date, value: float, rule: Rule | None, label: str = "", count: float | None = None) -> Point:
    """The one place a value becomes a point on a card, in the report's table and in a sparkline: hidden (value
    None) when the count behind it (`count`, by default the value itself) is small under `rule`."""
    if rule is not None and rule.is_small(value if count is None else count):
        return Point(period, None, label, rule.token)
    return Point(period, value, label)


def _point(series: Mapping[date, float], month: date, span: tuple[date, date] | None,
           rule: Rule | None = None) -> Point | None:
    value = value_at(series, month, span)
    return None if value is None else shown_point(month, value, rule)


def _series(series: Mapping[date, float], months: list[date], span: tuple[date, date] | None,
            year: int | None, rule: Rule | None = None) -> tuple[Point, ...]:
    """The months' values; with `year`, the value of the same calendar month in that year, at each month."""
    points = [(month, value_at(series, month.replace(year=year) if year else month, span)) for month in months]
    return tuple(shown_point(month, value, rule) for month, value in points if value is not None)


def point_change(point: Point | None, other: Point | None, compare: str = "relative") -> float | None:
    """The change from `other` to `point`; None when either is missing or hidden."""
    if point is None or other is None or point.hidden or other.hidden:
        return None
    return change(point.value, other.value, compare)


def point_status(indicator: Indicator, point: Point | None, baseline: Point | None) -> str:
    """status_of the two points; `hidden` when either is hidden, since the colour would say something of it."""
    if point is not None and baseline is not None and (point.hidden or baseline.hidden):
        return HIDDEN_STATUS
    return status_of(indicator, point and point.value, baseline and baseline.value)


def with_effort(reading: Reading, effort: Effort, series: Mapping[date, float],
                span: tuple[date, date] | None, rule: Rule | None = None) -> Reading:
    """The reading with its effort in the same latest month and baseline month (small counts hidden by `rule`
    when the effort counts people or incidents)."""
    if reading.latest is None:
        return reading
    rule = rule if effort.is_count else None
    month, base = reading.latest.period, reading.latest.period.replace(year=reading.indicator.baseline_year)
    value, baseline = value_at(series, month, span), value_at(series, base, span)
    hidden = ["" if v is None else shown_point(month, v, rule).hidden for v in (value, baseline)]
    comparison = Comparison(effort.label, None if hidden[0] else value, None if hidden[1] else baseline, *hidden)
    return replace(reading, effort=comparison)


# ---- surveys ----

def waves(frame: pd.DataFrame, rule: Rule | None = None) -> tuple[list[Point], dict[date, int | None]]:
    """survey_answer_shares rows as one point per wave (oldest first, places pooled) and each wave's n.

    With a small-count rule, a wave is hidden when the respondents who gave the answers (share × n), or those who
    did not (n minus them), are from 1 to 4: the share and n would give either away. A hidden wave's n is None
    when it is itself a small count.
    """
    points: list[Point] = []
    sizes: dict[date, int | None] = {}
    for (label, end), rows in frame.groupby(["wave", "period_end"], sort=False):
        share, sizes[end] = pooled_share(rows)
        if share is None:
            continue
        point = Point(end, share, str(label))
        n = sizes[end]
        if share_is_small(share, n, rule):
            point = Point(end, None, str(label), rule.token)
            sizes[end] = None if rule.is_small(n) else n
        points.append(point)
    return sorted(points, key=lambda point: point.period), sizes


def pooled_share(rows: pd.DataFrame) -> tuple[float | None, int | None]:
    """Counts over respondents when every row has them; otherwise shares weighted by respondents."""
    n = rows["n"]
    if n.notna().all() and rows["count"].notna().all() and n.sum() > 0:
        return float(rows["count"].sum() / n.sum()), int(n.sum())
    if n.notna().all() and n.sum() > 0:
        return float((rows["share"] * n).sum() / n.sum()), int(n.sum())
    shares = rows["share"].dropna()
    return (float(shares.mean()), None) if len(shares) else (None, None)


def read_survey(indicator: Indicator, points: Sequence[Point], sizes: Mapping[date, int | None], today: date,
                month_to: date | None = None) -> Reading:
    """The latest wave (ending before today, and by the end of `month_to`) against the baseline year's wave."""
    until = add_months(month_to, 1) if month_to else today
    shown = [point for point in points if point.period < min(until, today)]
    if not shown:
        return Reading(indicator, "unknown", "no_wave")
    latest = shown[-1]
    baseline = next((p for p in reversed(shown) if p.period.year == indicator.baseline_year), None)
    previous = shown[-2] if len(shown) > 1 else None
    n = sizes.get(latest.period)
    return Reading(
        indicator, point_status(indicator, latest, baseline), None if baseline else "no_baseline", latest, previous,
        baseline, point_change(latest, previous, "points"), point_change(latest, baseline, "points"),
        tuple(shown), (), n, None if latest.hidden else wilson_interval(latest.value, n),
    )


# ---- the goal date and the outcome ----

def goal_window(goal_date: date) -> tuple[date, date]:
    """The twelve months before the goal date: what the outcome at the goal date is judged on."""
    first = goal_date.replace(day=1)
    return add_months(first, -12), add_months(first, -1)


def monthly_outcome(indicator: Indicator, series: Mapping[date, float], span: tuple[date, date] | None,
                    goal_date: date, today: date, rule: Rule | None = None) -> Outcome | None:
    """The twelve months before the goal date against the same months of the baseline year (None: not yet).

    Only months with data in both years are added up, so a source that starts in February of the baseline
    year is compared February to December on both sides. With a small-count rule, a month hidden on either side
    hides the outcome (`hidden`, no change): the sparklines show the other months, and the change of the sums
    would give the hidden one away.
    """
    first, last = goal_window(goal_date)
    latest = latest_complete_month(span[1] if span else None, today)
    if latest is None or last > latest:
        return None
    pairs = [(value_at(series, month, span), value_at(series, month.replace(year=indicator.baseline_year), span))
             for month in months_between(first, last)]
    pairs = [(value, base) for value, base in pairs if value is not None and base is not None]
    if not pairs:
        return Outcome((first, last), None, None, None, "unknown")
    value, base = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    rule = rule if indicator.is_count else None
    if rule is not None and any(rule.is_small(v) for v in (value, base, *(v for pair in pairs for v in pair))):
        return Outcome((first, last), None, None, None, HIDDEN_STATUS)
    return Outcome((first, last), value, base, change(value, base), status_of(indicator, value, base))


def survey_outcome(indicator: Indicator, points: Sequence[Point], goal_date: date, today: date) -> Outcome | None:
    """The last wave of the twelve months before the goal date against the baseline year's wave."""
    first, _ = goal_window(goal_date)
    if today < goal_date:
        return None
    inside = [point for point in points if first <= point.period < goal_date]
    baseline = next((p for p in reversed(points) if p.period.year == indicator.baseline_year), None)
    if not inside:
        return None
    latest = inside[-1]
    if latest.hidden or (baseline is not None and baseline.hidden):  # waves hidden by waves(frame, rule)
        return Outcome((latest.period, latest.period), None, None, None, HIDDEN_STATUS, latest.label)
    value, base = latest.value, baseline and baseline.value
    return Outcome((latest.period, latest.period), value, base, change(value, base, "points"),
                   status_of(indicator, value, base), latest.label)


def days_to_goal(goal_date: date, today: date) -> int:
    """Positive: days left; negative: days since the goal date passed."""
    return (goal_date - today).days
