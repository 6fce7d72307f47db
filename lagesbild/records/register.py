"""The register: records created, edited and closed as new versions, and read as they were at any date.

Nothing is overwritten: every write adds a row (who, when, what changed) and an edit names the version it was
based on, so two people editing the same record cannot silently undo each other (the second is refused with
StaleVersion). Reading "as of D" gives each record's last version recorded by the end of D. Every change also
goes to the audit log, after its transaction commits (the version rows themselves are the complete history).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, func, insert, select, true
from sqlalchemy.exc import IntegrityError

from lagesbild.accounts import audit
from lagesbild.records.access import Actor, require_editor, require_reader
from lagesbild.records.config import KnownIds, known_ids
from lagesbild.records.errors import InvalidRecord, NoSuchRecord, Problem, RecordsError, StaleVersion
from lagesbild.records.kinds import KINDS, Kind, kind_of
from lagesbild.records.values import Bad, check_record, check_record_id, stored_form

AsOf = date | datetime | None


@dataclass(frozen=True)
class Record:
    """One version of one record: its values, and who wrote it when, and what it changed."""

    kind: str
    record_id: str
    version: int
    values: dict[str, Any]
    recorded_at: datetime
    recorded_by: str
    operation: str  # created, edited, closed, reopened
    changes: dict[str, list] = field(default_factory=dict)  # {field: [before, after]}

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def shared(self) -> bool | None:
        return self.values.get("shared")


# --- reading ------------------------------------------------------------------------------------------------


def cutoff(as_of: AsOf) -> datetime | None:
    """The last moment that counts: a date means the end of that day."""
    if as_of is None or isinstance(as_of, datetime):
        return as_of
    return datetime.combine(as_of, time.max)


def list_records(engine: Engine, kind: str, viewer: Actor, as_of: AsOf = None) -> list[Record]:
    """Every record of a kind the viewer may see, as it was at `as_of` (default: now)."""
    with engine.connect() as conn:
        return read_records(conn, kind, viewer, as_of)


def get_record(engine: Engine, kind: str, record_id: str, viewer: Actor, as_of: AsOf = None) -> Record:
    with engine.connect() as conn:
        found = read_records(conn, kind, viewer, as_of, record_ids=[record_id])
    if not found:
        raise NoSuchRecord(f"no {kind} record {record_id!r}" + (f" as of {as_of}" if as_of else ""))
    return found[0]


def record_history(engine: Engine, kind: str, record_id: str, viewer: Actor) -> list[Record]:
    """Every version of a record the viewer may see, oldest first (partners: the versions that were shared)."""
    k = kind_of(kind)
    with engine.connect() as conn:
        query = _visible(conn, k, select(k.table).where(k.table.c.record_id == record_id), viewer, None)
        rows = conn.execute(query.order_by(k.table.c.version)).mappings().all()
    if not rows:
        raise NoSuchRecord(f"no {kind} record {record_id!r}")
    return [_record(k, row) for row in rows]


def read_records(conn: Connection, kind: str, viewer: Actor, as_of: AsOf = None,
                 record_ids: list[str] | None = None) -> list[Record]:
    """The reader every other reads through: versions as of a date, then what the viewer may see."""
    k = kind_of(kind)
    query = latest_versions(k, cutoff(as_of))
    if record_ids is not None:
        query = query.where(k.table.c.record_id.in_(record_ids))
    query = _visible(conn, k, query, viewer, as_of)
    order = [k.table.c[name] for name in k.key_fields] or [k.table.c[k.starts_on], k.table.c.record_id]
    rows = conn.execute(query.order_by(*order)).mappings().all()
    return [_record(k, row) for row in rows]


def latest_versions(kind: Kind, until: datetime | None) -> Select:
    """Each record's last version recorded by `until` (every record's current one when None)."""
    table = kind.table
    latest = select(table.c.record_id, func.max(table.c.version).label("version"))
    if until is not None:
        latest = latest.where(table.c.recorded_at <= until)
    latest = latest.group_by(table.c.record_id).subquery()
    return select(table).join(latest, and_(table.c.record_id == latest.c.record_id,
                                           table.c.version == latest.c.version))


def _visible(conn: Connection, kind: Kind, query: Select, viewer: Actor, as_of: AsOf) -> Select:
    """The promise to partners, kept in one place: only shared records (a review: when its risk is shared)."""
    require_reader(viewer)
    if viewer.sees_all:
        return query
    if "shared" in kind.table.c:
        return query.where(kind.table.c.shared == true())
    parent = KINDS[kind.parent]
    shared_parents = [r.record_id for r in read_records(conn, parent.name, viewer, as_of)]
    return query.where(kind.table.c[_parent_field(kind)].in_(shared_parents))


def _parent_field(kind: Kind) -> str:
    return next(f.name for f in kind.fields if f.refers == kind.parent)


def _record(kind: Kind, row: Mapping) -> Record:
    return Record(kind=kind.name, record_id=row["record_id"], version=row["version"],
                  values={f.name: row[f.name] for f in kind.fields}, recorded_at=row["recorded_at"],
                  recorded_by=row["recorded_by"], operation=row["operation"], changes=row["changes"] or {})


# --- writing ------------------------------------------------------------------------------------------------


def create_record(engine: Engine, kind: str, values: Mapping[str, Any], actor: Actor, *,
                  record_id: str | None = None, ids: KnownIds | None = None, now: datetime | None = None) -> Record:
    """A new record (version 1). Its id is `record_id`, else made from its key fields or the next free one.

    `now` is the time recorded: left out by the web layer; the sample loader and tests set it.
    """
    require_editor(actor)
    with engine.begin() as conn:
        record = create_in(conn, kind, values, actor, record_id=record_id, ids=ids, now=now)
    audit_change(engine, record)
    return record


def edit_record(engine: Engine, kind: str, record_id: str, based_on: int, changes: Mapping[str, Any], actor: Actor,
                *, ids: KnownIds | None = None, now: datetime | None = None) -> Record:
    """A new version with `changes`, refused unless `based_on` is the version in the store (StaleVersion).

    Nothing changed means no new version: the current one is returned.
    """
    require_editor(actor)
    with engine.begin() as conn:
        record = edit_in(conn, kind, record_id, based_on, changes, actor, ids=ids, now=now)
    if record.version != based_on:
        audit_change(engine, record)
    return record


def close_record(engine: Engine, kind: str, record_id: str, based_on: int, actor: Actor, *,
                 status: str | None = None, on: date | None = None, now: datetime | None = None) -> Record:
    """Close a record: its closing status (done, closed, voided, withdrawn; a change request: the decision's) and,
    where the kind has one, the date it closed (default: today)."""
    k = kind_of(kind)
    status = status or k.close_status
    if not k.statuses:
        raise RecordsError(f"{k.label('en')} are not closed; edit them instead")
    if status not in k.closed_statuses:
        raise InvalidRecord([Problem("status", "not_closing", status, {"allowed": ", ".join(k.closed_statuses)})])
    changes: dict[str, Any] = {"status": status}
    if k.close_date:
        changes[k.close_date] = on or (now or datetime.now()).date()
    return edit_record(engine, kind, record_id, based_on, changes, actor, now=now)


def create_in(conn: Connection, kind: str, values: Mapping[str, Any], actor: Actor, *, record_id: str | None = None,
              ids: KnownIds | None = None, now: datetime | None = None) -> Record:
    require_editor(actor)
    k = kind_of(kind)
    clean = checked(k, values, ids)
    _check_parent(conn, k, clean)
    record_id = _new_record_id(conn, k, clean, record_id)
    if current_version(conn, k, record_id) is not None:
        raise InvalidRecord([Problem("record_id", "id_taken", record_id)])
    changes = {name: [None, stored_form(value)] for name, value in clean.items() if value not in (None, [])}
    return _insert(conn, k, record_id, 1, clean, "created", changes, actor, now)


def edit_in(conn: Connection, kind: str, record_id: str, based_on: int, changes: Mapping[str, Any], actor: Actor, *,
            ids: KnownIds | None = None, now: datetime | None = None) -> Record:
    require_editor(actor)
    k = kind_of(kind)
    current = current_version(conn, k, record_id, lock=True)
    if current is None:
        raise NoSuchRecord(f"no {kind} record {record_id!r}")
    if current.version != based_on:
        raise StaleVersion(kind, record_id, based_on, current.version)
    clean = checked(k, {**current.values, **changes}, ids)
    moved = [name for name in k.key_fields if clean[name] != current.values[name]]
    if moved:
        raise InvalidRecord([Problem(name, "key_fixed", stored_form(clean[name])) for name in moved])
    diff = {name: [stored_form(current.values[name]), stored_form(value)]
            for name, value in clean.items() if value != current.values[name]}
    if not diff:
        return current
    return _insert(conn, k, record_id, current.version + 1, clean, _operation(k, current.values, clean), diff,
                   actor, now, after=current.recorded_at)


def checked(kind: Kind, values: Mapping[str, Any], ids: KnownIds | None) -> dict[str, Any]:
    clean, problems = check_record(kind, values, ids or known_ids())
    if problems:
        raise InvalidRecord(problems, subject=f"{kind.label('en')} record")
    return clean


def current_version(conn: Connection, kind: Kind, record_id: str, lock: bool = False) -> Record | None:
    table = kind.table
    query = select(table).where(table.c.record_id == record_id).order_by(table.c.version.desc()).limit(1)
    row = conn.execute(query.with_for_update() if lock else query).mappings().first()
    return _record(kind, row) if row else None


def _operation(kind: Kind, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    was, now = before.get("status"), after.get("status")
    if was in kind.open_statuses and now in kind.closed_statuses:
        return "closed"
    if was in kind.closed_statuses and now in kind.open_statuses:
        return "reopened"
    return "edited"


def _check_parent(conn: Connection, kind: Kind, clean: Mapping[str, Any]) -> None:
    if kind.parent is None:
        return
    parent_id = clean[_parent_field(kind)]
    if current_version(conn, KINDS[kind.parent], parent_id) is None:
        raise InvalidRecord([Problem(_parent_field(kind), "no_such_risk", parent_id)])


def _new_record_id(conn: Connection, kind: Kind, clean: Mapping[str, Any], given: str | None) -> str:
    if kind.key_fields:
        return kind.record_id_from(clean)
    if given is not None:
        try:
            return check_record_id(given)
        except Bad as bad:
            raise InvalidRecord([Problem("record_id", bad.reason, bad.value)]) from None
    return next_record_id(conn, kind)


def next_record_id(conn: Connection, kind: Kind) -> str:
    """The prefix and the next number after the highest in use: B-001, B-002, …"""
    prefix = f"{kind.id_prefix}-"
    used = conn.execute(select(kind.table.c.record_id).where(kind.table.c.record_id.like(f"{prefix}%"))).scalars()
    numbers = [int(rid[len(prefix):]) for rid in used if rid[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _insert(conn: Connection, kind: Kind, record_id: str, version: int, clean: dict[str, Any], operation: str,
            changes: dict, actor: Actor, now: datetime | None, after: datetime | None = None) -> Record:
    now = now or datetime.now()
    if after is not None and now < after:
        raise RecordsError(f"{kind.name} {record_id}: a version cannot be recorded at {now}, before the one it "
                           f"follows ({after})")
    row = {**clean, "record_id": record_id, "version": version, "recorded_at": now, "recorded_by": actor.username,
           "operation": operation, "changes": changes}
    try:
        conn.execute(insert(kind.table).values(**row))
    except IntegrityError:  # someone wrote this version in between
        raise StaleVersion(kind.name, record_id, version - 1, version) from None
    return _record(kind, row)


def audit_change(engine: Engine, record: Record) -> None:
    changed = ", ".join(record.changes) or "no values"
    audit(engine, f"record_{record.operation}", record.recorded_by,
          f"{record.kind} {record.record_id} v{record.version}: {changed}")

