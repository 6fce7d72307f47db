"""The sample register: the committed file is the generator's output, and it tells the project plan's story."""

from __future__ import annotations

import hashlib
from datetime import date

from lagesbild.records.register import list_records, record_history
from lagesbild.samples.records import SAMPLE_PATH, story_records, write_records_sample
from tests.records.conftest import STYRGRUPP


def test_the_committed_file_is_the_generators_output(tmp_path):
    made = write_records_sample(tmp_path / SAMPLE_PATH.name)
    assert hashlib.sha256(made.read_bytes()).hexdigest() == hashlib.sha256(SAMPLE_PATH.read_bytes()).hexdigest()


def test_the_story_has_the_plans_two_risks_reviewed_every_month():
    story = story_records()
    risks = {r["record_id"]: r for r in story["risks"]}
    assert risks["R-001"]["title"].startswith("Deltagare i projektet prioriteras att utföra andra arbetsuppgifter")
    assert risks["R-002"]["title"].startswith("Samarbetsparter avsätter inte resurser")
    months = {}
    for review in story["risk_reviews"]:
        months.setdefault(review["risk_id"], []).append(review["month"])
    assert months["R-002"][0] == date(2023, 1, 1) and months["R-002"][-1] == date(2025, 12, 1)
    assert len(months["R-002"]) == 36  # every month, none skipped
    assert len({(r["probability"], r["consequence"]) for r in story["risk_reviews"]}) > 4  # they move


def test_the_story_has_the_summer_budget_change_and_the_reassessments():
    story = story_records()
    summer = story["change_requests"][0]
    assert "Sommarbudgeten 2023" in summer["title"] and "budget" in summer["change_kinds"]
    assert (summer["status"], summer["decided_on"]) == ("approved", date(2023, 5, 16))
    outcomes = [(c["assessed_on"].year, c["outcome"]) for c in story["classifications"]]
    assert outcomes == [(2022, "classified"), (2024, "classified"), (2025, "not_classified")]


def test_the_sample_is_loaded_with_its_history_dated(sample_store):
    history = record_history(sample_store, "actions", "B-003", STYRGRUPP)
    assert [(v.operation, v.recorded_at.date(), v["status"]) for v in history] == [
        ("created", date(2023, 1, 17), "open"), ("closed", date(2023, 4, 18), "done")]
    assert list_records(sample_store, "budget", STYRGRUPP, as_of=date(2022, 12, 31)) == []
    assert len(list_records(sample_store, "risk_reviews", STYRGRUPP, as_of=date(2023, 2, 28))) == 4
