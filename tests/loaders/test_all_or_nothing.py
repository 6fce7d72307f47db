"""A load that fails midway in the database leaves the store exactly as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from loaders import pipeline
from loaders.load import load_file
from tests.loaders.helpers import counts, fact_rows, write_csv
from tests.loaders.test_incident_log import HEADER, ROWS

SQLITE_TRIGGER = """
CREATE TRIGGER boom BEFORE INSERT ON incidents WHEN NEW.summary = 'BOOM'
BEGIN SELECT RAISE(ABORT, 'boom'); END
"""
PG_TRIGGER = [
    """CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN
       IF NEW.summary = 'BOOM' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER boom BEFORE INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION boom()",
]


def add_failing_trigger(engine) -> None:
    """A real database error on one row in a later chunk: the kind of failure a full disk or a lost server gives."""
    with engine.begin() as conn:
        for statement in [SQLITE_TRIGGER] if engine.dialect.name == "sqlite" else PG_TRIGGER:
            conn.execute(text(statement))


def test_failure_in_a_later_chunk_rolls_everything_back(engine, settings, tmp_path, monkeypatch):
    load_file(engine, write_csv(tmp_path / "first.csv", [HEADER, ROWS[0]]), settings)
    before = (counts(engine), fact_rows(engine, "incidents"))
    add_failing_trigger(engine)
    monkeypatch.setattr(pipeline, "WRITE_CHUNK", 2)  # several chunks, so the failure is truly midway
    rows = [[f"2023-07-{day:02d}", "12:00", "Tantolunden", None, None, "Sprutfynd", "X", "", f"fynd {day}"]
            for day in range(1, 10)]
    rows[6][-1] = "BOOM"
    with pytest.raises(DBAPIError):
        load_file(engine, write_csv(tmp_path / "second.csv", [HEADER, *rows]), settings)
    assert (counts(engine), fact_rows(engine, "incidents")) == before
