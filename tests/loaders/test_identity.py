"""Natural keys and row hashes stay byte for byte those earlier releases stored (golden values from 0.1.0)."""

from __future__ import annotations

from datetime import date, datetime, time

from loaders.identity import Fragments
from loaders.incidents import IncidentLog

RECORD = {
    "source_id": None, "published_at": None, "organisation": "Parkförvaltningen", "summary": 'Sa "hej" \\ å\n',
    "assessment": "Hög", "latitude": 59.3120341, "longitude": 18.04, "url": None, "place_id": "tantolunden",
    "place_method": "polygon", "date": date(2023, 5, 1), "occurred_at": datetime(2023, 5, 1, 21, 14), "weekday": 0,
    "hour": 21, "category": "narkotikaforsaljning", "source_category": "Misstänkt narkotikaförsäljning",
    "month": date(2023, 5, 1),
}
EVENT = {"date": date(2023, 5, 15), "starts_at": None, "ends_at": None, "place_id": "tantolunden",
         "title": "Ny belysning", "is_measure": True, "cost_sek": 350000.0, "attendance": None, "start_time": time(18)}


def columns(record: dict, copies: int = 1) -> dict:
    return {k: [v] * copies for k, v in record.items()}


def test_keys_and_hashes_are_those_of_earlier_releases():
    incident = Fragments(columns(RECORD))
    assert IncidentLog().natural_keys(incident) == ["incident-log:80fea4dfd9f69a3a9418f672f755e4ae584274e7"]
    assert incident.row_hashes() == ["df4adb62013ced7e5fed3db41401cca9"]
    event = Fragments(columns(EVENT))
    assert event.natural_keys("event-log", ("date", "starts_at", "place_id", "title")) == [
        "event-log:4f210d1cdb2f0c80b0dda446a5fdcfcbf03cbcfa"]
    assert event.row_hashes() == ["022576a1d84f08907218ad73bfad0f49"]


def test_each_row_is_hashed_on_its_own_values():
    record = columns(RECORD, 3)
    record["latitude"] = [59.3120341, None, 59.31]
    hashes = Fragments(record).row_hashes()
    assert hashes[0] == "df4adb62013ced7e5fed3db41401cca9" and len(set(hashes)) == 3
