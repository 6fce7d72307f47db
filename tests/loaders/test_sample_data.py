"""The sample-data generator: deterministic, in each source's own format, and scaling for load tests."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from lagesbild import samples as sd
from lagesbild.samples.incident_logs import EST_PERSONNUMMER
from lagesbild.samples.outreach import OUTREACH_PERSONNUMMER
from lagesbild.samples.police_feed import AREA_TEXT, ELSEWHERE_TEXT
from lagesbild.samples.story import (
    ACTIVITIES_CSV,
    ACTIVITIES_HEADER,
    EST_CSV,
    EST_HEADER,
    FIXED_TIMESTAMP,
    OUTREACH_HEADER,
    OUTREACH_XLSX,
    POLICE_JSON,
    POLICE_XLSX,
    POLICE_XLSX_HEADER,
    SURVEY_CSV,
    SURVEY_HEADER,
    SYNTHETIC_ID_OFFSET,
)

REPO_SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
EXPECTED_FILES = [
    "aktiviteter_atgarder_2022-2025.csv",
    "est_rapporter_2021-2025.csv",
    "est_rapporter_jamforelseomrade_2021-2025.csv",
    "polisen_handelser_sodermalm.json",
    "polisen_utdrag_narkotika_2021-2025.xlsx",
    "trygghetsmatning_projekt_2021-2025.csv",
    "uppsokande_pass_2022-2025.xlsx",
]
# Same shape as the loaders' redaction pattern: YYMMDD-XXXX or YYYYMMDD-XXXX, separator optional.
PERSONNUMMER = re.compile(r"(?<![\d-])(?:19|20)?\d{2}(\d{2})(\d{2})\s?[-+]?\s?\d{4}(?!\d)")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("sample")
    sd.write_sample_data(outdir)
    return outdir


@pytest.fixture(scope="module")
def scaled_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("scaled")
    sd.write_sample_data(outdir, scale=3)
    return outdir


def read_csv(path: Path, encoding: str, delimiter: str) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    workbook.close()
    return rows


def data_row_count(directory: Path, name: str) -> int:
    """Rows below the header that hold at least one value."""
    path = directory / name
    if name == EST_CSV:
        rows = read_csv(path, "cp1252", ";")[1:]
    elif name.endswith(".csv"):
        rows = read_csv(path, "utf-8-sig", ",")[1:]
    elif name == POLICE_XLSX:
        rows = sheet_rows(path, "Utdrag")[4:]
    else:
        rows = sheet_rows(path, "Pass")[3:]
    return sum(1 for row in rows if any(value not in (None, "") for value in row))


def digest(path: Path) -> str:
    """Compared as hashes: a failing comparison of megabytes of bytes would take pytest minutes to print."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def feed_time(event: dict) -> datetime:
    return datetime.strptime(event["datetime"], "%Y-%m-%d %H:%M:%S %z")


def all_text_values(directory: Path) -> list[str]:
    """Every text value in every file: CSV cells, JSON summaries, Excel string cells."""
    texts = []
    for row in read_csv(directory / EST_CSV, "cp1252", ";"):
        texts.extend(row)
    for name in (ACTIVITIES_CSV, SURVEY_CSV):
        for row in read_csv(directory / name, "utf-8-sig", ","):
            texts.extend(row)
    for event in json.loads((directory / POLICE_JSON).read_text(encoding="utf-8")):
        texts.extend([event["name"], event["summary"], event["url"], event["datetime"]])
    for name, sheet in ((POLICE_XLSX, "Utdrag"), (OUTREACH_XLSX, "Pass")):
        for row in sheet_rows(directory / name, sheet):
            texts.extend(str(value) for value in row if value is not None)
    return texts


def test_writes_the_expected_files_sorted(tmp_path: Path) -> None:
    written = sd.write_sample_data(tmp_path)
    assert written == sorted(written)
    assert [p.name for p in written] == EXPECTED_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == EXPECTED_FILES


