"""All the reads' SQL: aggregation happens in the store, small DataFrames come back.

One convention in every result: days and months are `datetime.date` (a month is its first day), moments (a load's
time, an incident's time of day) `datetime.datetime`, a missing value None (lagesbild.dates). Only lagesbild.reads
calls these (import-linter's protected contract): what leaves it for a viewer has the viewer's rule applied.

Every read counts the area's own places (zone 'area') unless it names places by id: records of a comparison area or
a buffer outside the area (lagesbild.config.places) are read only by the Effekt page, which asks for them by id.

Every aggregate of a count of anyone carries its cell key (`cell_key`, `cell_records`: lagesbild.store.keys) for the
rule to round it by."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine, Select, and_, case, func, inspect, literal, or_, select, union_all

from lagesbild.dates import as_date, as_datetime
from lagesbild.store.keys import KEY, RECORDS, cell_keys, read_salt, record_key
from lagesbild.store.schema import (
    FACT_TABLES,
    RECORD_TABLES,
    REFERRAL_KINDS,
    feed_fetches,
    loads,
    places,
)
from lagesbild.store.schema import loads as store_loads
from lagesbild.store.schema import rejected_rows as store_rejected_rows
from lagesbild.store.snapshot import fact_snapshot, recorded_loads, recorded_rejections, snapshot_day

OUTREACH_MEASURES = ("contacts", "new_persons", "hours", *(f"referrals_{k}" for k in REFERRAL_KINDS))


DAY_COLUMNS = frozenset({"month", "date", "period_end", "first_date", "last_date"})
MOMENT_COLUMNS = frozenset({"occurred_at", "finished_at", "last_load", "started_at", "at"})


def _facts(engine: Engine, kind: str):
    """The fact table of `kind`, or, when the engine carries a snapshot day, the table as it was then."""
    day = snapshot_day(engine)
    return FACT_TABLES[kind] if day is None else fact_snapshot(kind, day)


def _fact_tables(engine: Engine) -> list[tuple[str, object]]:
    return [(kind, _facts(engine, kind)) for kind in FACT_TABLES]


def _loads(engine: Engine):
    """The loads, or those recorded by the engine's snapshot day as they stood then."""
    day = snapshot_day(engine)
    return store_loads if day is None else recorded_loads(day)


def _rejections(engine: Engine):
    day = snapshot_day(engine)
    return store_rejected_rows if day is None else recorded_rejections(day)


def _frame(engine: Engine, query: Select) -> pd.DataFrame:
    """The rows as a frame, its days as dates and its moments as datetimes whatever the database gave back (SQLite
    has no date type: an aggregate of a date column may come back as text)."""
    with engine.connect() as conn:
        result = conn.execute(query)
        # Plain tuples: pandas probes each Row with hasattr(), and every miss raises inside SQLAlchemy (half the time
        # of a query of thousands of rows, e.g. the map's points).
        frame = pd.DataFrame([tuple(row) for row in result.fetchall()], columns=list(result.keys()))
    for column in frame.columns:
        if column in DAY_COLUMNS:
            frame[column] = pd.Series([as_date(v) for v in frame[column]], index=frame.index, dtype=object)
        elif column in MOMENT_COLUMNS:
            frame[column] = pd.Series([as_datetime(v) for v in frame[column]], index=frame.index, dtype=object)
    return frame


OWN_ZONE = "area"


def _own_places():
    """The ids of the area's own places, as a subquery: what a read without named places counts."""
    return select(places.c.id).where(places.c.zone == OWN_ZONE).scalar_subquery()


def _where(table, place_ids: Sequence[str] = (), month_from: date | None = None, month_to: date | None = None,
           categories: Sequence[str] | None = None):
    """The filter bar's state (and an indicator's categories) as one SQL condition; no places: the area's own."""
    conditions = []
    if place_ids:
        conditions.append(table.c.place_id.in_(list(place_ids)))
    else:
        conditions.append(table.c.place_id.in_(_own_places()))
    if month_from:
        conditions.append(table.c.month >= month_from)
    if month_to:
        conditions.append(table.c.month <= month_to)
    if categories:
        conditions.append(table.c.category.in_(list(categories)))
    return and_(True, *conditions)


