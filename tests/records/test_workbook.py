"""The Excel template: its sheets and Excel validation, the import all or nothing and idempotent, the round trip."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from lagesbild.records.config import known_ids
from lagesbild.records.errors import ImportRefused, NotAllowed
from lagesbild.records.importer import export_workbook, import_workbook
from lagesbild.records.kinds import KINDS
from lagesbild.records.register import create_record, list_records, record_history
from lagesbild.records.workbook import ALLOWED_SHEET, README_SHEET, write_workbook
from lagesbild.samples.records import SAMPLE_PATH, load_sample_records
from lagesbild.store.schema import RECORD_TABLES, audit_log
from tests.records.conftest import PARTNER, STYRGRUPP, VALID


def cells(path: Path) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: [tuple(c.value for c in row) for row in sheet.iter_rows()] for sheet in workbook}


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        counts = {name: conn.execute(select(func.count()).select_from(t)).scalar() for name, t in RECORD_TABLES.items()}
        counts["audit"] = conn.execute(select(func.count()).select_from(audit_log)).scalar()
    return counts


def save(workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def test_the_template_has_a_sheet_per_kind_allowed_values_and_excel_validation(tmp_path):
    path = save(write_workbook({}, known_ids()), tmp_path / "mall.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [README_SHEET, *(k.label("sv") for k in KINDS.values()), ALLOWED_SHEET]
    risks = workbook["Riskuppföljning"]
    assert [c.value for c in risks[1]] == ["Risk-ID", "Månad", "Sannolikhet (1–5)", "Konsekvens (1–5)", "Kommentar"]
    rules = {str(v.sqref): v for v in risks.data_validations.dataValidation}
    assert (rules["C2:C2000"].type, rules["C2:C2000"].formula1, rules["C2:C2000"].formula2) == ("whole", "1", "5")
    actions = {str(v.sqref): v for v in workbook["Beslut och åtgärder"].data_validations.dataValidation}
    status = actions["G2:G2000"]
    assert status.type == "list" and status.showErrorMessage and status.errorStyle == "stop"
    allowed = workbook[ALLOWED_SHEET]
    column = status.formula1.split("!")[1].replace("$", "").split(":")[0][0]
    assert [allowed[f"{column}{n}"].value for n in (1, 2, 3, 4)] == ["Status, beslut och åtgärder", "Öppen", "Klar",
                                                                      "Struken"]
    places = actions["J2:J2000"]  # several places with commas: the list offers one, Excel only informs
    assert places.type == "list" and places.errorStyle == "information"
    listed = {c.value for c in allowed[places.formula1.split("!")[1].replace("$", "").split(":")[0][0]]}
    assert set(known_ids().places) <= listed and "tantolunden" in listed
    indicator_column = {c.value: c.column_letter for c in allowed[1]}["Indikator-id"]
    assert "narkotika_rapporter" in {c.value for c in allowed[indicator_column]}


def test_export_then_import_changes_nothing_and_a_fresh_store_round_trips(engine, tmp_path, store_url):
    load_sample_records(engine)
    exported = save(export_workbook(engine, STYRGRUPP), tmp_path / "register.xlsx")
    before = row_counts(engine)
    report = import_workbook(engine, exported, STYRGRUPP)
    assert not report.changed and sum(report.unchanged.values()) == 195
    assert {k: v for k, v in row_counts(engine).items() if k != "audit"} == \
        {k: v for k, v in before.items() if k != "audit"}

    fresh = tmp_path / "fresh.sqlite"
    from lagesbild.settings import sqlite_url
    from lagesbild.store.db import make_engine, upgrade

    upgrade(sqlite_url(fresh))
    other = make_engine(sqlite_url(fresh))
    assert sum(import_workbook(other, exported, STYRGRUPP).created.values()) == 195
    again = save(export_workbook(other, STYRGRUPP), tmp_path / "again.xlsx")
    assert cells(again) == cells(exported)
    for kind in KINDS:
        mine = {r.record_id: r.values for r in list_records(engine, kind, STYRGRUPP)}
        theirs = {r.record_id: r.values for r in list_records(other, kind, STYRGRUPP)}
        assert mine == theirs, kind
    other.dispose()


def test_the_committed_sample_imports_as_it_is_exported(engine, tmp_path):
    report = import_workbook(engine, SAMPLE_PATH, STYRGRUPP)
    assert dict(report.created) == {"actions": 25, "risks": 3, "risk_reviews": 71, "change_requests": 4,
                                    "budget": 89, "classifications": 3}
    assert not import_workbook(engine, SAMPLE_PATH, STYRGRUPP).changed  # the same file twice: nothing changes
    exported = save(export_workbook(engine, STYRGRUPP), tmp_path / "out.xlsx")
    assert {k: v for k, v in cells(exported).items()} == cells(SAMPLE_PATH)


def test_an_edited_row_becomes_a_new_version_by_the_importer(engine, tmp_path):
    create_record(engine, "actions", VALID["actions"], STYRGRUPP)
    path = save(export_workbook(engine, STYRGRUPP), tmp_path / "r.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Beslut och åtgärder"]["E2"] = "Kultursamordnare"
    workbook.save(path)
    report = import_workbook(engine, path, STYRGRUPP.__class__("admin", "admin"))
    assert dict(report.edited) == {"actions": 1}
    history = record_history(engine, "actions", "B-001", STYRGRUPP)
    assert [(v.version, v.recorded_by, v["owner"]) for v in history] == [
        (1, "anna.styr", "Projektledare"), (2, "admin", "Kultursamordnare")]
    assert history[1].changes == {"owner": ["Projektledare", "Kultursamordnare"]}


BROKEN = {
    # (sheet, cell): value
    ("Beslut och åtgärder", "G3"): "Pågår",  # not a status
    ("Beslut och åtgärder", "J4"): "tantolunden, narnia",  # an unknown place
    ("Beslut och åtgärder", "A5"): "B-002",  # the id of row 3 again
    ("Riskuppföljning", "C2"): 7,  # probability out of 1–5
    ("Riskuppföljning", "A3"): "R-999",  # no such risk
    ("Budget", "B2"): "maj 2023",  # not a month
    ("Budget", "D3"): None,  # an amount is required
}
EXPECTED = {
    ("Beslut och åtgärder", 3, "G", "not_allowed"), ("Beslut och åtgärder", 4, "J", "unknown_id"),
    ("Beslut och åtgärder", 5, "A", "duplicate_id"), ("Riskuppföljning", 2, "C", "out_of_range"),
    ("Riskuppföljning", 3, "A", "no_such_risk"), ("Budget", 2, "B", "not_month"), ("Budget", 3, "D", "required"),
}


def test_a_broken_file_is_refused_with_row_column_and_reason_and_nothing_written(engine, tmp_path):
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(SAMPLE_PATH.read_bytes())
    workbook = openpyxl.load_workbook(path)
    for (sheet, cell), value in BROKEN.items():
        workbook[sheet][cell] = value
    workbook.save(path)
    before = row_counts(engine)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(engine, path, STYRGRUPP)
    found = {(p.sheet, p.row, p.column_letter, p.reason) for p in refused.value.problems}
    assert found == EXPECTED
    assert all(p.file == "trasig.xlsx" for p in refused.value.problems)
    texts = [str(p) for p in refused.value.problems]
    assert "trasig.xlsx, Riskuppföljning, row 2, column C (Sannolikhet (1–5)): 7 is not between 1 and 5" in texts
    assert row_counts(engine) == before


def test_unknown_sheets_and_columns_and_missing_ones_are_named(engine, tmp_path):
    workbook = write_workbook({}, known_ids())
    workbook["Risker"]["J1"] = "Färg"
    workbook["Budget"].delete_cols(4)  # Belopp (kr)
    workbook.create_sheet("Anteckningar")
    path = save(workbook, tmp_path / "fel.xlsx")
    with pytest.raises(ImportRefused) as refused:
        import_workbook(engine, path, STYRGRUPP)
    found = {(p.sheet, p.reason, p.column) for p in refused.value.problems}
    assert found == {("Anteckningar", "unknown_sheet", None), ("Risker", "unknown_column", "Färg"),
                     ("Budget", "missing_column", "Belopp (kr)")}


def test_a_file_that_is_not_a_workbook_is_refused(engine, tmp_path):
    path = tmp_path / "inte.xlsx"
    path.write_text("Datum;Plats\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="cannot be read as Excel"):
        import_workbook(engine, path, STYRGRUPP)


def test_a_partner_may_not_import(engine):
    before = row_counts(engine)
    with pytest.raises(NotAllowed):
        import_workbook(engine, SAMPLE_PATH, PARTNER)
    assert row_counts(engine) == before


def test_the_cli_writes_the_template_and_imports_as_an_account(store_url, engine, tmp_path):
    from lagesbild.accounts import add_user
    from lagesbild.cli import main

    add_user(engine, "styr", "ett långt lösenord", "styrgrupp")
    add_user(engine, "partner1", "ett långt lösenord", "partner")
    runner = CliRunner()
    template = tmp_path / "mall.xlsx"
    assert runner.invoke(main, ["records", "template", str(template)]).exit_code == 0
    assert openpyxl.load_workbook(template).sheetnames[1] == "Beslut och åtgärder"
    done = runner.invoke(main, ["records", "import", str(SAMPLE_PATH), "--db", store_url, "--as", "styr"])
    assert done.exit_code == 0, done.output
    assert "decisions and actions: 25 new" in done.output
    again = runner.invoke(main, ["records", "import", str(SAMPLE_PATH), "--db", store_url, "--as", "styr"])
    assert "nothing changed" in again.output
    refused = runner.invoke(main, ["records", "import", str(SAMPLE_PATH), "--db", store_url, "--as", "partner1"])
    assert refused.exit_code == 1 and "may not" in refused.output
    unknown = runner.invoke(main, ["records", "import", str(SAMPLE_PATH), "--db", store_url, "--as", "nobody"])
    assert unknown.exit_code == 1 and "lagesbild user add nobody" in unknown.output
    broken = tmp_path / "trasig.xlsx"
    workbook = openpyxl.load_workbook(SAMPLE_PATH)
    workbook["Riskuppföljning"]["C2"] = 9
    workbook.save(broken)
    result = runner.invoke(main, ["records", "import", str(broken), "--db", store_url, "--as", "styr"])
    assert result.exit_code == 1
    assert "Riskuppföljning, row 2, column C (Sannolikhet (1–5)): 9 is not between 1 and 5" in result.output
    out = tmp_path / "ut.xlsx"
    exported = runner.invoke(main, ["records", "export", str(out), "--db", store_url, "--as", "styr",
                                    "--as-of", "2023-06-30"])
    assert exported.exit_code == 0, exported.output