def test_same_seed_and_scale_give_identical_bytes(sample_dir: Path, tmp_path: Path) -> None:
    sd.write_sample_data(tmp_path)
    for name in EXPECTED_FILES:
        assert digest(tmp_path / name) == digest(sample_dir / name), name


def test_another_seed_changes_the_generated_files(sample_dir: Path, tmp_path: Path) -> None:
    sd.write_sample_data(tmp_path, seed=7)
    for name in (EST_CSV, POLICE_XLSX, OUTREACH_XLSX, ACTIVITIES_CSV, SURVEY_CSV):
        assert digest(tmp_path / name) != digest(sample_dir / name), name


def test_committed_sample_data_is_the_generators_output(sample_dir: Path) -> None:
    for name in EXPECTED_FILES:
        assert digest(REPO_SAMPLE_DIR / name) == digest(sample_dir / name), name


def test_est_csv_is_cp1252_semicolon_crlf(sample_dir: Path) -> None:
    raw = (sample_dir / EST_CSV).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # å, ä, ö in cp1252 are not valid UTF-8
    text = raw.decode("cp1252")
    assert text.startswith(";".join(EST_HEADER) + "\r\n")
    assert text.count("\n") == text.count("\r\n")
    rows = read_csv(sample_dir / EST_CSV, "cp1252", ";")
    assert rows[0] == list(EST_HEADER)
    assert 2500 <= len(rows) - 1 <= 4000
    assert all(len(row) == len(EST_HEADER) for row in rows)
    coordinates = [row[3] for row in rows[1:] if row[3]]
    assert coordinates and all(re.fullmatch(r"59,\d{6}", c) for c in coordinates)
    times = {row[1] for row in rows[1:]}
    assert "" in times and any(re.fullmatch(r"\d:\d\d", t) for t in times)
    places = {row[2] for row in rows[1:]}
    assert {"", "Tanto", "Drakenbergsparken ", "hornstull", "Zinkensdamm T-bana"} <= places
    assert {"Sprutfynd (kanyl)", "Narkotika - bruk", "Klotter"} <= {row[5] for row in rows[1:]}
    unplaced = [row for row in rows[1:] if not row[2] and not row[3]]
    assert unplaced  # some reports say nothing about where: area unspecified


def test_activities_csv_is_utf8_with_bom_and_comma(sample_dir: Path) -> None:
    raw = (sample_dir / ACTIVITIES_CSV).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ",".join(ACTIVITIES_HEADER).encode("utf-8") + b"\r\n")
    rows = read_csv(sample_dir / ACTIVITIES_CSV, "utf-8-sig", ",")
    assert rows[0] == list(ACTIVITIES_HEADER)
    assert all(len(row) == len(ACTIVITIES_HEADER) for row in rows)
    assert re.search(rb'\n[^\n]*,"\d+,\d\d",', raw)  # a quoted decimal-comma amount
    titles = {(row[0], row[4], row[5]) for row in rows[1:]}
    assert ("2023-05-15", "Ny belysning Tantolunden", "Stadsmiljöåtgärd") in titles
    assert ("2023-04-20", "Röjning av buskage Drakenbergsparken", "Stadsmiljöåtgärd") in titles
    assert ("2023-06-01", "Mötesplats i Tantolunden öppnar", "Närvaro/mötesplats") in titles
    assert ("2023-06-10", "Nya bänkar och papperskorgar", "Stadsmiljöåtgärd") in titles
    grants_2023 = sum(float(row[9].replace(",", "."))
                      for row in rows[1:] if row[9] and row[0].startswith("2023"))
    assert 250_000 <= grants_2023 <= 275_000
    meetings = {row[0][:7] for row in rows[1:] if row[5] == "Samverkansmöte"}
    assert len(meetings) == 36 and min(meetings) == "2023-01"


