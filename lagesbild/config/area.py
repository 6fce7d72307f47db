"""area.yaml as typed data: the area, its effect goal and dates, the budget caps and the small-count rule's numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from lagesbild.config.problems import Problems

LANGS = ("sv", "en")
DEFAULT_MINIMUM = 5
DEFAULT_ROLES = frozenset({"partner"})


@dataclass(frozen=True)
class Goal:
    date: date
    text: Mapping[str, str]
    baseline_year: int  # what the goal is measured against (area.yaml's baseline_year)


@dataclass(frozen=True)
class SmallCounts:
    """For these roles every count of people or incidents from 1 to minimum - 1 is hidden (lagesbild.disclosure)."""

    minimum: int = DEFAULT_MINIMUM
    roles: frozenset[str] = DEFAULT_ROLES


@dataclass(frozen=True)
class ComparisonArea:
    """An area further away with no measure, whose places (zone comparison in places.geojson) carry its id."""

    id: str
    name: Mapping[str, str]


@dataclass(frozen=True)
class Evaluation:
    """What a measure is judged against (the Effekt page): comparison areas, and each target place's buffer.

    buffers: per target place id, the neighbouring places where a displaced problem would go (the area's own places
    or places of zone buffer). comparison: the comparison area used by default."""

    comparison_areas: tuple[ComparisonArea, ...] = ()
    buffers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    comparison: str | None = None
    windows: tuple[int, ...] = (3, 6, 12)  # the before/after window lengths offered, in months
    window: int = 6  # the one shown first

    def comparison_area(self, area_id: str | None = None) -> ComparisonArea | None:
        wanted = area_id or self.comparison
        return next((area for area in self.comparison_areas if area.id == wanted), None)


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    goal: Goal
    project_start: date | None = None
    interventions_from: date | None = None
    grant_cap_sek: float | None = None
    budget_cap_sek: float | None = None
    small_counts: SmallCounts = field(default_factory=SmallCounts)
    evaluation: Evaluation = field(default_factory=Evaluation)

    @property
    def baseline_year(self) -> int:
        return self.goal.baseline_year


def parse_area(data: object, problems: Problems) -> Area | None:
    """The area from area.yaml's mapping; None (and the problems added) when it cannot be used."""
    if not isinstance(data, dict):
        problems.add("(top level)", "must be a mapping with area_id, area_name and goal")
        return None
    before = len(problems.found)
    goal = _goal(data.get("goal"), problems)
    goal = Goal(goal.date, goal.text, _year(data, goal, problems))
    area = Area(
        id=_text(data, "area_id", problems, required=False),
        name=_text(data, "area_name", problems),
        goal=goal,
        project_start=_date(data, "project_start", problems),
        interventions_from=_date(data, "interventions_from", problems),
        grant_cap_sek=_amount(data, "grant_cap_sek", problems),
        budget_cap_sek=_amount(data, "budget_cap_sek", problems),
        small_counts=_small_counts(data.get("small_counts"), problems),
        evaluation=_evaluation(data.get("evaluation"), problems),
    )
    return area if len(problems.found) == before else None


