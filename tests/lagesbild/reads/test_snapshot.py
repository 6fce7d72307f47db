"""The store as of a moment (lagesbild.store.snapshot through Reads.as_of): later loads are not there, loads undone
since are there as they were, updated rows show their version of then, facts after the day are left out."""

from __future__ import annotations

import time
from datetime import date, datetime

from lagesbild.disclosure import Viewer
from lagesbild.reads import Reads
from loaders.load import load_file
from loaders.undo import undo_load
from tests.loaders.test_police_feed import _event
from tests.loaders.test_undo import feed


def moment() -> datetime:
    """Now, with the clock moved on: the loads' timestamps before and after it differ."""
    time.sleep(0.01)
    now = datetime.now()
    time.sleep(0.01)
    return now


def seen(reads: Reads) -> tuple:
    """What a page would show of incidents: per month and category, the latest ones, and the loads."""
    monthly = reads.monthly("incidents", by="category")
    latest = reads.latest_incidents(10)
    loads = reads.load_history()
    return (sorted(zip(monthly["month"], monthly["category"], monthly["value"], strict=True)),
            sorted(latest["summary"]), sorted(zip(loads["id"], loads["status"], strict=True)))


def test_a_snapshot_keeps_what_was_recorded_by_then(engine, settings, tmp_path):
    reads = Reads(engine, Viewer.unrestricted("test"))
    first = load_file(engine, feed(tmp_path, "v1.json", _event(1, "Man gripen i Tantolunden.",
                                                              "2023-06-10 17:06:29 +02:00")), settings)
    after_first = moment()
    then = seen(reads)
    changed = _event(1, "Man gripen för narkotikabrott i Tantolunden.", "2023-06-10 18:00:00 +02:00")
    new = _event(2, "Bråk vid Hornstull.", "2023-07-10 18:30:00 +02:00", "Bråk")
    second = load_file(engine, feed(tmp_path, "v2.json", changed, new), settings)
    after_second = moment()
    between = seen(reads)
    assert between != then  # today's view changed with the second load
    assert seen(reads.as_of(after_first)) == then  # the snapshot did not
    undo_load(engine, second.load_id, username="anna")
    now = seen(reads)
    assert now[:2] == then[:2] and (second.load_id, "undone") in now[2]  # undone: the first load's facts again
    assert seen(reads.as_of(after_second)) == between  # but the undone load is there as it was then
    assert seen(reads.as_of(after_first)) == then
    assert reads.as_of(after_second).load_history()["status"].tolist() == ["loaded", "loaded"]
    assert first.load_id in set(reads.as_of(after_first).load_history()["id"])


def test_a_snapshot_day_holds_months_up_to_it_and_nothing_recorded_after(engine, settings, tmp_path):
    reads = Reads(engine, Viewer.unrestricted("test"))
    load_file(engine, feed(tmp_path, "v1.json", _event(1, "Gripen i Tantolunden.", "2023-06-10 17:00:00 +02:00"),
                           _event(2, "Bråk vid Hornstull.", "2023-07-10 18:30:00 +02:00", "Bråk")), settings)
    today = date.today()
    assert reads.as_of(today).month_span() == reads.month_span() is not None
    assert reads.as_of(today).snapshot == today and reads.snapshot is None
    yesterday = date.fromordinal(today.toordinal() - 1)
    assert reads.as_of(yesterday).month_span() is None  # the load was recorded today
    assert reads.as_of(yesterday).load_history().empty and reads.as_of(yesterday).freshness()["rows"].sum() == 0