def test_survey_csv_is_plain_utf8(sample_dir: Path) -> None:
    raw = (sample_dir / SURVEY_CSV).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8").startswith(",".join(SURVEY_HEADER) + "\n")
    rows = read_csv(sample_dir / SURVEY_CSV, "utf-8", ",")
    header, body = rows[0], rows[1:]
    assert header == list(SURVEY_HEADER)
    by_question: dict[tuple[str, str, str], list[list[str]]] = {}
    for row in body:
        by_question.setdefault((row[0], row[1], row[4]), []).append(row)
    for (survey, wave, _), answers in by_question.items():
        n = int(answers[0][9])
        if (survey, wave) == ("Polisens trygghetsmätning", "2021"):
            assert all(row[7] == "" and re.fullmatch(r"\d+,\d", row[8]) for row in answers)
        else:
            assert all(row[8] == "" for row in answers)
            assert sum(int(row[7]) for row in answers) == n


def test_police_json_is_an_array_of_feed_objects(sample_dir: Path) -> None:
    text = (sample_dir / POLICE_JSON).read_text(encoding="utf-8")
    assert text.startswith('[\n {\n  "id": ')  # indent=1
    events = json.loads(text)
    assert isinstance(events, list) and events
    keys = {"id", "datetime", "name", "summary", "url", "type", "location"}
    assert all(isinstance(e, dict) and set(e) == keys for e in events)
    assert all(set(e["location"]) == {"name", "gps"} for e in events)
    assert len([e for e in events if e["type"].startswith("Sammanfattning")]) == 5
    assert sum(1 for e in events if ELSEWHERE_TEXT.search(e["summary"])
               and not AREA_TEXT.search(e["summary"])) == 30
    assert all(e["id"] < SYNTHETIC_ID_OFFSET for e in events)


def test_police_json_republishes_three_ids_older_version_first(sample_dir: Path) -> None:
    events = json.loads((sample_dir / POLICE_JSON).read_text(encoding="utf-8"))
    positions: dict[int, list[int]] = {}
    for index, event in enumerate(events):
        positions.setdefault(event["id"], []).append(index)
    repeated = {event_id: where for event_id, where in positions.items() if len(where) > 1}
    assert len(repeated) == 3
    for first, final in repeated.values():
        older, newer = events[first], events[final]
        assert older["summary"] != newer["summary"]
        assert feed_time(older) < feed_time(newer)


def test_police_extract_layout(sample_dir: Path) -> None:
    path = sample_dir / POLICE_XLSX
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Utdrag"]
    sheet = workbook["Utdrag"]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:H1", "A2:H2"}
    assert sheet["A1"].value == "Polisen LPO Södermalm – utdrag brott Västra Södermalm"
    assert sheet["A2"].value == "Uttaget 2026-01-15"
    assert all(cell.value is None for cell in sheet[3])
    assert [cell.value for cell in sheet[4]] == list(POLICE_XLSX_HEADER)
    body = [row for row in sheet.iter_rows(min_row=5)]
    dates = [row[0] for row in body if row[0].value is not None]
    serials = [c for c in dates if isinstance(c.value, int)]
    assert serials and all(c.number_format == "General" and 44197 <= c.value <= 46022 for c in serials)
    assert any(isinstance(c.value, datetime) for c in dates)
    assert all(row[0].value in (None, "") for row in body[-3:])  # three trailing rows that look empty
    assert body[-4][0].value is not None
    clock = [row[1].value for row in body[:-3] if row[1].value]
    assert all(re.fullmatch(r"\d\d:\d\d", value) for value in clock)
    assert {row[6].value for row in body[:-3]} == {"Polisen"}
    assert 1200 <= len(body) - 3 <= 1800
    assert workbook.properties.modified == FIXED_TIMESTAMP


