"""indicators.yaml as typed data: each indicator's measure, direction, baseline, target and status thresholds.

Read and checked with the rest of the configuration (lagesbild.config); every bad key is named, all at once."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lagesbild.config.problems import Problems
from lagesbild.config.vocabulary import Vocabulary
from lagesbild.stats.status import StatusRule
from lagesbild.store.schema import FACT_TABLES, KINDS

DIRECTIONS = ("lower", "higher")
COMPARES = ("relative", "points")
STATUS_KEYS = ("window", "confidence", "min_events", "too_wide_factor", "min_answers", "too_wide_points")
COUNTS = ("people", "incidents", "none")  # what an indicator counts; none: not a count of anyone (hours)
LANGS = ("sv", "en")


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
    compare: str = "relative"
    target_by: date | None = None
    note: Mapping[str, str] | None = None
    effort: Effort | None = None
    survey: str | None = None
    answers: tuple[str, ...] = ()
    question_codes: tuple[str, ...] = ()
    counts: str = "people"  # people | incidents | none: a count of 1 to 4 is hidden from the roles of small_counts
    # The windows compared with the same calendar months of the baseline year (months ending with the latest
    # complete month), and the one the status rests on: never a single month (docs/methods.md, section 3).
    windows: tuple[int, ...] = (3, 12)
    status_window: int = 12
    rule: StatusRule = StatusRule()

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


def check_indicators(data: object, file: str = "indicators.yaml", codes: Mapping[str, set[str]] | None = None,
                     goal_date: date | None = None) -> IndicatorConfig:
    """parse_indicators on its own: the definitions, or ConfigError with every problem (for tests and tools)."""
    problems = Problems(file)
    config = parse_indicators(data, problems, codes, goal_date)
    problems.raise_if_any()
    return config


def vocabulary_codes(vocabulary: Vocabulary) -> dict[str, set[str]]:
    return {kind: set(vocabulary.codes(kind)) for kind in KINDS}


def parse_indicators(data: object, found: Problems, codes: Mapping[str, set[str]] | None = None,
                     goal_date: date | None = None) -> IndicatorConfig | None:
    """The definitions, checked against the vocabulary's codes per kind; None (and every problem added) when any is
    bad."""
    if not isinstance(data, dict):
        found.add("(top level)", "must be a mapping with the key 'indicators'")
        return None
    problems: list[str] = []
    groups = tuple(_group(raw, f"groups[{i}]", problems) for i, raw in enumerate(_items(data, "groups", problems)))
    defaults = data.get("defaults") or {}
    parser = _IndicatorParser(defaults, codes, goal_date, problems)
    items = _items(data, "indicators", problems)
    indicators = tuple(parser.parse(raw, i) for i, raw in enumerate(items))
    _check_ids(items, {group.id for group in groups}, problems)
    for problem in problems:  # 'indicators[2] (sprutfynd).target.change: must be …'
        found.add("", problem)
    if problems:
        return None
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
        target = self.target(raw, direction)
        windows, status_window, rule = self.status(raw)
        return dict(
            id=self.text(raw, "id"), group=self.text(raw, "group"), label=self.labels(raw, "label"),
            unit=self.labels(raw, "unit"), measure=measure, direction=direction, compare=compare,
            baseline_year=self.baseline_year(raw), target_change=target,
            windows=windows, status_window=status_window, rule=rule,
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

    def target(self, raw: Mapping, direction: str) -> float:
        target = raw.get("target") if isinstance(raw.get("target"), dict) else {}
        if "change" not in target:
            self.problem("target.change", "missing (e.g. change: -0.40 for 40 % lower than the baseline)")
            return 0.0
        change = self.number(target, "change")
        sign = -1 if direction == "lower" else 1
        if direction in DIRECTIONS and sign * change < 0:
            self.problem("target.change", f"a '{direction}' indicator needs a change in that direction; got {change}")
        return change

    def status(self, raw: Mapping) -> tuple[tuple[int, ...], int, StatusRule]:
        """The windows and the status rule: defaults.status merged key by key with the indicator's own."""
        defaults = self.defaults.get("status") if isinstance(self.defaults.get("status"), dict) else {}
        own = raw.get("status", {})
        if not isinstance(own, dict):
            self.problem("status", f"must be a mapping such as {{window: 12, min_events: 10}}; got {own!r}")
            own = {}
        status = {**defaults, **own}
        for old in ("green", "red"):
            if old in status:
                self.problem(f"status.{old}", "no longer used: the status follows the interval of the rate ratio "
                             "(or of the difference of shares); set window, min_events, too_wide_factor, "
                             "min_answers, too_wide_points or confidence instead (docs/methods.md, section 3)")
        unknown = sorted(set(status) - set(STATUS_KEYS) - {"green", "red"})
        if unknown:
            self.problem("status", f"unknown key(s) {', '.join(map(str, unknown))}; known: {', '.join(STATUS_KEYS)}")
        windows = self.windows(raw.get("windows", (3, 12)))
        window = status.get("window", max(windows) if windows else 12)
        if window not in windows:
            self.problem("status.window", f"must be one of the windows {list(windows)}; got {window!r}")
        base = StatusRule()
        try:
            rule = StatusRule(confidence=self.fraction(status, "confidence", base.confidence),
                              min_events=self.whole(status, "min_events", base.min_events),
                              too_wide_factor=self.number(status, "too_wide_factor", base.too_wide_factor),
                              min_answers=self.whole(status, "min_answers", base.min_answers),
                              too_wide_points=self.fraction(status, "too_wide_points", base.too_wide_points))
        except ValueError as error:
            self.problem("status", str(error))
            rule = base
        if rule.too_wide_factor <= 1.0:
            self.problem("status.too_wide_factor", f"must be above 1 (2 = neither a halving nor a doubling can be "
                         f"excluded); got {rule.too_wide_factor}")
        return windows, int(window) if isinstance(window, int) else 12, rule

    def windows(self, value: object) -> tuple[int, ...]:
        ok = isinstance(value, list | tuple) and value and all(
            isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 12 for v in value)
        if not ok:
            self.problem("windows", f"must be a list of window lengths in months, 1 to 12, e.g. [3, 12]; got {value!r}")
            return (3, 12)
        return tuple(sorted(set(value)))

    def whole(self, raw: Mapping, key: str, default: int) -> int:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(f"status.{key}", f"must be a whole number ≥ 0; got {value!r}")
            return default
        return value

    def fraction(self, raw: Mapping, key: str, default: float) -> float:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value < 1.0:
            self.problem(f"status.{key}", f"must be a number between 0 and 1; got {value!r}")
            return default
        return float(value)

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
