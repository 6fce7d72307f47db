"""Undo a load: remove the rows it inserted, put back the versions of the rows it updated, in one transaction.

Nothing is lost by an undo: the rows it removes and the versions it replaces go to the fact table's
`<table>_versions` with reason 'undo', and the load's own row stays in `loads` (status 'undone', with who and
when), so the store can still be seen as it was before the undo (docs/architecture.md, "Loads, history and
undo"). An undo is refused while a later load has changed rows of this one: that load is undone first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, literal, select, update

from lagesbild.accounts import Uploader, UploadRefused, audit
from lagesbild.store.schema import FACT_TABLES, VERSION_TABLES, loads
from loaders.pipeline import lock_for_writing


class UndoRefused(ValueError):
    """The load cannot be undone (no such load, already undone, or later loads changed its rows)."""

    def __init__(self, load_id: int, reason: str, later: list[int] | None = None):
        super().__init__(f"load #{load_id} cannot be undone: {reason}")
        self.load_id, self.reason, self.later = load_id, reason, later or []


@dataclass
class UndoReport:
    load_id: int
    file: str
    kind: str
    deleted: int  # rows the load had inserted, now removed
    restored: int  # rows the load had updated, now as they were before it
    undone_at: datetime
    undone_by: str | None


def undo_load(engine: Engine, load_id: int, username: str | None = None,
              uploader: Uploader | None = None) -> UndoReport:
    """Undo load `load_id` wholly or not at all; audited as 'unload'. Raises UndoRefused with the reason.

    With `uploader` (someone undoing through the web), the load must be one they may undo (a partner: its own
    organisation's), else UploadRefused, audited as 'unload_refused'."""
    with engine.connect() as conn:
        lock_for_writing(conn)
        load = conn.execute(select(loads).where(loads.c.id == load_id)).mappings().first()
        if uploader is not None and load is not None:
            _check_rights(engine, conn, uploader, dict(load))
        _check(conn, load_id, load)
        now = datetime.now()
        deleted, restored = _undo_rows(conn, load_id, load["kind"], now)
        conn.execute(update(loads).where(loads.c.id == load_id).values(
            status="undone", undone_at=now, undone_by=username, live=None))
        conn.commit()
    report = UndoReport(load_id, load["file_name"], load["kind"], deleted, restored, now, username)
    audit(engine, "unload", username, f"load #{load_id} {report.file} ({report.kind}) undone: {deleted} rows "
          f"removed, {restored} restored")
    return report


def _check_rights(engine: Engine, conn: Connection, uploader: Uploader, load: dict) -> None:
    try:
        uploader.check_undo(load)
    except UploadRefused as refused:
        conn.rollback()
        audit(engine, "unload_refused", uploader.username, str(refused))
        raise


def _check(conn: Connection, load_id: int, load) -> None:
    if load is None:
        raise UndoRefused(load_id, "there is no such load (lagesbild status lists them)")
    if load["status"] == "undone":
        raise UndoRefused(load_id, f"it was undone already, at {load['undone_at']:%Y-%m-%d %H:%M} by "
                                   f"{load['undone_by'] or 'someone unknown'}")
    later = later_loads(conn, load_id, load["kind"])
    if later:
        names = ", ".join(f"#{n}" for n in later)
        raise UndoRefused(load_id, f"later load(s) {names} changed rows it wrote; undo {names} first", later)


def later_loads(conn: Connection, load_id: int, kind: str) -> list[int]:
    """The loads that changed rows this load inserted or updated, after it."""
    facts, versions = FACT_TABLES[kind], VERSION_TABLES[kind]
    inserted = select(facts.c.updated_load_id).where(facts.c.load_id == load_id,
                                                      facts.c.updated_load_id.is_not(None))
    updated = (select(facts.c.updated_load_id).join(versions, versions.c.row_id == facts.c.id)
               .where(versions.c.superseded_load_id == load_id, versions.c.reason == "update",
                      facts.c.updated_load_id != load_id))
    found = set(conn.execute(inserted.distinct()).scalars()) | set(conn.execute(updated.distinct()).scalars())
    return sorted(found - {load_id})


def _undo_rows(conn: Connection, load_id: int, kind: str, now: datetime) -> tuple[int, int]:
    facts, versions = FACT_TABLES[kind], VERSION_TABLES[kind]
    kept = [c.name for c in facts.c if c.name != "id"]

    def keep(where) -> None:
        rows = select(facts.c.id, *(facts.c[c] for c in kept), literal(load_id), literal(now), literal("undo"))
        conn.execute(insert(versions).from_select(
            ["row_id", *kept, "superseded_load_id", "superseded_at", "reason"], rows.where(where)))

    keep(facts.c.load_id == load_id)
    deleted = conn.execute(delete(facts).where(facts.c.load_id == load_id)).rowcount
    keep(facts.c.updated_load_id == load_id)
    previous = versions.c
    restored = conn.execute(
        update(facts).where(previous.row_id == facts.c.id, previous.superseded_load_id == load_id,
                            previous.reason == "update", facts.c.updated_load_id == load_id)
        .values({c: previous[c] for c in kept})
    ).rowcount
    return deleted, restored
