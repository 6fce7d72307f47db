"""`lagesbild fetch-police` against a local server replaying the API's recorded responses: what is new loads, the
feed's rules are kept (User-Agent, pace, back-off), and a bad answer loads nothing. No test touches the internet."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lagesbild.cli import main
from lagesbild.store.schema import feed_fetches, loads
from loaders.police_api import (
    BACKOFF,
    MAX_PER_HOUR,
    MIN_INTERVAL,
    Pacer,
    fetch_once,
    location_names,
    next_wait,
    parse_every,
    run_every,
)
from tests.loaders.helpers import counts, fact_rows
from tests.loaders.police_replay import RECORDED, SNAPSHOT, STOCKHOLM, Answer, PoliceApi, recorded

pytestmark = pytest.mark.skipif(not RECORDED.exists(), reason=f"the recorded API responses are not at {RECORDED}")


class Clock:
    """Time that passes only when slept: the pace is checked without waiting for it."""

    def __init__(self, start: float = 1_000_000.0):
        self.now, self.slept = start, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def pacer() -> Pacer:
    clock = Clock()
    return Pacer(clock=clock, sleep=clock.sleep)


@pytest.fixture
def api():
    with PoliceApi() as server:
        yield server


@pytest.fixture
def fetching(settings, api):
    return replace(settings, police_api_url=api.url, police_contact="trygghet@example.se")


def stockholm_events() -> list[dict]:
    return recorded(STOCKHOLM)


def fetched(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(feed_fetches).order_by(feed_fetches.c.id)).mappings()]


def test_a_fetch_loads_the_area_s_events_and_is_recorded(engine, fetching, api):
    api.answers = [Answer(events=stockholm_events())]
    fetch = fetch_once(engine, fetching, "Stockholm", pacer())
    assert fetch.result == "loaded" and fetch.events == len(stockholm_events()) and fetch.load_id
    rows = fact_rows(engine, "incidents")
    assert rows and all(r["source"] == "polisen-feed" for r in rows)
    with engine.connect() as conn:
        load = conn.execute(select(loads).where(loads.c.id == fetch.load_id)).mappings().one()
    assert (load["organisation"], load["loaded_by"]) == ("Polisen", "fetch-police")
    assert [f["result"] for f in fetched(engine)] == ["loaded"]
    agent = api.seen[0].headers["User-Agent"]
    assert agent.startswith("Lagesbild/") and "trygghet@example.se" in agent


def in_2026_as_the_county(event: dict, offset: int) -> dict:
    """A recorded event as the API names Stockholm's events since 2026: location 'Stockholms län'."""
    return {**event, "id": 900_000 + offset, "datetime": f"2026-05-{1 + offset % 28:02d}{event['datetime'][10:]}",
            "name": event["name"], "location": {**event["location"], "name": "Stockholms län"}}


def test_the_2026_change_stockholm_events_named_stockholms_lan_are_asked_for_too(engine, fetching, api):
    area = [e for e in stockholm_events() if "Tantolunden" in (e["summary"] or "")]
    county = [in_2026_as_the_county(e, i) for i, e in enumerate(area)]
    api.answers = [Answer(events=stockholm_events() + county)]
    fetch = fetch_once(engine, fetching, "Stockholm", pacer())
    assert fetch.result == "loaded", fetch.message
    assert api.seen[0].query["locationname"] == ["Stockholm;Stockholms län"]
    keys = {r["natural_key"] for r in fact_rows(engine, "incidents")}
    assert {f"polisen-feed:{e['id']}" for e in county} <= keys  # asked for by the county's name, and loaded
    assert location_names("Stockholms län") == ["Stockholms län"]


def test_fetching_again_is_idempotent_and_a_republished_event_updates(engine, fetching, api):
    events = stockholm_events()
    api.answers = [Answer(events=events), Answer(events=events)]
    clock = pacer()
    fetch_once(engine, fetching, "Stockholm", clock)
    before = fact_rows(engine, "incidents")
    again = fetch_once(engine, fetching, "Stockholm", clock)
    assert again.result == "unchanged" and fact_rows(engine, "incidents") == before
    area = [e for e in events if "Tantolunden" in (e["summary"] or "")][0]
    changed = [{**e, "summary": e["summary"] + " Uppdaterad."} if e is area else e for e in events]
    api.answers = [Answer(events=changed)]
    third = fetch_once(engine, fetching, "Stockholm", clock)
    assert third.result == "loaded" and "1 updated" in third.message
    assert len(fact_rows(engine, "incidents")) == len(before)


