"""The meeting's agenda (meeting.yaml): which slides in which order, the key charts, the actions' horizon; checked,
every problem named with its file and key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from lagesbild.config.problems import Problems

MEETING_FILE = Path(__file__).parent / "meeting.yaml"
SLIDES = ("goal", "indicators", "charts", "activities", "actions", "risks", "change_requests")
MAX_CHARTS = 4


@dataclass(frozen=True)
class Agenda:
    slides: tuple[str, ...] = SLIDES
    charts: tuple[str, ...] = ()
    actions_due_within_days: int = 31


def read_agenda(path: Path = MEETING_FILE, indicator_ids: tuple[str, ...] | None = None) -> Agenda:
    """The agenda in `path`; `indicator_ids` (the configured indicators) checks the charts' ids."""
    problems = Problems.of(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        problems.add("", f"cannot be read: {exc}")
        problems.raise_if_any()
    if not isinstance(data, dict):
        problems.add("", "must be a mapping with agenda, charts and actions_due_within_days")
        problems.raise_if_any()
    slides = _names(data.get("agenda", list(SLIDES)), "agenda", problems)
    for index, slide in enumerate(slides):
        if slide not in SLIDES:
            problems.add(f"agenda[{index}]", f"unknown slide {slide!r}; one of {', '.join(SLIDES)}")
    if len(set(slides)) != len(slides):
        problems.add("agenda", "a slide is named twice")
    charts = _names(data.get("charts", []), "charts", problems)
    if len(charts) > MAX_CHARTS:
        problems.add("charts", f"at most {MAX_CHARTS} charts, not {len(charts)}")
    for index, ident in enumerate(charts):
        if indicator_ids is not None and ident not in indicator_ids:
            problems.add(f"charts[{index}]", f"no indicator {ident!r} in indicators.yaml")
    days = data.get("actions_due_within_days", 31)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
        problems.add("actions_due_within_days", f"must be a whole number of days 0-366, not {days!r}")
    problems.raise_if_any()
    return Agenda(tuple(slides), tuple(charts), days)


def _names(value, key: str, problems: Problems) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(key, "must be a list of names")
        return []
    return [item.strip() for item in value]
