"""The budget as of a date: spend per month and category against the year's cap, grants, a forecast to year end.

Rules (also in words.RULES, shown beside the numbers):
- Spend is the booked entries of the budget register (voided ones count for nothing). Caps apply per calendar
  year: `budget_cap_sek` and `grant_cap_sek` of area.yaml.
- Association grants are the register's category `grants`. A year in which the register has no grant entry
  takes its grants from the events table's `grant_sek` instead (what the Aktiviteter page shows), counted in
  the month of the event and in the year's spend. The two are never added: the register, once it records
  grants for a year, is the ledger for that year.
- Forecast to year end: the year's spend up to the month, plus the average of the last three months' spend
  (the month and the two before it, across a new year if need be; a month without entries counts as 0)
  times the months left in the year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, func, select

from lagesbild.records.access import Actor
from lagesbild.records.config import BudgetCaps, budget_caps
from lagesbild.records.register import Record, cutoff, read_records
from lagesbild.store.schema import events, loads

GRANTS = "grants"
FORECAST_MONTHS = 3


@dataclass(frozen=True)
class BudgetMonth:
    month: date
    total_sek: float
    by_category: dict[str, float]


@dataclass(frozen=True)
class BudgetSummary:
    month: date  # the month reported on (first day)
    months: tuple[BudgetMonth, ...]  # January to the month
    month_total_sek: float
    month_by_category: dict[str, float]
    year_to_date_sek: float
    year_by_category: dict[str, float]
    budget_cap_sek: float | None
    remaining_sek: float | None  # cap minus the year to date
    grants_year_to_date_sek: float
    grant_cap_sek: float | None
    grants_remaining_sek: float | None
    grants_source: str  # "budget" (the register), "events" (the events table's grant_sek) or "none"
    forecast_year_end_sek: float
    forecast_monthly_sek: float  # the average the forecast carries forward
    forecast_basis: tuple[date, ...]  # the months averaged
    months_left: int

    @property
    def forecast_over_cap(self) -> bool:
        return self.budget_cap_sek is not None and self.forecast_year_end_sek > self.budget_cap_sek


def budget_summary(engine: Engine, viewer: Actor, month: date, as_of: date | datetime | None = None,
                   caps: BudgetCaps | None = None) -> BudgetSummary:
    """The month and its year to date as the register stood at `as_of` (default: now), for this viewer."""
    with engine.connect() as conn:
        return summarise(conn, viewer, month.replace(day=1), as_of, caps or budget_caps())


def summarise(conn: Connection, viewer: Actor, month: date, as_of, caps: BudgetCaps) -> BudgetSummary:
    entries = booked_entries(conn, viewer, as_of)
    first = min(month.replace(month=1), _add_months(month, 1 - FORECAST_MONTHS))
    totals = monthly_spend(conn, entries, first, month, as_of)
    year = [BudgetMonth(m, sum(totals[m].values()), dict(totals[m])) for m in _months(month.replace(month=1), month)]
    basis = tuple(_months(_add_months(month, 1 - FORECAST_MONTHS), month))
    rate = sum(sum(totals[m].values()) for m in basis) / FORECAST_MONTHS
    to_date = sum(m.total_sek for m in year)
    by_category: dict[str, float] = defaultdict(float)
    for m in year:
        for category, amount in m.by_category.items():
            by_category[category] += amount
    grants = by_category.get(GRANTS, 0.0)
    source = grant_source(entries, month.year)
    return BudgetSummary(
        month=month, months=tuple(year), month_total_sek=year[-1].total_sek, month_by_category=year[-1].by_category,
        year_to_date_sek=to_date, year_by_category=dict(by_category), budget_cap_sek=caps.budget_cap_sek,
        remaining_sek=None if caps.budget_cap_sek is None else caps.budget_cap_sek - to_date,
        grants_year_to_date_sek=grants, grant_cap_sek=caps.grant_cap_sek,
        grants_remaining_sek=None if caps.grant_cap_sek is None else caps.grant_cap_sek - grants,
        grants_source=source if grants or source == "budget" else "none",
        forecast_year_end_sek=to_date + rate * (12 - month.month), forecast_monthly_sek=rate,
        forecast_basis=basis, months_left=12 - month.month,
    )


def booked_entries(conn: Connection, viewer: Actor, as_of) -> list[Record]:
    """The register's entries that count, as the viewer sees them at `as_of`: booked, not voided."""
    return [entry for entry in read_records(conn, "budget", viewer, as_of) if entry["status"] == "booked"]


def monthly_spend(conn: Connection, entries: list[Record], first: date, last: date,
                  as_of) -> dict[date, dict[str, float]]:
    """{month: {category: kronor}} from `first` to `last`: the entries, and grants per the rule above."""
    spend: dict[date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for entry in entries:
        if first <= entry["month"] <= last:
            spend[entry["month"]][entry["category"]] += entry["amount_sek"]
    for year in range(first.year, last.year + 1):
        if grant_source(entries, year) == "events":
            for month, amount in event_grants(conn, max(first, date(year, 1, 1)), min(last, date(year, 12, 1)),
                                              as_of).items():
                spend[month][GRANTS] += amount
    return spend


def grant_source(entries: list[Record], year: int) -> str:
    """"budget" when the register has a grant entry for the year, else "events"."""
    has_grants = any(e["category"] == GRANTS and e["month"].year == year for e in entries)
    return "budget" if has_grants else "events"


def event_grants(conn: Connection, first: date, last: date, as_of) -> dict[date, float]:
    """The events table's grants per month, from loads finished by `as_of`."""
    query = (select(events.c.month, func.sum(events.c.grant_sek))
             .where(events.c.month >= first, events.c.month <= last, events.c.grant_sek.is_not(None))
             .group_by(events.c.month))
    until = cutoff(as_of)
    if until is not None:
        query = query.join(loads, loads.c.id == events.c.load_id).where(loads.c.finished_at <= until)
    return {month: float(amount) for month, amount in conn.execute(query) if amount}


def _months(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    return months


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
