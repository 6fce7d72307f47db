"""One load: read -> match headers -> conform every row -> write all or nothing, with lineage and a report."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from lagesbild import __version__
from lagesbild.store.schema import FACT_TABLES, loads, places, rejected_rows
from loaders.base import Context, RowError, RowProblems, Skip, Source, match_headers, row_hash
from loaders.places import PlaceResolver
from loaders.privacy import IdentifyingColumnError, column_holds_personnummer, identifying_headers
from loaders.read import RawTable
from loaders.values import month_of

PROGRESS_MIN_ROWS = 20_000
WRITE_CHUNK = 1_000


class LoadRejected(Exception):
    """The file was refused; nothing was written. `report.errors` lists every bad row."""

    def __init__(self, report: LoadReport, message: str | None = None):
        super().__init__(message or report.summary_of_errors())
        self.report = report


@dataclass
class LoadReport:
    file: str
    kind: str
    source: str
    detail: str = ""
    sha256: str = ""
    status: str = "pending"
    load_id: int | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    unknown_categories: dict[str, int] = field(default_factory=dict)
    unknown_places: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    previous_load_id: int | None = None

    def summary_of_errors(self, limit: int = 50) -> str:
        lines = [f"{self.file}: {len(self.errors)} problem(s); nothing was loaded."]
        lines += [f"  {e}" for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"  … and {len(self.errors) - limit} more")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "errors"}
        data["errors"] = [e.__dict__ | {"value": _shown(e.value)} for e in self.errors]
        return data


@dataclass
class Conformed:
    records: dict[str, dict[str, Any]]  # natural key -> record
    row_numbers: dict[str, int]
    errors: list[RowError]
    raw_by_row: dict[int, dict[str, Any]]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_columns(table: RawTable, source: Source) -> dict[str, str]:
    """Refuse identifying columns and unknown or missing ones, listing what the source expects."""
    mapping, missing, unknown = match_headers(table.headers, source.fields)
    free_text = {mapping[f.name] for f in source.fields if f.free_text and f.name in mapping}
    named = [h for h in identifying_headers(table.headers) if h not in mapping.values()]
    sample = table.rows[:500]
    holding = [h for h in table.headers
               if h not in free_text and column_holds_personnummer([r.get(h) for _, r in sample])]
    if named or holding:
        columns = ", ".join(repr(h) for h in dict.fromkeys(named + holding))
        raise IdentifyingColumnError(
            f"{table.path.name}: column(s) {columns} hold names or personal identity numbers; "
            "the store keeps aggregates only. Remove the column(s) and load again."
        )
    if missing or unknown:
        raise ColumnsError(table, source, missing, unknown)
    return mapping


class ColumnsError(ValueError):
    def __init__(self, table: RawTable, source: Source, missing: list, unknown: list[str]):
        expected = ", ".join(f.headers[0] if f.headers else f.name for f in source.fields)
        parts = []
        if missing:
            parts.append("missing column(s): " + ", ".join(f.headers[0] if f.headers else f.name for f in missing))
        if unknown:
            parts.append("unknown column(s): " + ", ".join(repr(h) for h in unknown))
        super().__init__(
            f"{table.path.name} ({source.kind}, {source.name}): {'; '.join(parts)}. Expected columns: {expected}."
        )


def conform_rows(table: RawTable, source: Source, mapping: dict[str, str], ctx: Context) -> Conformed:
    out = Conformed({}, {}, [], {})
    rows: Iterable = table.rows
    with click.progressbar(
        rows, label=f"Checking {table.path.name}", file=sys.stderr,
        hidden=len(table.rows) < PROGRESS_MIN_ROWS,
    ) as bar:
        for row_number, raw in bar:
            _conform_one(source, mapping, ctx, row_number, raw, out)
    return out


def _conform_one(source, mapping, ctx, row_number, raw, out: Conformed) -> None:
    values, errors = {}, []
    for spec in source.fields:
        header = mapping.get(spec.name)
        cell = raw.get(header) if header else None
        values[spec.name] = _parse_cell(spec, header, cell, row_number, errors)
    try:
        if errors:
            raise RowProblems(errors)
        record = source.conform(values, ctx, row_number)
    except RowProblems as problems:
        out.errors.extend(problems.errors)
        out.raw_by_row[row_number] = raw
        return
    except Skip as skip:
        ctx.counts[f"skipped:{skip.reason}"] += 1
        return
    too_long = [RowError(row_number, name, value, f"longer than {limit} characters")
                for name, value, limit in _overlong(source, record)]
    if too_long:
        out.errors.extend(too_long)
        out.raw_by_row[row_number] = raw
        return
    # Every text of every kind, not only the free-text columns: an identity number never reaches the store.
    record = {k: ctx.redact(v) if isinstance(v, str) else v for k, v in record.items()}
    record["month"] = month_of(record["date"])
    key = source.natural_key(record)
    if key in out.records:
        ctx.counts["duplicate_in_file"] += 1
        record = source.prefer(out.records[key], record)
    out.records[key] = record
    out.row_numbers[key] = row_number


def _overlong(source: Source, record: dict[str, Any]):
    """Text that the store's column cannot hold: PostgreSQL would refuse it, SQLite would keep it silently."""
    columns = FACT_TABLES[source.kind].c
    for name, value in record.items():
        limit = getattr(columns[name].type, "length", None) if name in columns else None
        if limit and isinstance(value, str) and len(value) > limit:
            yield name, value, limit


