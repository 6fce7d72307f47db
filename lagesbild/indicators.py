"""Indicators toward the effect goal: definitions from indicators.yaml, and each one's value, change and status."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from lagesbild.disclosure import SMALL, Rule, cell_text, hover_text, minimum, share_is_small
from lagesbild.filters import months_between
from lagesbild.i18n import t
from lagesbild.i18n.formats import MISSING, NBSP, fmt_change, fmt_date, fmt_dec, fmt_int, fmt_month, fmt_pct
from lagesbild.settings import CONFIG_DIR
from lagesbild.store.schema import FACT_TABLES, KINDS

INDICATORS_FILE = CONFIG_DIR / "indicators.yaml"
DIRECTIONS = ("lower", "higher")
COMPARES = ("relative", "points")
COUNTS = ("people", "incidents", "none")  # what an indicator counts; none: not a count of anyone (hours)
LANGS = ("sv", "en")
SPARK_MONTHS = 13
STATUS_ICONS = {"good": "✓", "watch": "!", "bad": "✗", "unknown": "?", "hidden": "–"}
HIDDEN_STATUS = "hidden"  # the status rests on a small count that the user does not see (lagesbild.disclosure)
Z95 = 1.959964


class IndicatorConfigError(ValueError):
    """Every problem found in an indicator file, each naming the file and the key."""

    def __init__(self, path: Path | str, problems: Sequence[str]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s) in the indicator definitions:\n{lines}")


# ---- definitions ----

@dataclass(frozen=True)
class Measure:
    """What is counted (no columns) or summed, in which kind of data, for which categories."""

    kind: str
    columns: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    is_measure: bool | None = None


@dataclass(frozen=True)
class Effort:
    label: Mapping[str, str]
    measure: Measure
    counts: str = "people"

    @property
    def is_count(self) -> bool:
        return self.counts != "none"


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str
    label: Mapping[str, str]
    unit: Mapping[str, str]
    measure: Measure
    direction: str
    baseline_year: int
    target_change: float
    green: float
    red: float
    compare: str = "relative"
    target_by: date | None = None
    note: Mapping[str, str] | None = None
    effort: Effort | None = None
    survey: str | None = None
    answers: tuple[str, ...] = ()
    question_codes: tuple[str, ...] = ()
    counts: str = "people"  # people | incidents | none: a count of 1 to 4 is hidden from the roles of small_counts

    @property
    def kind(self) -> str:
        return self.measure.kind

    @property
    def is_count(self) -> bool:
        """A count of people or incidents (for a survey: of the answers behind its share), small ones hidden."""
        return self.counts != "none"

    @property
    def is_survey(self) -> bool:
        return self.kind == "surveys"


@dataclass(frozen=True)
class Group:
    id: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class IndicatorConfig:
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    stale_after_days: Mapping[str, int]

    def stale_after(self, kind: str) -> int:
        return int(self.stale_after_days.get(kind, self.stale_after_days.get("default", 45)))

    def in_group(self, group_id: str) -> list[Indicator]:
        return [indicator for indicator in self.indicators if indicator.group == group_id]


@dataclass(frozen=True)
class Goal:
    date: date
    text: Mapping[str, str]
    baseline_year: int


@functools.cache
def load_goal(area_file: Path) -> Goal:
    """The effect goal from area.yaml: its date, its text in both languages and the baseline year."""
    data = yaml.safe_load(Path(area_file).read_text(encoding="utf-8")) or {}
    goal = data.get("goal") or {}
    if not isinstance(goal.get("date"), date):
        raise IndicatorConfigError(area_file, ["goal.date: missing or not a date (write 2025-01-01)"])
    return Goal(goal["date"], dict(goal.get("text") or {}), int(data.get("baseline_year") or goal["date"].year - 3))


def vocabulary_codes(vocabulary_file: Path) -> dict[str, set[str]]:
    """The category codes per kind in vocabulary.yaml, to check the indicators' categories against."""
    data = yaml.safe_load(Path(vocabulary_file).read_text(encoding="utf-8")) or {}
    return {kind: set(data.get(kind) or {}) for kind in KINDS}


