"""Every public query gives the same answer on SQLite and PostgreSQL over the sample store; and a few of its numbers
checked against direct SQL on both."""

from __future__ import annotations

import inspect
import json
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from lagesbild import queries
from lagesbild.demo import build_demo_store
from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import cached_engine, make_engine, upgrade
from lagesbild.surveys import DRUG_PROBLEM_ANSWERS, NTU_SURVEY, UNSAFE_ANSWERS
from loaders.load import load_file, make_context
from tests.conftest import BACKENDS, DATA_DIR, PG_URL, _fresh_pg_url

NO_PG = "no PostgreSQL (set LAGESBILD_TEST_PG_URL)"
PLACE = {"place_ids": ("tantolunden",)}
PLACES = {"place_ids": ("tantolunden", "drakenbergsparken")}
SPRING = {"month_from": date(2024, 1, 1), "month_to": date(2024, 6, 1)}
FILTERS = {"all": {}, "places": PLACES, "months": SPRING, "place+months": {**PLACE, **SPRING}}
PERIODS = {"all": {}, "places": PLACES, "2023": {**PLACE, "period_from": date(2023, 1, 1),
                                                 "period_to": date(2023, 12, 31)}}
DRUGS = ("narkotikaforsaljning", "narkotikabruk")
BEFORE = date(2025, 1, 1)
LOAD_TIMES = ("finished_at", "last_load")  # when each store was built: differs by nature, compared by type only
EXTRA_FILES = (DATA_DIR / "bra_ntu_kommunala_resultat_2017-2022.xlsx", DATA_DIR / "broken" / "est_bad_dates.csv")


@dataclass(frozen=True)
class Case:
    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    order: tuple[str, ...] = ()  # the columns the query orders by: their sequence must match too
    ignore: tuple[str, ...] = ()

    def run(self, engine):
        return getattr(queries, self.function)(engine, *self.args, **self.kwargs)


def cases() -> list:
    """Realistic calls of every public query: the filter bar's states, categories, measures, groupings."""
    found = [Case("list_places", order=("id",)), Case("place_geometries", order=("id",)), Case("month_span"),
             Case("grants_by_year", order=("year",)), Case("freshness", ignore=LOAD_TIMES),
             Case("load_history", order=("id",), ignore=LOAD_TIMES), Case("rejection_reasons", order=("rows",)),
             Case("unplaced_share"), Case("load_summary", order=("kind", "source"), ignore=LOAD_TIMES),
             Case("freshness_until", (date(2024, 6, 30),), order=("kind", "source"), ignore=LOAD_TIMES),
             Case("freshness_until", (date(2022, 3, 31),), PLACES, order=("kind", "source"), ignore=LOAD_TIMES)]
    for fact_kind in queries.FACT_TABLES:
        found += [Case("coverage", (fact_kind,), order=("month",)), Case("kind_month_span", (fact_kind,)),
                  Case("kind_month_span", (fact_kind,), {"before": BEFORE}),
                  Case("indicator_monthly", (fact_kind,), order=("month",))]
    found += [Case("indicator_monthly", ("incidents",), {"categories": DRUGS, "before": BEFORE, **PLACES}),
              Case("indicator_monthly", ("outreach", ("contacts", "new_persons")), PLACE, order=("month",)),
              Case("indicator_monthly", ("events", ("attendance",)), {"is_measure": False}, order=("month",)),
              Case("indicator_monthly", ("events",), {"is_measure": True}, order=("month",))]
    for where in FILTERS.values():
        found += [Case("data_through", (("incidents", "outreach", "events"),), where),
                  Case("data_through", (("surveys",),), where),
                  Case("monthly", ("incidents",), {"by": "category", **where}, order=("month", "category")),
                  Case("monthly", ("incidents",), {"categories": DRUGS, **where}, order=("month",)),
                  Case("monthly", ("outreach", "contacts"), {"by": "category", **where}),
                  Case("monthly", ("outreach", "hours"), {"by": "team", **where}),
                  Case("monthly", ("events",), {"by": "category", "measures_only": True, **where}),
                  Case("monthly", ("events", "attendance"), {"measures_only": False, **where}),
                  Case("totals", ("incidents", "place_id"), where, order=("value",)),
                  Case("totals", ("incidents", "category"), {"categories": DRUGS, **where}, order=("value",)),
                  Case("totals", ("events", "is_measure"), where, order=("value",)),
                  Case("totals", ("events", "is_measure", "cost_sek"), where, order=("value",)),
                  Case("totals", ("events", "place_id", "grant_sek"), where, order=("value",)),
                  Case("totals", ("outreach", "team", "hours"), where, order=("value",)),
                  Case("outreach_totals", (), where, order=("month",)),
                  Case("outreach_totals", ("team",), where, order=("team",)),
                  Case("outreach_totals", ("place_id",), where, order=("place_id",)),
                  Case("weekday_hour", (), where), Case("weekday_hour", (), {"categories": DRUGS, **where}),
                  Case("incidents_without_time", (), where),
                  Case("latest_incidents", (), where, order=("date", "occurred_at")),
                  Case("latest_incidents", (10,), {"categories": DRUGS, **where}, order=("date", "occurred_at")),
                  Case("event_list", (), where, order=("date",)),
                  Case("event_list", (), {"measures_only": True, "limit": 5, **where}, order=("date",)),
                  Case("incident_points", (), where, order=("date",)),
                  Case("incident_points", (), {"limit": 200, **where}, order=("date",)),
                  Case("count_incident_points", (), where),
                  Case("incidents_without_coordinates", (), where, order=("place_id", "category")),
                  Case("event_place_totals", (), where, order=("place_id", "category", "is_measure")),
                  Case("coverage_by_source", (), where, order=("kind", "source", "month", "place_id"))]
    for name in ("all", "months"):
        found.append(Case("measure_markers", (), FILTERS[name], order=("date",)))
    for where in PERIODS.values():
        kept = {k: v for k, v in where.items() if k == "place_ids"}
        found += [Case("survey_answers", (), where, order=("survey", "sort_order", "geography", "question_code",
                                                          "period_end", "answer")),
                  Case("survey_answers", (), {"categories": ["otrygghet"], "question_codes": ["otrygg_kvall"],
                                              **where}),
                  Case("survey_answer_share", (UNSAFE_ANSWERS,), {"categories": ["otrygghet"],
                                                                  "exclude_surveys": [NTU_SURVEY], **where},
                       order=("sort_order", "survey", "period_end")),
                  Case("survey_answer_share", (DRUG_PROBLEM_ANSWERS,), {"categories": ["problem_narkotika"], **where}),
                  Case("survey_table", (), kept, order=("survey", "period_end", "question_code", "answer")),
                  Case("survey_table", (), {"categories": ["problem_narkotika"], **kept})]
    for survey in ("Polisens trygghetsmätning", "Platsmätning Tantolunden"):
        found.append(Case("survey_answer_shares", (survey, UNSAFE_ANSWERS), {"categories": ["otrygghet"]},
                          order=("period_end",)))
    found.append(Case("survey_answer_shares", ("Polisens trygghetsmätning", DRUG_PROBLEM_ANSWERS),
                      {"question_codes": ["problem_narkotika"], **PLACE}, order=("period_end",)))
    return [pytest.param(case, id=case_id(case, index)) for index, case in enumerate(found)]


