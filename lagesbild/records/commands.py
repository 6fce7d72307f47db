"""`lagesbild records …`: the Excel template, and importing and exporting the project's records."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

db_option = click.option("--db", "db_url", metavar="URL",
                         help="Store URL (default: $LAGESBILD_DB, else a SQLite file).")
as_option = click.option("--as", "username", required=True, metavar="USER",
                         help="The account acting (styrgrupp or admin; see lagesbild user list).")


@click.group("records")
def records() -> None:
    """The project's own records: decisions and actions, risks, change requests, budget, classifications."""


@records.command("template")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def template(out: Path) -> None:
    """Write the empty Excel template to OUT (.xlsx): one sheet per kind, allowed values, Excel's validation."""
    from lagesbild.records.workbook import write_workbook

    _check_xlsx(out)
    write_workbook({}, _ids()).save(out)
    click.echo(f"{out}: the records template (fill it in, then: lagesbild records import {out.name} --as USER)")


@records.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
@db_option
def import_(file: Path, username: str, db_url: str | None) -> None:
    """Import a filled template, all or nothing. Exit 1 when it is refused (every problem listed, nothing written)."""
    from lagesbild.records.errors import ImportRefused
    from lagesbild.records.importer import import_workbook

    engine = _engine(db_url)
    try:
        report = import_workbook(engine, file, _actor(engine, username), ids=_ids())
    except ImportRefused as refused:
        click.echo(f"{file.name}: refused, nothing written. {len(refused.problems)} problem(s):", err=True)
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(report.summary() + ("" if report.changed else " (nothing changed)"))


@records.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@as_option
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The records as they were at the end of this day.")
@db_option
def export(out: Path, username: str, as_of: str | None, db_url: str | None) -> None:
    """Write the store's records (those USER may see) to OUT in the template's format."""
    from lagesbild.records.importer import export_workbook

    _check_xlsx(out)
    engine = _engine(db_url)
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise click.BadParameter(f"{as_of!r} is not a date; write YYYY-MM-DD", param_hint="--as-of") from None
    export_workbook(engine, _actor(engine, username), day, _ids()).save(out)
    click.echo(f"{out}: the records" + (f" as of {day}" if day else ""))


def _check_xlsx(path: Path) -> None:
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{path.name!r}: the file name must end in .xlsx")


def _engine(db_url: str | None):
    from lagesbild.settings import load_settings
    from lagesbild.store.db import cached_engine, upgrade

    url = load_settings().with_db(db_url).db_url
    upgrade(url)  # a store that is older, or not there yet, is brought up to date first
    return cached_engine(url)


def _ids():
    from lagesbild.config import load_config
    from lagesbild.records.config import known_ids
    from lagesbild.settings import load_settings

    return known_ids(load_config(load_settings()))


def _actor(engine, username: str):
    from lagesbild.records.access import actor_from_store, require_editor
    from lagesbild.records.errors import NotAllowed

    try:
        with engine.connect() as conn:
            actor = actor_from_store(conn, username)
        require_editor(actor, "import or export the records' register")
    except NotAllowed as exc:
        raise click.ClickException(str(exc)) from exc
    return actor
