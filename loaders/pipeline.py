"""One load: read -> match headers -> conform chunk by chunk -> stage -> write all or nothing, with a report.

The same path runs a preview: everything up to the writing, on a transaction that is rolled back, so a preview
reports exactly what the load would do, and a token for the store state it saw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, insert, inspect, select, update

from lagesbild import __version__
from lagesbild.store.schema import FACT_TABLES, loads, places, rejected_rows
from loaders.base import Context, RowError, Source, match_headers
from loaders.conform import Batch, conform_each, finish, parse_fields
from loaders.mappings import IGNORE, ColumnMapping, MappingError, resolve
from loaders.places import PlaceResolver
from loaders.privacy import IdentifyingColumnError, column_holds_personnummer, identifying_headers
from loaders.read import RawTable
from loaders.stage import Classified, Stage

WRITE_CHUNK = 50_000  # rows conformed and staged at a time: memory stays bounded whatever the file's size
PERSONNUMMER_SAMPLE = 500
SQLITE_LOAD_CACHE_KIB = 64 * 1024


class LoadRejected(Exception):
    """The file was refused; nothing was written. `report.errors` lists every bad row."""

    def __init__(self, report: LoadReport, message: str | None = None):
        super().__init__(message or report.summary_of_errors())
        self.report = report


class StoreChanged(Exception):
    """The store changed after the preview was made: preview again before loading."""

    def __init__(self, file: str, expected: str, found: str):
        super().__init__(f"{file}: the store has changed since the preview (a load or an undo was made "
                         "meanwhile); nothing was loaded. Preview the file again.")
        self.expected, self.found = expected, found


@dataclass
class LoadReport:
    file: str
    kind: str
    source: str
    detail: str = ""
    sha256: str = ""
    status: str = "pending"  # loaded, partial, unchanged, rejected
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
    errors: list[RowError] = field(default_factory=list)  # values redacted like everything stored
    previous_load_id: int | None = None
    dry_run: bool = False  # a preview: nothing was written
    token: str | None = None  # the store state and input the report was made against (preview_file)
    mapping: dict[str, Any] | None = None  # the column mapping used, when one was
    organisation: str | None = None  # the sender the load is made for (a partner's own organisation)
    loaded_by: str | None = None  # who made the load

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
class Columns:
    """Where each field's values come from in a file: a header, or a constant."""

    headers: dict[str, str]
    constants: dict[str, Any]


@dataclass
class Plan:
    """A file read for loading, and the choices that shape its load."""

    path: Path
    source: Source
    table: RawTable
    ctx: Context
    skip_invalid: bool = False
    mapping: ColumnMapping | None = None
    progress: Callable[[int], None] | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_columns(table: RawTable, source: Source, sample: pd.DataFrame,
                  mapping: ColumnMapping | None = None) -> Columns:
    """Refuse identifying columns and unknown or missing ones, listing what the source expects."""
    headers = table.headers
    auto, _, _ = match_headers(headers, source.fields)
    free_text = {auto[f.name] for f in source.fields if f.free_text and f.name in auto}
    named = [h for h in identifying_headers(headers) if h not in auto.values()]
    holding = [h for h in dict.fromkeys(h for h in headers if h) if h not in free_text and h in sample.columns
               and column_holds_personnummer(sample[h].head(PERSONNUMMER_SAMPLE).tolist())]
    if named or holding:
        columns = ", ".join(repr(h) for h in dict.fromkeys(named + holding))
        raise IdentifyingColumnError(
            f"{table.path.name}: column(s) {columns} hold names or personal identity numbers; "
            "the store keeps aggregates only. Remove the column(s) and load again."
        )
    try:
        mapped = resolve(source, headers, mapping) if mapping else ColumnMapping()
    except MappingError as exc:
        raise MappingError(f"{table.path.name}: the column mapping #{mapping.id} cannot be used: {exc}") from exc
    by_field = {**auto, **{f: h for h, f in mapped.columns.items() if f != IGNORE}}
    used = set(by_field.values()) | set(mapped.columns)
    missing = [f for f in source.fields if f.required and f.name not in by_field and f.name not in mapped.constants]
    unknown = [h for h in headers if h and h not in used]
    if missing or unknown:
        raise ColumnsError(table, source, missing, unknown)
    return Columns(by_field, mapped.constants)


