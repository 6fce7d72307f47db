"""What the lägesrapport's records section and Översikt's goal panel show, as plain data, as of a date.

Every function reads through the register (so partners get only shared records) and returns the records as
they stood at the end of `as_of`, leaving out what is dated after it. No wording, no rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine

from lagesbild.records.access import Actor
from lagesbild.records.budget import BudgetSummary, summarise
from lagesbild.records.config import BudgetCaps, budget_caps
from lagesbild.records.register import Record, read_records

MATRIX_SIZE = 5  # probability and consequence 1–5


@dataclass(frozen=True)
class ActionItem:
    record_id: str
    title: str
    meeting: str | None
    meeting_on: date
    owner: str
    due_on: date | None
    status: str
    closed_on: date | None
    indicator_ids: tuple[str, ...]
    place_ids: tuple[str, ...]
    shared: bool
    overdue: bool
    days_overdue: int  # 0 unless overdue


def is_overdue(status: str, due_on: date | None, on: date) -> bool:
    """Open and past its due date (due on the day itself is not overdue yet)."""
    return status == "open" and due_on is not None and due_on < on


def open_actions(engine: Engine, viewer: Actor, as_of: date) -> list[ActionItem]:
    """The actions open at `as_of`, overdue first (longest overdue first), then by due date."""
    with engine.connect() as conn:
        return _open_actions(conn, viewer, as_of)


def _open_actions(conn: Connection, viewer: Actor, as_of: date) -> list[ActionItem]:
    items = [_action(r, as_of) for r in read_records(conn, "actions", viewer, as_of)
             if r["status"] == "open" and r["meeting_on"] <= as_of]
    return sorted(items, key=lambda a: (not a.overdue, -a.days_overdue, a.due_on or date.max, a.record_id))


def _action(record: Record, as_of: date) -> ActionItem:
    v = record.values
    overdue = is_overdue(v["status"], v["due_on"], as_of)
    return ActionItem(record.record_id, v["title"], v["meeting"], v["meeting_on"], v["owner"], v["due_on"],
                      v["status"], v["closed_on"], tuple(v["indicator_ids"]), tuple(v["place_ids"]), v["shared"],
                      overdue, (as_of - v["due_on"]).days if overdue else 0)


# --- risks --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskPosition:
    """An open risk at its latest review by the date, and where it stood at the review before."""

    record_id: str
    title: str
    owner: str
    measures: str | None
    shared: bool
    month: date | None  # the latest review's month; None: not reviewed yet
    probability: int | None
    consequence: int | None
    previous_month: date | None
    previous_probability: int | None
    previous_consequence: int | None

    @property
    def score(self) -> int | None:
        return None if self.probability is None else self.probability * self.consequence

    @property
    def cell(self) -> tuple[int, int] | None:
        return None if self.probability is None else (self.probability, self.consequence)

    @property
    def previous_cell(self) -> tuple[int, int] | None:
        return None if self.previous_probability is None else (self.previous_probability, self.previous_consequence)

    @property
    def movement(self) -> str:
        """unreviewed | new (first review) | same (cell) | worse | better (score) | moved (other cell, same score)."""
        if self.cell is None:
            return "unreviewed"
        if self.previous_cell is None:
            return "new"
        if self.cell == self.previous_cell:
            return "same"
        before = self.previous_probability * self.previous_consequence
        return "worse" if self.score > before else "better" if self.score < before else "moved"


@dataclass(frozen=True)
class RiskMatrix:
    as_of: date
    risks: tuple[RiskPosition, ...]

    @property
    def cells(self) -> dict[tuple[int, int], tuple[str, ...]]:
        """{(probability, consequence): risk ids} for every cell of the 5×5 matrix, empty ones included."""
        cells = {(p, c): () for p in range(1, MATRIX_SIZE + 1) for c in range(1, MATRIX_SIZE + 1)}
        for risk in self.risks:
            if risk.cell is not None:
                cells[risk.cell] += (risk.record_id,)
        return cells

    @property
    def unreviewed(self) -> tuple[str, ...]:
        return tuple(r.record_id for r in self.risks if r.cell is None)


def risk_matrix(engine: Engine, viewer: Actor, as_of: date) -> RiskMatrix:
    """The open risks, each at its latest review up to `as_of`'s month, with the movement since the one before."""
    with engine.connect() as conn:
        return _risk_matrix(conn, viewer, as_of)


