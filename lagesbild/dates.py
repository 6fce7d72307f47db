"""Dates as the whole program passes them: a day or a month is a `datetime.date` (a month is its first day), a moment
(a load, an incident's time) a `datetime.datetime`, and no value is None. What the store gives back in other forms
(ISO text, pandas timestamps, NaN) is turned into these here, once."""

from __future__ import annotations

import calendar
import math
from datetime import date, datetime

import pandas as pd


def as_date(value) -> date | None:
    """A day from a date, a datetime, a pandas timestamp or ISO text; None for None, NaN and NaT."""
    if type(value) is date:  # the common case, first
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def as_datetime(value) -> datetime | None:
    """A moment from a datetime, a pandas timestamp or ISO text; None for None, NaN and NaT."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


def month_end(month: date) -> date:
    """The last day of `month`'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months from `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every first-of-month from `first` to `last`, both included."""
    index, stop = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index, stop + 1)]