@functools.cache
def load_config(path: Path = INDICATORS_FILE, vocabulary_file: Path | None = None,
                goal_date: date | None = None) -> IndicatorConfig:
    """The indicator file, read and checked once per process (edit it, then restart the dashboard)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndicatorConfigError(path, [f"(file): cannot be read: {exc}"]) from exc
    vocabulary = vocabulary_codes(vocabulary_file) if vocabulary_file else None
    return parse_config(data, path, vocabulary, goal_date)


def parse_config(data: object, path: Path | str = "indicators.yaml",
                 vocabulary: Mapping[str, set[str]] | None = None, goal_date: date | None = None) -> IndicatorConfig:
    """Build and check the definitions; every problem is collected and raised together."""
    if not isinstance(data, dict):
        raise IndicatorConfigError(path, ["(top level): must be a mapping with the key 'indicators'"])
    problems: list[str] = []
    groups = tuple(_group(raw, f"groups[{i}]", problems) for i, raw in enumerate(_items(data, "groups", problems)))
    defaults = data.get("defaults") or {}
    parser = _IndicatorParser(defaults, vocabulary, goal_date, problems)
    items = _items(data, "indicators", problems)
    indicators = tuple(parser.parse(raw, i) for i, raw in enumerate(items))
    _check_ids(items, {group.id for group in groups}, problems)
    if problems:
        raise IndicatorConfigError(path, problems)
    return IndicatorConfig(indicators, groups, _stale_after(data.get("freshness") or {}))


def _items(data: Mapping, key: str, problems: list[str]) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        problems.append(f"{key}: missing or empty (a list is needed)")
        return []
    return value


def _group(raw: object, where: str, problems: list[str]) -> Group:
    raw = raw if isinstance(raw, dict) else {}
    if not raw.get("id"):
        problems.append(f"{where}.id: missing")
    return Group(str(raw.get("id") or ""), _labels(raw, "label", where, problems))


def _labels(raw: Mapping, key: str, where: str, problems: list[str], required: bool = True) -> dict[str, str]:
    value = raw.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGS):
        problems.append(f"{where}.{key}: needs a text for each of sv and en, e.g. {{sv: …, en: …}}")
        return {}
    extra = [str(name) for name in value if name not in LANGS]
    if extra:  # `{sv: Våld, hot, en: …}` reads 'hot' as a key: a text with a comma must be quoted
        problems.append(f"{where}.{key}: unexpected key(s) {', '.join(extra)}; quote a text that has a comma")
    return {lang: value[lang] for lang in LANGS}


def _check_ids(items: Sequence[object], group_ids: set[str], problems: list[str]) -> None:
    """Ids are unique and every indicator's group is declared (checked on the raw entries, broken or not)."""
    seen: set[str] = set()
    for i, raw in enumerate(items):
        raw = raw if isinstance(raw, dict) else {}
        ident, group = raw.get("id"), raw.get("group")
        if ident in seen:
            problems.append(f"indicators[{i}].id: '{ident}' is used twice")
        if group is not None and group not in group_ids:
            problems.append(f"indicators[{i}] ({ident}).group: '{group}' is not one of the groups "
                            f"({', '.join(sorted(group_ids))})")
        seen.add(ident)


def _stale_after(freshness: Mapping) -> dict[str, int]:
    value = freshness.get("stale_after_days", 45)
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {"default": int(value)}


