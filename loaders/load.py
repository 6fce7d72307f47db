"""The loaders' public API: load one file into the store and return what happened."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from lagesbild.accounts import audit
from lagesbild.config import load_config
from lagesbild.settings import Settings
from loaders.base import Context
from loaders.pipeline import (
    LoadRejected,
    LoadReport,
    check_columns,
    conform_rows,
    file_sha256,
    loaded_before,
    write,
)
from loaders.places import PlaceResolver
from loaders.privacy import Redactor
from loaders.registry import read_for
from loaders.vocabulary import Vocabulary


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
    ctx: Context | None = None, username: str | None = None,
) -> LoadReport:
    """Load one file wholly, or (with skip_invalid) its valid rows; raise LoadRejected and write nothing else.

    With `username` (e.g. 'cli:anna'), a load written is recorded in the audit log under that name.
    """
    path = Path(path)
    ctx = fresh(ctx or make_context(settings))
    source, table = read_for(path, kind, settings.max_file_bytes)
    report = LoadReport(file=path.name, kind=source.kind, source=source.name, detail=table.detail,
                        sha256=file_sha256(path), rows_read=len(table.rows))
    previous = already_loaded(engine, report.sha256, source.kind)
    if previous is not None:
        report.status, report.previous_load_id = "unchanged", previous
        return report
    mapping = check_columns(table, source)
    conformed = conform_rows(table, source, mapping, ctx)
    _fill_report(report, conformed, ctx)
    if conformed.errors and not skip_invalid:
        report.status = "rejected"
        raise LoadRejected(report)
    report.status = "partial" if conformed.errors else "loaded"
    write(engine, source, report, conformed, ctx)
    if username:
        audit(engine, "load", username, f"{report.file} ({report.kind}, {report.source}): load #{report.load_id}, "
              f"{report.status}, {report.inserted} inserted, {report.updated} updated, {report.rejected} rejected")
    return report


def fresh(ctx: Context) -> Context:
    """The same places and vocabulary with empty counters, so each file's report counts only that file."""
    return Context(resolver=ctx.resolver, vocabulary=ctx.vocabulary, redactor=ctx.redactor)


def already_loaded(engine: Engine, sha256: str, kind: str) -> int | None:
    with engine.connect() as conn:
        return loaded_before(conn, sha256, kind)


def _fill_report(report: LoadReport, conformed, ctx: Context) -> None:
    report.errors = conformed.errors
    report.rejected = len({e.row_number for e in conformed.errors})
    report.skipped = {k.split(":", 1)[1]: v for k, v in ctx.counts.items() if k.startswith("skipped:")}
    report.counts = {k: v for k, v in ctx.counts.items() if not k.startswith("skipped:")}
    report.unknown_categories = dict(ctx.unknown_categories.most_common(20))
    report.unknown_places = dict(ctx.unknown_places.most_common(20))
    for key in ("placed", "unplaced", "redacted", "duplicate_in_file"):
        report.counts.setdefault(key, 0)
    report.counts["other_category"] = sum(ctx.unknown_categories.values())