def case_id(case: Case, index: int) -> str:
    parts = [str(a) if not isinstance(a, tuple) else "+".join(a) for a in case.args]
    parts += [f"{k}" for k in case.kwargs]
    return f"{index:03d}-{case.function}-" + "-".join(parts) if parts else f"{index:03d}-{case.function}"


CASES = cases()


# ---- stores ---------------------------------------------------------------------------------------------------


def drop_schema(schema: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module")
def pg_sample_engine():
    """The sample store once more, in a PostgreSQL schema of its own (the SQLite one is `sample_engine`)."""
    if not PG_URL:
        pytest.skip(NO_PG)
    schema = f"lagesbild_parity_{os.getpid()}"
    url = _fresh_pg_url(schema)
    build_demo_store(url)
    cached_engine(url).dispose()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_schema(schema)


def extra_store(url: str):
    """BRÅ's NTU workbook (the sample has no NTU) and a file with bad dates loaded with --skip-invalid, so the NTU
    answers and the rejected rows have something to compare."""
    upgrade(url)
    settings = load_settings({}).with_db(url)
    engine, ctx = make_engine(url), make_context(settings)
    for path in EXTRA_FILES:
        load_file(engine, path, settings, skip_invalid=True, ctx=ctx)
    return engine


@pytest.fixture(scope="module")
def extra_engines(tmp_path_factory):
    if not PG_URL:
        pytest.skip(NO_PG)
    schema = f"lagesbild_parity_extra_{os.getpid()}"
    engines = (extra_store(sqlite_url(tmp_path_factory.mktemp("parity") / "extra.sqlite")),
               extra_store(_fresh_pg_url(schema)))
    yield engines
    for engine in engines:
        engine.dispose()
    drop_schema(schema)


@pytest.fixture(params=BACKENDS)
def any_engine(request, sample_engine):
    return sample_engine if request.param == "sqlite" else request.getfixturevalue("pg_sample_engine")


# ---- normalising what the two databases return ------------------------------------------------------------------


def cell(value):
    """One value as both databases should agree on it: null as None, dates as ISO text, numbers rounded."""
    if value is None or value is pd.NaT or (isinstance(value, float | np.floating) and math.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | Decimal | np.integer | np.floating):
        number = round(float(value), 6)
        return int(number) if number.is_integer() else number
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def value_kind(value) -> str:
    """What a page would receive, by type: Decimal vs int, or str vs date, is a difference even when equal."""
    for name, types in (("bool", bool | np.bool_), ("int", int | np.integer), ("float", float | np.floating),
                        ("decimal", Decimal), ("datetime", datetime), ("date", date), ("str", str)):
        if isinstance(value, types):
            return name
    return type(value).__name__


def as_frame(result) -> pd.DataFrame:
    if isinstance(result, pd.DataFrame):
        return result
    if isinstance(result, list):
        return pd.DataFrame(result)
    if isinstance(result, int):  # a count
        return pd.DataFrame([[result]])
    return pd.DataFrame([list(result or ())])


def dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {column: str(frame[column].dtype) if frame[column].dtype != object else
            "object:" + ",".join(sorted({value_kind(v) for v in frame[column] if cell(v) is not None}))
            for column in frame.columns}


def rows(frame: pd.DataFrame, columns) -> list[tuple]:
    return [tuple(cell(v) for v in row) for row in frame[list(columns)].itertuples(index=False)]


def sort_key(row: tuple) -> tuple:
    return tuple((value is None, str(value)) for value in row)


def assert_same(case: Case, lite, pg) -> None:
    lite, pg = as_frame(lite), as_frame(pg)
    assert list(lite.columns) == list(pg.columns)
    assert dtypes(lite) == dtypes(pg)
    compared = [c for c in lite.columns if c not in case.ignore]
    assert sorted(rows(lite, compared), key=sort_key) == sorted(rows(pg, compared), key=sort_key)
    assert rows(lite, case.order) == rows(pg, case.order), f"ordered by {case.order}"


# ---- parity -----------------------------------------------------------------------------------------------------


def test_every_public_query_has_a_parity_case():
    public = {name for name, member in inspect.getmembers(queries, inspect.isfunction)
              if member.__module__ == queries.__name__ and not name.startswith("_")}
    # each store's own secret, and its own version string (ids and times of its loads)
    assert public - {param.values[0].function for param in CASES} == {"cell_key_salt", "data_version"}


@pytest.mark.parametrize("case", CASES)
def test_sqlite_and_postgresql_agree(case, sample_engine, pg_sample_engine):
    assert_same(case, case.run(sample_engine), case.run(pg_sample_engine))


@pytest.mark.parametrize("case", [
    Case("survey_answers", order=("survey", "sort_order", "geography", "question_code", "period_end", "answer")),
    Case("survey_answers", (), {"surveys": [NTU_SURVEY], **PLACES}),
    Case("survey_table", order=("survey", "period_end", "question_code", "answer")),
    Case("rejection_reasons", order=("rows",)),
    Case("load_history", order=("id",), ignore=LOAD_TIMES),
    Case("load_summary", order=("kind", "source"), ignore=LOAD_TIMES),
    Case("freshness", ignore=LOAD_TIMES),
], ids=lambda case: case.function)
def test_ntu_answers_and_rejected_rows_agree(case, extra_engines):
    lite, pg = extra_engines
    assert not queries.rejection_reasons(lite).empty
    assert_same(case, case.run(lite), case.run(pg))


# ---- independent checks: the query layer's totals against direct SQL, on both databases ------------------------


def as_date(value) -> date:
    """SQLite gives a raw SELECT's dates back as text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


OWN = "place_id IN (SELECT id FROM places WHERE zone = 'area')"  # the area's own places, not the comparison area's


def test_monthly_counts_add_up_to_the_table(any_engine):
    for kind_name, table in (("incidents", "incidents"), ("outreach", "outreach_shifts"), ("events", "events")):
        own = scalar(any_engine, f"SELECT COUNT(*) FROM {table} WHERE {OWN}")
        assert queries.monthly(any_engine, kind_name)["value"].sum() == own


def test_the_comparison_areas_incidents_are_stored_but_never_counted_as_the_areas_own(any_engine):
    kept = scalar(any_engine, "SELECT COUNT(*) FROM incidents i JOIN places p ON p.id = i.place_id "
                              "WHERE p.zone = 'comparison' AND p.area = 'ostra-sodermalm'")
    assert kept > 500  # the sample's comparison area: EST reports from Björns trädgård and Nytorget
    everything = scalar(any_engine, "SELECT COUNT(*) FROM incidents")
    assert queries.monthly(any_engine, "incidents")["value"].sum() == everything - kept
    by_place = queries.totals(any_engine, "incidents", "place_id")
    assert not by_place["place_id"].isin(["bjorns-tradgard", "nytorget"]).any()
    assert {p["id"] for p in queries.list_places(any_engine)}.isdisjoint({"bjorns-tradgard", "nytorget"})
    asked = queries.monthly(any_engine, "incidents", place_ids=["bjorns-tradgard", "nytorget"])["value"].sum()
    assert asked == kept  # by id, for the Effekt page


def test_filtered_totals_match_direct_sql(any_engine):
    by_place = queries.totals(any_engine, "incidents", "place_id", **PLACE, **SPRING)
    expected = scalar(any_engine, "SELECT COUNT(*) FROM incidents WHERE place_id = 'tantolunden' "
                                  "AND month BETWEEN :low AND :high", low=date(2024, 1, 1), high=date(2024, 6, 1))
    assert by_place["value"].sum() == expected > 0
    contacts = queries.monthly(any_engine, "outreach", "contacts", **PLACES)["value"].sum()
    assert contacts == scalar(any_engine, "SELECT SUM(contacts) FROM outreach_shifts "
                                          "WHERE place_id IN ('tantolunden', 'drakenbergsparken')")
    hours = queries.outreach_totals(any_engine, "team")["hours"].sum()
    assert hours == pytest.approx(scalar(any_engine, "SELECT SUM(hours) FROM outreach_shifts"))


def test_drug_categories_and_the_heat_map_match_direct_sql(any_engine):
    drugs = queries.monthly(any_engine, "incidents", categories=DRUGS)["value"].sum()
    assert drugs == scalar(any_engine, "SELECT COUNT(*) FROM incidents "
                                       f"WHERE category IN ('narkotikaforsaljning', 'narkotikabruk') AND {OWN}")
    heat = queries.weekday_hour(any_engine)["value"].sum()
    assert heat == scalar(any_engine, f"SELECT COUNT(*) FROM incidents WHERE hour IS NOT NULL AND {OWN}")


def test_month_span_and_coverage_match_direct_sql(any_engine):
    tables = ("incidents", "outreach_shifts", "events")
    low = min(as_date(scalar(any_engine, f"SELECT MIN(month) FROM {t}")) for t in tables)
    high = max(as_date(scalar(any_engine, f"SELECT MAX(month) FROM {t}")) for t in tables)
    assert queries.month_span(any_engine) == (low, high)
    coverage = queries.coverage_by_source(any_engine)
    per_kind = coverage.groupby("kind")["rows"].sum().to_dict()
    assert per_kind == {"incidents": scalar(any_engine, f"SELECT COUNT(*) FROM incidents WHERE {OWN}"),
                        "outreach": scalar(any_engine, "SELECT COUNT(*) FROM outreach_shifts"),
                        "events": scalar(any_engine, "SELECT COUNT(*) FROM events"),
                        "surveys": scalar(any_engine, "SELECT COUNT(*) FROM survey_results")}


def test_unplaced_share_matches_direct_sql(any_engine):
    share = queries.unplaced_share(any_engine).set_index("kind")
    expected = scalar(any_engine, "SELECT COUNT(*) FROM incidents i JOIN places p ON p.id = i.place_id "
                                  "WHERE p.is_unspecified")
    assert share.loc["incidents", "unplaced"] == expected > 0


def test_grants_per_year_add_up_to_every_grant(any_engine):
    grants = queries.grants_by_year(any_engine)
    assert grants["grant_sek"].sum() == pytest.approx(scalar(any_engine, "SELECT SUM(grant_sek) FROM events"))
    assert list(grants["year"]) == sorted(set(grants["year"]))


@pytest.mark.parametrize("case", CASES)
def test_one_date_convention_days_and_months_are_dates_moments_datetimes(case, sample_engine):
    """Issue 9: queries returned dates in mixed types (text, Timestamp, date), so helpers were copied to convert them.
    Every column of a result that holds days or moments holds datetime.date or datetime.datetime, nothing else."""
    frame = as_frame(case.run(sample_engine))
    for column in frame.columns:
        kinds = {value_kind(v) for v in frame[column] if cell(v) is not None}
        if kinds & {"date", "datetime"} or "Timestamp" in kinds or str(frame[column].dtype).startswith("datetime64"):
            assert kinds <= {"date", "datetime"} and not str(frame[column].dtype).startswith("datetime64"), \
                f"{case.function}.{column}: {kinds or frame[column].dtype}"
        if kinds == {"str"} and column != "wave":  # a survey's wave is its label as given ('2023-05', 'Hösten 2022')
            sample = next(v for v in frame[column] if cell(v) is not None)
            assert not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}.*)?", sample), \
                f"{case.function}.{column}: a date as text ({sample!r})"
