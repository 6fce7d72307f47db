"""Incident logs (police extract, EST reports): variants, places, categories, redaction and rejection."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade
from loaders.load import load_file
from loaders.pipeline import ColumnsError, LoadRejected
from tests.loaders.helpers import counts, fact_rows, write_csv, write_xlsx

HEADER = ["Datum", "Tid", "Plats", "Latitud", "Longitud", "Kategori", "Rapportör organisation", "Bedömning", "Fritext"]
ROWS = [
    ["2023-05-01", "21:14", "Tantolunden", None, None, "Misstänkt narkotikaförsäljning", "Parkförvaltningen", "Hög",
     "Försäljning vid lekplatsen"],
    ["2023-05-02", "9:05", None, 59.3138, 18.04, "Sprutfynd", "Stockholmshem", "Medel", "Spruta i buskaget"],
    ["2023-05-03", None, "Drakenbergsparken", None, None, "Klotter på muren", "Securitas", "Låg", "Tagg"],
    ["2023-05-04", "23:30", "Okänd plats X", None, None, "Narkotikabruk", "Fältassistenterna", "Medel",
     "Person med pnr 850312-1234 nämndes"],
    ["2023-05-05", "01:10", None, 59.338, 18.08, "Ordningsstörning", "Securitas", "Låg", "Utanför området"],
]


def variant_files(tmp_path):
    rows = [HEADER, *ROWS]
    return {
        "semicolon-cp1252": write_csv(tmp_path / "a.csv", rows, ";", "cp1252"),
        "comma-utf8": write_csv(tmp_path / "b.csv", rows, ",", "utf-8"),
        "semicolon-utf8-bom": write_csv(tmp_path / "c.csv", rows, ";", "utf-8-sig"),
        "tab-utf8-point": write_csv(tmp_path / "d.csv", rows, "\t", "utf-8", decimal_comma=False),
        "xlsx": write_xlsx(tmp_path / "e.xlsx", [HEADER, *[_excel_row(r) for r in ROWS]]),
    }


def _excel_row(row):
    """Excel stores dates as serial numbers in some exports and as dates in others."""
    day = date.fromisoformat(row[0])
    first = (day - date(1899, 12, 30)).days if day.day % 2 else datetime(day.year, day.month, day.day)
    return [first, *row[1:]]


def test_every_variant_gives_identical_store_rows(tmp_path):
    results = {}
    for name, path in variant_files(tmp_path).items():
        url = sqlite_url(tmp_path / f"{name}.sqlite")
        upgrade(url)
        engine = make_engine(url)
        load_file(engine, path, load_settings({}).with_db(url))
        results[name] = fact_rows(engine, "incidents")
    first = results.pop("semicolon-cp1252")
    assert len(first) == 4  # the row outside the area is not stored
    for name, rows in results.items():
        assert rows == first, name


def test_places_categories_and_redaction(engine, settings, tmp_path):
    path = write_csv(tmp_path / "est.csv", [HEADER, *ROWS])
    report = load_file(engine, path, settings)
    assert (report.inserted, report.rejected, report.skipped) == (4, 0, {"outside the area": 1})
    assert report.counts["placed"] == 3 and report.counts["unplaced"] == 1
    assert report.counts["redacted"] == 1 and report.counts["other_category"] == 1
    assert report.unknown_places == {"Okänd plats X": 1}
    rows = {r["date"]: r for r in fact_rows(engine, "incidents")}
    assert rows[date(2023, 5, 1)]["place_id"] == "tantolunden"
    assert rows[date(2023, 5, 1)]["category"] == "narkotikaforsaljning"
    assert rows[date(2023, 5, 1)]["month"] == date(2023, 5, 1)
    assert (rows[date(2023, 5, 1)]["weekday"], rows[date(2023, 5, 1)]["hour"]) == (0, 21)
    assert rows[date(2023, 5, 2)]["place_id"] == "drakenbergsparken"
    assert rows[date(2023, 5, 2)]["place_method"] == "polygon"
    assert rows[date(2023, 5, 3)]["category"] == "ovrigt"
    assert rows[date(2023, 5, 3)]["source_category"] == "Klotter på muren"
    assert rows[date(2023, 5, 4)]["place_id"] == "vastra-sodermalm-ej-specificerad"
    assert "850312" not in rows[date(2023, 5, 4)]["summary"]


def test_same_file_twice_changes_nothing(engine, settings, tmp_path):
    path = write_csv(tmp_path / "est.csv", [HEADER, *ROWS])
    load_file(engine, path, settings)
    before = (counts(engine), fact_rows(engine, "incidents"))
    again = load_file(engine, path, settings)
    assert again.status == "unchanged"
    assert (counts(engine), fact_rows(engine, "incidents")) == before


def test_overlapping_exports_do_not_duplicate(engine, settings, tmp_path):
    first = load_file(engine, write_csv(tmp_path / "jan.csv", [HEADER, *ROWS[:3]]), settings)
    second = load_file(engine, write_csv(tmp_path / "feb.csv", [HEADER, *ROWS[1:4]], ","), settings)
    assert (first.inserted, second.inserted, second.duplicate) == (3, 1, 2)
    assert counts(engine)["incidents"] == 4


def test_a_bad_row_rejects_the_file_and_names_every_problem(engine, settings, tmp_path):
    bad = [HEADER, ROWS[0], ["2023-13-01", "21:14", "Tantolunden", None, None, "Sprutfynd", "X", "", ""],
           ["2023-05-07", "25:99", "Tantolunden", 59.31, None, "Sprutfynd", "X", "", ""]]
    path = write_csv(tmp_path / "bad.csv", bad)
    before = counts(engine)
    with pytest.raises(LoadRejected) as caught:
        load_file(engine, path, settings)
    messages = [str(e) for e in caught.value.report.errors]
    assert any("row 3" in m and "'Datum'" in m and "2023-13-01" in m for m in messages)
    assert any("row 4" in m and "'Tid'" in m and "25:99" in m for m in messages)
    assert "bad.csv" in str(caught.value) and "nothing was loaded" in str(caught.value)
    assert counts(engine) == before


def test_skip_invalid_loads_the_rest_and_records_the_rejected(engine, settings, tmp_path):
    bad = [HEADER, ROWS[0], ["2023-13-01", "21:14", "Tantolunden", None, None, "Sprutfynd", "X", "", "850312-1234"]]
    report = load_file(engine, write_csv(tmp_path / "bad.csv", bad), settings, skip_invalid=True)
    assert (report.status, report.inserted, report.rejected) == ("partial", 1, 1)
    from sqlalchemy import select

    from lagesbild.store.schema import rejected_rows

    with engine.connect() as conn:
        rejected = conn.execute(select(rejected_rows)).mappings().one()
    assert (rejected["row_number"], rejected["column"], rejected["value"]) == (3, "Datum", "2023-13-01")
    assert "850312" not in str(rejected["raw"])  # rejected rows are stored, but never with identity numbers


def test_missing_and_unknown_columns_fail_with_what_was_expected(engine, settings, tmp_path):
    rows = [["Datum", "Tid", "Plats", "Vädret"], ["2023-05-01", "21:14", "Tanto", "sol"]]
    path = write_csv(tmp_path / "odd.csv", rows)
    with pytest.raises(ColumnsError) as caught:
        load_file(engine, path, settings, kind="incidents")
    message = str(caught.value)
    assert "odd.csv" in message and "missing column(s): Kategori" in message and "'Vädret'" in message
    assert "Expected columns: Datum, Tid, Plats" in message


def test_text_longer_than_the_store_holds_is_rejected_on_every_backend(engine, settings, tmp_path):
    row = list(ROWS[0])
    row[6] = "Organisation " * 20  # 260 characters: PostgreSQL would refuse it, SQLite would keep it silently
    with pytest.raises(LoadRejected, match="row 2.*organisation.*longer than 200 characters"):
        load_file(engine, write_csv(tmp_path / "long.csv", [HEADER, row]), settings)
    assert counts(engine)["incidents"] == 0