def _risk_matrix(conn: Connection, viewer: Actor, as_of: date) -> RiskMatrix:
    month = as_of.replace(day=1)
    reviews: dict[str, list[Record]] = {}
    for review in read_records(conn, "risk_reviews", viewer, as_of):
        if review["month"] <= month:
            reviews.setdefault(review["risk_id"], []).append(review)
    risks = [_position(r, sorted(reviews.get(r.record_id, []), key=lambda x: x["month"]))
             for r in read_records(conn, "risks", viewer, as_of)
             if r["status"] == "open" and r["identified_on"] <= as_of]
    return RiskMatrix(as_of, tuple(sorted(risks, key=lambda r: (-(r.score or 0), r.record_id))))


def _position(risk: Record, reviews: list[Record]) -> RiskPosition:
    last = reviews[-1] if reviews else None
    before = reviews[-2] if len(reviews) > 1 else None
    return RiskPosition(
        risk.record_id, risk["title"], risk["owner"], risk["measures"], risk["shared"],
        last and last["month"], last and last["probability"], last and last["consequence"],
        before and before["month"], before and before["probability"], before and before["consequence"],
    )


# --- change requests ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRequestItem:
    record_id: str
    title: str
    change_kinds: tuple[str, ...]
    description: str
    reason: str
    amount_sek: float | None
    requested_by: str
    submitted_on: date
    status: str
    decided_on: date | None
    decided_how: str | None
    shared: bool


def change_requests(engine: Engine, viewer: Actor, as_of: date, open_only: bool = True) -> list[ChangeRequestItem]:
    """The change requests submitted by `as_of` (only those not yet decided, by default), oldest first."""
    with engine.connect() as conn:
        return _change_requests(conn, viewer, as_of, open_only)


def _change_requests(conn: Connection, viewer: Actor, as_of: date, open_only: bool) -> list[ChangeRequestItem]:
    items = []
    for r in read_records(conn, "change_requests", viewer, as_of):
        if r["submitted_on"] <= as_of and (r["status"] == "submitted" or not open_only):
            v = r.values
            items.append(ChangeRequestItem(r.record_id, v["title"], tuple(v["change_kinds"]), v["description"],
                                           v["reason"], v["amount_sek"], v["requested_by"], v["submitted_on"],
                                           v["status"], v["decided_on"], v["decided_how"], v["shared"]))
    return items


# --- the police's classification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassificationItem:
    record_id: str
    assessed_on: date
    assessed_by: str
    outcome: str  # classified | not_classified
    basis: str | None
    reference: str | None
    shared: bool

    @property
    def classified(self) -> bool:
        return self.outcome == "classified"


def classifications(engine: Engine, viewer: Actor, as_of: date) -> list[ClassificationItem]:
    """The police's assessments in force, dated by `as_of`, oldest first (withdrawn ones left out)."""
    with engine.connect() as conn:
        return _classifications(conn, viewer, as_of)


def latest_classification(engine: Engine, viewer: Actor, as_of: date) -> ClassificationItem | None:
    """The assessment that stands at `as_of`: what the goal panel shows."""
    found = classifications(engine, viewer, as_of)
    return found[-1] if found else None


def _classifications(conn: Connection, viewer: Actor, as_of: date) -> list[ClassificationItem]:
    records = [r for r in read_records(conn, "classifications", viewer, as_of)
               if r["status"] == "valid" and r["assessed_on"] <= as_of]
    records.sort(key=lambda r: (r["assessed_on"], r.recorded_at))
    return [ClassificationItem(r.record_id, r["assessed_on"], r["assessed_by"], r["outcome"], r["basis"],
                               r["reference"], r["shared"]) for r in records]


# --- all of it, for the lägesrapport ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordsSection:
    as_of: date
    actions: tuple[ActionItem, ...]  # open, overdue first
    risks: RiskMatrix
    change_requests: tuple[ChangeRequestItem, ...]  # open
    budget: BudgetSummary
    classification: ClassificationItem | None

    @property
    def overdue(self) -> tuple[ActionItem, ...]:
        return tuple(a for a in self.actions if a.overdue)


def records_section(engine: Engine, viewer: Actor, as_of: date, month: date | None = None,
                    caps: BudgetCaps | None = None) -> RecordsSection:
    """Everything the lägesrapport shows of the records, read in one connection; the budget for `month`
    (default: `as_of`'s month)."""
    with engine.connect() as conn:
        return RecordsSection(
            as_of=as_of,
            actions=tuple(_open_actions(conn, viewer, as_of)),
            risks=_risk_matrix(conn, viewer, as_of),
            change_requests=tuple(_change_requests(conn, viewer, as_of, open_only=True)),
            budget=summarise(conn, viewer, (month or as_of).replace(day=1), as_of, caps or budget_caps()),
            classification=(_classifications(conn, viewer, as_of) or [None])[-1],
        )
