"""Telling the kind from the content, and the `lagesbild` command's reports and exit codes."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from lagesbild.cli import main
from loaders.read import ReadError
from loaders.registry import DetectionError, read_for
from tests.conftest import DATA_DIR
from tests.loaders.helpers import write_csv
from tests.loaders.test_events_surveys import EVENT_HEADER, SURVEY_HEADER
from tests.loaders.test_incident_log import HEADER as INCIDENT_HEADER
from tests.loaders.test_incident_log import ROWS as INCIDENT_ROWS
from tests.loaders.test_outreach import HEADER as OUTREACH_HEADER


@pytest.mark.parametrize(
    "header, kind",
    [(INCIDENT_HEADER, "incidents"), (OUTREACH_HEADER, "outreach"), (EVENT_HEADER, "events"),
     (SURVEY_HEADER, "surveys"), ([h.upper() + " " for h in EVENT_HEADER], "events")],
)
def test_kind_detected_from_headers(tmp_path, header, kind):
    source, _ = read_for(write_csv(tmp_path / "x.csv", [header, ["" for _ in header]]), None)
    assert source.kind == kind


def test_undetectable_file_says_what_each_kind_needs(tmp_path):
    with pytest.raises(DetectionError) as caught:
        read_for(write_csv(tmp_path / "x.csv", [["A", "B"], ["1", "2"]]), None)
    message = str(caught.value)
    assert "x.csv" in message and "outreach (outreach-shifts) would need" in message and "--kind" in message


@pytest.mark.parametrize("content", [b"\x00\x01binary\x00", b'[{"id": 1,'])
def test_unreadable_files_name_the_file(tmp_path, content):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError, match="broken.csv"):
        read_for(path, None)


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


def test_cli_load_status_and_exit_codes(store_url, tmp_path):
    good = write_csv(tmp_path / "est.csv", [INCIDENT_HEADER, *INCIDENT_ROWS])
    bad = write_csv(tmp_path / "bad.csv", [INCIDENT_HEADER, ["2023-13-01", *INCIDENT_ROWS[0][1:]]])
    assert run("init", "--db", store_url).exit_code == 0
    result = run("load", str(good), "--db", store_url)
    assert result.exit_code == 0, result.output
    assert "inserted 4" in result.output and "outside the area 1" in result.output
    assert "redacted" in result.output and "'Okänd plats X'" in result.output
    assert run("load", str(good), "--db", store_url).output.count("already loaded") == 1
    rejected = run("load", str(bad), "--db", store_url)
    assert rejected.exit_code == 1 and "row 2" in rejected.output and "'Datum'" in rejected.output
    assert run("load", "--kind", "nonsense", str(good)).exit_code == 2
    assert run("load").exit_code == 2
    status = json.loads(run("status", "--json", "--db", store_url).output)
    assert status["kinds"]["incidents"]["rows"] == 4 and len(status["loads"]) == 1
    assert status["loads"][0]["sha256"] and status["loads"][0]["inserted"] == 4


def test_store_url_from_environment(store_url, tmp_path):
    path = shutil.copy(DATA_DIR / "polisen_excerpt.json", tmp_path / "feed.json")
    assert run("load", str(path), env={"LAGESBILD_DB": store_url}).exit_code == 0
    status = json.loads(run("status", "--json", env={"LAGESBILD_DB": store_url}).output)
    assert status["kinds"]["incidents"]["rows"] > 0


def test_init_creates_the_store_with_the_configured_places(tmp_path):
    from lagesbild.store.db import make_engine
    from tests.loaders.helpers import counts

    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    result = run("init", "--db", url)
    assert result.exit_code == 0 and "10 places" in result.output  # 8 of the area, 2 of its comparison area
    from sqlalchemy import func, select

    from lagesbild.store.schema import places

    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(places)).scalar() == 10
        zones = dict(conn.execute(select(places.c.zone, func.count()).group_by(places.c.zone)).all())
        assert zones == {"area": 8, "comparison": 2}
    assert run("init", "--db", url).exit_code == 0  # a second init upgrades in place: nothing lost
    assert counts(engine)["loads"] == 0
