"""The viewer's rule applied to what a read returns, and what counts as a count of anyone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from lagesbild import queries
from lagesbild.disclosure import Rule, Viewer, keyed_total, protect, protect_columns, protect_total
from lagesbild.store.keys import KEY_COLUMNS
from lagesbild.store.schema import REFERRAL_KINDS
from lagesbild.store.snapshot import as_of_engine, snapshot_day

REFERRALS = tuple(f"referrals_{kind}" for kind in REFERRAL_KINDS)
# Measures that count people or incidents: a cell of 1 to 4 could point at someone. Shifts, hours, activities held,
# kronor are counts of nobody. An indicator declares its own (indicators.yaml `counts`) and passes it as `counts`.
COUNTS_OF_ANYONE: dict[str, frozenset[str]] = {
    "incidents": frozenset({"count"}),
    "outreach": frozenset({"contacts", "new_persons", "referrals", *REFERRALS}),
    "events": frozenset({"attendance"}),
}


def counts_anyone(kind: str, measure: str | Sequence[str]) -> bool:
    """Whether `measure` of `kind` ('count', a column, or columns summed) counts people or incidents."""
    measures = (measure,) if isinstance(measure, str) else tuple(measure)
    return any(m in COUNTS_OF_ANYONE.get(kind, ()) for m in measures)


class Withheld(PermissionError):
    """A read of single records (the latest incidents, rejected rows' values) by a viewer whose small counts are
    hidden: single records are not aggregates, so they are never returned to such a viewer."""


class ReadsBase:
    """The store and who is looking; the rule is applied by the helpers below, nowhere else."""

    def __init__(self, engine: Engine, viewer: Viewer):
        self.engine = engine
        self.viewer = viewer
        self._salted: Rule | None = None

    def as_of(self, day: date | None) -> ReadsBase:
        """The same viewer's reads of the store as it was at the end of `day` (lagesbild.store.snapshot): only loads
        recorded by then, facts dated up to then, loads undone since as they were then. None: the store now."""
        return type(self)(as_of_engine(self.engine, day), self.viewer)

    @property
    def snapshot(self) -> date | None:
        """The day these reads see the store as of, or None for the store as it is now."""
        return snapshot_day(self.engine)

    @property
    def rule(self) -> Rule | None:
        """The viewer's rule with the store's salt (read once per Reads, only for a viewer under a rule)."""
        if self.viewer.rule is None:
            return None
        if self._salted is None:
            rule = self.viewer.rule
            self._salted = rule if rule.salt is not None else rule.salted(queries.cell_key_salt(self.engine))
        return self._salted

    @property
    def sees_single_records(self) -> bool:
        return not self.viewer.protected

    def _require_single_records(self, what: str) -> None:
        if self.viewer.protected:
            raise Withheld(f"{what} are single records, not shown to the role {self.viewer.role!r}")

    def _rule_for(self, counts: bool) -> Rule | None:
        return self.rule if counts else None

    def _protect(self, frame: pd.DataFrame, value: str = "value", *, counts: bool = True,
                 measure: str | Sequence[str] = "count") -> pd.DataFrame:
        return protect(frame, value, rule=self._rule_for(counts), measure=measure)

    def _protect_columns(self, frame: pd.DataFrame, columns: Sequence[str]):
        return protect_columns(frame, columns, rule=self.rule)

    def _total(self, frame: pd.DataFrame, value: str = "value", *, counts: bool = True,
               measure: str = "count") -> tuple[float | None, str]:
        """The sum of a frame's `value` (its cells' keys summed with it) as one total, protected."""
        total, key, records = keyed_total(frame, value)
        return protect_total(total, rule=self._rule_for(counts), key=key, records=records, measure=measure)


def measure_name(measure: str | Sequence[str]) -> str:
    """A measure's name for its rounding: 'count', a column, or columns summed ('contacts+new_persons')."""
    return measure if isinstance(measure, str) else "+".join(measure)


def keyed_sums(frame: pd.DataFrame, by: str | list[str], values: Sequence[str], sort: bool = False) -> pd.DataFrame:
    """`values` summed per `by` with their cells' keys (the keys of a union of records are the sums of theirs)."""
    columns = list(values) + [c for c in KEY_COLUMNS if c in frame]
    if frame.empty:
        return pd.DataFrame({name: [] for name in ([by] if isinstance(by, str) else by) + columns})
    return frame.groupby(by, sort=sort, as_index=False, dropna=False)[columns].sum()
