"""Incidents, outreach and events as a viewer sees them: counts per month, group, weekday and hour, and totals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from lagesbild import queries
from lagesbild.disclosure import HIDDEN, without_keys
from lagesbild.reads.base import REFERRALS, ReadsBase, counts_anyone, measure_name
from lagesbild.store.keys import KEY, KEY_COLUMNS, RECORDS

OUTREACH_SUMS = ("shifts", "contacts", "new_persons", "referrals", "hours")  # a filter's totals, in this order
PEOPLE = ("contacts", "new_persons", "referrals")  # the outreach sums that count people


def with_referrals(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with `referrals`, the sum of every kind of referral it has, in place of the kinds (a read that
    shows kinds protects them as their own table: referrals_by_kind)."""
    kinds = [kind for kind in REFERRALS if kind in frame]
    return frame.assign(referrals=frame[kinds].sum(axis=1)).drop(columns=kinds)


class ActivityReads(ReadsBase):
    def has_rows(self, kind: str) -> bool:
        """Whether the store holds any row of `kind` (a page over it shows its empty state until then)."""
        return not queries.totals(self.engine, kind, by="category").empty

    def categories_present(self, kind: str) -> set[str]:
        """The categories of `kind` that have any row (which exist, not how many)."""
        return set(queries.totals(self.engine, kind, by="category")["category"])

    def monthly(self, kind: str, measure: str = "count", *, by: str | None = None, place_ids: Sequence[str] = (),
                month_from: date | None = None, month_to: date | None = None,
                categories: Sequence[str] | None = None, measures_only: bool | None = None,
                counts: bool | None = None) -> pd.DataFrame:
        """One value per month (and `by` group), protected as a month × group table when it counts anyone
        (`counts`: what the caller's indicator declares; by default lagesbild.reads.base.COUNTS_OF_ANYONE)."""
        frame = queries.monthly(self.engine, kind, measure, by=by, place_ids=place_ids, month_from=month_from,
                                month_to=month_to, categories=categories, measures_only=measures_only)
        counts = counts_anyone(kind, measure) if counts is None else counts
        return self._protect(frame, counts=counts, measure=measure)

    def totals(self, kind: str, by: str, measure: str = "count", *, place_ids: Sequence[str] = (),
               month_from: date | None = None, month_to: date | None = None,
               categories: Sequence[str] | None = None, drop_zeros: bool = False) -> pd.DataFrame:
        """Totals per `by` group for the filter, largest first, protected down the groups when they count anyone.
        drop_zeros: leave out the groups with nothing (before protecting: a zero is no cell to hide behind)."""
        frame = queries.totals(self.engine, kind, by, measure, place_ids=place_ids, month_from=month_from,
                               month_to=month_to, categories=categories)
        if drop_zeros:
            frame = frame[frame["value"].astype(float) > 0]
        shown = self._protect(frame, counts=counts_anyone(kind, measure), measure=measure)
        if HIDDEN not in shown:
            return shown
        # largest first by what is shown (ties and hidden ones by group): an order by the true counts would rank them
        return shown.sort_values(["value", by], ascending=[False, True], na_position="last", ignore_index=True)

    def total(self, kind: str, measure: str | Sequence[str] = "count", *, place_ids: Sequence[str] = (),
              month_from: date | None = None, month_to: date | None = None, categories: Sequence[str] | None = None,
              measures_only: bool | None = None) -> tuple[float | None, str]:
        """The filter's one total (a row count, or the sum of a column or columns) as (value, reason): '<5' when
        it is a small count of anyone."""
        frame = queries.monthly(self.engine, kind, place_ids=place_ids, month_from=month_from, month_to=month_to,
                                categories=categories, measures_only=measures_only,
                                **({} if measure == "count" else {"measure": measure}))
        return self._total(frame, counts=counts_anyone(kind, measure), measure=measure_name(measure))

    def weekday_hour(self, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                     month_to: date | None = None, categories: Sequence[str] | None = None) -> pd.DataFrame:
        """Incidents per weekday and hour of the day, protected as a 7 × 24 table."""
        frame = queries.weekday_hour(self.engine, place_ids=place_ids, month_from=month_from, month_to=month_to,
                                     categories=categories)
        return self._protect(frame)

    def incidents_without_time(self, **where) -> tuple[float | None, str]:
        """Incidents in the filter with no time of day (in the totals, not in the weekday × hour map)."""
        return self._total(queries.incidents_without_time(self.engine, **where))

    def latest_incidents(self, limit: int = 50, **where) -> pd.DataFrame:
        """The newest incidents, one row each: single records, never returned to a viewer under the rule."""
        self._require_single_records("the latest incidents")
        return queries.latest_incidents(self.engine, limit, **where)

    # ---- outreach ----

    def outreach_sums(self, **where) -> dict[str, tuple[float | None, str]]:
        """The filter's outreach totals (shifts, contacts, new persons, referrals, hours); those of people as
        (value, reason), '<5' when small."""
        months = with_referrals(queries.outreach_totals(self.engine, **where))
        return {name: self._total(months, name, counts=name in PEOPLE, measure=name) for name in OUTREACH_SUMS}

    def referrals_by_kind(self, **where) -> pd.DataFrame:
        """Referrals per month and kind (month, kind, value), protected as a month × kind table."""
        months = queries.outreach_totals(self.engine, **where)
        long = months.melt(id_vars=["month", *KEY_COLUMNS], value_vars=list(REFERRALS), var_name="kind",
                           value_name="value")
        measures = list(long["kind"])
        long["kind"] = long["kind"].str.removeprefix("referrals_")
        return self._protect(long, measure=measures)

    def referrals_per_month(self, **where) -> pd.DataFrame:
        """Every kind of referral together per month (month, value), protected."""
        months = queries.outreach_totals(self.engine, **where)
        total = with_referrals(months)[["month", "referrals", *KEY_COLUMNS]].rename(columns={"referrals": "value"})
        return self._protect(total, measure="referrals")

    def outreach_by(self, by: str, **where) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Outreach totals per team or place (shifts, the sums of people and referrals, hours) and the reason each
        cell is hidden: each count of people is protected down its column."""
        frame = with_referrals(queries.outreach_totals(self.engine, by=by, **where)).reset_index(drop=True)
        return self._protect_columns(frame, PEOPLE)

    # ---- events ----

    def event_list(self, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                   month_to: date | None = None, measures_only: bool = False, limit: int | None = None) -> pd.DataFrame:
        """Activities and measures one by one (date, title, category, place, cost, grant); their attendance only
        to a viewer who sees every number (a single event's attendance is a count of people)."""
        frame = queries.event_list(self.engine, place_ids=place_ids, month_from=month_from, month_to=month_to,
                                   measures_only=measures_only, limit=limit)
        frame = without_keys(frame)
        return frame.drop(columns=["attendance"]) if self.viewer.protected else frame

    def event_groups(self, *, measures: bool, categories: Sequence[str] | None = None,
                     other_than: Sequence[str] | None = None, place_ids: Sequence[str] = (),
                     month_from: date | None = None, month_to: date | None = None) -> pd.DataFrame:
        """Events grouped by title and place (title, place, category, dates, attendance and `hidden`), in the order
        of their first date: measures, or the other events of `categories` (or of every category but
        `other_than`). Attendance per group is protected down the groups."""
        frame = queries.event_list(self.engine, place_ids=place_ids, month_from=month_from, month_to=month_to)
        frame = frame.assign(date=pd.to_datetime(frame["date"]).dt.date, is_measure=frame["is_measure"].astype(bool))
        chosen = frame["is_measure"] if measures else ~frame["is_measure"]
        if categories:
            chosen &= frame["category"].isin(list(categories))
        if other_than:
            chosen &= ~frame["category"].isin(list(other_than))
        rows = []
        for (title, place), part in frame[chosen].groupby(["title", "place"], sort=False):
            part = part.sort_values("date")
            attendance = part["attendance"].dropna()
            rows.append({"title": title, "place": place, "category": part["category"].iloc[0],
                         "dates": tuple(part["date"]), "value": float(attendance.sum()) if len(attendance) else None,
                         KEY: int(part[KEY].sum()), RECORDS: int(part[RECORDS].sum())})
        groups = pd.DataFrame(rows, columns=["title", "place", "category", "dates", "value", *KEY_COLUMNS])
        return self._protect(groups.assign(value=groups["value"].astype(float)), measure="attendance")

    def grants_by_year(self) -> pd.DataFrame:
        """Association grants per calendar year (kronor: no count of anyone)."""
        return queries.grants_by_year(self.engine)

    def measure_markers(self, *, month_from: date | None = None, month_to: date | None = None) -> pd.DataFrame:
        """The measures to mark on time series: public measures of the district, no count of anyone."""
        return queries.measure_markers(self.engine, month_from=month_from, month_to=month_to)
