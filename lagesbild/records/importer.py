"""Import a filled template all or nothing, and export the store's records to the same template.

A row's stable key is its ID (a risk review's: its risk and month). A key the store lacks creates a record, a
key it has with other values adds a version, the same values change nothing: importing a file twice is the
same as importing it once. Records the file does not mention are left alone. A column left out of a sheet
keeps the store's values for that field.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Connection, Engine

from lagesbild.accounts import audit
from lagesbild.records.access import Actor, require_editor
from lagesbild.records.config import KnownIds, known_ids
from lagesbild.records.errors import ImportRefused, Problem
from lagesbild.records.kinds import KINDS, Kind
from lagesbild.records.register import (
    Record,
    audit_change,
    create_in,
    current_version,
    edit_in,
    latest_versions,
    read_records,
)
from lagesbild.records.values import Bad, check_record, check_record_id
from lagesbild.records.workbook import SheetRow, read_workbook, write_workbook


@dataclass
class ImportReport:
    file: str
    sha256: str
    created: Counter = field(default_factory=Counter)  # per kind
    edited: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    records: list[Record] = field(default_factory=list)  # the versions written

    @property
    def changed(self) -> bool:
        return bool(self.records)

    def summary(self) -> str:
        parts = [f"{kind.label('en').lower()}: {self.created[name]} new, {self.edited[name]} changed, "
                 f"{self.unchanged[name]} unchanged"
                 for name, kind in KINDS.items() if self.created[name] + self.edited[name] + self.unchanged[name]]
        return f"{self.file}: " + ("; ".join(parts) if parts else "no rows")


@dataclass
class _Step:
    kind: Kind
    record_id: str
    values: dict[str, Any]
    current: Record | None
    action: str  # create | edit | unchanged


def import_workbook(engine: Engine, path: Path, actor: Actor, *, ids: KnownIds | None = None,
                    now: datetime | None = None) -> ImportReport:
    """Import every sheet of a filled template in one transaction; ImportRefused (nothing written) on any problem."""
    require_editor(actor, "import records")
    path, ids = Path(path), ids or known_ids()
    found = read_workbook(path)
    if found.problems:
        raise ImportRefused([replace(p, file=path.name) for p in found.problems], path.name)
    report = ImportReport(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    with engine.begin() as conn:
        steps, problems = plan_import(conn, found.rows, ids)
        if problems:
            raise ImportRefused([replace(p, file=path.name) for p in problems], path.name)
        for step in steps:
            _apply(conn, step, actor, ids, now, report)
    for record in report.records:
        audit_change(engine, record)
    audit(engine, "records_import", actor.username, f"{report.summary()} (sha256 {report.sha256[:12]})")
    return report


def plan_import(conn: Connection, rows: list[SheetRow], ids: KnownIds) -> tuple[list[_Step], list[Problem]]:
    """What each row would do, and every problem of every row; nothing is written here."""
    known = _file_and_store_ids(conn, rows)
    steps, problems, seen = [], [], {}
    for row in rows:
        record_id, step, trouble = _plan_row(conn, row, ids, known)
        if record_id is not None and (row.kind, record_id) in seen:
            trouble.append(Problem("record_id", "duplicate_id", record_id, {"other": seen[row.kind, record_id]}))
        elif record_id is not None:
            seen[row.kind, record_id] = row.row
        problems += [_placed(p, row) for p in trouble]
        if step is not None and not trouble:
            steps.append(step)
    return steps, problems


def _plan_row(conn: Connection, row: SheetRow, ids: KnownIds, known: dict[str, set[str]]):
    """(the row's key when it has one, what it would do, its problems)."""
    kind = KINDS[row.kind]
    given = {name: value for name, value in row.values.items() if name != "record_id"}
    record_id = None
    if not kind.key_fields:
        try:
            record_id = check_record_id(row.values.get("record_id"))
        except Bad as bad:
            return None, None, [Problem("record_id", bad.reason, bad.value, bad.params)]
    current = current_version(conn, kind, record_id) if record_id else None
    clean, problems = check_record(kind, given if current is None else {**current.values, **given}, ids)
    if problems:
        return record_id, None, problems
    if kind.key_fields:
        record_id = kind.record_id_from(clean)
        current = current_version(conn, kind, record_id)
    if kind.parent:
        parent_field = next(f.name for f in kind.fields if f.refers == kind.parent)
        if clean[parent_field] not in known[kind.parent]:
            return record_id, None, [Problem(parent_field, "no_such_risk", clean[parent_field])]
    action = "create" if current is None else "edit" if clean != current.values else "unchanged"
    return record_id, _Step(kind, record_id, clean, current, action), []


def _file_and_store_ids(conn: Connection, rows: list[SheetRow]) -> dict[str, set[str]]:
    """The ids a row may refer to: those in the store and those the file brings."""
    known: dict[str, set[str]] = {}
    for kind in {KINDS[k].parent for k in KINDS if KINDS[k].parent}:
        in_store = conn.execute(latest_versions(KINDS[kind], None).with_only_columns(
            KINDS[kind].table.c.record_id)).scalars()
        in_file = {str(r.values.get("record_id")).strip() for r in rows if r.kind == kind}
        known[kind] = set(in_store) | in_file
    return known


def _placed(problem: Problem, row: SheetRow) -> Problem:
    letter, header = row.columns.get(problem.field, (None, None))
    return replace(problem, sheet=row.sheet, row=row.row, column_letter=letter, column=header)


def _apply(conn: Connection, step: _Step, actor: Actor, ids: KnownIds, now: datetime | None,
           report: ImportReport) -> None:
    name = step.kind.name
    if step.action == "unchanged":
        report.unchanged[name] += 1
        return
    if step.action == "create":
        record = create_in(conn, name, step.values, actor, record_id=step.record_id, ids=ids, now=now)
        report.created[name] += 1
    else:
        record = edit_in(conn, name, step.record_id, step.current.version, step.values, actor, ids=ids, now=now)
        report.edited[name] += 1
    report.records.append(record)


def export_workbook(engine: Engine, viewer: Actor, as_of: date | datetime | None = None,
                    ids: KnownIds | None = None) -> Workbook:
    """The records the viewer may see, as of a date, in the template: importing it back changes nothing."""
    with engine.connect() as conn:
        records = {kind: [{"record_id": r.record_id, **r.values} for r in read_records(conn, kind, viewer, as_of)]
                   for kind in KINDS}
    return write_workbook(records, ids or known_ids())