def _parse_cell(spec, header, cell, row_number, errors) -> Any:
    from loaders.values import is_blank

    if is_blank(cell):
        if header is not None and not spec.nullable:
            errors.append(RowError(row_number, header, None, "empty, but a value is required"))
        return None
    try:
        return spec.parse(cell)
    except ValueError as exc:
        errors.append(RowError(row_number, header, cell, str(exc)))
        return None


def write(engine: Engine, source: Source, report: LoadReport, conformed: Conformed, ctx: Context) -> None:
    """Write the whole load in one transaction: lineage, facts (insert, update or skip) and rejected rows.

    Two processes loading the same file: the one that gets the write lock first loads it, the other finds it
    loaded (SQLite: BEGIN IMMEDIATE serialises writers; PostgreSQL: the unique (kind, sha256) on loads)."""
    try:
        with engine.connect() as conn:
            _lock_for_writing(conn)
            previous = loaded_before(conn, report.sha256, source.kind)
            if previous is not None:
                report.status, report.previous_load_id = "unchanged", previous
                return
            _write_load(conn, source, report, conformed, ctx)
            conn.commit()
    except IntegrityError:
        with engine.connect() as conn:
            previous = loaded_before(conn, report.sha256, source.kind)
        if previous is None:
            raise
        report.status, report.previous_load_id = "unchanged", previous
        report.inserted = report.updated = report.duplicate = 0


def _lock_for_writing(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def loaded_before(conn: Connection, sha256: str, kind: str) -> int | None:
    query = select(loads.c.id).where(loads.c.sha256 == sha256, loads.c.kind == kind).order_by(loads.c.id)
    return conn.execute(query.limit(1)).scalar()


def _write_load(conn: Connection, source: Source, report: LoadReport, conformed: Conformed, ctx: Context) -> None:
    started = datetime.now()
    sync_places(conn, ctx.resolver)
    load_id = conn.execute(insert(loads).values(_load_row(source, report, started))).inserted_primary_key[0]
    report.load_id = load_id
    _write_facts(conn, FACT_TABLES[source.kind], source, conformed, load_id, report)
    _write_rejected(conn, load_id, conformed, ctx)
    finished = {"finished_at": datetime.now(), **_load_counts(report)}
    conn.execute(update(loads).where(loads.c.id == load_id).values(finished))


def _write_facts(conn: Connection, table, source: Source, conformed: Conformed, load_id: int, report) -> None:
    keys = list(conformed.records)
    for start in range(0, len(keys), WRITE_CHUNK):
        chunk = keys[start : start + WRITE_CHUNK]
        existing = dict(
            conn.execute(
                select(table.c.natural_key, table.c.row_hash).where(table.c.natural_key.in_(chunk))
            ).all()
        )
        new_rows, changed = [], []
        for key in chunk:
            record = conformed.records[key]
            digest = row_hash(record)
            if key not in existing:
                new_rows.append(record | {"natural_key": key, "row_hash": digest, "load_id": load_id,
                                          "source": source.name})
            elif existing[key] != digest:
                changed.append(record | {"row_hash": digest, "updated_load_id": load_id, "_key": key})
            else:
                report.duplicate += 1
        if new_rows:
            conn.execute(insert(table), new_rows)
        for row in changed:
            key = row.pop("_key")
            conn.execute(update(table).where(table.c.natural_key == key).values(row))
        report.inserted += len(new_rows)
        report.updated += len(changed)


def _write_rejected(conn: Connection, load_id: int, conformed: Conformed, ctx: Context) -> None:
    """Rejected rows are kept to be shown and fixed, but with identity numbers redacted like any text."""

    def clean(value: Any) -> Any:
        shown = _shown(value)
        return ctx.redact(shown) if isinstance(shown, str) else shown

    rows = [
        {"load_id": load_id, "row_number": e.row_number, "column": e.column, "value": clean(e.value),
         "reason": e.reason, "raw": {k: clean(v) for k, v in conformed.raw_by_row.get(e.row_number, {}).items()}}
        for e in conformed.errors
    ]
    if rows:
        conn.execute(insert(rejected_rows), rows)


def sync_places(conn: Connection, resolver: PlaceResolver) -> None:
    """Make the places table match the configuration; places are never deleted (facts point at them)."""
    known = set(conn.execute(select(places.c.id)).scalars())
    for place in resolver.places:
        row = {"name": place.name, "kind": place.kind, "area": place.area, "is_unspecified": place.is_unspecified,
               "aliases": list(place.aliases), "streets": list(place.streets), "geometry": place.geometry,
               "sort_order": place.sort_order}
        if place.id in known:
            conn.execute(update(places).where(places.c.id == place.id).values(row))
        else:
            conn.execute(insert(places).values(id=place.id, **row))


def _load_row(source: Source, report: LoadReport, started: datetime) -> dict[str, Any]:
    return {"kind": source.kind, "source": source.name, "file_name": report.file, "sha256": report.sha256,
            "loader_version": __version__, "started_at": started, "finished_at": started,
            "status": report.status, **_load_counts(report)}


def _load_counts(report: LoadReport) -> dict[str, Any]:
    return {
        "rows_read": report.rows_read, "rows_inserted": report.inserted, "rows_updated": report.updated,
        "rows_duplicate": report.duplicate, "rows_rejected": report.rejected,
        "rows_skipped": sum(report.skipped.values()),
        "report": {"detail": report.detail, "counts": report.counts, "skipped": report.skipped,
                   "unknown_categories": report.unknown_categories, "unknown_places": report.unknown_places},
    }


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
