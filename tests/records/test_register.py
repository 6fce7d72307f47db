"""The register: every kind created, edited and closed as versions, refused to partners and to stale edits."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lagesbild.accounts import recent_audit
from lagesbild.records.errors import InvalidRecord, NoSuchRecord, NotAllowed, StaleVersion
from lagesbild.records.kinds import KINDS
from lagesbild.records.register import (
    close_record,
    create_record,
    edit_record,
    get_record,
    list_records,
    record_history,
)
from lagesbild.store.schema import RECORD_TABLES
from tests.records.conftest import ADMIN, EDIT, PARTNER, STYRGRUPP, VALID

CLOSED = {"actions": "done", "risks": "closed", "change_requests": "approved", "budget": "voided",
          "classifications": "withdrawn"}


def test_every_record_table_has_its_kind():
    assert set(KINDS) == set(RECORD_TABLES)


@pytest.mark.parametrize("kind", list(VALID))
def test_each_kind_created_edited_and_closed_with_history(engine, kind):
    created = create_record(engine, kind, VALID[kind], STYRGRUPP)
    name, value = EDIT[kind]
    edited = edit_record(engine, kind, created.record_id, 1, {name: value}, ADMIN)
    closed = close_record(engine, kind, created.record_id, 2, STYRGRUPP, status=CLOSED[kind], on=date(2023, 6, 1))

    history = record_history(engine, kind, created.record_id, STYRGRUPP)
    assert [(v.version, v.recorded_by, v.operation) for v in history] == [
        (1, "anna.styr", "created"), (2, "admin", "edited"), (3, "anna.styr", "closed")]
    assert history[1].changes == {name: [created[name], value]}
    assert history[0][name] == VALID[kind].get(name) and history[1][name] == value
    assert closed["status"] == CLOSED[kind]
    assert get_record(engine, kind, created.record_id, STYRGRUPP) == closed == history[2]
    assert edited.version == 2
    actions = [row["action"] for row in recent_audit(engine)]
    assert actions[:3] == ["record_closed", "record_edited", "record_created"]


def test_generated_ids_count_up_per_kind(engine):
    ids = [create_record(engine, "actions", VALID["actions"], STYRGRUPP).record_id for _ in range(3)]
    assert ids == ["B-001", "B-002", "B-003"]
    assert create_record(engine, "risks", VALID["risks"], STYRGRUPP, record_id="R-plan-1").record_id == "R-plan-1"
    with pytest.raises(InvalidRecord, match="taken"):
        create_record(engine, "risks", VALID["risks"], STYRGRUPP, record_id="R-plan-1")


def test_an_edit_from_an_old_version_is_refused_and_nothing_written(engine):
    record = create_record(engine, "actions", VALID["actions"], STYRGRUPP)
    edit_record(engine, "actions", record.record_id, 1, {"owner": "A"}, STYRGRUPP)
    with pytest.raises(StaleVersion) as refused:
        edit_record(engine, "actions", record.record_id, 1, {"owner": "B"}, ADMIN)
    assert refused.value.current == 2
    assert get_record(engine, "actions", record.record_id, STYRGRUPP)["owner"] == "A"


def test_an_edit_that_changes_nothing_adds_no_version(engine):
    record = create_record(engine, "actions", VALID["actions"], STYRGRUPP)
    again = edit_record(engine, "actions", record.record_id, 1, {"owner": VALID["actions"]["owner"]}, STYRGRUPP)
    assert again == record
    assert len(record_history(engine, "actions", record.record_id, STYRGRUPP)) == 1


@pytest.mark.parametrize("kind", list(VALID))
def test_a_partner_is_refused_every_write(engine, kind):
    record = create_record(engine, kind, VALID[kind], STYRGRUPP)
    table = RECORD_TABLES[kind]
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(table)).scalar()
    with pytest.raises(NotAllowed):
        create_record(engine, kind, VALID[kind], PARTNER)
    with pytest.raises(NotAllowed):
        edit_record(engine, kind, record.record_id, 1, dict([EDIT[kind]]), PARTNER)
    with pytest.raises(NotAllowed):
        close_record(engine, kind, record.record_id, 1, PARTNER, status=CLOSED[kind], on=date(2023, 6, 1))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(table)).scalar() == before


def test_partners_read_only_shared_records_and_reviews_of_shared_risks(engine, risk):
    from lagesbild.records.access import Actor

    action = create_record(engine, "actions", VALID["actions"], STYRGRUPP)  # shared by default
    hidden = create_record(engine, "actions", {**VALID["actions"], "shared": False}, STYRGRUPP)
    create_record(engine, "risk_reviews", {"risk_id": risk.record_id, "month": "2023-02", "probability": 3,
                                           "consequence": 3}, STYRGRUPP)
    assert [r.record_id for r in list_records(engine, "actions", PARTNER)] == [action.record_id]
    assert list_records(engine, "risks", PARTNER) == [] and list_records(engine, "risk_reviews", PARTNER) == []
    with pytest.raises(NoSuchRecord):
        get_record(engine, "actions", hidden.record_id, PARTNER)
    edit_record(engine, "risks", risk.record_id, 1, {"shared": True}, STYRGRUPP)
    assert [r["risk_id"] for r in list_records(engine, "risk_reviews", PARTNER)] == [risk.record_id]
    with pytest.raises(NotAllowed):
        list_records(engine, "actions", Actor("someone", "guest"))


def test_as_of_reads_give_each_record_as_it_was(engine):
    record = create_record(engine, "actions", VALID["actions"], STYRGRUPP, now=datetime(2023, 2, 14, 18))
    edit_record(engine, "actions", record.record_id, 1, {"owner": "Ny ägare"}, STYRGRUPP,
                now=datetime(2023, 3, 1, 9))
    close_record(engine, "actions", record.record_id, 2, STYRGRUPP, on=date(2023, 3, 20),
                 now=datetime(2023, 3, 20, 16))
    assert list_records(engine, "actions", STYRGRUPP, as_of=date(2023, 2, 13)) == []
    assert get_record(engine, "actions", record.record_id, STYRGRUPP, as_of=date(2023, 2, 14))["owner"] == \
        VALID["actions"]["owner"]
    as_of_march = get_record(engine, "actions", record.record_id, STYRGRUPP, as_of=date(2023, 3, 19))
    assert (as_of_march.version, as_of_march["owner"], as_of_march["status"]) == (2, "Ny ägare", "open")
    assert get_record(engine, "actions", record.record_id, STYRGRUPP, as_of=date(2023, 3, 20))["status"] == "done"
    with pytest.raises(Exception, match="before the one it follows"):
        edit_record(engine, "actions", record.record_id, 3, {"note": "x"}, STYRGRUPP, now=datetime(2023, 1, 1))


def test_problems_name_every_field(engine, risk):
    with pytest.raises(InvalidRecord) as refused:
        create_record(engine, "risk_reviews", {"risk_id": risk.record_id, "month": "2023-13", "probability": 7,
                                               "consequence": "hög"}, STYRGRUPP)
    assert {(p.field, p.reason) for p in refused.value.problems} == {
        ("month", "not_month"), ("probability", "out_of_range"), ("consequence", "not_integer")}
    assert "probability: 7 is not between 1 and 5" in str(refused.value)
    sv = {p.field: p.text("sv") for p in refused.value.problems}
    assert sv["probability"] == "probability: 7 ligger inte mellan 1 och 5"


def test_rules_between_fields(engine):
    values = {**VALID["actions"], "status": "done"}
    with pytest.raises(InvalidRecord, match="closed_on: is required when the status is Done"):
        create_record(engine, "actions", values, STYRGRUPP)
    with pytest.raises(InvalidRecord, match="due_on: 2023-01-01 is before Meeting date 2023-02-14"):
        create_record(engine, "actions", {**VALID["actions"], "due_on": "2023-01-01"}, STYRGRUPP)
    with pytest.raises(InvalidRecord, match="unknown id 'narnia'"):
        create_record(engine, "actions", {**VALID["actions"], "place_ids": "tantolunden, narnia"}, STYRGRUPP)
    with pytest.raises(InvalidRecord, match="no risk with id 'R-404'"):
        create_record(engine, "risk_reviews", {"risk_id": "R-404", "month": "2023-02", "probability": 1,
                                               "consequence": 1}, STYRGRUPP)


def test_a_review_is_keyed_by_its_risk_and_month(engine, risk):
    review = create_record(engine, "risk_reviews", {"risk_id": risk.record_id, "month": date(2023, 2, 17),
                                                    "probability": 3, "consequence": 4}, STYRGRUPP)
    assert review.record_id == f"{risk.record_id}:2023-02" and review["month"] == date(2023, 2, 1)
    with pytest.raises(InvalidRecord, match="part of the record's id"):
        edit_record(engine, "risk_reviews", review.record_id, 1, {"month": "2023-03"}, STYRGRUPP)
    with pytest.raises(Exception, match="not closed"):
        close_record(engine, "risk_reviews", review.record_id, 1, STYRGRUPP)


def test_two_simultaneous_edits_of_one_version_give_one_new_version_and_one_refusal(engine):
    from concurrent.futures import ThreadPoolExecutor

    record = create_record(engine, "actions", VALID["actions"], STYRGRUPP)

    def edit(owner):
        try:
            return edit_record(engine, "actions", record.record_id, 1, {"owner": owner}, STYRGRUPP).version
        except StaleVersion:
            return "stale"

    with ThreadPoolExecutor(2) as pool:
        results = sorted(map(str, pool.map(edit, ["A", "B"] * 4)))
    assert results.count("2") == 1 and results.count("stale") == 7
    assert len(record_history(engine, "actions", record.record_id, STYRGRUPP)) == 2