def list_places(engine: Engine) -> list[dict]:
    """The area's own places, for the filter: a comparison area's are not places of the area."""
    query = (select(places.c.id, places.c.name, places.c.kind).where(places.c.zone == OWN_ZONE)
             .order_by(places.c.sort_order, places.c.name))
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def place_geometries(engine: Engine) -> list[dict]:
    query = select(places.c.id, places.c.name, places.c.kind, places.c.is_unspecified, places.c.geometry).where(
        places.c.zone == OWN_ZONE)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(places.c.sort_order)).mappings()]


def month_span(engine: Engine) -> tuple[date, date] | None:
    """The first and last month with any fact, across all kinds (surveys aside: their waves are not months)."""
    tables = [_facts(engine, kind) for kind in FACT_TABLES if kind != "surveys"]
    ends = [_month_end(t, func.min) for t in tables] + [_month_end(t, func.max) for t in tables]
    with engine.connect() as conn:
        found = [as_date(value) for value in conn.execute(select(*ends)).one() if value is not None]
    return (min(found), max(found)) if found else None


def _month_end(table, aggregate, condition=None):
    """min(month) or max(month) alone in its subquery: both databases then read it off the month index instead of
    scanning it (one query asking for both scans the whole index; at scale 100 that was 30-70 ms per page load)."""
    query = select(aggregate(table.c.month))
    return (query if condition is None else query.where(condition)).scalar_subquery()


def monthly(engine: Engine, kind: str, measure: str = "count", *, by: str | None = None,
            place_ids: Sequence[str] = (), month_from: date | None = None, month_to: date | None = None,
            categories: Sequence[str] | None = None, measures_only: bool | None = None) -> pd.DataFrame:
    """One value per month (and per `by` group): a row count or the sum of a column, computed in SQL."""
    table = _facts(engine, kind)
    value = func.count() if measure == "count" else func.coalesce(func.sum(table.c[measure]), 0)
    keys = [table.c.month] + ([table.c[by]] if by else [])
    condition = _where(table, place_ids, month_from, month_to, categories)
    if measures_only is not None:
        condition = and_(condition, table.c.is_measure.is_(measures_only))
    query = select(*keys, value.label("value"), *cell_keys(table)).where(condition).group_by(*keys).order_by(*keys)
    return _frame(engine, query)


