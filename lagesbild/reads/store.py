"""What the store holds, as a viewer may see it: sources and loads, rejected rows, coverage, unplaced rows, and the
dates a caption says the data runs to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from lagesbild import queries
from lagesbild.dates import as_date, month_end
from lagesbild.disclosure import HIDDEN, Rule, protect, protect_columns, protect_total, without_keys
from lagesbild.reads import catalog
from lagesbild.reads.base import ReadsBase, keyed_sums
from lagesbild.store.keys import KEY, RECORDS

LOAD_COUNTS = ("rows_read", "rows_inserted", "rows_updated", "rows_duplicate", "rows_rejected", "rows_skipped")
PERSON_COLUMNS = ("loaded_by", "undone_by")  # account names in a load's row: not for a viewer under the rule
REJECTED_HIDDEN = "rows_rejected_hidden"  # beside rows_rejected: why a load's or source's count is hidden


def hidden_of(column: str) -> str:
    """The column beside a protected count of a frame of several: why it is hidden ("" shown)."""
    return f"{column}_hidden"


class StoreReads(ReadsBase):
    def places(self) -> list[dict]:
        return catalog.places(self.engine)

    def place_geometries(self) -> list[dict]:
        return queries.place_geometries(self.engine)

    def month_span(self) -> tuple[date, date] | None:
        return catalog.month_span(self.engine)

    def data_version(self) -> str:
        """Changes with every load, undo and records change; holds no count (a cache key, not a figure)."""
        return queries.data_version(self.engine)

    def kind_month_span(self, kind: str, before: date | None = None) -> tuple[date, date] | None:
        """The first and last month with any row of `kind`, before `before`."""
        return queries.kind_month_span(self.engine, kind, before)

    def freshness(self) -> pd.DataFrame:
        """Per kind and source: rows (protected, with `rows_hidden`), first and last fact date, last load time."""
        return self._rows_protected(queries.freshness(self.engine))

    def _rows_protected(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not self.viewer.protected:
            return without_keys(frame)
        shown = protect(frame.assign(**{KEY: frame[KEY].fillna(0), RECORDS: frame[RECORDS].fillna(0)}), "rows",
                        rule=self.rule)
        return shown.rename(columns={HIDDEN: hidden_of("rows")})

    def freshness_until(self, until: date, place_ids: Sequence[str] = ()) -> pd.DataFrame:
        """Per kind and source: rows and the last fact date on or before `until` in the places, and the last load.

        For a viewer whose small counts are hidden, a source's last date in the places may be the day of the one
        incident there: such a viewer gets the end of that date's month, or the source's last date over the whole
        area when that is earlier (how fresh the source is, shown on Översikt and Data anyway). A stale source is
        still flagged, give or take the days of its last month."""
        sources = self._rows_protected(queries.freshness_until(self.engine, until, place_ids))
        if not self.viewer.protected or sources.empty:
            return sources
        area = queries.freshness(self.engine)
        latest = {(kind, source): as_date(day) for kind, source, day in zip(area["kind"], area["source"],
                                                                          area["last_date"], strict=True)}
        shown = []
        for kind, source, day in zip(sources["kind"], sources["source"], sources["last_date"], strict=True):
            day, area_latest = as_date(day), latest.get((kind, source))
            if day is None:
                shown.append(None)  # no fact here by then: '–', as for everyone
            else:
                shown.append(min(month_end(day), area_latest) if area_latest else month_end(day))
        return sources.assign(last_date=shown)

    def data_through(self, kinds: Sequence[str], *, place_ids: Sequence[str] = (), month_from: date | None = None,
                     month_to: date | None = None, categories: Sequence[str] | None = None,
                     ) -> tuple[date | None, list[str]]:
        """The latest fact date of `kinds` in the filter, and the sources the facts came from.

        For a viewer whose small counts are hidden the date is never a single record's: for one place and month it
        could be the day of the one incident there. It is the end of the filter's last month, or the date the
        sources run to over the whole area when that is earlier. A filter without facts keeps None (a real zero).
        Nor are the sources a small cell's: such a viewer gets the sources of `kinds` over the whole area (the
        sources of one place, month and category could name where its one incident came from)."""
        latest, sources = queries.data_through(self.engine, kinds, place_ids, month_from, month_to, categories)
        if not self.viewer.protected:
            return latest, sources
        area_latest, area_sources = queries.data_through(self.engine, kinds)
        if latest is None:
            return None, area_sources
        ends = [day for day in (area_latest, month_end(month_to) if month_to else None) if day is not None]
        return (min(ends) if ends else latest), area_sources

    def load_summary(self) -> pd.DataFrame:
        """Per kind and source: loads, the last one, rows read, inserted, updated, duplicate, skipped and rejected,
        each count protected (a load of 3 rows is 3 records), with `<count>_hidden` beside it."""
        return self._counts_protected(queries.load_summary(self.engine))

    def feed_status(self) -> dict | None:
        """The police feed's last fetch and the last that worked (operational metadata, no count of anyone)."""
        return queries.feed_status(self.engine)

    def load_history(self, limit: int = 100) -> pd.DataFrame:
        """The latest loads, newest first, their counts protected as in load_summary (each load its own cell). A viewer
        under the rule sees which organisation loaded or undid a load, not which person (staff accounts' names)."""
        history = self._counts_protected(queries.load_history(self.engine, limit))
        if self.viewer.protected:
            history = history.assign(**{column: None for column in PERSON_COLUMNS if column in history})
        return history

    def _counts_protected(self, frame: pd.DataFrame) -> pd.DataFrame:
        shown, reasons = protect_columns(frame, LOAD_COUNTS, rule=self.rule)
        return shown.assign(**{hidden_of(column): reasons[column] for column in LOAD_COUNTS})

    def rejected_total(self) -> tuple[float | None, str]:
        return self._total(queries.load_summary(self.engine), "rows_rejected", measure="rows_rejected")

    def rejections(self) -> pd.DataFrame:
        """Rejected rows per file, column and reason: the reasons quote the rejected cells' values (raw data of
        single records), so never to a viewer under the rule; `rejections_by_column` is for them."""
        self._require_single_records("the reasons of rejected rows")
        return queries.rejection_reasons(self.engine)

    def rejections_by_column(self) -> pd.DataFrame:
        """Rejected rows per file and column (file_name, column, rows and `hidden`), in the order of file and column
        (never of the counts: a hidden count's rank would bound it); a row without a column has column ""."""
        frame = queries.rejection_reasons(self.engine)
        counted = keyed_sums(frame.assign(column=frame["column"].fillna("")), ["file_name", "column"], ["rows"],
                             sort=True)
        return self._protect(counted, "rows")

    def coverage(self, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                 month_to: date | None = None) -> pd.DataFrame:
        """Rows per kind, source, month and place: the months a source covers and its gaps. For a viewer whose
        small counts are hidden, only whether a cell has rows (rows 1): a count per place and month is a count."""
        frame = without_keys(queries.coverage_by_source(self.engine, place_ids=place_ids, month_from=month_from,
                                                        month_to=month_to))
        return frame.assign(rows=(frame["rows"] > 0).astype(int)) if self.viewer.protected else frame

    def unplaced_share(self) -> pd.DataFrame:
        """Per kind: rows, those on the area's unspecified place, and their share (see `protect_unplaced`)."""
        return protect_unplaced(queries.unplaced_share(self.engine), self.rule)


def protect_unplaced(frame: pd.DataFrame, rule: Rule | None) -> pd.DataFrame:
    """Per kind (kind, rows, unplaced, and their cell keys): rows, unplaced and share, each with its reason when
    hidden. The share is of the numbers shown (the rounded unplaced of the rounded rows), hidden with the unplaced."""
    rows, unplaced, share = [], [], []
    for row in frame.itertuples():
        rows.append(protect_total(row.rows, rule=rule, key=row.cell_key, records=row.cell_records))
        loose = protect_total(row.unplaced, rule=rule, key=row.unplaced_cell_key, records=row.unplaced_cell_records)
        unplaced.append(loose)
        shown_rows, shown_loose = rows[-1][0], loose[0]
        if loose[1] or not row.rows:
            share.append(None)
        elif not shown_loose:
            share.append(0.0)  # none unplaced: 0 % of however many
        else:
            share.append(None if rows[-1][1] else shown_loose / shown_rows)
    return pd.DataFrame({"kind": frame["kind"], "rows": [v for v, _ in rows], "rows_hidden": [r for _, r in rows],
                         "unplaced": [v for v, _ in unplaced], "unplaced_hidden": [r for _, r in unplaced],
                         "share": share})
