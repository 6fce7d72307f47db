"""The store as it was at the end of a day: the fact tables and loads as subqueries with the tables' own columns.

A snapshot is carried by the engine (`as_of_engine(engine, day)`, an execution option on the same pool), so the query
layer reads it without a parameter in every signature: `snapshot_day(engine)` is None for today's store.

At the end of `day` (the moment T = the next midnight, local time as the loads record it), per fact row, the version
whose span holds T (docs/architecture.md, "Loads, history and undo"): the earliest of its versions that was still
current at T (superseded at or after T), else the row itself when no version was; and only when the load that
brought the row had finished before T. Loads recorded after T are not there; a load undone after T is there as it
was then. Facts dated after the day are left out too ("months up to then")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, and_, case, literal, or_, select, union_all

from lagesbild.store.schema import FACT_TABLES, VERSION_TABLES, loads, rejected_rows

AS_OF_OPTION = "lagesbild_as_of"


def as_of_engine(engine: Engine, day: date | datetime | None) -> Engine:
    """The same store read as of the end of `day`, or as of a moment (None: as it is now)."""
    return engine.execution_options(**{AS_OF_OPTION: day})


def snapshot_day(engine: Engine) -> date | None:
    return engine.get_execution_options().get(AS_OF_OPTION)


def end_of(day: date | datetime) -> datetime:
    """The moment a day is over (what was recorded before it is in that day's snapshot); a moment is itself."""
    if isinstance(day, datetime):
        return day
    return datetime.combine(day + timedelta(days=1), time())


def last_day(day: date | datetime) -> date:
    """The last day whose facts a snapshot holds."""
    return day.date() if isinstance(day, datetime) else day


def recorded_loads(day: date):
    """The loads finished by the end of `day`, each as it stood then: undone later means still in effect then."""
    moment = end_of(day)
    undone_later = and_(loads.c.status == "undone", loads.c.undone_at >= moment)
    columns = []
    for column in loads.c:
        if column.name == "status":
            was = case((loads.c.rows_rejected > 0, literal("partial")), else_=literal("loaded"))
            columns.append(case((undone_later, was), else_=loads.c.status).label("status"))
        elif column.name in ("undone_at", "undone_by"):
            columns.append(case((undone_later, None), else_=column).label(column.name))
        elif column.name == "live":
            columns.append(case((undone_later, True), else_=column).label("live"))
        else:
            columns.append(column)
    return select(*columns).where(loads.c.finished_at < moment).subquery("loads_asof")


def recorded_rejections(day: date):
    """The rejected rows of the loads finished by the end of `day`."""
    recorded = select(loads.c.id).where(loads.c.finished_at < end_of(day))
    return select(rejected_rows).where(rejected_rows.c.load_id.in_(recorded)).subquery("rejected_rows_asof")


def fact_snapshot(kind: str, day: date):
    """The fact table of `kind` as it was at the end of `day`: a subquery with the table's columns."""
    table, versions = FACT_TABLES[kind], VERSION_TABLES[kind]
    moment = end_of(day)
    names = [column.name for column in table.c]
    alive = versions.alias(f"{table.name}_alive")  # versions still current at the moment
    superseded_later = select(literal(1)).where(alive.c.row_id == table.c.id, alive.c.superseded_at >= moment)
    current = select(*(table.c[name] for name in names)).where(~superseded_later.exists())
    earlier = versions.alias(f"{table.name}_earlier")
    earlier_alive = select(literal(1)).where(
        earlier.c.row_id == versions.c.row_id, earlier.c.superseded_at >= moment,
        or_(earlier.c.superseded_at < versions.c.superseded_at,
            and_(earlier.c.superseded_at == versions.c.superseded_at, earlier.c.version_id < versions.c.version_id)))
    then = select(*(versions.c.row_id.label("id") if name == "id" else versions.c[name] for name in names)).where(
        versions.c.superseded_at >= moment, ~earlier_alive.exists())
    rows = union_all(current, then).subquery(f"{table.name}_versions_asof")
    recorded = select(loads.c.id).where(loads.c.finished_at < moment)
    return (select(*(rows.c[name] for name in names))
            .where(rows.c.load_id.in_(recorded), rows.c.date <= last_day(day)).subquery(f"{table.name}_asof"))
