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
class Area:
    id: str
    name: str
    goal: Goal
    project_start: date | None = None
    interventions_from: date | None = None
    grant_cap_sek: float | None = None
    budget_cap_sek: float | None = None
    small_counts: SmallCounts = field(default_factory=SmallCounts)

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
