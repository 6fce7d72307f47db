"""Random draws and file writing shared by the sample files: seeded generators, counts, moments, workbooks."""

from __future__ import annotations

import io
import math
import random
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from lagesbild.samples.story import (
    DISPLACEMENT_PLACES,
    FIXED_TIMESTAMP,
    LAST_STORY_YEAR,
    MEASURE_EFFECTS,
    MONTH_SEASON,
    PLACES,
    SPELLINGS,
    STORY,
    WEEKDAY_WEIGHTS,
)

Incident = tuple[datetime, str]  # when, canonical place
Shift = tuple[date, str, str, str, int | None]  # day, type, team, place, team number in a scaled city


# === shared helpers =========================================================================================


def seeded_rng(seed: int, name: str) -> random.Random:
    """One generator per file, so changing one file's recipe leaves the others' bytes alone."""
    return random.Random(f"{seed}:{name}")


def month_range(first: date, last: date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def story_period(year: int, month: int) -> str:
    """The story's periods: 2023 is split so the intensified April–September phase stands out."""
    if year == 2021:
        return "2021H1" if month <= 6 else "2021H2"
    if year == 2023:
        return f"2023Q{(month - 1) // 3 + 1}"
    return str(min(year, LAST_STORY_YEAR))  # after the story's last year the project goes on as in it


def story_trend(kind: str, place: str, year: int, month: int) -> float:
    # Drug activity pushed out of the parks shows up around the metro stations instead.
    if kind in ("drug", "police_drug") and place in DISPLACEMENT_PLACES:
        kind = "displaced"
    return STORY[kind][story_period(year, month)]


def _measure_factor(place: str, category: str, year: int, month: int) -> float:
    """Effect of physical measures, pro rata for the month in which a measure was done."""
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    factor = 1.0
    for where, what, when, effect in MEASURE_EFFECTS:
        if where == place and what == category and when < end:
            share_after = (end - max(when, start)).days / (end - start).days
            factor *= 1 - share_after * (1 - effect)
    return factor


def draw_poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:  # normal approximation: exact enough, and fast at scale=100
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, count, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def draw_count(rng: random.Random, expected: float) -> int:
    """A count near its expectation: half the Poisson spread, so that the story shows month by month."""
    return draw_scaled_count(rng, max(0.0, rng.gauss(expected, 0.5 * math.sqrt(expected))))


def draw_scaled_count(rng: random.Random, expected: float) -> int:
    """Whole part always, the fraction by chance: a fixed schedule that still grows with scale."""
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def city_group(rng: random.Random, scale: float, copy: int | None = None) -> int | None:
    """Which of a scaled city's many teams or groups a row belongs to (None at scale 1, where there is one).

    A city that runs `scale` times the sample's work does it with more teams and groups, not by repeating the
    same shift or activity: rows stay distinct, as the loader's natural keys see them. `copy` numbers the
    parallel copies of a scheduled item; otherwise the group is drawn."""
    if scale <= 1:
        return None
    return copy + 1 if copy is not None else rng.randint(1, math.ceil(scale))


def pick_weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def draw_binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


@cache
def days_of_month(year: int, month: int) -> tuple[tuple[date, ...], tuple[float, ...]]:
    """The month's days and cumulative weekday weights, cached because millions of draws use them."""
    days, cumulative, total = [], [], 0.0
    day = date(year, month, 1)
    while day.month == month:
        total += WEEKDAY_WEIGHTS[day.weekday()]
        days.append(day)
        cumulative.append(total)
        day += timedelta(days=1)
    return tuple(days), tuple(cumulative)


@cache
def _cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return tuple(out)


def random_moment(rng: random.Random, year: int, month: int, hours: tuple[float, ...]) -> datetime:
    days, cumulative = days_of_month(year, month)
    day = rng.choices(days, cum_weights=cumulative)[0]
    hour = rng.choices(range(24), cum_weights=_cumulative(hours))[0]
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60))


def jitter(rng: random.Random, place: str, metres: float = 60.0) -> tuple[float, float]:
    """A point uniformly within `metres` of the place's centroid."""
    lat, lon = PLACES[place]
    distance, angle = metres * math.sqrt(rng.random()), 2 * math.pi * rng.random()
    dlat = distance * math.cos(angle) / 111_320
    dlon = distance * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def spelling(rng: random.Random, place: str) -> str:
    return pick_weighted(rng, SPELLINGS[place]) if place in SPELLINGS else place


def decimal_comma(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def clock_text(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def draw_incidents(rng: random.Random, year: int, month: int, category: str, rate: float, kind: str,
               weights: dict[str, float], hours: tuple[float, ...], scale: float) -> list[Incident]:
    """One month's incidents of one category, as (when, canonical place)."""
    season = MONTH_SEASON[month - 1]
    found = []
    for place, weight in weights.items():
        lam = (rate * weight * season * story_trend(kind, place, year, month)
               * _measure_factor(place, category, year, month) * scale)
        found.extend((random_moment(rng, year, month, hours), place) for _ in range(draw_count(rng, lam)))
    return found


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Save with fixed document and zip-entry times, so that the same rows give the same bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    # save() stamps "modified" with the clock, so the document properties are written again afterwards.
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    core = tostring(workbook.properties.to_tree())
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            if entry.filename == ARC_CORE:
                target.writestr(fixed, core)
                continue
            with source.open(entry) as reader, target.open(fixed, "w") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)  # streamed: a sheet at scale=100 is ~100 MB


def styled_cell(sheet: WriteOnlyWorksheet, value: Any, font: Font | None = None,
            number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