def _text(data: Mapping, key: str, problems: Problems, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(key, "missing (a text is needed)")
        return ""
    return value.strip()


def _goal(raw: object, problems: Problems) -> Goal:
    raw = raw if isinstance(raw, dict) else {}
    if not isinstance(raw.get("date"), date):
        problems.add("goal.date", "missing or not a date (write 2025-01-01)")
    text = raw.get("text")
    if not isinstance(text, dict) or any(not isinstance(text.get(lang), str) for lang in LANGS):
        problems.add("goal.text", "needs a text for each of sv and en, e.g. {sv: …, en: …}")
        text = {}
    day = raw.get("date") if isinstance(raw.get("date"), date) else date.min
    return Goal(day, {lang: text[lang] for lang in LANGS if lang in text}, 0)


def _year(data: Mapping, goal: Goal, problems: Problems) -> int:
    value = data.get("baseline_year")
    if value is None:  # the year the goal was set against: three years before the goal by default
        return goal.date.year - 3 if goal.date != date.min else 0
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        problems.add("baseline_year", f"must be a year such as 2022; got {value!r}")
        return 0
    return value


def _date(data: Mapping, key: str, problems: Problems) -> date | None:
    value = data.get(key)
    if value is not None and not isinstance(value, date):
        problems.add(key, f"must be a date such as 2023-04-01; got {value!r}")
        return None
    return value


def _amount(data: Mapping, key: str, problems: Problems) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        problems.add(key, f"must be an amount in kronor such as 275000; got {value!r}")
        return None
    return float(value)


def _small_counts(raw: object, problems: Problems) -> SmallCounts:
    if raw is None:
        return SmallCounts()
    if not isinstance(raw, dict):
        problems.add("small_counts", "must be a mapping with minimum and roles")
        return SmallCounts()
    minimum = raw.get("minimum", DEFAULT_MINIMUM)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 2:
        problems.add("small_counts.minimum", f"must be a whole number of at least 2; got {minimum!r}")
        minimum = DEFAULT_MINIMUM
    roles = raw.get("roles", sorted(DEFAULT_ROLES))
    if not isinstance(roles, list) or any(not isinstance(role, str) for role in roles):
        problems.add("small_counts.roles", f"must be a list of role names such as [partner]; got {roles!r}")
        roles = sorted(DEFAULT_ROLES)
    return SmallCounts(minimum, frozenset(roles))


def _evaluation(raw: object, problems: Problems) -> Evaluation:
    """evaluation: {comparison_areas: [{id, name: {sv, en}}], buffers: {target: [places]}, comparison: id}; the
    place ids are checked against places.geojson by lagesbild.config.check_evaluation."""
    if raw is None:
        return Evaluation()
    if not isinstance(raw, dict):
        problems.add("evaluation", "must be a mapping with comparison_areas, buffers and comparison")
        return Evaluation()
    areas = []
    for i, item in enumerate(raw.get("comparison_areas") or []):
        item = item if isinstance(item, dict) else {}
        name = item.get("name")
        if not isinstance(item.get("id"), str) or not item["id"].strip():
            problems.add(f"evaluation.comparison_areas[{i}].id", "missing (the id its places name as their area)")
        if not isinstance(name, dict) or any(not isinstance(name.get(lang), str) for lang in LANGS):
            problems.add(f"evaluation.comparison_areas[{i}].name", "needs a text for each of sv and en")
            name = {lang: str(item.get("id")) for lang in LANGS}
        areas.append(ComparisonArea(str(item.get("id") or "").strip(), {lang: name[lang] for lang in LANGS}))
    buffers = raw.get("buffers") or {}
    if not isinstance(buffers, dict) or any(not isinstance(v, list) or not all(isinstance(p, str) for p in v)
                                            for v in buffers.values()):
        problems.add("evaluation.buffers", "must map each target place id to a list of place ids, e.g. "
                     "{tantolunden: [hornstull, zinkensdamm]}")
        buffers = {}
    comparison = raw.get("comparison", areas[0].id if areas else None)
    if comparison is not None and comparison not in {area.id for area in areas}:
        problems.add("evaluation.comparison", f"must be one of the comparison_areas' ids; got {comparison!r}")
    windows = raw.get("windows", [3, 6, 12])
    if not isinstance(windows, list) or not windows or any(
            isinstance(w, bool) or not isinstance(w, int) or not 3 <= w <= 12 for w in windows):
        problems.add("evaluation.windows", f"must be a list of window lengths from 3 to 12 months; got {windows!r}")
        windows = [3, 6, 12]
    window = raw.get("window", 6 if 6 in windows else windows[0])
    if window not in windows:
        problems.add("evaluation.window", f"must be one of the windows {windows}; got {window!r}")
        window = windows[0]
    return Evaluation(tuple(areas), {str(k): tuple(v) for k, v in buffers.items()}, comparison,
                      tuple(sorted(set(windows))), window)