class _IndicatorParser:
    """Reads one indicator entry (defaults merged in), appending a problem for each bad key."""

    def __init__(self, defaults: Mapping, vocabulary: Mapping[str, set[str]] | None, goal_date: date | None,
                 problems: list[str]):
        self.defaults, self.vocabulary, self.goal_date, self.problems = defaults, vocabulary, goal_date, problems

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.where}.{key}: {message}")

    def parse(self, raw: object, index: int) -> Indicator | None:
        raw = {**self.defaults, **raw} if isinstance(raw, dict) else {}
        self.where = f"indicators[{index}]" + (f" ({raw['id']})" if raw.get("id") else "")
        before = len(self.problems)
        fields = self.fields(raw)
        return Indicator(**fields) if len(self.problems) == before else None

    def fields(self, raw: Mapping) -> dict:
        measure = self.measure(raw, raw.get("kind"))
        direction = self.choice(raw, "direction", DIRECTIONS)
        compare = self.choice(raw, "compare", COMPARES, default="relative")
        counts = self.choice(raw, "counts", COUNTS, default="people")
        target, green, red = self.thresholds(raw, direction)
        return dict(
            id=self.text(raw, "id"), group=self.text(raw, "group"), label=self.labels(raw, "label"),
            unit=self.labels(raw, "unit"), measure=measure, direction=direction, compare=compare,
            baseline_year=self.baseline_year(raw), target_change=target, green=green, red=red,
            target_by=self.target_by(raw), note=self.labels(raw, "note", required=False) or None,
            effort=self.effort(raw.get("effort")), counts=counts, **self.survey_fields(raw, measure),
        )

    def text(self, raw: Mapping, key: str) -> str:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            self.problem(key, "missing (a text is needed)")
            return ""
        return raw[key].strip()

    def labels(self, raw: Mapping, key: str, required: bool = True) -> dict[str, str]:
        return _labels(raw, key, self.where, self.problems, required)

    def choice(self, raw: Mapping, key: str, choices: Sequence[str], default: str | None = None,
               prefix: str = "") -> str:
        value = raw.get(key, default)
        if value not in choices:
            self.problem(prefix + key, f"must be one of {', '.join(choices)}; got {value!r}")
        return str(value)

    def number(self, raw: Mapping, key: str, default: float | None = None) -> float:
        value = raw.get(key, default) if isinstance(raw, dict) else default
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.problem(key, f"must be a number (a change such as -0.40 for 40 % lower); got {value!r}")
            return 0.0
        return float(value)

    def baseline_year(self, raw: Mapping) -> int:
        baseline = raw.get("baseline")
        year = baseline.get("year") if isinstance(baseline, dict) else None
        if not isinstance(year, int) or not 1900 <= year <= 2100:
            self.problem("baseline.year", f"must be a year such as 2022; got {year!r}")
            return 0
        return year

    def target_by(self, raw: Mapping) -> date | None:
        target = raw.get("target") if isinstance(raw.get("target"), dict) else {}
        value = target.get("by", self.goal_date)
        if value is not None and not isinstance(value, date):
            self.problem("target.by", f"must be a date such as 2025-01-01; got {value!r}")
            return None
        return value

    def thresholds(self, raw: Mapping, direction: str) -> tuple[float, float, float]:
        target = raw.get("target") if isinstance(raw.get("target"), dict) else {}
        status = raw.get("status") if isinstance(raw.get("status"), dict) else {}
        if "change" not in target:
            self.problem("target.change", "missing (e.g. change: -0.40 for 40 % lower than the baseline)")
            return 0.0, 0.0, 0.0
        change = self.number(target, "change")
        green, red = self.number(status, "green", change), self.number(status, "red", 0.0)
        self.check_order(direction, change, green, red)
        return change, green, red

    def check_order(self, direction: str, change: float, green: float, red: float) -> None:
        sign = -1 if direction == "lower" else 1
        if direction in DIRECTIONS and sign * change < 0:
            self.problem("target.change", f"a '{direction}' indicator needs a change in that direction; got {change}")
        if direction in DIRECTIONS and sign * green < sign * red:
            self.problem("status", f"green ({green}) must be on the better side of red ({red}) for '{direction}'")

    def measure(self, raw: Mapping, kind: object, key: str = "") -> Measure:
        if kind not in KINDS:
            self.problem(key + "kind", f"must be one of {', '.join(KINDS)}; got {kind!r}")
            return Measure("incidents")
        columns = () if kind == "surveys" else self.columns(raw.get("measure", "count"), kind, key)
        is_measure = raw.get("is_measure")
        if is_measure is not None and (kind != "events" or not isinstance(is_measure, bool)):
            self.problem(key + "is_measure", "only for kind events, and true or false")
        return Measure(kind, columns, self.categories(raw.get("categories"), kind, key), is_measure)

    def columns(self, value: object, kind: str, key: str) -> tuple[str, ...]:
        if value == "count":
            return ()
        columns = [value] if isinstance(value, str) else value
        known = set(FACT_TABLES[kind].c.keys())
        if not isinstance(columns, list) or not columns or any(c not in known for c in columns):
            self.problem(key + "measure", f"must be count, a column of {kind} or a list of them; got {value!r}")
            return ()
        return tuple(columns)

    def categories(self, value: object, kind: str, key: str) -> tuple[str, ...]:
        codes = [] if value is None else value
        if not isinstance(codes, list) or any(not isinstance(code, str) for code in codes):
            self.problem(key + "categories", f"must be a list of category codes; got {value!r}")
            return ()
        unknown = [code for code in codes if self.vocabulary is not None and code not in self.vocabulary[kind]]
        if unknown:
            self.problem(key + "categories", f"not in vocabulary.yaml under {kind}: {', '.join(unknown)}")
        return tuple(codes)

    def effort(self, raw: object) -> Effort | None:
        if raw is None:
            return None
        raw = raw if isinstance(raw, dict) else {}
        return Effort(_labels(raw, "label", f"{self.where}.effort", self.problems),
                      self.measure(raw, raw.get("kind"), key="effort."),
                      self.choice(raw, "counts", COUNTS, default="people", prefix="effort."))

    def survey_fields(self, raw: Mapping, measure: Measure) -> dict:
        if measure.kind != "surveys":
            return {}
        answers, codes = raw.get("answers"), raw.get("question_codes") or []
        if not isinstance(answers, list) or not answers or any(not isinstance(a, str) for a in answers):
            self.problem("answers", "a survey indicator needs the list of answers whose shares are added up")
            answers = []
        if raw.get("compare", "relative") != "points":
            self.problem("compare", "a survey indicator compares shares in percentage points: write compare: points")
        return dict(survey=self.text(raw, "survey"), answers=tuple(answers), question_codes=tuple(codes))


