"""What the store holds: per kind and per load. Used by `lagesbild status` and the dashboard's Data page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, distinct, func, select

from lagesbild.store.schema import FACT_TABLES, loads


def store_status(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        kinds = {kind: _kind_status(conn, kind, table) for kind, table in FACT_TABLES.items()}
        rows = conn.execute(select(loads).order_by(loads.c.id)).mappings().all()
    return {"kinds": kinds, "loads": [_load_status(r) for r in rows]}


def _kind_status(conn, kind: str, table) -> dict[str, Any]:
    count, first, last, place_count = conn.execute(
        select(func.count(), func.min(table.c.date), func.max(table.c.date), func.count(distinct(table.c.place_id)))
    ).one()
    last_load = conn.execute(
        select(func.max(loads.c.finished_at)).where(loads.c.kind == kind, loads.c.status != "undone")
    ).scalar()
    return {
        "rows": count,
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "places": place_count,
        "last_load": last_load.isoformat(timespec="seconds") if last_load else None,
    }


def _load_status(row) -> dict[str, Any]:
    return {
        "id": row["id"], "kind": row["kind"], "source": row["source"], "file": row["file_name"],
        "sha256": row["sha256"], "status": row["status"], "loaded_at": row["finished_at"].isoformat(timespec="seconds"),
        "read": row["rows_read"], "inserted": row["rows_inserted"], "updated": row["rows_updated"],
        "duplicate": row["rows_duplicate"], "rejected": row["rows_rejected"], "skipped": row["rows_skipped"],
        "undone_at": row["undone_at"].isoformat(timespec="seconds") if row["undone_at"] else None,
        "undone_by": row["undone_by"],
    }
