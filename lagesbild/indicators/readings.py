"""Each indicator's reading: the latest complete month (or survey wave) against the month before and the same
month of the baseline year; its windows (3 and 12 months by default) against the same months of the baseline year,
with the status of the window it rests on by the interval rule (lagesbild.stats); its sparkline, and the outcome at
the goal date judged by the same rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from lagesbild.config.indicators import Effort, Indicator
from lagesbild.dates import add_months, months_between
from lagesbild.disclosure import Rule, share_is_small
from lagesbild.stats.status import Case, CountStatus, ShareStatus, count_status, share_status, window_months
from lagesbild.surveys import wilson_interval

SPARK_MONTHS = 13
HIDDEN_STATUS = "hidden"  # the status rests on a small count that the user does not see (lagesbild.disclosure)
TOO_FEW_STATUS = "too_few"  # too few events (or answers) to tell anything: the interval says nothing
# The colour of each case of the interval rule: better or worse is only a colour when chance cannot explain it.
STATUS_OF_CASE = {Case.GOOD: "good", Case.BETTER_WITHIN_CHANCE: "watch", Case.WORSE_WITHIN_CHANCE: "watch",
                  Case.BAD: "bad", Case.TOO_FEW: TOO_FEW_STATUS, Case.NOT_COMPARABLE: "unknown"}
# A window's sum over its months, as the viewer may see it: (value, "") or (None, the rule's token) when hidden.
Total = Callable[[Sequence[date]], tuple[float, str]]


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
    comparison: CountStatus | ShareStatus | None = None  # the interval rule's reading behind the status


@dataclass(frozen=True)
class Window:
    """The months ending with the latest complete month against the same calendar months of the baseline year.

    status: good | watch | bad | too_few by the interval rule; unknown (see reason) when the source does not cover
    both sides or the window reaches into the baseline year; hidden when a side is a small count the viewer does
    not see (the interval would give it away).
    """

    months: tuple[date, ...]
    baseline_months: tuple[date, ...]
    count: float | None
    baseline_count: float | None
    status: str
    comparison: CountStatus | None = None
    hidden: str = ""
    reason: str | None = None  # no_data | no_baseline | overlaps_baseline

    @property
    def length(self) -> int:
        return len(self.months)

    @property
    def case(self) -> Case | None:
        return self.comparison.case if self.comparison else None


@dataclass(frozen=True)
class Reading:
    indicator: Indicator
    status: str  # good | watch | bad | too_few | unknown | hidden (it rests on a small count the user does not see)
    reason: str | None = None  # why the status is unknown: no_data, no_baseline, no_wave, overlaps_baseline
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
    windows: tuple[Window, ...] = field(default=())
    share_status: ShareStatus | None = None  # a survey's latest wave against the baseline wave, with its interval

    @property
    def status_window(self) -> Window | None:
        """The window the status rests on."""
        return next((w for w in self.windows if w.length == self.indicator.status_window), None)

    @property
    def rated(self) -> CountStatus | ShareStatus | None:
        """The interval rule's reading the status rests on: the status window's, or a survey wave's."""
        if self.indicator.is_survey:
            return self.share_status
        window = self.status_window
        return window.comparison if window else None


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


def dispersion_of(monthly: Sequence[Sequence[float]]) -> float:
    """Pearson dispersion (variance over mean, pooled over groups of months, at least 1) of sums such as hours.

    Each group is one window's months; the season within a window adds to it, which errs on the wide side."""
    squares, df = 0.0, 0
    for values in monthly:
        mean = sum(values) / len(values) if values else 0.0
        if len(values) > 1 and mean > 0:
            squares += sum((v - mean) ** 2 for v in values) / mean
            df += len(values) - 1
    return max(1.0, squares / df) if df else 1.0


def count_rule_status(indicator: Indicator, count: float, baseline_count: float,
                      dispersion: float = 1.0) -> CountStatus:
    """The interval rule of the indicator (indicators.yaml, status) for a sum against the baseline's sum."""
    return count_status(count, baseline_count, direction=indicator.direction, target_change=indicator.target_change,
                        rule=indicator.rule, dispersion=dispersion)


def read_window(indicator: Indicator, series: Mapping[date, float], span: tuple[date, date] | None, latest: date,
                length: int, total: Total | None = None, rule: Rule | None = None) -> Window:
    """One window ending with `latest` against the same months of the baseline year, by the interval rule.

    total: the window's sum as the viewer may see it (lagesbild.reads sums the months' records with their cell
    key); by default the months' values summed, hidden under `rule` when a sum or any month in it is small."""
    months = window_months(latest, length)
    baseline = tuple(sorted(date(indicator.baseline_year, m.month, 1) for m in months))
    if months[0].year <= indicator.baseline_year:
        return Window(months, baseline, None, None, "unknown", reason="overlaps_baseline")
    values = [value_at(series, m, span) for m in months]
    bases = [value_at(series, m, span) for m in baseline]
    if any(v is None for v in values):
        return Window(months, baseline, None, None, "unknown", reason="no_data")
    if any(v is None for v in bases):
        return Window(months, baseline, None, None, "unknown", reason="no_baseline")
    total = total or _summed(series, span, rule)
    (count, hidden), (base, base_hidden) = total(months), total(baseline)
    if hidden or base_hidden:
        return Window(months, baseline, None if hidden else count, None if base_hidden else base, HIDDEN_STATUS,
                      hidden=hidden or base_hidden)
    dispersion = dispersion_of([values, bases]) if indicator.measure.columns else 1.0
    status = count_rule_status(indicator, count, base, dispersion)
    return Window(months, baseline, count, base, STATUS_OF_CASE[status.case], status)


