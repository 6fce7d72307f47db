"""Values as people write them: the same content in several forms gives the same record."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lagesbild.records.config import known_ids
from lagesbild.records.errors import Problem
from lagesbild.records.kinds import KINDS
from lagesbild.records.values import check_record

BUDGET = KINDS["budget"]
FORMS = [
    {"month": "2023-05", "category": "Personal", "amount_sek": "12 345,50", "status": "Bokförd", "shared": "nej"},
    {"month": date(2023, 5, 17), "category": "staff", "amount_sek": 12345.5, "status": "booked", "shared": False},
    {"month": datetime(2023, 5, 1), "category": "STAFF", "amount_sek": "12345.50 kr", "status": "Booked"},
    {"month": 45047, "category": " personal ", "amount_sek": "12.345,50", "status": "bokförd"},
    {"month": "2023-05-01", "category": "Staff", "amount_sek": "12,345.50", "status": "BOKFÖRD", "shared": "No"},
]


@pytest.mark.parametrize("values", FORMS)
def test_the_same_entry_written_in_several_ways(values):
    clean, problems = check_record(BUDGET, values, known_ids())
    assert problems == []
    assert clean == {"month": date(2023, 5, 1), "category": "staff", "amount_sek": 12345.5, "description": None,
                     "status": "booked", "shared": False}


def test_lists_take_codes_or_labels_with_commas_or_semicolons():
    kind = KINDS["change_requests"]
    values = {"title": "t", "change_kinds": "Budget; tid, Resurser, budget", "description": "d", "reason": "r",
              "requested_by": "PL", "submitted_on": "2023-04-18", "status": "Inlämnad"}
    clean, problems = check_record(kind, values, known_ids())
    assert problems == [] and clean["change_kinds"] == ["budget", "time", "resources"]


def test_a_message_in_each_language():
    kind = KINDS["actions"]
    values = {"title": "t", "meeting_on": "2023-02-14", "owner": "PL", "status": "Klar"}
    _, problems = check_record(kind, values, known_ids())
    assert problems == [Problem("closed_on", "needs_close_date", problems[0].value)]
    assert problems[0].text("sv") == "closed_on: måste fyllas i när status är Klar"
    assert problems[0].text("en") == "closed_on: is required when the status is Done"
