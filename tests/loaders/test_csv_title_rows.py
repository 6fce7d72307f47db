"""A CSV saved from an Excel sheet with a title: the header under title rows and empty `;;;;` lines is found."""

from __future__ import annotations

from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade
from loaders.load import load_file
from loaders.registry import read_for
from tests.loaders.helpers import fact_rows, write_csv, write_xlsx
from tests.loaders.test_incident_log import HEADER, ROWS, _excel_row

TITLE = [["Parkförvaltningen – rapporter maj 2023", *[""] * 8], [""] * 9, ["Uttaget 2023-06-01", *[""] * 8]]


def test_xlsx_and_csv_with_title_rows_give_identical_store_rows(tmp_path):
    files = {
        "xlsx": write_xlsx(tmp_path / "a.xlsx", [HEADER, *[_excel_row(r) for r in ROWS]], title_rows=3),
        "csv": write_csv(tmp_path / "b.csv", [*TITLE, HEADER, *ROWS], ";", "cp1252"),
        "csv-comma": write_csv(tmp_path / "c.csv", [*TITLE, HEADER, *ROWS, [""] * 9], ",", "utf-8-sig"),
        "csv-plain": write_csv(tmp_path / "d.csv", [HEADER, *ROWS], ";", "utf-8"),
    }
    results = {}
    for name, path in files.items():
        url = sqlite_url(tmp_path / f"{name}.sqlite")
        upgrade(url)
        engine = make_engine(url)
        report = load_file(engine, path, load_settings({}).with_db(url))
        results[name] = fact_rows(engine, "incidents")
        assert report.inserted == 4, name
    assert len(results["xlsx"]) == 4
    assert all(rows == results["xlsx"] for rows in results.values())


def test_the_header_row_and_row_numbers_are_those_of_the_file(engine, settings, tmp_path):
    path = write_csv(tmp_path / "titled.csv", [*TITLE, HEADER, ROWS[0], ["2023-13-01", *ROWS[0][1:]]])
    source, table = read_for(path, None)
    assert source.kind == "incidents" and "header on row 4" in table.detail
    report = load_file(engine, path, settings, skip_invalid=True)
    assert [(e.row_number, e.column) for e in report.errors] == [(6, "Datum")]
