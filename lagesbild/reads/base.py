"""The viewer's rule applied to what a read returns, and what counts as a count of anyone."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from lagesbild.disclosure import Rule, Viewer, protect, protect_columns, protect_total
from lagesbild.store.schema import REFERRAL_KINDS

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

    @property
    def rule(self) -> Rule | None:
        return self.viewer.rule

    @property
    def sees_single_records(self) -> bool:
        return not self.viewer.protected

    def _require_single_records(self, what: str) -> None:
        if self.viewer.protected:
            raise Withheld(f"{what} are single records, not shown to the role {self.viewer.role!r}")

    def _rule_for(self, counts: bool) -> Rule | None:
        return self.rule if counts else None

    def _protect(self, frame: pd.DataFrame, dims: Sequence[str], value: str = "value", *, counts: bool = True,
                 within: Sequence[str] = ()) -> pd.DataFrame:
        return protect(frame, dims, value, within=within, rule=self._rule_for(counts))

    def _protect_columns(self, frame: pd.DataFrame, dims: Sequence[str], columns: Sequence[str]):
        return protect_columns(frame, dims, columns, rule=self.rule)

    def _total(self, value, *, counts: bool = True) -> tuple[float | None, str]:
        return protect_total(value, rule=self._rule_for(counts))