# ---- readings ----

@dataclass(frozen=True)
class Point:
    period: date  # the first day of a month, or a survey wave's last fieldwork day
    value: float | None  # None only when hidden
    label: str = ""  # a survey wave, e.g. '2025'
    hidden: str = ""  # disclosure.SMALL: a small count (or a share of few answers) this user does not see


@dataclass(frozen=True)
class Comparison:
    """The effort (or any second measure) in the latest month and in the same month of the baseline year."""

    label: Mapping[str, str]
    value: float | None
    baseline: float | None
    value_hidden: str = ""  # disclosure.SMALL when the value is a small count this user does not see
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


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


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
        return Point(period, None, label, SMALL)
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
            point = Point(end, None, str(label), SMALL)
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


def wilson_interval(share: float | None, n: int | None) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of a share from n respondents (sound for small samples)."""
    if share is None or not n:
        return None
    centre = (share + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    spread = Z95 * math.sqrt(share * (1 - share) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - spread), min(1.0, centre + spread)


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


def goal_sentence(goal_date: date, today: date, lang: str = "sv") -> str:
    """'Måldatum 1 januari 2025 · passerat för 695 dagar sedan', '… · om 12 dagar' or '… · i dag'."""
    days = days_to_goal(goal_date, today)
    when = fmt_date(goal_date, lang)
    if days == 0:
        return t("oversikt.goal.today", lang, date=when)
    key = "oversikt.goal.ahead" if days > 0 else "oversikt.goal.passed"
    return t(key + ("_one" if abs(days) == 1 else ""), lang, date=when, days=fmt_int(abs(days), lang))


# ---- words and numbers ----

def status_word(status: str, lang: str = "sv") -> str:
    return t(f"oversikt.status.{status}", lang)


def status_label(status: str, lang: str = "sv") -> str:
    """The status as a symbol and a word, '✓ Mål nått': never colour alone."""
    return f"{STATUS_ICONS[status]} {status_word(status, lang)}"


def format_value(indicator: Indicator, value: float | None, lang: str = "sv") -> str:
    return fmt_pct(value, 0, lang) if indicator.is_survey else fmt_int(value, lang)


def format_point(indicator: Indicator, point: Point, lang: str = "sv") -> str:
    """A point's value; a hidden one as '<5' (a count) or 'dold' (a share of few answers: '<5' would read as a
    share)."""
    if point.hidden:
        return t("oversikt.hidden.share", lang) if indicator.is_survey else cell_text(None, point.hidden, lang)
    return format_value(indicator, point.value, lang)


def format_count(value: float | None, reason: str, lang: str = "sv") -> str:
    """A count that may be hidden, e.g. the effort beside an indicator: '12', '<5'."""
    return cell_text(None, reason, lang) if reason else fmt_int(value, lang)


def hidden_title(indicator: Indicator, lang: str = "sv") -> str:
    """Why a value says '<5' or 'dold': the tooltip of the value."""
    if indicator.is_survey:
        return t("oversikt.hidden.share_title", lang, minimum=minimum())
    return hover_text(SMALL, lang)


def change_hidden_title(lang: str = "sv") -> str:
    """Why a change says '–' although both values exist."""
    return t("oversikt.hidden.change_title", lang, minimum=minimum())


def format_point_change(indicator: Indicator, point: Point, other: Point, lang: str = "sv") -> str:
    """format_comparison of two points; '–' when either is hidden (the change and one value give the other)."""
    if point.hidden or other.hidden:
        return MISSING
    return format_comparison(indicator, point.value, other.value, lang)


def format_change(indicator: Indicator, delta: float | None, lang: str = "sv") -> str:
    """'−45 %' for a relative change, '−12 procentenheter' for a survey share."""
    if indicator.compare == "relative" or delta is None:
        return fmt_change(delta, 0, lang)
    text = fmt_dec(delta * 100, 0, lang)
    sign = "" if text.startswith(("−", "-")) else ("±" if text == "0" else "+")
    return f"{sign}{text}{NBSP}{_points_word(text, lang)}"


def format_comparison(indicator: Indicator, value: float | None, base: float | None, lang: str = "sv") -> str:
    """The change from `base` to `value`; from zero, where no percentage exists, the difference: '+4'."""
    delta = change(value, base, indicator.compare)
    if delta is None and base == 0 and value is not None:
        text = fmt_int(value, lang)
        return "±0" if value == 0 else ("+" + text if value > 0 else text)
    return format_change(indicator, delta, lang)


def _points_word(number: str, lang: str) -> str:
    return t("oversikt.point" if number.lstrip("−-") == "1" else "oversikt.points", lang)


def _magnitude(indicator: Indicator, threshold: float, lang: str) -> str:
    if indicator.compare == "points":
        number = fmt_dec(abs(threshold) * 100, 0, lang)
        return f"{number}{NBSP}{_points_word(number, lang)}"
    return fmt_pct(abs(threshold), 0, lang)


def _against(indicator: Indicator, lang: str) -> str:
    key = "oversikt.against.wave" if indicator.is_survey else "oversikt.against.month"
    return t(key, lang, year=indicator.baseline_year)


def target_sentence(indicator: Indicator, lang: str = "sv") -> str:
    """'Mål: minst 40 % lägre än samma månad 2022, från 1 januari 2025.'"""
    way = t(f"oversikt.way.{indicator.direction}", lang)
    text = t("oversikt.target", lang, amount=_magnitude(indicator, indicator.target_change, lang), way=way,
             against=_against(indicator, lang))
    if indicator.target_by:
        text += t("oversikt.target_by", lang, date=fmt_date(indicator.target_by, lang))
    return text + "."


def target_short(indicator: Indicator, lang: str = "sv") -> str:
    """'Mål: −40 % mot samma månad 2022', for the card; target_sentence says it in full."""
    return t("oversikt.target_short", lang, change=format_change(indicator, indicator.target_change, lang),
             against=_against(indicator, lang))


def rule_sentence(indicator: Indicator, lang: str = "sv") -> str:
    """How the colour is decided, e.g. 'Grön – mål nått: minst 40 % lägre än samma månad 2022. Gul – …'"""
    return " ".join(rule_parts(indicator, lang).values())


def rule_parts(indicator: Indicator, lang: str = "sv") -> dict[str, str]:
    """The rule per status: {'good': 'Grön – mål nått: …', 'watch': …, 'bad': …}."""
    return {"good": _green_rule(indicator, lang), "watch": _amber_rule(indicator, lang),
            "bad": _red_rule(indicator, lang)}


def _green_rule(indicator: Indicator, lang: str) -> str:
    way = t(f"oversikt.way.{indicator.direction}", lang)
    if indicator.green == 0:
        text = t("oversikt.rule.at_least_as", lang, way=way, against=_against(indicator, lang))
    else:
        text = t("oversikt.rule.at_least", lang, amount=_magnitude(indicator, indicator.green, lang), way=way,
                 against=_against(indicator, lang))
    return t("oversikt.rule.green", lang, text=text)


def _amber_rule(indicator: Indicator, lang: str) -> str:
    if indicator.red != 0 or indicator.green == 0:
        return t("oversikt.rule.amber", lang, text=t("oversikt.rule.between", lang))
    text = t(f"oversikt.rule.amber_{indicator.direction}", lang,
             amount=_magnitude(indicator, indicator.green, lang))
    return t("oversikt.rule.amber", lang, text=text)


def _red_rule(indicator: Indicator, lang: str) -> str:
    worse = "higher" if indicator.direction == "lower" else "lower"
    way, against = t(f"oversikt.way.{worse}", lang), _against(indicator, lang)
    if indicator.red == 0:
        text = t("oversikt.rule.simply", lang, way=way, against=against)
    else:
        wrong_side = (indicator.red > 0) == (indicator.direction == "lower")
        shown_way = way if wrong_side else t(f"oversikt.way.{indicator.direction}", lang)
        key = "oversikt.rule.more_than" if wrong_side else "oversikt.rule.less_than"
        text = t(key, lang, amount=_magnitude(indicator, indicator.red, lang), way=shown_way, against=against)
    return t("oversikt.rule.red", lang, text=text)


def period_label(reading: Reading, lang: str = "sv") -> str:
    """'december 2025' for a month, 'omgång 2025' for a survey wave."""
    if reading.latest is None:
        return ""
    if reading.indicator.is_survey:
        return t("oversikt.wave", lang, wave=reading.latest.label)
    return fmt_month(reading.latest.period, lang)
