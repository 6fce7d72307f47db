"""Records fixtures: actors of each role and one valid set of values per kind."""

from __future__ import annotations

import os
from datetime import date

import pytest

from lagesbild.records.access import Actor
from lagesbild.settings import sqlite_url
from lagesbild.store.db import make_engine, upgrade
from tests.conftest import BACKENDS, _fresh_pg_url

STYRGRUPP = Actor("anna.styr", "styrgrupp")
ADMIN = Actor("admin", "admin")
PARTNER = Actor("polis.partner", "partner")

VALID = {
    "actions": {"title": "Inventera möjliga ersättare", "meeting": "Styrgruppsmöte februari 2023",
                "meeting_on": date(2023, 2, 14), "owner": "Projektledare", "due_on": date(2023, 3, 31),
                "status": "open", "indicator_ids": ["narvarotimmar"], "place_ids": ["tantolunden"]},
    "risks": {"title": "Deltagare prioriteras att utföra andra arbetsuppgifter", "owner": "Projektledare",
              "measures": "Estimera timmar per deltagare", "identified_on": date(2023, 1, 10), "status": "open"},
    "change_requests": {"title": "Sommarbudget", "change_kinds": ["budget"], "description": "Mer till sommaren",
                        "reason": "Fler aktiviteter", "amount_sek": 150000, "requested_by": "Projektledare",
                        "submitted_on": date(2023, 4, 11), "status": "submitted"},
    "budget": {"month": date(2023, 5, 1), "category": "staff", "amount_sek": 120000.0, "status": "booked"},
    "classifications": {"assessed_on": date(2022, 9, 15), "assessed_by": "Polisen, LPO Södermalm",
                        "outcome": "classified", "status": "valid"},
}
# One field each edit changes, and its new value.
EDIT = {"actions": ("owner", "Trygghetssamordnare"), "risks": ("measures", "Inventera ersättare"),
        "change_requests": ("amount_sek", 120000.0), "budget": ("amount_sek", 125000.0),
        "classifications": ("basis", "Underrättelsebild LPO Södermalm")}


@pytest.fixture
def risk(engine):
    from lagesbild.records.register import create_record

    return create_record(engine, "risks", VALID["risks"], STYRGRUPP)


@pytest.fixture(scope="module", params=BACKENDS)
def sample_store(request, tmp_path_factory):
    """The sample register loaded once per module and backend, for tests that only read it."""
    from lagesbild.samples.records import load_sample_records

    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("records") / "store.sqlite")
    else:
        url = _fresh_pg_url(f"lagesbild_records_{os.getpid()}")
    upgrade(url)
    engine = make_engine(url)
    load_sample_records(engine)
    yield engine
    engine.dispose()
