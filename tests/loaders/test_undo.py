"""Undoing a load: inserted rows removed, updated rows restored, refused when a later load built on it, audited."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lagesbild.accounts import recent_audit
from lagesbild.cli import main
from lagesbild.store.schema import VERSION_TABLES, loads
from loaders.load import load_file
from loaders.undo import UndoRefused, undo_load
from tests.loaders.helpers import counts, fact_rows, write_csv
from tests.loaders.test_incident_log import HEADER, ROWS
from tests.loaders.test_police_feed import _event


def whole_store(engine) -> tuple:
    return counts(engine), fact_rows(engine, "incidents")


def feed(tmp_path, name, *events):
    path = tmp_path / name
    path.write_text(json.dumps(list(events)))
    return path


def lineage(engine) -> list[tuple]:
    from lagesbild.store.schema import incidents

    with engine.connect() as conn:
        return conn.execute(select(incidents.c.id, incidents.c.load_id, incidents.c.updated_load_id,
                                   incidents.c.row_hash).order_by(incidents.c.id)).all()


def test_undo_removes_what_a_load_inserted_and_restores_what_it_updated(engine, settings, tmp_path):
    load_file(engine, feed(tmp_path, "v1.json", _event(1, "Man gripen i Tantolunden.", "2023-06-10 17:06:29 +02:00")),
              settings)
    before, before_lineage = whole_store(engine), lineage(engine)
    changed = _event(1, "Man gripen för narkotikabrott i Tantolunden.", "2023-06-10 18:00:00 +02:00")
    new = _event(2, "Bråk vid Hornstull.", "2023-06-10 18:30:00 +02:00", "Bråk")
    second = load_file(engine, feed(tmp_path, "v2.json", changed, new), settings)
    assert (second.inserted, second.updated) == (1, 1)
    done = undo_load(engine, second.load_id, username="anna")
    assert (done.deleted, done.restored) == (1, 1)
    after = whole_store(engine)
    assert after[1] == before[1] and lineage(engine) == before_lineage  # every row as it was, lineage too
    with engine.connect() as conn:
        row = conn.execute(select(loads).where(loads.c.id == second.load_id)).mappings().one()
        history = conn.execute(select(VERSION_TABLES["incidents"])).mappings().all()
    assert (row["status"], row["undone_by"], row["live"]) == ("undone", "anna", None) and row["undone_at"]
    assert sorted(h["reason"] for h in history) == ["undo", "undo", "update"]  # nothing is lost
    assert any(a["action"] == "unload" and f"load #{second.load_id}" in a["detail"] for a in recent_audit(engine))


def test_undo_is_refused_while_a_later_load_changed_the_same_rows(engine, settings, tmp_path):
    original = _event(1, "Gripen i Tantolunden.", "2023-06-10 17:00:00 +02:00")
    first = load_file(engine, feed(tmp_path, "v1.json", original), settings)
    second = load_file(engine, feed(tmp_path, "v2.json", _event(1, "Gripen i Tantolunden, narkotika.",
                                                                "2023-06-10 18:00:00 +02:00")), settings)
    before = whole_store(engine)
    with pytest.raises(UndoRefused, match=rf"load #{first.load_id} cannot be undone: .*#{second.load_id}.*first"):
        undo_load(engine, first.load_id)
    assert whole_store(engine) == before
    undo_load(engine, second.load_id)
    undo_load(engine, first.load_id)
    assert counts(engine)["incidents"] == 0
    with pytest.raises(UndoRefused, match="undone already"):
        undo_load(engine, first.load_id)
    with pytest.raises(UndoRefused, match="no such load"):
        undo_load(engine, 999)


def test_a_file_whose_load_was_undone_loads_again(engine, settings, tmp_path):
    path = write_csv(tmp_path / "est.csv", [HEADER, *ROWS])
    first = load_file(engine, path, settings)
    rows = fact_rows(engine, "incidents")
    undo_load(engine, first.load_id)
    again = load_file(engine, path, settings)
    assert again.status == "loaded" and again.inserted == 4 and again.load_id != first.load_id
    assert fact_rows(engine, "incidents") == rows


def test_cli_unload(store_url, engine, tmp_path):
    path = write_csv(tmp_path / "est.csv", [HEADER, *ROWS])
    report = load_file(engine, path, load_settings_for(store_url))
    result = CliRunner().invoke(main, ["unload", str(report.load_id), "--db", store_url])
    assert result.exit_code == 0 and "4 row(s) removed" in result.output, result.output
    refused = CliRunner().invoke(main, ["unload", str(report.load_id), "--db", store_url])
    assert refused.exit_code == 1 and "undone already" in refused.output
    status = json.loads(CliRunner().invoke(main, ["status", "--json", "--db", store_url]).output)
    assert status["loads"][0]["status"] == "undone" and status["loads"][0]["undone_by"].startswith("cli:")
    assert status["kinds"]["incidents"]["rows"] == 0


def load_settings_for(url):
    from lagesbild.settings import load_settings

    return load_settings({}).with_db(url)
