"""Parse one cell into a typed value; each parser raises ValueError with a reason a data steward can act on."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from lagesbild.config.spelling import fold  # noqa: F401 (the loaders' name for it)

EXCEL_EPOCH = datetime(1899, 12, 30)  # Excel's day zero, with the 1900 leap-year bug folded in
EXCEL_SERIAL_RANGE = (20000, 80000)  # 1954..2119: a bare number here in a date column is a serial date
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value  # NaN


def text(value: Any) -> str | None:
    if is_blank(value):
        return None
    return SPACES.sub(" ", str(value)).strip()


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial(value).date()
    raw = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        return excel_serial(float(raw)).date()
    for fmt in DATE_FORMATS + DATETIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date (expected e.g. 2023-05-01): {raw!r}")


def excel_serial(number: float) -> datetime:
    low, high = EXCEL_SERIAL_RANGE
    if not low <= number <= high:
        raise ValueError(f"number {number} is not a plausible Excel date")
    return EXCEL_EPOCH + timedelta(days=float(number))


def parse_time(value: Any) -> time:
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 86400)  # Excel stores a time as a fraction of a day
        return time(seconds // 3600 % 24, seconds // 60 % 60)
    match = TIME_RE.match(str(value).strip())
    if not match:
        raise ValueError(f"not a time (expected e.g. 21:14): {value!r}")
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour == 24 and minute == 0:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"time out of range: {value!r}")
    return time(hour, minute, second)


def parse_number(value: Any) -> float:
    """Numbers as Swedish files write them: `12 345,6`, `12345.6`, `1.234,5` or `3,5`."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    raw = SPACES.sub("", str(value)).replace("\u2212", "-")
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def parse_count(value: Any) -> int:
    number = parse_number(value)
    if number < 0 or number != int(number):
        raise ValueError(f"not a whole number of zero or more: {value!r}")
    return int(number)


def parse_amount(value: Any) -> float:
    raw = value
    if isinstance(raw, str):
        raw = re.sub(r"(?i)\s*(kr|sek|:-)\s*$", "", raw)
    number = parse_number(raw)
    if number < 0:
        raise ValueError(f"a negative amount: {value!r}")
    return round(number, 2)


def parse_share(value: Any) -> float:
    """A share as 0..1, from `0,235`, `23,5`, `23,5 %` (values above 1 are read as percent)."""
    raw = value.replace("%", "") if isinstance(value, str) else value
    number = parse_number(raw)
    share = number / 100 if number > 1 or (isinstance(value, str) and "%" in value) else number
    if not 0 <= share <= 1:
        raise ValueError(f"not a share between 0 and 100 %: {value!r}")
    return share


def parse_coordinate(value: Any, low: float, high: float) -> float:
    number = parse_number(value)
    if not low <= number <= high:
        raise ValueError(f"coordinate {number} outside {low}..{high}")
    return number


def month_of(day: date) -> date:
    return day.replace(day=1)
