"""The report pieces on the sample register: the risk matrix, overdue actions, budget totals, the classification."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, text

from lagesbild.records.budget import budget_summary
from lagesbild.records.config import BudgetCaps
from lagesbild.records.register import close_record, create_record, cutoff, edit_record, get_record
from lagesbild.records.report import (
    change_requests,
    classifications,
    latest_classification,
    open_actions,
    records_section,
    risk_matrix,
)
from lagesbild.samples.records import load_sample_records
from lagesbild.store.schema import events, loads, places
from tests.records.conftest import ADMIN, PARTNER, STYRGRUPP

DATES = [date(2023, 1, 31), date(2023, 3, 31), date(2023, 6, 30), date(2023, 8, 31), date(2024, 3, 31),
         date(2025, 6, 30), date(2025, 12, 31)]
CAPS = BudgetCaps(2_000_000, 275_000)


@pytest.fixture
def sample(engine):
    load_sample_records(engine)
    return engine


LATEST = "version = (SELECT max(version) FROM {t} x WHERE x.record_id = {a}.record_id AND x.recorded_at <= :cut)"
MATRIX_SQL = f"""
SELECT r.risk_id, r.probability, r.consequence FROM record_risk_reviews r
WHERE r.{LATEST.format(t="record_risk_reviews", a="r")}
  AND r.month = (SELECT max(y.month) FROM record_risk_reviews y
                 WHERE y.risk_id = r.risk_id AND y.month <= :month AND y.recorded_at <= :cut)
  AND r.risk_id IN (SELECT k.record_id FROM record_risks k
                    WHERE k.status = 'open' AND k.{LATEST.format(t="record_risks", a="k")})
"""
BUDGET_SQL = f"""
SELECT b.month, sum(b.amount_sek) FROM record_budget_entries b
WHERE b.status = 'booked' AND b.month >= :first AND b.month <= :last
  AND b.{LATEST.format(t="record_budget_entries", a="b")}