class ColumnsError(ValueError):
    def __init__(self, table: RawTable, source: Source, missing: list, unknown: list[str]):
        expected = ", ".join(f.headers[0] if f.headers else f.name for f in source.fields)
        parts = []
        if missing:
            parts.append("missing column(s): " + ", ".join(f.headers[0] if f.headers else f.name for f in missing))
        if unknown:
            parts.append("unknown column(s): " + ", ".join(repr(h) for h in unknown))
        super().__init__(
            f"{table.path.name} ({source.kind}, {source.name}): {'; '.join(parts)}. Expected columns: {expected}. "
            "Rename the columns, or map them (lagesbild mapping add)."
        )
        self.missing, self.unknown = [f.name for f in missing], unknown
        self.kind, self.source = source.kind, source.name


# --- the load -----------------------------------------------------------------------------------------------------


def run(conn: Connection, plan: Plan, report: LoadReport, dry_run: bool) -> None:
    """Conform and stage every chunk, classify, then (unless a preview, or rejected) write; `conn` is in a
    transaction that the caller commits only after this returns."""
    chunks = plan.table.chunks(WRITE_CHUNK)
    first = next(chunks, None)
    sample = first if first is not None else pd.DataFrame(columns=plan.table.headers)
    columns = check_columns(plan.table, plan.source, sample, plan.mapping)
    stage = Stage(conn, plan.source)
    errors: list[RowError] = []
    raw_by_row: dict[int, dict[str, Any]] = {}
    for raw in _all(first, chunks):
        batch = conform_chunk(plan, columns, raw)
        stage.add(batch)
        errors.extend(batch.errors)
        raw_by_row.update(batch.raw_by_row)
        report.rows_read += len(raw)
        if plan.progress:
            plan.progress(report.rows_read)
    classified = stage.classify()
    fill_report(report, classified, errors, plan.ctx)
    if errors and not plan.skip_invalid:
        report.status = "rejected"
        raise LoadRejected(report)
    report.status = "partial" if errors else "loaded"
    if not dry_run:
        write(conn, plan, report, stage, classified, raw_by_row)
    stage.drop()


