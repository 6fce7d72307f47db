"""The loaders' public API: load one file into the store, or preview what loading it would do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from lagesbild.accounts import Uploader, UploadRefused, audit
from lagesbild.config import load_config
from lagesbild.settings import Settings
from loaders.base import Context
from loaders.mappings import ColumnMapping, remembered_for, remembered_kind
from loaders.pipeline import (
    LoadRejected,
    LoadReport,
    Plan,
    StoreChanged,
    file_sha256,
    loaded_before,
    lock_for_writing,
    run,
    store_state,
    token_for,
    unlock,
)
from loaders.places import PlaceResolver
from loaders.privacy import Redactor
from loaders.read import read_file
from loaders.registry import DetectionError, read_for
from loaders.vocabulary import Vocabulary

__all__ = ["LoadRejected", "LoadReport", "StoreChanged", "load_file", "make_context", "preview_file"]


def make_context(settings: Settings) -> Context:
    """What every row is conformed with: the places and vocabulary of the configuration (read and checked once)."""
    config = load_config(settings)
    return Context(
        resolver=PlaceResolver.from_config(config.places),
        vocabulary=Vocabulary(config.vocabulary),
        redactor=Redactor(),
    )


def load_file(
    engine: Engine, path: Path, settings: Settings, kind: str | None = None, skip_invalid: bool = False,
    ctx: Context | None = None, username: str | None = None, *, organisation: str | None = None,
    mapping: ColumnMapping | None = None, expect_token: str | None = None,
    progress: Callable[[int], None] | None = None, uploader: Uploader | None = None,
) -> LoadReport:
    """Load one file wholly, or (with skip_invalid) its valid rows; raise LoadRejected and write nothing else.

    With `username` (e.g. 'cli:anna'), a load written is recorded in the audit log under that name.
    `mapping` (or, without one, the mapping remembered for the file's headers from `organisation`, or from any
    sender) maps columns the loader does not know. With `expect_token` (from `preview_file`), the load is made
    only if the store and the input are still those of the preview, else StoreChanged and nothing is written.
    With `uploader` (someone loading through the web), the file's source must be one they may load (else
    UploadRefused, audited as 'load_refused'), and a partner's load is tagged with its own organisation.
    Raises ReadError, DetectionError, ColumnsError, MappingError or IdentifyingColumnError (all ValueError) for a
    file that cannot be loaded at all, LoadRejected for bad rows.
    """
    return _load(engine, Path(path), settings, kind, skip_invalid, ctx, username, organisation, mapping,
                 expect_token, progress, uploader, dry_run=False)


def preview_file(
    engine: Engine, path: Path, settings: Settings, kind: str | None = None, skip_invalid: bool = False,
    ctx: Context | None = None, *, organisation: str | None = None, mapping: ColumnMapping | None = None,
    progress: Callable[[int], None] | None = None, uploader: Uploader | None = None,
) -> LoadReport:
    """Everything a load of the file would do, without writing: the same report (`dry_run` set, `load_id` None)
    and `token`, which `load_file(expect_token=...)` takes to load exactly what the preview showed.

    Raises what load_file raises; a file that would be rejected raises LoadRejected (its report has the token).
    """
    return _load(engine, Path(path), settings, kind, skip_invalid, ctx, None, organisation, mapping, None,
                 progress, uploader, dry_run=True)


def _load(engine, path, settings, kind, skip_invalid, ctx, username, organisation, mapping, expect_token, progress,
          uploader, dry_run: bool) -> LoadReport:
    ctx = fresh(ctx or make_context(settings))
    source, table = _read(engine, path, kind, settings)
    if uploader is not None:
        organisation = _check_rights(engine, uploader, source, path, dry_run) or organisation
    report = LoadReport(file=path.name, kind=source.kind, source=source.name, detail=table.detail,
                        sha256=file_sha256(path), dry_run=dry_run, organisation=organisation or None,
                        loaded_by=None if dry_run else username)
    plan = Plan(path, source, table, ctx, skip_invalid, mapping, progress)
    try:
        with engine.connect() as conn:
            if not dry_run:
                lock_for_writing(conn)
            if plan.mapping is None:
                plan.mapping = remembered_for(conn, source, table.headers, organisation)
            report.mapping = plan.mapping.as_json() if plan.mapping else None
            options = f"{int(skip_invalid)}{plan.mapping.digest() if plan.mapping else ''}"
            report.token = token_for(store_state(conn), report.sha256, source, options)
            if expect_token is not None and expect_token != report.token:
                raise StoreChanged(path.name, expect_token, report.token)
            if _unchanged(conn, report):
                return report
            try:
                run(conn, plan, report, dry_run)
                if not dry_run:
                    conn.commit()
            except LoadRejected as rejected:
                rejected.report.token = report.token
                raise
            finally:
                unlock(conn)
    except IntegrityError:
        if not _already_loaded(engine, report):
            raise
        return report
    if username and not dry_run:
        audit(engine, "load", username, f"{report.file} ({report.kind}, {report.source}): load #{report.load_id}, "
              f"{report.status}, {report.inserted} inserted, {report.updated} updated, {report.rejected} rejected")
    return report


def _check_rights(engine: Engine, uploader: Uploader, source, path: Path, dry_run: bool) -> str | None:
    """The organisation the uploader's loads are tagged with; UploadRefused, audited, for a source not theirs."""
    try:
        uploader.check_load(source.name)
    except UploadRefused as refused:
        audit(engine, "load_refused", uploader.username,
              f"{path.name} ({source.kind}, {source.name}){' preview' if dry_run else ''}: {refused}")
        raise
    return uploader.load_organisation


def _read(engine: Engine, path: Path, kind: str | None, settings: Settings):
    """Read the file and tell its source; a file whose columns say too little is told by a remembered mapping."""
    try:
        return read_for(path, kind, settings.max_file_bytes)
    except DetectionError:
        if kind is not None:
            raise
        with engine.connect() as conn:
            remembered = remembered_kind(conn, read_file(path).headers)
        if remembered is None:
            raise
        return read_for(path, remembered, settings.max_file_bytes)


def _unchanged(conn, report: LoadReport) -> bool:
    previous = loaded_before(conn, report.sha256, report.kind)
    if previous is None:
        return False
    report.status, report.previous_load_id = "unchanged", previous
    return True


def _already_loaded(engine: Engine, report: LoadReport) -> bool:
    """Another process loaded the same file at the same moment (PostgreSQL's unique (kind, sha256) on loads)."""
    with engine.connect() as conn:
        found = _unchanged(conn, report)
    report.inserted = report.updated = report.duplicate = 0
    report.load_id = None
    return found


def fresh(ctx: Context) -> Context:
    """The same places and vocabulary with empty counters, so each file's report counts only that file."""
    return Context(resolver=ctx.resolver, vocabulary=ctx.vocabulary, redactor=ctx.redactor)