GROUP BY b.month
"""


@pytest.mark.parametrize("as_of", DATES)
def test_the_risk_matrix_cells_match_the_register(sample_store, as_of):
    with sample_store.connect() as conn:
        rows = conn.execute(text(MATRIX_SQL), {"cut": cutoff(as_of), "month": as_of.replace(day=1)}).all()
    expected = {(p, c): set() for p in range(1, 6) for c in range(1, 6)}
    for risk_id, probability, consequence in rows:
        expected[probability, consequence].add(risk_id)
    matrix = risk_matrix(sample_store, STYRGRUPP, as_of)
    assert {cell: set(ids) for cell, ids in matrix.cells.items()} == expected
    assert len(matrix.cells) == 25 and sum(map(len, expected.values())) == len(matrix.risks)


def test_the_matrix_shows_the_movement_since_last_month(sample_store):
    march = {r.record_id: r for r in risk_matrix(sample_store, STYRGRUPP, date(2023, 3, 31)).risks}
    assert (march["R-001"].previous_cell, march["R-001"].cell, march["R-001"].movement) == ((3, 4), (4, 4), "worse")
    assert march["R-001"].previous_month == date(2023, 2, 1)
    august = {r.record_id: r for r in risk_matrix(sample_store, STYRGRUPP, date(2023, 8, 31)).risks}
    assert (august["R-001"].cell, august["R-001"].movement) == ((3, 3), "better")
    assert august["R-002"].movement == "same"
    spring_2024 = {r.record_id: r for r in risk_matrix(sample_store, STYRGRUPP, date(2024, 3, 31)).risks}
    assert set(spring_2024) == {"R-002", "R-003"} and spring_2024["R-003"].movement == "new"  # R-001 closed
    assert risk_matrix(sample_store, PARTNER, date(2024, 3, 31)).risks == ()  # risks are not shared by default


def test_overdue_actions_are_flagged_as_of_the_date(sample_store):
    def flags(as_of, viewer=STYRGRUPP):
        return {a.record_id: (a.overdue, a.days_overdue) for a in open_actions(sample_store, viewer, as_of)}

    assert flags(date(2023, 3, 31))["B-003"] == (False, 0)  # due that day: not yet overdue
    assert flags(date(2023, 4, 1))["B-003"] == (True, 1)
    assert "B-003" not in flags(date(2023, 4, 1), PARTNER)  # not shared
    assert "B-003" not in flags(date(2023, 4, 18))  # done that day
    assert flags(date(2025, 12, 31)) == {"B-020": (True, 275), "B-023": (True, 31), "B-025": (False, 0)}
    assert list(flags(date(2025, 12, 31))) == ["B-020", "B-023", "B-025"]  # longest overdue first


@pytest.mark.parametrize("month", [date(2023, 3, 1), date(2023, 6, 1), date(2023, 12, 1), date(2024, 7, 1),
                                   date(2025, 12, 1)])
def test_budget_totals_match_direct_sql(sample_store, month):
    summary = budget_summary(sample_store, STYRGRUPP, month, caps=CAPS)
    first = date(month.year - 1, 10, 1)
    with sample_store.connect() as conn:
        rows = dict(conn.execute(text(BUDGET_SQL), {"first": first, "last": month, "cut": datetime.now()}).all())
    by_month = {m if isinstance(m, date) else date.fromisoformat(m): float(v) for m, v in rows.items()}
    assert {m.month: m.total_sek for m in summary.months} == {
        d: pytest.approx(by_month.get(d, 0.0)) for d in (date(month.year, n, 1) for n in range(1, month.month + 1))}
    year_to_date = sum(v for d, v in by_month.items() if d.year == month.year)
    assert summary.year_to_date_sek == pytest.approx(year_to_date)
    assert summary.remaining_sek == pytest.approx(2_000_000 - year_to_date)
    last_three = [by_month.get(d, 0.0) for d in summary.forecast_basis]
    assert len(last_three) == 3 and summary.forecast_basis[-1] == month
    assert summary.forecast_year_end_sek == pytest.approx(year_to_date + sum(last_three) / 3 * (12 - month.month))


def test_the_sample_year_2023_within_both_caps(sample_store):
    year = budget_summary(sample_store, STYRGRUPP, date(2023, 12, 1), caps=CAPS)
    assert year.year_to_date_sek == pytest.approx(1_861_900.50)
    assert (year.grants_year_to_date_sek, year.grants_source) == (259_500, "budget")
    assert year.grants_remaining_sek == 15_500 and not year.forecast_over_cap
    assert budget_summary(sample_store, PARTNER, date(2023, 12, 1), caps=CAPS).year_to_date_sek == 0  # not shared


def _events_with_grants(engine, finished_at: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(insert(places).values(id="tantolunden", name="Tantolunden", kind="park", area="Västra Södermalm",
                                           is_unspecified=False, aliases=[], streets=[], sort_order=10))
        load_id = conn.execute(insert(loads).values(
            kind="events", source="activities", file_name="a.csv", sha256="0" * 64, loader_version="t",
            started_at=finished_at, finished_at=finished_at, status="loaded", report={})).inserted_primary_key[0]
        for number, (day, grant) in enumerate(((date(2024, 6, 15), 30000.0), (date(2024, 8, 10), 25000.0))):
            conn.execute(insert(events).values(
                natural_key=f"k{number}", row_hash="h", source="activities", place_id="tantolunden", date=day,
                month=day.replace(day=1), category="foreningsaktivitet", load_id=load_id, title="Fest",
                grant_sek=grant, is_measure=False))


def test_grants_come_from_the_events_only_for_a_year_the_register_has_none(engine):
    _events_with_grants(engine, datetime(2024, 9, 1, 12))
    create_record(engine, "budget", {"month": "2024-06", "category": "staff", "amount_sek": 20000,
                                     "status": "booked"}, STYRGRUPP)
    summary = budget_summary(engine, STYRGRUPP, date(2024, 9, 1), caps=CAPS)
    assert (summary.grants_source, summary.grants_year_to_date_sek, summary.year_to_date_sek) == (
        "events", 55000, 75000)
    assert summary.months[5].by_category == {"staff": 20000, "grants": 30000}
    before_the_load = budget_summary(engine, STYRGRUPP, date(2024, 8, 1), as_of=date(2024, 8, 31), caps=CAPS)
    assert before_the_load.grants_year_to_date_sek == 0  # the events' load had not finished by then
    create_record(engine, "budget", {"month": "2024-08", "category": "grants", "amount_sek": 25000,
                                     "status": "booked"}, STYRGRUPP)
    summary = budget_summary(engine, STYRGRUPP, date(2024, 9, 1), caps=CAPS)
    assert (summary.grants_source, summary.grants_year_to_date_sek, summary.year_to_date_sek) == (
        "budget", 25000, 45000)  # the register is the ledger: never both


def test_a_voided_entry_counts_for_nothing(engine):
    entry = create_record(engine, "budget", {"month": "2023-07", "category": "urban_environment",
                                             "amount_sek": 96400, "status": "booked"}, STYRGRUPP)
    assert budget_summary(engine, STYRGRUPP, date(2023, 7, 1), caps=CAPS).month_total_sek == 96400
    close_record(engine, "budget", entry.record_id, 1, STYRGRUPP)
    assert budget_summary(engine, STYRGRUPP, date(2023, 7, 1), caps=CAPS).month_total_sek == 0


def test_the_latest_classification_as_of_each_date(sample):
    def latest(as_of, viewer=PARTNER):
        found = latest_classification(sample, viewer, as_of)
        return found and (found.record_id, found.outcome)

    assert latest(date(2022, 10, 3)) is None
    assert latest(date(2023, 6, 30)) == ("K-001", "classified")
    assert latest(date(2025, 2, 10)) == ("K-002", "classified")
    assert latest(date(2025, 2, 11)) == ("K-003", "not_classified")
    assert [c.assessed_on.year for c in classifications(sample, PARTNER, date(2025, 12, 31))] == [2022, 2024, 2025]
    close_record(sample, "classifications", "K-003", 1, ADMIN)  # withdrawn today: entered in error
    assert latest(date.today()) == ("K-002", "classified")
    assert latest(date(2025, 12, 31)) == ("K-003", "not_classified")  # what the store said then


def test_open_change_requests(sample_store):
    assert [c.record_id for c in change_requests(sample_store, STYRGRUPP, date(2023, 4, 30))] == ["AB-001"]
    assert change_requests(sample_store, STYRGRUPP, date(2023, 5, 16)) == []
    assert [c.record_id for c in change_requests(sample_store, STYRGRUPP, date(2025, 12, 31))] == ["AB-004"]
    everything = change_requests(sample_store, STYRGRUPP, date(2025, 12, 31), open_only=False)
    assert [(c.record_id, c.status) for c in everything] == [
        ("AB-001", "approved"), ("AB-002", "approved"), ("AB-003", "rejected"), ("AB-004", "submitted")]
    assert everything[0].change_kinds == ("budget", "resources")
    assert change_requests(sample_store, PARTNER, date(2025, 12, 31)) == []


def test_a_snapshot_as_of_a_date_stays_as_it_was(sample):
    before = records_section(sample, STYRGRUPP, date(2023, 6, 30), caps=CAPS)
    action = get_record(sample, "actions", "B-012", STYRGRUPP)
    edit_record(sample, "actions", "B-012", action.version, {"owner": "Någon annan"}, STYRGRUPP)
    create_record(sample, "budget", {"month": "2023-06", "category": "other", "amount_sek": 1, "status": "booked"},
                  STYRGRUPP)
    assert records_section(sample, STYRGRUPP, date(2023, 6, 30), caps=CAPS) == before
    assert [a.record_id for a in before.actions] == ["B-012"] and before.classification.record_id == "K-001"
    assert before.budget.month == date(2023, 6, 1) and before.budget.month_total_sek == 298_400
    today = records_section(sample, STYRGRUPP, date.today(), month=date(2023, 6, 1), caps=CAPS)
    assert today.budget.month_total_sek == 298_401


def test_a_partner_section_has_only_shared_records(sample_store):
    section = records_section(sample_store, PARTNER, date(2025, 12, 31), caps=CAPS)
    assert [a.record_id for a in section.actions] == ["B-020", "B-023", "B-025"]
    assert all(a.shared for a in section.actions)
    assert section.risks.risks == () and section.change_requests == () and section.budget.year_to_date_sek == 0
    assert section.classification.outcome == "not_classified"
    assert [a.record_id for a in section.overdue] == ["B-020", "B-023"]