@pytest.mark.parametrize("answer, words", [
    (Answer(status=429, body=b"Too Many Requests", headers={"Retry-After": "120"}), "429"),
    (Answer(status=500, body=b"Internal Server Error"), "500"),
    (Answer(status=503, body=b""), "503"),
    (Answer(body=SNAPSHOT.read_bytes() if SNAPSHOT.exists() else b"[]", cut_after=50_000), "cut off"),
    (Answer(body=b'[{"id": 1, "datetime": '), "not valid JSON"),
    (Answer(body=b'{"error": "nope"}'), "not a list of events"),
    (Answer(body=json.dumps([{"id": "x"}]).encode()), "could not be loaded"),
])
def test_a_bad_answer_loads_nothing_and_says_why(engine, fetching, api, answer, words):
    api.answers = [answer]
    before = counts(engine)
    fetch = fetch_once(engine, fetching, None, pacer())
    assert fetch.result == "failed" and words in fetch.message
    assert counts(engine) == before
    assert fetched(engine)[-1]["result"] == "failed"
    if answer.status == 429:
        assert fetch.retry_after == 120 and next_wait(900, fetch, 1) == 120


def test_an_empty_array_loads_nothing(engine, fetching, api):
    api.answers = [Answer(events=[])]
    before = counts(engine)
    fetch = fetch_once(engine, fetching, "Stockholm", pacer())
    assert (fetch.result, fetch.events, fetch.message) == ("unchanged", 0, "the API returned no events")
    assert counts(engine) == before


def test_a_slow_answer_times_out(engine, fetching, api):
    api.answers = [Answer(events=[], delay=2)]
    fetch = fetch_once(engine, fetching, None, pacer(), timeout=0.5)
    assert fetch.result == "failed" and "no answer within 0.5 s" in fetch.message


def test_the_pace_is_10_seconds_apart_and_60_an_hour():
    clock = Clock()
    pace = Pacer(clock=clock, sleep=clock.sleep)
    calls = []
    for _ in range(MAX_PER_HOUR + 1):
        pace.wait()
        calls.append(clock.now)
    gaps = [b - a for a, b in zip(calls, calls[1:], strict=False)]
    assert min(gaps) >= MIN_INTERVAL
    assert calls[-1] - calls[0] >= 3600  # the 61st call waits until the first is an hour old
    assert all(sum(1 for c in calls if start <= c < start + 3600) <= MAX_PER_HOUR for start in calls)


def test_the_pace_counts_the_store_s_recent_fetches(engine, fetching, api):
    from loaders.police_api import store_pacer

    api.answers = [Answer(events=[])]
    fetch_once(engine, fetching, None, pacer())
    clock = Clock(start=__import__("time").time())
    pace = store_pacer(engine, clock=clock, sleep=clock.sleep)
    assert pace.wait() > 0  # the fetch just recorded is less than 10 s ago


def test_every_backs_off_after_failures_and_resumes(engine, fetching, api):
    api.answers = [Answer(status=500, body=b""), Answer(status=500, body=b""), Answer(events=stockholm_events())]
    waits = []
    run_every(engine, fetching, 900, "Stockholm", pacer=pacer(), sleep=waits.append, times=3)
    assert waits == [BACKOFF[0], BACKOFF[1]]
    assert [f["result"] for f in fetched(engine)] == ["failed", "failed", "loaded"]


def test_the_command_fetches_once(store_url, engine, api, monkeypatch):
    api.answers = [Answer(events=stockholm_events())]
    monkeypatch.setenv("LAGESBILD_POLICE_API_URL", api.url)
    result = CliRunner().invoke(main, ["fetch-police", "--location", "Stockholm", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "loaded" in result.output
    api.answers = [Answer(status=500, body=b"")]
    failed = CliRunner().invoke(main, ["fetch-police", "--db", store_url])
    assert failed.exit_code == 1


def test_every_is_a_period_of_a_minute_or_more():
    assert parse_every("15m") == 900 and parse_every("1h") == 3600 and parse_every("120") == 120
    for bad in ("5s", "soon", ""):
        with pytest.raises(ValueError):
            parse_every(bad)
