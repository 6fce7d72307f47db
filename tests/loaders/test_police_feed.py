"""The police's public events feed as it really is: placed by summary, re-published ids, digests, years."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

from loaders.incidents import incident_time_from_name, parse_feed_datetime
from loaders.load import load_file
from tests.conftest import DATA_DIR
from tests.loaders.helpers import fact_rows


def test_feed_datetime_with_unpadded_hour():
    assert parse_feed_datetime("2023-04-20 9:22:45 +02:00") == datetime(2023, 4, 20, 9, 22, 45)


def test_incident_time_from_name_both_separators_and_the_year_boundary():
    published = datetime(2023, 4, 22, 8, 0)
    expected = datetime(2023, 4, 22, 0, 27)
    assert incident_time_from_name("22 april 00:27, Narkotikabrott, Stockholm", published) == expected
    assert incident_time_from_name("9 november 12.33, Rån, Stockholm", datetime(2023, 11, 9, 14)) == datetime(
        2023, 11, 9, 12, 33
    )
    # A December event published in January belongs to the year before.
    assert incident_time_from_name("31 december 23.40, Bråk, Stockholm", datetime(2024, 1, 1, 2, 5)) == datetime(
        2023, 12, 31, 23, 40
    )
    assert incident_time_from_name("Sammanfattning natt", published) is None


def test_real_feed_excerpt_is_placed_by_summary(engine, settings, tmp_path):
    path = shutil.copy(DATA_DIR / "polisen_excerpt.json", tmp_path / "feed.json")
    report = load_file(engine, path, settings)
    assert report.kind == "incidents" and report.source == "polisen-feed"
    assert report.skipped["outside the area"] == 2  # Östermalm
    assert report.skipped["not an incident (digest or notice)"] == 2
    rows = {r["source_id"]: r for r in fact_rows(engine, "incidents")}
    assert rows["531769"]["place_id"] == "tantolunden"
    assert rows["531769"]["occurred_at"] == datetime(2024, 6, 27, 0, 12)
    assert rows["531769"]["category"] == "tillgrepp" and rows["531769"]["source_category"] == "Rån"
    assert rows["430174"]["place_id"] == "drakenbergsparken"
    assert rows["430174"]["category"] == "narkotikabrott"
    assert rows["430174"]["latitude"] is None  # the feed's gps is the city's centroid, never the place
    assert "564005" not in rows and "563178" not in rows


def _event(id_, summary, published, type_="Narkotikabrott"):
    return {"id": id_, "datetime": published, "name": f"10 juni 15:51, {type_}, Stockholm", "summary": summary,
            "url": f"/aktuellt/handelser/{id_}", "type": type_, "location": {"name": "Stockholm",
                                                                            "gps": "59.329324,18.068581"}}


def test_republished_id_updates_its_row_and_never_duplicates(engine, settings, tmp_path):
    first = tmp_path / "v1.json"
    first.write_text(json.dumps([_event(1, "Man gripen i Tantolunden.", "2023-06-10 17:06:29 +02:00")]))
    second = tmp_path / "v2.json"
    second.write_text(json.dumps([
        _event(1, "Man gripen för narkotikabrott i Tantolunden.", "2023-06-10 18:00:00 +02:00"),
        _event(2, "Bråk vid Hornstull.", "2023-06-10 18:30:00 +02:00", "Bråk "),  # trailing space as in the feed
    ]))
    load_file(engine, first, settings)
    report = load_file(engine, second, settings)
    assert (report.inserted, report.updated) == (1, 1)
    rows = {r["source_id"]: r for r in fact_rows(engine, "incidents")}
    assert rows["1"]["summary"] == "Man gripen för narkotikabrott i Tantolunden."
    assert rows["2"]["category"] == "ordningsstorning" and rows["2"]["source_category"] == "Bråk"


def test_older_version_later_in_the_same_file_does_not_win(engine, settings, tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([
        _event(7, "Ny text i Tantolunden.", "2023-06-10 19:00:00 +02:00"),
        _event(7, "Gammal text i Tantolunden.", "2023-06-10 17:00:00 +02:00"),
    ]))
    load_file(engine, path, settings)
    assert [r["summary"] for r in fact_rows(engine, "incidents")] == ["Ny text i Tantolunden."]