def test_outreach_layout(sample_dir: Path) -> None:
    rows = sheet_rows(sample_dir / OUTREACH_XLSX, "Pass")
    assert rows[0][0] == "Uppsökande arbete Västra Södermalm – passrapporter"
    assert all(value is None for value in rows[1])
    assert list(rows[2]) == list(OUTREACH_HEADER)
    body = rows[3:]
    assert 1200 <= len(body) <= 1800
    assert all(isinstance(row[0], datetime) for row in body)
    assert {row[5] for row in body} == {"Uppsökande pass", "Mötesplats", "Samverkanspass"}
    assert any(isinstance(row[14], float) and row[14] % 1 for row in body)  # decimal hours
    meeting_days = {row[0].date() for row in body if row[5] == "Mötesplats"}
    assert min(meeting_days) == date(2023, 6, 1) and all(d.month in (6, 7, 8) for d in meeting_days)


def test_no_personnummer_outside_the_four_deliberate_rows(sample_dir: Path) -> None:
    hits = [text for text in all_text_values(sample_dir)
            for match in PERSONNUMMER.finditer(text)
            if 1 <= int(match.group(1)) <= 12 and 1 <= int(match.group(2)) <= 31]
    assert sorted(hits) == sorted([*EST_PERSONNUMMER.values(), OUTREACH_PERSONNUMMER[1]])


def test_story_drug_reports_fall_after_the_project(sample_dir: Path) -> None:
    rows = read_csv(sample_dir / EST_CSV, "cp1252", ";")[1:]
    drug = [row for row in rows if "arkotika" in row[5]]
    per_year = {year: sum(1 for row in drug if row[0].startswith(year)) for year in ("2022", "2024", "2025")}
    assert per_year["2024"] < 0.7 * per_year["2022"]
    assert per_year["2025"] < 0.7 * per_year["2022"]


def test_scale_three_gives_about_three_times_the_rows(sample_dir: Path, scaled_dir: Path) -> None:
    for name in (EST_CSV, POLICE_XLSX, OUTREACH_XLSX, ACTIVITIES_CSV):
        ratio = data_row_count(scaled_dir, name) / data_row_count(sample_dir, name)
        assert 2.4 <= ratio <= 3.6, (name, ratio)
    base = json.loads((sample_dir / POLICE_JSON).read_text(encoding="utf-8"))
    scaled = json.loads((scaled_dir / POLICE_JSON).read_text(encoding="utf-8"))
    synthetic = [e for e in scaled if e["id"] >= SYNTHETIC_ID_OFFSET]
    assert [e for e in scaled if e["id"] < SYNTHETIC_ID_OFFSET] == base
    assert 2.4 <= len(scaled) / len(base) <= 3.6
    assert all(AREA_TEXT.search(e["summary"]) for e in synthetic)
    feed_format = re.compile(r"\d{4}-\d\d-\d\d \d{1,2}:\d\d:\d\d \+0[12]:00")
    assert all(feed_format.fullmatch(e["datetime"]) for e in synthetic)
    # Survey rows are one per wave, place, question and answer: not multiplied by scale.
    assert (scaled_dir / SURVEY_CSV).read_bytes() == (sample_dir / SURVEY_CSV).read_bytes()


def test_scale_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        sd.write_sample_data(tmp_path, scale=0)


def test_scaled_files_hold_distinct_rows(scaled_dir: Path, tmp_path: Path) -> None:
    """A scaled city has more teams and groups, not copies: the loader finds (almost) no row twice in a file."""
    from lagesbild.settings import load_settings, sqlite_url
    from lagesbild.store.db import make_engine, upgrade
    from loaders.load import preview_file

    url = sqlite_url(tmp_path / "store.sqlite")
    upgrade(url)
    engine, settings = make_engine(url), load_settings({}).with_db(url)
    for name in (OUTREACH_XLSX, ACTIVITIES_CSV, EST_CSV, POLICE_XLSX):
        report = preview_file(engine, scaled_dir / name, settings)
        assert report.counts["duplicate_in_file"] <= 0.01 * report.rows_read, (name, report.counts)