def _all(first: pd.DataFrame | None, rest: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    return chain([first], rest) if first is not None else iter(())


def conform_chunk(plan: Plan, columns: Columns, raw: pd.DataFrame) -> Batch:
    source, ctx = plan.source, plan.ctx
    values, errors = parse_fields(source, columns.headers, columns.constants, raw, plan.table.texts_only)
    rows = raw.index.to_numpy()
    good = ~np.isin(rows, [e.row_number for e in errors])
    conform = source.conform_frame or (lambda *chunk: conform_each(source, *chunk))
    kept, record, more = conform({k: v[good] for k, v in values.items()}, rows[good], ctx)
    batch = finish(source, FACT_TABLES[source.kind], rows[good][kept], record, ctx, errors + more)
    bad = sorted({e.row_number for e in batch.errors})
    if bad:
        batch.raw_by_row = raw.loc[bad].to_dict("index")
    return batch


def fill_report(report: LoadReport, classified: Classified, errors: list[RowError], ctx: Context) -> None:
    report.inserted, report.updated, report.duplicate = classified.inserted, classified.updated, classified.duplicate
    ctx.counts["duplicate_in_file"] += classified.duplicate_in_file
    report.errors = [RowError(e.row_number, e.column, _redacted(ctx, e.value), _redacted(ctx, e.reason))
                     for e in errors]  # a reason may quote the cell
    report.rejected = len({e.row_number for e in errors})
    report.skipped = {k.split(":", 1)[1]: v for k, v in ctx.counts.items() if k.startswith("skipped:") and v}
    report.counts = {k: v for k, v in ctx.counts.items() if not k.startswith("skipped:")}
    report.unknown_categories = dict(ctx.unknown_categories.most_common(20))
    report.unknown_places = dict(ctx.unknown_places.most_common(20))
    for key in ("placed", "unplaced", "redacted", "duplicate_in_file"):
        report.counts.setdefault(key, 0)
    report.counts["other_category"] = sum(ctx.unknown_categories.values())


def write(conn: Connection, plan: Plan, report: LoadReport, stage: Stage, classified: Classified,
          raw_by_row: dict[int, dict[str, Any]]) -> None:
    """Lineage, facts (insert, update with the old version kept, or skip) and rejected rows, in `conn`'s
    transaction."""
    started = datetime.now()
    sync_places(conn, plan.ctx.resolver)
    load_id = conn.execute(insert(loads).values(_load_row(plan.source, report, started))).inserted_primary_key[0]
    report.load_id = load_id
    stage.write(load_id, started, classified)
    _write_rejected(conn, load_id, report.errors, raw_by_row, plan.ctx)
    finished = {"finished_at": datetime.now(), **_load_counts(report)}
    conn.execute(update(loads).where(loads.c.id == load_id).values(finished))


def lock_for_writing(conn: Connection) -> None:
    """One writer at a time, readers never waiting: SQLite's write lock; on PostgreSQL, loads is locked against
    other loads and undos (plain reads of it go on)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")  # index pages of a large table
    else:
        conn.exec_driver_sql("LOCK TABLE loads IN EXCLUSIVE MODE")


def unlock(conn: Connection) -> None:
    """End the load's transaction (rolled back unless committed) and give the connection back as it was."""
    conn.rollback()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size = -2000")  # SQLite's default
        conn.commit()


def loaded_before(conn: Connection, sha256: str, kind: str) -> int | None:
    """The load in effect of this very file, if any (an undone load does not count)."""
    query = select(loads.c.id).where(loads.c.sha256 == sha256, loads.c.kind == kind, loads.c.status != "undone")
    return conn.execute(query.order_by(loads.c.id).limit(1)).scalar()


def store_state(conn: Connection) -> str:
    """Changes with every load and every undo: the last load's id and how many loads were undone."""
    last, undone = conn.execute(select(func.coalesce(func.max(loads.c.id), 0),
                                       func.count().filter(loads.c.status == "undone"))).one()
    return f"{last}.{undone}"


def token_for(state: str, sha256: str, source: Source, plan_digest: str) -> str:
    return f"{state}.{sha256[:16]}.{source.name}.{plan_digest}"


def _write_rejected(conn: Connection, load_id: int, errors: list[RowError], raw_by_row: dict[int, dict[str, Any]],
                    ctx: Context) -> None:
    """Rejected rows are kept to be shown and fixed, but with identity numbers redacted like any text."""
    rows = [
        {"load_id": load_id, "row_number": e.row_number, "column": e.column, "value": e.value, "reason": e.reason,
         "raw": {str(k): _redacted(ctx, v) for k, v in raw_by_row.get(e.row_number, {}).items()}}
        for e in errors
    ]
    if rows:
        conn.execute(insert(rejected_rows), rows)


def _redacted(ctx: Context, value: Any) -> Any:
    shown = _shown(value)
    return ctx.redactor.redact(shown)[0] if isinstance(shown, str) else shown


def sync_places(conn: Connection, resolver: PlaceResolver) -> None:
    """Make the places table match the configuration; places are never deleted (facts point at them)."""
    known = set(conn.execute(select(places.c.id)).scalars())
    # A store not yet upgraded to 0009 has no zones: its places are written as before (and are all the area's own).
    zoned = any(column["name"] == "zone" for column in inspect(conn).get_columns("places"))
    for place in resolver.places:
        if not zoned and not place.is_own:
            continue
        row = {"name": place.name, "kind": place.kind, "area": place.area, "is_unspecified": place.is_unspecified,
               "aliases": list(place.aliases), "streets": list(place.streets), "geometry": place.geometry,
               "sort_order": place.sort_order, **({"zone": place.zone} if zoned else {})}
        if place.id in known:
            conn.execute(update(places).where(places.c.id == place.id).values(row))
        else:
            conn.execute(insert(places).values(id=place.id, **row))


def _load_row(source: Source, report: LoadReport, started: datetime) -> dict[str, Any]:
    # who and for whom only when known, so a store older than migration 0009 still takes the CLI's loads
    who = {k: v for k, v in (("organisation", report.organisation), ("loaded_by", report.loaded_by)) if v}
    return {"kind": source.kind, "source": source.name, "file_name": report.file, "sha256": report.sha256,
            "loader_version": __version__, "started_at": started, "finished_at": started,
            "status": report.status, **who, **_load_counts(report)}


def _load_counts(report: LoadReport) -> dict[str, Any]:
    return {
        "rows_read": report.rows_read, "rows_inserted": report.inserted, "rows_updated": report.updated,
        "rows_duplicate": report.duplicate, "rows_rejected": report.rejected,
        "rows_skipped": sum(report.skipped.values()),
        "report": {"detail": report.detail, "counts": report.counts, "skipped": report.skipped,
                   "unknown_categories": report.unknown_categories, "unknown_places": report.unknown_places,
                   "mapping": report.mapping},
    }


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