def totals(engine: Engine, kind: str, by: str, measure: str = "count", *, place_ids: Sequence[str] = (),
           month_from: date | None = None, month_to: date | None = None,
           categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Totals per group (place, category, team…) for the filtered period."""
    table = _facts(engine, kind)
    value = func.count() if measure == "count" else func.coalesce(func.sum(table.c[measure]), 0)
    query = (select(table.c[by], value.label("value"), *cell_keys(table))
             .where(_where(table, place_ids, month_from, month_to, categories))
             .group_by(table.c[by]).order_by(value.desc()))
    return _frame(engine, query)


def outreach_totals(engine: Engine, by: str | None = None, *, place_ids: Sequence[str] = (),
                    month_from: date | None = None, month_to: date | None = None) -> pd.DataFrame:
    """Sums of every outreach measure, per month (by=None), or per team or place."""
    table = _facts(engine, "outreach")
    key = table.c.month if by is None else table.c[by]
    sums = [func.coalesce(func.sum(table.c[m]), 0).label(m) for m in OUTREACH_MEASURES]
    query = (select(key, func.count().label("shifts"), *sums, *cell_keys(table))
             .where(_where(table, place_ids, month_from, month_to)).group_by(key).order_by(key))
    return _frame(engine, query)


def weekday_hour(engine: Engine, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                 month_to: date | None = None, categories: Sequence[str] | None = None) -> pd.DataFrame:
    table = _facts(engine, "incidents")
    condition = and_(_where(table, place_ids, month_from, month_to, categories), table.c.hour.is_not(None))
    query = (select(table.c.weekday, table.c.hour, func.count().label("value"), *cell_keys(table)).where(condition)
             .group_by(table.c.weekday, table.c.hour))
    return _frame(engine, query)


def incidents_without_time(engine: Engine, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                           month_to: date | None = None, categories: Sequence[str] | None = None) -> pd.DataFrame:
    """How many incidents of the filter have no time of day (they are in the totals, not in weekday_hour)."""
    table = _facts(engine, "incidents")
    condition = and_(_where(table, place_ids, month_from, month_to, categories), table.c.hour.is_(None))
    return _frame(engine, select(func.count().label("value"), *cell_keys(table)).where(condition))


# month first (the same order, as month is the date's first day): the month index then yields the newest rows and
# the sort stops at the limit instead of sorting every incident. NULLS LAST: SQLite's default, not PostgreSQL's.
def _newest_first(table) -> tuple:
    return (table.c.month.desc(), table.c.date.desc(), table.c.occurred_at.desc().nulls_last(), table.c.id.desc())


def latest_incidents(engine: Engine, limit: int = 50, *, place_ids: Sequence[str] = (),
                     month_from: date | None = None, month_to: date | None = None,
                     categories: Sequence[str] | None = None) -> pd.DataFrame:
    """The newest incidents for the table: no personal data is stored, and the summary is already redacted."""
    table = _facts(engine, "incidents")
    query = (select(table.c.date, table.c.occurred_at, places.c.name.label("place"), table.c.category,
                    table.c.source_category, table.c.organisation, table.c.summary)
             .join(places, places.c.id == table.c.place_id)
             .where(_where(table, place_ids, month_from, month_to, categories))
             .order_by(*_newest_first(table)).limit(limit))
    return _frame(engine, query)


def event_list(engine: Engine, *, place_ids: Sequence[str] = (), month_from: date | None = None,
               month_to: date | None = None, measures_only: bool = False, limit: int | None = None) -> pd.DataFrame:
    """Activities and measures (title, date, place, category, attendance, cost, grant), oldest first."""
    table = _facts(engine, "events")
    condition = _where(table, place_ids, month_from, month_to)
    if measures_only:
        condition = and_(condition, table.c.is_measure.is_(True))
    query = (select(table.c.date, table.c.title, table.c.category, table.c.is_measure, table.c.attendance,
                    table.c.cost_sek, table.c.grant_sek, table.c.organiser, places.c.name.label("place"),
                    table.c.place_id, record_key(table).label(KEY), literal(1).label(RECORDS))
             .join(places, places.c.id == table.c.place_id).where(condition).order_by(table.c.date, table.c.id))
    if limit:
        query = query.limit(limit)
    return _frame(engine, query)


def grants_by_year(engine: Engine) -> pd.DataFrame:
    """Association grants per calendar year: summed per month in SQL, the months added up per year here (SQL's
    EXTRACT gives a decimal on PostgreSQL and becomes strftime on SQLite)."""
    table = _facts(engine, "events")
    query = select(table.c.month, func.coalesce(func.sum(table.c.grant_sek), 0).label("grant_sek"))
    frame = _frame(engine, query.group_by(table.c.month))
    frame = frame.assign(year=[as_date(month).year for month in frame["month"]],
                         grant_sek=frame["grant_sek"].astype(float))
    return frame.groupby("year", as_index=False)["grant_sek"].sum().sort_values("year", ignore_index=True)


def survey_table(engine: Engine, *, place_ids: Sequence[str] = (), categories: Sequence[str] | None = None,
                 surveys: Sequence[str] | None = None) -> pd.DataFrame:
    """Survey results per wave and answer, with n and the 95 % interval; never spread over months."""
    table = _facts(engine, "surveys")
    condition = _where(table, place_ids, None, None, categories)
    if surveys:
        condition = and_(condition, table.c.survey.in_(list(surveys)))
    query = (select(table.c.survey, table.c.wave, table.c.period_end, table.c.geography, table.c.place_id,
                    places.c.name.label("place"), table.c.category, table.c.question_code, table.c.question,
                    table.c.answer, table.c.count, table.c.share, table.c.n, table.c.ci_low, table.c.ci_high,
                    table.c.value_note)
             .join(places, places.c.id == table.c.place_id).where(condition)
             .order_by(table.c.survey, table.c.period_end, table.c.question_code, table.c.answer))
    return _frame(engine, query)


def freshness(engine: Engine) -> pd.DataFrame:
    """Per kind and source: rows, last fact date and last load time."""
    parts = [select(literal(kind).label("kind"), t.c.source, func.count().label("rows"),
                    func.min(t.c.date).label("first_date"), func.max(t.c.date).label("last_date"), *cell_keys(t))
             .group_by(t.c.source) for kind, t in _fact_tables(engine)]
    facts = _frame(engine, union_all(*parts))
    done = _loads(engine)
    last_loads = _frame(engine, select(done.c.source, func.max(done.c.finished_at).label("last_load"))
                        .group_by(done.c.source))
    return facts.merge(last_loads, on="source", how="outer")


def feed_status(engine: Engine) -> dict | None:
    """The police feed's last fetch (at, result, message) and the last that worked, or None (never fetched)."""
    if not inspect(engine).has_table(feed_fetches.name):
        return None
    c = feed_fetches.c
    with engine.connect() as conn:
        last = conn.execute(select(c.at, c.result, c.message, c.events, c.http_status).order_by(c.id.desc())
                            .limit(1)).mappings().first()
        worked = conn.execute(select(func.max(c.at)).where(c.result != "failed")).scalar()
    return {**last, "last_success": worked} if last else None


def load_history(engine: Engine, limit: int = 100) -> pd.DataFrame:
    loads = _loads(engine)
    query = (select(loads.c.id, loads.c.finished_at, loads.c.kind, loads.c.source, loads.c.file_name,
                    loads.c.status, loads.c.rows_read, loads.c.rows_inserted, loads.c.rows_updated,
                    loads.c.rows_duplicate, loads.c.rows_rejected, loads.c.rows_skipped, loads.c.organisation,
                    loads.c.loaded_by, loads.c.undone_at, loads.c.undone_by,
                    record_key(loads).label(KEY), literal(1).label(RECORDS))
             .order_by(loads.c.id.desc()).limit(limit))
    return _frame(engine, query)


def rejection_reasons(engine: Engine) -> pd.DataFrame:
    loads, rejected_rows = _loads(engine), _rejections(engine)
    query = (select(loads.c.file_name, rejected_rows.c.column, rejected_rows.c.reason, func.count().label("rows"),
                    *cell_keys(rejected_rows))
             .join(loads, loads.c.id == rejected_rows.c.load_id)
             .group_by(loads.c.file_name, rejected_rows.c.column, rejected_rows.c.reason)
             .order_by(func.count().desc()))
    return _frame(engine, query)


def coverage(engine: Engine, kind: str) -> pd.DataFrame:
    """Rows per month and place for one kind: the gaps show as missing cells."""
    table = _facts(engine, kind)
    query = (select(table.c.month, table.c.place_id, func.count().label("rows"), *cell_keys(table))
             .where(table.c.place_id.in_(_own_places()))
             .group_by(table.c.month, table.c.place_id).order_by(table.c.month))
    return _frame(engine, query)


def unplaced_share(engine: Engine) -> pd.DataFrame:
    """Per kind: how many rows sit on the area's unspecified place rather than a specific one."""
    parts = []
    for kind, table in _fact_tables(engine):
        unspecified = case((places.c.is_unspecified.is_(True), 1), else_=0)
        loose = [column.label(f"unplaced_{column.name}")
                 for column in cell_keys(table, places.c.is_unspecified.is_(True))]
        parts.append(select(literal(kind).label("kind"), func.count().label("rows"),
                            func.coalesce(func.sum(unspecified), 0).label("unplaced"), *cell_keys(table), *loose)
                     .select_from(table).join(places, places.c.id == table.c.place_id)
                     .where(places.c.zone == OWN_ZONE))
    return _frame(engine, union_all(*parts))


# ---- Översikt: indicators toward the effect goal ----

def indicator_monthly(engine: Engine, kind: str, columns: Sequence[str] = (), *, place_ids: Sequence[str] = (),
                      categories: Sequence[str] | None = None, is_measure: bool | None = None,
                      before: date | None = None) -> pd.DataFrame:
    """One indicator per month (`month` as a date, `value`): a row count, or the sum of one or more columns."""
    table = _facts(engine, kind)
    sums = [func.coalesce(func.sum(table.c[column]), 0) for column in columns]
    value = sum(sums[1:], sums[0]) if sums else func.count()
    condition = _where(table, place_ids, None, None, categories)
    if is_measure is not None:
        condition = and_(condition, table.c.is_measure.is_(is_measure))
    if before is not None:
        condition = and_(condition, table.c.month < before)
    query = select(table.c.month, value.label("value"), *cell_keys(table)).where(condition).group_by(table.c.month)
    return _frame(engine, query.order_by(table.c.month))


def kind_month_span(engine: Engine, kind: str, before: date | None = None) -> tuple[date, date] | None:
    """The first and last month with any row of one kind (any place, any category), before `before`."""
    table = _facts(engine, kind)
    condition = table.c.month < before if before else None
    with engine.connect() as conn:
        low, high = conn.execute(select(_month_end(table, func.min, condition),
                                        _month_end(table, func.max, condition))).one()
    return (as_date(low), as_date(high)) if low and high else None


def survey_answer_shares(engine: Engine, survey: str, answers: Sequence[str], *, place_ids: Sequence[str] = (),
                         categories: Sequence[str] | None = None,
                         question_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Per wave and place of one survey: the summed share and count of `answers`, and n (respondents)."""
    table = _facts(engine, "surveys")
    condition = and_(_where(table, place_ids, None, None, categories), table.c.survey == survey,
                     table.c.answer.in_(list(answers)))
    if question_codes:
        condition = and_(condition, table.c.question_code.in_(list(question_codes)))
    keys = [table.c.wave, table.c.period_end, table.c.place_id, table.c.question_code]
    query = (select(*keys, func.sum(table.c.share).label("share"), func.sum(table.c.count).label("count"),
                    func.max(table.c.n).label("n")).where(condition).group_by(*keys).order_by(table.c.period_end))
    frame = _frame(engine, query)
    return frame


def _survey_where(table, place_ids: Sequence[str] = (), period_from: date | None = None, period_to: date | None = None,
                  categories: Sequence[str] | None = None, surveys: Sequence[str] | None = None,
                  question_codes: Sequence[str] | None = None):
    """The filter for survey rows: a place filter keeps the area-wide surveys (their place is the area's
    unspecified one); the period keeps the waves whose period_end falls inside it."""
    conditions = []
    if place_ids:
        conditions.append(table.c.place_id.in_(list(place_ids)) | places.c.is_unspecified.is_(True))
    if period_from:
        conditions.append(table.c.period_end >= period_from)
    if period_to:
        conditions.append(table.c.period_end <= period_to)
    for column, values in (("category", categories), ("survey", surveys), ("question_code", question_codes)):
        if values:
            conditions.append(table.c[column].in_(list(values)))
    return and_(True, *conditions)


def survey_answers(engine: Engine, *, place_ids: Sequence[str] = (), period_from: date | None = None,
                   period_to: date | None = None, categories: Sequence[str] | None = None,
                   surveys: Sequence[str] | None = None, question_codes: Sequence[str] | None = None,
                   ) -> pd.DataFrame:
    """Every answer's share per survey, wave and question, with n and the stored 95 % interval."""
    table = _facts(engine, "surveys")
    query = (select(table.c.survey, table.c.wave, table.c.period_end, table.c.geography, table.c.place_id,
                    places.c.name.label("place"), places.c.is_unspecified, places.c.sort_order, table.c.category,
                    table.c.question_code, table.c.question, table.c.answer, table.c.count, table.c.share, table.c.n,
                    table.c.ci_low, table.c.ci_high, table.c.value_note)
             .join(places, places.c.id == table.c.place_id)
             .where(_survey_where(table, place_ids, period_from, period_to, categories, surveys, question_codes))
             .order_by(table.c.survey, places.c.sort_order, table.c.geography, table.c.question_code,
                       table.c.period_end, table.c.answer))
    frame = _frame(engine, query)
    return frame


def survey_answer_share(engine: Engine, answers: Sequence[str], *, categories: Sequence[str],
                        place_ids: Sequence[str] = (), period_from: date | None = None,
                        period_to: date | None = None, exclude_surveys: Sequence[str] = ()) -> pd.DataFrame:
    """The share of respondents giving any of `answers` (e.g. Ganska + Mycket otrygg) per survey, wave and
    question, summed in SQL; n is the question's respondents. One row per wave: never spread over months."""
    table = _facts(engine, "surveys")
    keys = [table.c.survey, table.c.wave, table.c.period_end, table.c.place_id, places.c.name.label("place"),
            places.c.is_unspecified, places.c.sort_order, table.c.question_code]
    condition = and_(_survey_where(table, place_ids, period_from, period_to, categories),
                     table.c.answer.in_(list(answers)), table.c.share.is_not(None))
    if exclude_surveys:
        condition = and_(condition, table.c.survey.not_in(list(exclude_surveys)))
    query = (select(*keys, func.sum(table.c.share).label("share"), func.max(table.c.n).label("n"),
                    func.count().label("answers"))
             .join(places, places.c.id == table.c.place_id).where(condition)
             .group_by(*keys).order_by(places.c.sort_order, table.c.survey, table.c.period_end))
    frame = _frame(engine, query)
    return frame


def count_incident_points(engine: Engine, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                          month_to: date | None = None) -> int:
    table = _facts(engine, "incidents")
    condition = and_(_where(table, place_ids, month_from, month_to), table.c.latitude.is_not(None),
                     table.c.longitude.is_not(None))
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(condition)).scalar()


def incident_points(engine: Engine, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                    month_to: date | None = None, limit: int | None = None) -> pd.DataFrame:
    """Incidents that have their own coordinates, for the map (newest first when limited)."""
    table = _facts(engine, "incidents")
    condition = and_(_where(table, place_ids, month_from, month_to), table.c.latitude.is_not(None),
                     table.c.longitude.is_not(None))
    query = (select(table.c.date, table.c.occurred_at, table.c.category, table.c.source, table.c.source_category,
                    table.c.organisation, table.c.summary, table.c.latitude, table.c.longitude, table.c.place_id,
                    places.c.name.label("place"))
             .join(places, places.c.id == table.c.place_id).where(condition)
             .order_by(table.c.month.desc(), table.c.date.desc(), table.c.id.desc()))  # month first: see _newest_first
    return _frame(engine, query.limit(limit) if limit else query)


def incidents_without_coordinates(engine: Engine, *, place_ids: Sequence[str] = (),
                                  month_from: date | None = None, month_to: date | None = None,
                                  every: bool = False) -> pd.DataFrame:
    """Incidents placed by name or text only (every=True: all incidents), counted per place and category (drawn at
    the place)."""
    table = _facts(engine, "incidents")
    condition = _where(table, place_ids, month_from, month_to)
    if not every:
        condition = and_(condition, table.c.latitude.is_(None) | table.c.longitude.is_(None))
    query = (select(table.c.place_id, table.c.category, func.count().label("value"), *cell_keys(table)).where(condition)
             .group_by(table.c.place_id, table.c.category).order_by(table.c.place_id, table.c.category))
    return _frame(engine, query)


def event_place_totals(engine: Engine, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                       month_to: date | None = None) -> pd.DataFrame:
    """Activities and measures per place and category: how many, and their estimated attendance."""
    table = _facts(engine, "events")
    keys = [table.c.place_id, table.c.category, table.c.is_measure]
    query = (select(*keys, func.count().label("events"),
                    func.coalesce(func.sum(table.c.attendance), 0).label("attendance"), *cell_keys(table))
             .where(_where(table, place_ids, month_from, month_to)).group_by(*keys).order_by(*keys))
    return _frame(engine, query)


def coverage_by_source(engine: Engine, *, place_ids: Sequence[str] = (), month_from: date | None = None,
                       month_to: date | None = None) -> pd.DataFrame:
    """Rows per kind, source, month and place: the months a source covers, and its gaps."""
    parts = [select(literal(kind).label("kind"), t.c.source, t.c.month, t.c.place_id, func.count().label("rows"),
                    *cell_keys(t))
             .where(_where(t, place_ids, month_from, month_to))
             .group_by(t.c.source, t.c.month, t.c.place_id) for kind, t in _fact_tables(engine)]
    frame = _frame(engine, union_all(*parts))
    return frame.sort_values(["kind", "source", "month", "place_id"], ignore_index=True)


def load_summary(engine: Engine) -> pd.DataFrame:
    """Per kind and source: loads, the last one, and rows read, inserted, updated, rejected and skipped."""
    loads = _loads(engine)
    sums = [func.coalesce(func.sum(loads.c[c]), 0).label(c) for c in
            ("rows_read", "rows_inserted", "rows_updated", "rows_duplicate", "rows_rejected", "rows_skipped")]
    query = (select(loads.c.kind, loads.c.source, func.count().label("loads"),
                    func.max(loads.c.finished_at).label("last_load"), *sums, *cell_keys(loads))
             .group_by(loads.c.kind, loads.c.source).order_by(loads.c.kind, loads.c.source))
    return _frame(engine, query)


def measure_markers(engine: Engine, *, month_from: date | None = None, month_to: date | None = None) -> pd.DataFrame:
    """The measures to mark on time series (date, title, category, place), oldest first: events flagged as
    measures that cost something (cost or association grant), i.e. lighting, clearing, the meeting point's
    opening, not the routine presence rounds. Not filtered by place: a measure in one park is context for the
    others (displacement), and its title names where it was."""
    table = _facts(engine, "events")
    costs = or_(func.coalesce(table.c.cost_sek, 0) > 0, func.coalesce(table.c.grant_sek, 0) > 0)
    condition = and_(_where(table, (), month_from, month_to), table.c.is_measure.is_(True), costs)
    query = (select(table.c.date, table.c.title, table.c.category, places.c.name.label("place"))
             .join(places, places.c.id == table.c.place_id).where(condition).order_by(table.c.date, table.c.id))
    return _frame(engine, query)


def data_through(engine: Engine, kinds: Sequence[str], place_ids: Sequence[str] = (),
                 month_from: date | None = None, month_to: date | None = None,
                 categories: Sequence[str] | None = None) -> tuple[date | None, list[str]]:
    """The latest fact date among `kinds` within the filter (and `categories`, when a page has chosen some), and the
    sources those facts came from."""
    latest: date | None = None
    sources: set[str] = set()
    with engine.connect() as conn:
        for kind in kinds:
            table = _facts(engine, kind)
            condition = _where(table, place_ids, month_from, month_to, categories)
            rows = conn.execute(select(table.c.source, func.max(table.c.date)).where(condition)
                                .group_by(table.c.source)).all()
            for source, last in rows:
                sources.add(source)
                last = as_date(last)
                latest = last if latest is None or last > latest else latest
    return latest, sorted(sources)


def freshness_until(engine: Engine, until: date, place_ids: Sequence[str] = ()) -> pd.DataFrame:
    """Per kind and source: rows and the last fact date on or before `until` (a report's month end), and the
    source's last load time. A source with no fact by then still has its row (rows 0, last_date None)."""
    parts = [select(literal(kind).label("kind"), t.c.source,
                    func.count(case((and_(t.c.date <= until, _where(t, place_ids)), 1))).label("rows"),
                    func.max(case((and_(t.c.date <= until, _where(t, place_ids)), t.c.date))).label("last_date"),
                    *cell_keys(t, and_(t.c.date <= until, _where(t, place_ids))))
             .group_by(t.c.source) for kind, t in _fact_tables(engine)]
    facts = _frame(engine, union_all(*parts))
    done = _loads(engine)
    last_loads = _frame(engine, select(done.c.source, func.max(done.c.finished_at).label("last_load"))
                        .group_by(done.c.source))
    frame = facts.merge(last_loads, on="source", how="left")
    frame["last_date"] = pd.Series([as_date(value) for value in frame["last_date"]], index=frame.index, dtype=object)
    return frame.sort_values(["kind", "source"], ignore_index=True)


def data_version(engine: Engine) -> str:
    """What the store holds now, in a short string that changes with every load, undo and records change (a new
    version of a record is a new row): what a cache of drawn pages is keyed by (dashboard/render_cache.py)."""
    parts = [select(func.count(), func.max(loads.c.id), func.max(loads.c.undone_at)).select_from(loads)]
    parts += [select(func.count(), func.max(table.c.id), literal(None)).select_from(table)
              for table in RECORD_TABLES.values()]
    with engine.connect() as conn:
        rows = [conn.execute(part).one() for part in parts]
    return ";".join(",".join("" if value is None else str(value) for value in row) for row in rows)


def cell_key_salt(engine: Engine) -> int:
    """The store's secret salt of the record keys (lagesbild.store.keys)."""
    with engine.connect() as conn:
        return read_salt(conn)