def _summed(series: Mapping[date, float], span: tuple[date, date] | None, rule: Rule | None) -> Total:
    def total(months: Sequence[date]) -> tuple[float, str]:
        values = [value_at(series, m, span) or 0.0 for m in months]
        if rule is not None and any(rule.is_small(v) for v in (sum(values), *values)):
            return 0.0, rule.token
        return float(sum(values)), ""
    return total


def windows_status(indicator: Indicator, windows: Sequence[Window]) -> tuple[str, str | None]:
    """The status of the window the indicator's status rests on, and why it is unknown."""
    window = next((w for w in windows if w.length == indicator.status_window), None)
    if window is None:
        return "unknown", "no_data"
    return window.status, window.reason


def read_monthly(indicator: Indicator, series: Mapping[date, float], span: tuple[date, date] | None, today: date,
                 month_from: date | None = None, month_to: date | None = None, rule: Rule | None = None,
                 total: Total | None = None) -> Reading:
    """The latest complete month against the month before and the same month of the baseline year, and the
    indicator's windows ending with it; the status is the interval rule's on the status window, never one month's.

    rule: the small-count rule of the user (lagesbild.disclosure.current_rule(); None: every number shown). For an
    indicator that counts people or incidents, a month of 1 to 4 is a hidden point, a change with a hidden side is
    None and a status that rests on a hidden value is `hidden`. total: a window's sum as the viewer may see it
    (read_window).
    """
    rule = rule if indicator.is_count else None
    latest = latest_complete_month(span[1] if span else None, today, month_from, month_to)
    if latest is None or value_at(series, latest, span) is None:
        return Reading(indicator, "unknown", "no_data")
    point = _point(series, latest, span, rule)
    previous = _point(series, add_months(latest, -1), span, rule)
    baseline = _point(series, latest.replace(year=indicator.baseline_year), span, rule)
    months = months_between(add_months(latest, 1 - SPARK_MONTHS), latest)
    windows = tuple(read_window(indicator, series, span, latest, length, total, rule) for length in indicator.windows)
    status, reason = windows_status(indicator, windows)
    return Reading(
        indicator, status, reason, point, previous,
        baseline, point_change(point, previous), point_change(point, baseline),
        _series(series, months, span, None, rule), _series(series, months, span, indicator.baseline_year, rule),
        windows=windows,
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
    status, rated = wave_status(indicator, latest, baseline, sizes)
    return Reading(
        indicator, status, None if baseline else "no_baseline", latest, previous,
        baseline, point_change(latest, previous, "points"), point_change(latest, baseline, "points"),
        tuple(shown), (), n, None if latest.hidden else wilson_interval(latest.value, n), share_status=rated,
    )


def wave_status(indicator: Indicator, latest: Point, baseline: Point | None,
                sizes: Mapping[date, int | None]) -> tuple[str, ShareStatus | None]:
    """The interval rule for a wave against the baseline year's wave of the same survey and questions.

    Waves are comparable when they are of the survey and questions the indicator names (the query holds them to
    that); a wave without its number of answers cannot be given an interval and is `too_few`."""
    if baseline is None:
        return "unknown", None
    if latest.hidden or baseline.hidden:
        return HIDDEN_STATUS, None
    n, base_n = sizes.get(latest.period), sizes.get(baseline.period)
    if not n or not base_n:
        return TOO_FEW_STATUS, None
    rated = share_status(latest.value, n, baseline.value, base_n, comparable=True, direction=indicator.direction,
                         target_change=indicator.target_change, rule=indicator.rule)
    return STATUS_OF_CASE[rated.case], rated


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
    dispersion = dispersion_of([[p[0] for p in pairs], [p[1] for p in pairs]]) if indicator.measure.columns else 1.0
    rated = count_rule_status(indicator, value, base, dispersion)
    return Outcome((first, last), value, base, change(value, base), STATUS_OF_CASE[rated.case], comparison=rated)


def survey_outcome(indicator: Indicator, points: Sequence[Point], goal_date: date, today: date,
                   sizes: Mapping[date, int | None] | None = None) -> Outcome | None:
    """The last wave of the twelve months before the goal date against the baseline year's wave."""
    first, _ = goal_window(goal_date)
    if today < goal_date:
        return None
    inside = [point for point in points if first <= point.period < goal_date]
    baseline = next((p for p in reversed(points) if p.period.year == indicator.baseline_year), None)
    if not inside:
        return None
    latest = inside[-1]
    latest_n = (sizes or {}).get(latest.period)
    baseline_n = (sizes or {}).get(baseline.period) if baseline else None
    if latest.hidden or (baseline is not None and baseline.hidden):  # waves hidden by waves(frame, rule)
        return Outcome((latest.period, latest.period), None, None, None, HIDDEN_STATUS, latest.label)
    value, base = latest.value, baseline and baseline.value
    sizes = {latest.period: latest_n, **({baseline.period: baseline_n} if baseline else {})}
    status, rated = wave_status(indicator, latest, baseline, sizes)
    return Outcome((latest.period, latest.period), value, base, change(value, base, "points"), status, latest.label,
                   rated)


def days_to_goal(goal_date: date, today: date) -> int:
    """Positive: days left; negative: days since the goal date passed."""
    return (goal_date - today).days
