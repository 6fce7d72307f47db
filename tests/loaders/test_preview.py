"""A preview runs the whole load without writing, reports what the load reports, and guards the load after it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lagesbild.cli import main
from loaders.load import load_file, preview_file
from loaders.pipeline import LoadRejected, StoreChanged
from loaders.undo import undo_load
from tests.loaders.helpers import counts, fact_rows, write_csv
from tests.loaders.test_incident_log import HEADER, ROWS

COMPARED = ("rows_read", "inserted", "updated", "duplicate", "rejected", "skipped", "counts", "unknown_categories",
            "unknown_places", "status")


def summary(report) -> dict:
    return {k: getattr(report, k) for k in COMPARED}


def test_preview_reports_what_the_load_does_and_writes_nothing(engine, settings, tmp_path):
    load_file(engine, write_csv(tmp_path / "jan.csv", [HEADER, *ROWS[:2]]), settings)
    path = write_csv(tmp_path / "feb.csv", [HEADER, *ROWS[1:]])
    before = (counts(engine), fact_rows(engine, "incidents"))
    preview = preview_file(engine, path, settings)
    assert (counts(engine), fact_rows(engine, "incidents")) == before
    assert preview.dry_run and preview.load_id is None and preview.token
    loaded = load_file(engine, path, settings, expect_token=preview.token)
    assert summary(preview) == summary(loaded)
    assert (loaded.inserted, loaded.duplicate, loaded.skipped) == (2, 1, {"outside the area": 1})


def test_preview_of_a_bad_file_lists_the_rows_with_identity_numbers_redacted(engine, settings, tmp_path):
    bad = [HEADER, *ROWS, ["850312-1234", "21:14", "Tantolunden", None, None, "Sprutfynd", "X", "", ""]]
    with pytest.raises(LoadRejected) as caught:
        preview_file(engine, write_csv(tmp_path / "bad.csv", bad), settings)
    report = caught.value.report
    assert report.dry_run and report.token and report.rejected == 1
    error = report.errors[0]
    assert (error.row_number, error.column) == (7, "Datum") and "850312" not in str(error.value)
    assert "850312" not in str(caught.value) and counts(engine)["loads"] == 0


def test_a_load_after_a_preview_is_refused_when_the_store_changed(engine, settings, tmp_path):
    path = write_csv(tmp_path / "a.csv", [HEADER, *ROWS[:3]])
    preview = preview_file(engine, path, settings)
    other = load_file(engine, write_csv(tmp_path / "b.csv", [HEADER, ROWS[3]]), settings)
    before = counts(engine)
    with pytest.raises(StoreChanged, match="a.csv: the store has changed since the preview"):
        load_file(engine, path, settings, expect_token=preview.token)
    assert counts(engine) == before
    again = preview_file(engine, path, settings)
    undo_load(engine, other.load_id)  # an undo changes the store too
    with pytest.raises(StoreChanged):
        load_file(engine, path, settings, expect_token=again.token)


def test_cli_dry_run_prints_the_preview_and_writes_nothing(store_url, engine, tmp_path):
    path = write_csv(tmp_path / "est.csv", [HEADER, *ROWS])
    result = CliRunner().invoke(main, ["load", "--dry-run", str(path), "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "preview, nothing written" in result.output and "inserted 4" in result.output
    assert counts(engine)["incidents"] == 0 and counts(engine)["loads"] == 0
    as_json = CliRunner().invoke(main, ["load", "--dry-run", "--json", str(path), "--db", store_url])
    assert json.loads(as_json.output)[0]["dry_run"] is True


def test_cli_dry_run_refuses_a_store_that_does_not_exist(tmp_path):
    path = write_csv(tmp_path / "est.csv", [HEADER, *ROWS])
    result = CliRunner().invoke(main, ["load", "--dry-run", str(path), "--db", f"sqlite:///{tmp_path / 'typo.db'}"])
    assert result.exit_code == 1 and "no store at" in result.output
    assert not (tmp_path / "typo.db").exists()
