"""Every public read of lagesbild.reads, as a partner, over random filters: no count of anyone from 1 to 4 comes out.

The registry below names, for each public read, how to call it and which of its results are counts of people or
incidents. A read added to Reads without an entry here fails the first test: a new door to the store is checked
before it is used."""

from __future__ import annotations

import inspect
import math
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pytest

from lagesbild.config import load_config
from lagesbild.dates import add_months
from lagesbild.disclosure import Viewer
from lagesbild.filters import FilterState
from lagesbild.reads import Reads, Withheld
from lagesbild.reads.base import REFERRALS
from lagesbild.settings import load_settings
from lagesbild.surveys import DRUG_PROBLEM_ANSWERS, UNSAFE_ANSWERS

ROUNDS = 12  # random filters per read
PEOPLE = ("contacts", "new_persons", "referrals", *REFERRALS, "attendance")
INCIDENT_CATEGORIES = ("narkotikaforsaljning", "narkotikabruk", "sprutfynd", "vald_hot", "otrygg_plats")


def is_small(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and 0 < float(value) < 5


def small_in(frame: pd.DataFrame, columns) -> list:
    found = []
    for column in columns:
        if column in frame:
            found += [(column, v) for v in frame[column] if is_small(v)]
    return found


@dataclass(frozen=True)
class Filter:
    places: tuple[str, ...]
    first: date | None
    last: date | None
    categories: tuple[str, ...] | None

    @property
    def where(self) -> dict:
        return dict(place_ids=self.places, month_from=self.first, month_to=self.last)


def filters(places: list[str], seed: int) -> Iterator[Filter]:
    rng = random.Random(seed)
    for _ in range(ROUNDS):
        chosen = tuple(rng.sample(places, rng.choice([0, 1, 1, 2])))
        first = add_months(date(2021, 1, 1), rng.randrange(0, 60)) if rng.random() < 0.8 else None
        last = add_months(first or date(2021, 1, 1), rng.randrange(0, 14)) if rng.random() < 0.8 else None
        categories = tuple(rng.sample(INCIDENT_CATEGORIES, rng.choice([1, 2]))) if rng.random() < 0.5 else None
        yield Filter(chosen, first, last, categories)


Check = Callable[[Reads, Filter], list]


def frame_check(call, columns) -> Check:
    return lambda reads, f: small_in(call(reads, f), columns)


def shown_total(call) -> Check:
    return lambda reads, f: [v for v, _ in [call(reads, f)] if is_small(v)]


def withheld(call) -> Check:
    def check(reads: Reads, f: Filter) -> list:
        with pytest.raises(Withheld):
            call(reads, f)
        return []
    return check


def map_check(reads: Reads, f: Filter) -> list:
    data = reads.map_data(**f.where)
    found = [("points", len(data.points))] if len(data.points) else []
    found += small_in(data.unplaced, ["value"]) + small_in(data.unplaced_totals, ["value"])
    found += small_in(data.attendance, ["attendance"]) + small_in(data.outreach, PEOPLE)
    found += [(key, value) for key, (value, _) in data.area.items() if key in ("incidents", "contacts")
              and is_small(value)]
    return found + ([("incidents", data.incidents[0])] if is_small(data.incidents[0]) else [])


def readings_check(reads: Reads, f: Filter) -> list:
    config = load_config(load_settings({}))
    state = FilterState(f.places, f.first, f.last)
    found = []
    for today in (date(2024, 7, 1), date(2026, 1, 15)):
        for reading in reads.indicator_readings(config.indicators, config.area.goal, state, today).values():
            if not reading.indicator.is_count or reading.indicator.is_survey:
                continue
            points = [reading.latest, reading.previous, reading.baseline, *reading.series, *reading.baseline_series]
            found += [(reading.indicator.id, p.value) for p in points if p is not None and is_small(p.value)]
            found += [(reading.indicator.id, w.length, v) for w in reading.windows
                      for v in (w.count, w.baseline_count) if is_small(v)]
            if reading.effort and reading.indicator.effort.is_count:
                found += [(reading.indicator.id, v) for v in (reading.effort.value, reading.effort.baseline)
                          if is_small(v)]
    return found


def effect_check(reads: Reads, f: Filter) -> list:
    """A measure's zones before and after (any places, a window from the filter's first month), and the series."""
    from lagesbild.indicators.effect import effect_windows

    config = load_config(load_settings({}))
    indicator = config.indicators.indicators[0]
    comparison = [p.id for p in config.places.in_area("ostra-sodermalm")]
    zones = {"target": f.places or ("tantolunden",), "buffer": ("hornstull", "zinkensdamm"), "control": comparison}
    start = f.first or date(2023, 5, 15)
    effect = reads.measure_effect(indicator, zones, effect_windows(start, 3 + (start.month % 10)), date(2025, 12, 1))
    found = [(z.zone, v) for z in effect.zones.values() for v in (z.before, z.after) if is_small(v)]
    series = reads.effect_series(indicator, f.places)
    return found + [("series", v) for v in series.values() if is_small(v)]


def surveys_check(reads: Reads, f: Filter) -> list:
    """A shown share never rests on 1–4 respondents giving (or not giving) the answers."""
    found = []
    answers = reads.survey_answers(place_ids=f.places)
    own = answers.own
    for share, n in zip(own.get("share", []), own.get("n", []), strict=True):
        if share is not None and not pd.isna(share) and n and not pd.isna(n):
            given = round(float(share) * float(n))
            if is_small(given) or is_small(float(n) - given):
                found.append(("share", share, n))
    for answers_of, category in ((UNSAFE_ANSWERS, "otrygghet"), (DRUG_PROBLEM_ANSWERS, "problem_narkotika")):
        frame = reads.survey_answer_share(answers_of, categories=[category], place_ids=f.places)
        for share, n in zip(frame.get("share", []), frame.get("n", []), strict=True):
            if share is not None and not pd.isna(share) and n:
                given = round(float(share) * float(n))
                if is_small(given) or is_small(float(n) - given):
                    found.append((category, share, n))
    return found


def nothing(call) -> Check:
    """A read of no count of anyone (places, months, money, the catalogue): called, to see it works as a partner."""
    def check(reads: Reads, f: Filter) -> list:
        call(reads, f)
        return []
    return check


def same_rule_as_of(reads: Reads, f: Filter) -> list:
    """A snapshot's reads are the same viewer's: a partner's snapshot hides what the partner's today hides."""
    snapshot = reads.as_of(date.today())
    assert snapshot.viewer is reads.viewer and snapshot.snapshot == date.today()
    return small_in(snapshot.monthly("incidents", by="category", categories=f.categories, **f.where), ["value"])


READS: dict[str, Check] = {
    "as_of": same_rule_as_of,
    "categories_present": nothing(lambda r, f: r.categories_present("incidents")),
    "has_rows": nothing(lambda r, f: r.has_rows("incidents")),
    "places": nothing(lambda r, f: r.places()),
    "place_geometries": nothing(lambda r, f: r.place_geometries()),
    "month_span": nothing(lambda r, f: r.month_span()),
    "data_version": nothing(lambda r, f: r.data_version()),
    "kind_month_span": nothing(lambda r, f: r.kind_month_span("incidents", f.last)),
    "grants_by_year": nothing(lambda r, f: r.grants_by_year()),
    "measure_markers": nothing(lambda r, f: r.measure_markers(month_from=f.first, month_to=f.last)),
    "data_through": nothing(lambda r, f: r.data_through(("incidents", "outreach"), **f.where)),
    "monthly": lambda r, f: (small_in(r.monthly("incidents", by="category", categories=f.categories, **f.where),
                                      ["value"])
                             + small_in(r.monthly("outreach", "contacts", by="category", **f.where), ["value"])
                             + small_in(r.monthly("events", "attendance", **f.where), ["value"])),
    "totals": lambda r, f: (small_in(r.totals("incidents", "place_id", categories=f.categories, **f.where),
                                     ["value"])
                            + small_in(r.totals("events", "category", "attendance", **f.where), ["value"])),
    "total": lambda r, f: [v for v, _ in (r.total("incidents", categories=f.categories, **f.where),
                                          r.total("outreach", "new_persons", **f.where),
                                          r.total("events", "attendance", **f.where)) if is_small(v)],
    "weekday_hour": frame_check(lambda r, f: r.weekday_hour(categories=f.categories, **f.where), ["value"]),
    "incidents_without_time": shown_total(lambda r, f: r.incidents_without_time(**f.where)),
    "latest_incidents": withheld(lambda r, f: r.latest_incidents(5, **f.where)),
    "outreach_sums": lambda r, f: [(k, v) for k, (v, _) in r.outreach_sums(**f.where).items()
                                   if k in PEOPLE and is_small(v)],
    "referrals_by_kind": frame_check(lambda r, f: r.referrals_by_kind(**f.where), ["value"]),
    "referrals_per_month": frame_check(lambda r, f: r.referrals_per_month(**f.where), ["value"]),
    "outreach_by": lambda r, f: (small_in(r.outreach_by("team", **f.where)[0], PEOPLE)
                                 + small_in(r.outreach_by("place_id", **f.where)[0], PEOPLE)),
    "event_list": frame_check(lambda r, f: r.event_list(**f.where), ["attendance"]),
    "event_groups": lambda r, f: (small_in(r.event_groups(measures=False, **f.where), ["value"])
                                  + small_in(r.event_groups(measures=True, **f.where), ["value"])),
    "map_data": map_check,
    "indicator_readings": readings_check,
    "measure_effect": effect_check,
    "effect_series": lambda r, f: [],  # checked with measure_effect
    "survey_answers": surveys_check,
    "survey_answer_share": lambda r, f: [],  # checked with survey_answers
    "freshness": nothing(lambda r, f: r.freshness()),
    "freshness_until": nothing(lambda r, f: r.freshness_until(f.last or date(2025, 12, 31), f.places)),
    "load_summary": frame_check(lambda r, f: r.load_summary(), ["rows_rejected"]),
    "feed_status": nothing(lambda r, f: r.feed_status()),
    "load_history": frame_check(lambda r, f: r.load_history(), ["rows_rejected"]),
    "rejected_total": shown_total(lambda r, f: r.rejected_total()),
    "rejections": withheld(lambda r, f: r.rejections()),
    "rejections_by_column": frame_check(lambda r, f: r.rejections_by_column(), ["rows"]),
    "coverage": frame_check(lambda r, f: r.coverage(**f.where).query("rows != 1"), ["rows"]),
    "unplaced_share": frame_check(lambda r, f: r.unplaced_share(), ["rows", "unplaced"]),
}


def public_reads() -> set[str]:
    return {name for name, _ in inspect.getmembers(Reads, inspect.isfunction) if not name.startswith("_")}


def test_every_public_read_is_in_the_registry():
    assert public_reads() == set(READS), "a read of lagesbild.reads without a check here: add one"


@pytest.fixture(scope="module")
def partner_reads(sample_engine) -> Reads:
    config = load_config(load_settings({}))
    return Reads(sample_engine, Viewer.of_role("partner", config.area.small_counts))


@pytest.fixture(scope="module")
def place_ids(sample_engine) -> list[str]:
    return [place["id"] for place in Reads(sample_engine, Viewer.unrestricted("test")).places()]


@pytest.mark.parametrize("name", sorted(READS))
def test_a_partner_gets_no_count_from_1_to_4_from_any_read(name, partner_reads, place_ids):
    found = []
    for round_, given in enumerate(filters(place_ids, seed=zlib.crc32(name.encode()))):
        found += [(round_, given, hit) for hit in READS[name](partner_reads, given)]
    assert found == []


def test_the_checks_would_see_a_small_count(sample_engine, place_ids):
    """The same checks on a reader of every number find 1–4 counts in the sample store: they look where they must."""
    everything = Reads(sample_engine, Viewer.unrestricted("test"))
    seen = set()
    for name in ("monthly", "weekday_hour", "outreach_by", "map_data", "indicator_readings", "total", "measure_effect"):
        for given in filters(place_ids, seed=7):
            if READS[name](everything, given):
                seen.add(name)
                break
    assert seen == {"monthly", "weekday_hour", "outreach_by", "map_data", "indicator_readings", "total",
                    "measure_effect"}


def test_a_partner_sees_which_organisation_loaded_not_which_person(sample_engine, tmp_path):
    """The load history names the account that loaded or undid a load; a partner gets the organisation only."""
    from sqlalchemy import text

    from lagesbild.store.db import make_engine
    from tests.dashboard.roles import copy_store

    engine = make_engine(copy_store(str(sample_engine.url), tmp_path / "copy.sqlite"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE loads SET loaded_by = 'anna.styr', undone_by = 'bo.data', organisation = 'Parken'"))
    config = load_config(load_settings({}))
    partner = Reads(engine, Viewer.of_role("partner", config.area.small_counts)).load_history()
    steering = Reads(engine, Viewer.unrestricted("test")).load_history()
    assert set(steering["loaded_by"]) == {"anna.styr"} and set(steering["undone_by"]) == {"bo.data"}
    assert partner["loaded_by"].isna().all() and partner["undone_by"].isna().all()
    assert set(partner["organisation"]) == {"Parken"}
