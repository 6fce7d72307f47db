"""The `lagesbild` command: a thin layer over the store, the loaders, the report and the records.

The dashboard's own commands (`serve`, `demo`) are plugged in through the entry-point group `lagesbild.commands`
(pyproject.toml), so nothing here imports Dash: `lagesbild report` never loads the web app."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from lagesbild.records.commands import records
from lagesbild.settings import Settings, load_settings

KIND_CHOICE = click.Choice(["incidents", "outreach", "events", "surveys"])
ROLE_CHOICE = click.Choice(["admin", "styrgrupp", "dataansvarig", "partner"])  # lagesbild.accounts.ROLES
db_option = click.option(
    "--db", "db_url", metavar="URL", help="Store URL (default: $LAGESBILD_DB, else a SQLite file)."
)


def _settings(db_url: str | None) -> Settings:
    return load_settings().with_db(db_url)


def _engine(settings: Settings):
    from lagesbild.store.db import cached_engine, upgrade

    upgrade(settings.db_url)  # loading into a store that is not there yet, or is older, is never an error
    return cached_engine(settings.db_url)


def _existing_engine(settings: Settings):
    """The store, upgraded in place if older; a store that does not exist is an error (exit 1), never created."""
    from lagesbild.store.db import cached_engine, upgrade

    engine = cached_engine(settings.db_url)
    _require_store(engine, settings.db_url)
    upgrade(settings.db_url)
    return engine



class PluggableGroup(click.Group):
    """A group that also offers the commands other packages plug in (entry-point group `lagesbild.commands`: the
    dashboard's serve and demo), each loaded only when it is asked for."""

    def _plugged(self) -> dict:
        from importlib.metadata import entry_points

        return {entry.name: entry for entry in entry_points(group="lagesbild.commands")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugged()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in (plugged := self._plugged()):
            command = plugged[name].load()
        return command


@click.group(cls=PluggableGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lagesbild")
def main() -> None:
    """Lägesbild: load incident, outreach, event and survey files into one store and follow them."""


@main.command()
@db_option
def init(db_url: str | None) -> None:
    """Create the store, or upgrade an existing one in place (never recreated)."""
    from lagesbild.config import load_config
    from lagesbild.store.db import cached_engine, current_revision, upgrade
    from loaders.pipeline import sync_places
    from loaders.places import PlaceResolver

    settings = _settings(db_url)
    resolver = PlaceResolver.from_config(load_config(settings).places)
    upgrade(settings.db_url)
    engine = cached_engine(settings.db_url)
    with engine.begin() as conn:
        sync_places(conn, resolver)
    click.echo(f"Store ready at {_safe_url(settings.db_url)} (schema revision {current_revision(engine)}, "
               f"{len(resolver.places)} places from {settings.places_file.name}).")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=KIND_CHOICE, help="The kind of data; detected from the content when left out.")
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows and record the rejected ones.")
@click.option("--dry-run", is_flag=True, help="Preview: report what loading would do, and write nothing.")
@click.option("--organisation", metavar="ORG", help="Who sent the files: picks that sender's remembered mappings.")
@click.option("--json", "as_json", is_flag=True, help="Print the load reports as JSON.")
@db_option
def load(files: tuple[Path, ...], kind: str | None, skip_invalid: bool, dry_run: bool, organisation: str | None,
         as_json: bool, db_url: str | None) -> None:
    """Load FILE... (CSV, Excel or JSON). Exit 1 when a file was rejected (nothing of it written).

    A store that does not exist yet is created first. With --dry-run nothing is written (not even the store).
    """
    from loaders.load import load_file, make_context, preview_file
    from loaders.pipeline import LoadRejected

    settings = _settings(db_url)
    engine = _existing_engine(settings) if dry_run else _engine(settings)
    ctx = make_context(settings)
    failed, reports = False, []
    for path in files:
        try:
            if dry_run:
                report = preview_file(engine, path, settings, kind=kind, skip_invalid=skip_invalid, ctx=ctx,
                                      organisation=organisation, progress=_progress(path))
            else:
                report = load_file(engine, path, settings, kind=kind, skip_invalid=skip_invalid, ctx=ctx,
                                   username=f"cli:{getpass.getuser()}", organisation=organisation,
                                   progress=_progress(path))
        except LoadRejected as exc:
            failed = True
            reports.append(exc.report.as_json())
            click.echo(str(exc), err=True)
            continue
        except ValueError as exc:  # unreadable file, wrong columns, identifying columns, unusable mapping
            failed = True
            reports.append({"file": path.name, "status": "rejected", "error": str(exc)})
            click.echo(f"Rejected: {exc}", err=True)
            continue
        reports.append(report.as_json())
        if not as_json:
            click.echo(describe_report(report))
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2, default=str))
    sys.exit(1 if failed else 0)


def _progress(path: Path):
    """Rows read so far, on a terminal only (a pipe or a log gets the report alone)."""
    if not sys.stderr.isatty():
        return None
    return lambda rows: click.echo(f"\r{path.name}: {rows:,} rows read", err=True, nl=False)


def describe_report(report) -> str:
    if report.status == "unchanged":
        return f"{report.file}: already loaded (load #{report.previous_load_id}); nothing changed."
    counts = report.counts
    target = "preview, nothing written" if report.dry_run else f"load #{report.load_id}, {report.status}"
    lines = [
        f"{report.file}: {report.kind} ({report.source}; {report.detail}) -> {target}",
        f"  read {report.rows_read}, inserted {report.inserted}, updated {report.updated}, "
        f"duplicate {report.duplicate + counts.get('duplicate_in_file', 0)}, rejected {report.rejected}",
        f"  placed {counts.get('placed', 0)}, unplaced in the area {counts.get('unplaced', 0)}"
        + "".join(f", {reason} {n}" for reason, n in report.skipped.items()),
    ]
    if report.mapping:
        mapping = report.mapping
        shown = ", ".join([*(f"{h!r} -> {f}" for h, f in mapping["columns"].items()),
                           *(f"{f} = {v!r}" for f, v in mapping["constants"].items())])
        who = mapping["organisation"] or "any sender"
        lines.append(f"  using the remembered column mapping #{mapping['id']} ({who}): {shown}")
    if counts.get("other_category"):
        shown = ", ".join(f"{k!r} ×{v}" for k, v in report.unknown_categories.items())
        lines.append(f"  {counts['other_category']} row(s) with an unknown category loaded as 'övrigt': {shown}")
    if report.unknown_places:
        shown = ", ".join(f"{k!r} ×{v}" for k, v in report.unknown_places.items())
        lines.append(f"  unknown place names (add them as aliases in the places file): {shown}")
    if counts.get("redacted"):
        lines.append(f"  {counts['redacted']} personal identity number(s) found in free text and redacted")
    if report.errors:
        lines.append(f"  {len(report.errors)} problem(s) in {report.rejected} rejected row(s), recorded in the store:")
        lines += [f"    {e}" for e in report.errors[:20]]
    if report.dry_run:
        lines.append(f"  preview token {report.token}")
    return "\n".join(lines)


@main.command()
@click.argument("load_id", type=int)
@db_option
def unload(load_id: int, db_url: str | None) -> None:
    """Undo load LOAD_ID: remove the rows it inserted, restore the rows it updated (lagesbild status lists loads).

    Refused, and nothing changed, when a later load changed the same rows: undo that one first.
    """
    from loaders.undo import UndoRefused, undo_load

    engine = _existing_engine(_settings(db_url))
    try:
        done = undo_load(engine, load_id, username=f"cli:{getpass.getuser()}")
    except UndoRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Load #{done.load_id} ({done.file}, {done.kind}) undone: {done.deleted} row(s) removed, "
               f"{done.restored} restored to what they were before it.")


@main.command("fetch-police")
@click.option("--location", metavar="NAME", help="Only events of this place as the API names it (e.g. Stockholm; "
              "its county's name, 'Stockholms län', is asked for too).")
@click.option("--every", metavar="PERIOD", help="Keep running and fetch every PERIOD (e.g. 15m, 1h); without it, "
              "fetch once.")
@db_option
def fetch_police(location: str | None, every: str | None, db_url: str | None) -> None:
    """Fetch the police's public events API and load what is new (idempotent; re-published events update).

    The API's address is $LAGESBILD_POLICE_API_URL; name yourself in $LAGESBILD_POLICE_CONTACT (sent in the
    User-Agent). At least 10 s between calls, at most 60 an hour; after a 429, 5xx or timeout it backs off.
    Exit 1 when a single fetch failed (nothing loaded).
    """
    from loaders.police_api import parse_every, run_every

    try:
        period = parse_every(every) if every else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    settings = _settings(db_url)
    engine = _existing_engine(settings)
    outcome = []

    def report(fetch) -> None:
        outcome.append(fetch.result)
        click.echo(f"{fetch.at:%Y-%m-%d %H:%M:%S} {fetch.result}: {fetch.events if fetch.events is not None else '-'} "
                   f"event(s){f', load #{fetch.load_id}' if fetch.load_id else ''}; {fetch.message}",
                   err=fetch.result == "failed")

    try:
        run_every(engine, settings, period or 0, location, report=report, times=None if period else 1)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    sys.exit(1 if outcome and outcome[-1] == "failed" and period is None else 0)


@main.group()
def mapping() -> None:
    """Remembered column mappings: a sender's unknown columns mapped to fields, missing ones filled."""


@mapping.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--column", "columns", multiple=True, metavar="HEADER=FIELD",
              help="Map the file's column HEADER to FIELD (a field name or a header the loader knows), or "
                   "HEADER=ignore to leave it out. Repeat for more.")
@click.option("--constant", "constants", multiple=True, metavar="FIELD=VALUE",
              help="Fill FIELD, which the file lacks, with VALUE on every row. Repeat for more.")
@click.option("--organisation", default="", metavar="ORG", help="The sender these files come from (default: any).")
@click.option("--kind", type=KIND_CHOICE, help="The kind of data; detected from the content when left out.")
@db_option
def mapping_add(file: Path, columns: tuple[str, ...], constants: tuple[str, ...], organisation: str,
                kind: str | None, db_url: str | None) -> None:
    """Remember a mapping for files with FILE's columns; the next such file loads with it."""
    from loaders.mappings import ColumnMapping, remember
    from loaders.registry import read_for

    settings = _settings(db_url)
    engine = _existing_engine(settings)
    try:
        source, table = read_for(file, kind, settings.max_file_bytes)
        wanted = ColumnMapping(_pairs(columns, "--column"), _pairs(constants, "--constant"), organisation.strip())
        kept = remember(engine, source, table.headers, wanted, username=f"cli:{getpass.getuser()}")
    except ValueError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from exc
    click.echo(f"Mapping #{kept.id} remembered for {source.kind} ({source.name}) files with the columns of "
               f"{file.name}, from {kept.organisation or 'any sender'}: {kept.describe()}")


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, target = value.rpartition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r}: write NAME=VALUE", param_hint=option)
        pairs[name.strip()] = target.strip()
    return pairs


@mapping.command("list")
@db_option
def mapping_list(db_url: str | None) -> None:
    """The remembered mappings: id, sender, kind, columns."""
    from loaders.mappings import remembered_mappings

    for row in remembered_mappings(_existing_engine(_settings(db_url))):
        shown = ", ".join([*(f"{h!r} -> {f}" for h, f in row["columns"].items()),
                           *(f"{f} = {v!r}" for f, v in row["constants"].items())])
        click.echo(f"#{row['id']:<4} {row['organisation'] or 'any sender':<24} {row['source']:<16} {shown}")


@mapping.command("remove")
@click.argument("mapping_id", type=int)
@db_option
def mapping_remove(mapping_id: int, db_url: str | None) -> None:
    """Forget mapping MAPPING_ID (files with those columns are refused again until mapped)."""
    from loaders.mappings import MappingError, forget

    try:
        forget(_existing_engine(_settings(db_url)), mapping_id, username=f"cli:{getpass.getuser()}")
    except MappingError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Mapping #{mapping_id} removed.")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@db_option
def status(as_json: bool, db_url: str | None) -> None:
    """What the store holds: per kind (rows, dates, places, last load) and per load."""
    from lagesbild.status import store_status

    result = store_status(_existing_engine(_settings(db_url)))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'kind':<10} {'rows':>8}  {'from':<10}  {'to':<10}  {'places':>6}  last load")
    for kind, k in result["kinds"].items():
        click.echo(f"{kind:<10} {k['rows']:>8}  {k['first_date'] or '-':<10}  {k['last_date'] or '-':<10}  "
                   f"{k['places']:>6}  {k['last_load'] or 'never'}")
    click.echo("")
    for r in result["loads"]:
        click.echo(f"#{r['id']:<4} {r['loaded_at']}  {r['kind']:<9} {r['file']}  sha256 {r['sha256'][:12]}  "
                   f"{r['status']}: read {r['read']}, inserted {r['inserted']}, updated {r['updated']}, "
                   f"duplicate {r['duplicate']}, rejected {r['rejected']}, skipped {r['skipped']}"
                   + (f"; undone {r['undone_at']} by {r['undone_by'] or '?'}" if r["undone_at"] else ""))


@main.command("sample-data")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=2023, show_default=True)
@click.option("--scale", type=float, default=1.0, show_default=True, help="Volume multiplier, e.g. 100 for benchmarks.")
@click.option("--until", "until_text", metavar="YYYY-MM",
              help="The last month with data (default: the last complete month before today; 2025-12 gives the "
                   "committed files).")
def sample_data(outdir: Path, seed: int, scale: float, until_text: str | None) -> None:
    """Write the sample files (a deterministic story for Västra Södermalm from 2021) into OUTDIR.

    The data runs to the last complete month before today, so a demo store shows a living project; the same
    --seed, --scale and --until always give byte-identical files."""
    from lagesbild.filters import parse_month
    from lagesbild.samples import last_complete_month, write_sample_data

    until = parse_month(until_text) if until_text else last_complete_month()
    if until is None:
        raise click.BadParameter(f"{until_text!r} is not a month; write YYYY-MM, e.g. 2025-12", param_hint="--until")
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        written = write_sample_data(outdir, seed=seed, scale=scale, until=until)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--until") from exc
    for path in written:
        click.echo(str(path))


def _asof_option(function):
    return click.option("--asof", "asof_text", metavar="YYYY-MM-DD",
                        help="The store as it was at the end of this day: only loads recorded by then, facts up to "
                             "then (the meeting's snapshot, /mote?asof=).")(function)


def _parse_asof(text: str | None):
    from lagesbild.filters import parse_asof

    if text is None:
        return None
    day = parse_asof(text)
    if day is None:
        raise click.BadParameter(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2025-06-30", param_hint="--asof")
    return day


@main.command()
@click.option("--month", "month_text", metavar="YYYY-MM",
              help="The month reported on, e.g. 2024-06 (default with --asof: the latest month over by then).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .docx (Word) or .pdf.")
@click.option("--place", "places", multiple=True, metavar="ID", help="Only this place (repeat for more); default: all.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@_asof_option
@db_option
def report(month_text: str | None, out: Path, places: tuple[str, ...], lang: str, asof_text: str | None,
           db_url: str | None) -> None:
    """Write the lägesrapport for a month (goal, indicators, charts, activities, data) as Word or PDF.

    With --asof the report reads the store as it was at the end of that day, as the meeting's slides do
    (`lagesbild deck --asof`), so the report sent before the meeting and the slides shown in it agree.
    The store is only read: it is never created or upgraded here.
    """
    import time

    from lagesbild.config import load_config
    from lagesbild.disclosure import Viewer
    from lagesbild.filters import parse_month
    from lagesbild.reads import Reads
    from lagesbild.render.report import report_bytes
    from lagesbild.report.build import build_report
    from lagesbild.report.model import FORMATS, ReportError, check_month
    from lagesbild.store.db import make_engine

    asof = _parse_asof(asof_text)
    if month_text is None and asof is None:
        raise click.BadParameter("give the month (--month YYYY-MM) or a snapshot day (--asof YYYY-MM-DD)",
                                 param_hint="--month")
    month = parse_month(month_text) if month_text else None
    if month_text and month is None:
        raise click.BadParameter(f"{month_text!r} is not a month; write YYYY-MM, e.g. 2024-06", param_hint="--month")
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter(f"{out.name!r}: the file name must end in .docx or .pdf", param_hint="--out")
    settings = _settings(db_url)
    engine = make_engine(settings.db_url)
    _require_store(engine, settings.db_url)
    # whoever runs the command holds the store, and sees every number: said so, not by accident
    reads = Reads(engine, Viewer.unrestricted("cli")).as_of(asof)
    if month is None:
        from lagesbild.report.deck import deck_month

        month = deck_month(reads, asof)
        if month is None:
            raise click.BadParameter(f"the store has no month of data over by {asof:%Y-%m-%d}", param_hint="--asof")
    try:
        check_month(month)
    except ReportError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from exc
    started = time.perf_counter()
    try:
        made = build_report(reads, load_config(settings), month, places, lang)
    except ReportError as exc:
        raise click.BadParameter(str(exc), param_hint="--place") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(report_bytes(made, fmt))
    click.echo(f"{out} ({made.title}; {len(made.kpis)} indicators, {len(made.charts)} charts; "
               f"{time.perf_counter() - started:.1f} s)")


@main.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .pptx (PowerPoint) or .pdf.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@_asof_option
@db_option
def deck(out: Path, lang: str, asof_text: str | None, db_url: str | None) -> None:
    """Write the steering group's deck (the agenda of meeting.yaml, as on /mote) as PowerPoint or PDF.

    --asof (default: today) is the snapshot: the same figures as `lagesbild report --asof` of that day. The store is
    only read."""
    import time
    from datetime import date

    from lagesbild.config import load_config
    from lagesbild.config.meeting import read_agenda
    from lagesbild.disclosure import Viewer
    from lagesbild.reads import Reads
    from lagesbild.records.access import Actor
    from lagesbild.render.deck import DECK_FORMATS, deck_bytes
    from lagesbild.report.deck import build_deck
    from lagesbild.report.model import ReportError
    from lagesbild.store.db import make_engine

    asof = _parse_asof(asof_text) or date.today()
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in DECK_FORMATS:
        raise click.BadParameter(f"{out.name!r}: the file name must end in .pptx or .pdf", param_hint="--out")
    settings = _settings(db_url)
    engine = make_engine(settings.db_url)
    _require_store(engine, settings.db_url)
    configuration = load_config(settings)
    agenda = read_agenda(settings.meeting_file, tuple(i.id for i in configuration.indicators.indicators))
    started = time.perf_counter()
    try:
        # the command's user holds the store: every number, every record (as the steering group sees them)
        made = build_deck(Reads(engine, Viewer.unrestricted("cli")), configuration, agenda, Actor("cli", "styrgrupp"),
                          asof, lang)
    except ReportError as exc:
        raise click.BadParameter(str(exc), param_hint="--asof") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(deck_bytes(made, fmt))
    click.echo(f"{out} ({made.title}; {len(made.slides)} slides, snapshot {asof:%Y-%m-%d}; "
               f"{time.perf_counter() - started:.1f} s)")


@main.group("config")
def config_group() -> None:
    """The configuration files (area, places, vocabulary, indicators): check them."""


@config_group.command("check")
def config_check() -> None:
    """Read and check every configuration file, as the dashboard and the loaders will (exit 1 on any problem).

    The files are $LAGESBILD_AREA, $LAGESBILD_PLACES, $LAGESBILD_VOCABULARY and $LAGESBILD_INDICATORS, else the
    bundled ones in lagesbild/config/. A running dashboard reads a changed file at its next page load."""
    from lagesbild.config import ConfigError, ConfigFiles, read_config

    files = ConfigFiles.of(load_settings())
    try:
        config = read_config(files)
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"{files.area}: {config.area.name}, goal {config.area.goal.date.isoformat()}\n"
               f"{files.places}: {len(config.places.places)} places\n"
               f"{files.vocabulary}: " + ", ".join(f"{len(config.vocabulary.codes(kind))} {kind}"
                                                   for kind in config.vocabulary.kinds) + " categories\n"
               f"{files.indicators}: {len(config.indicators.indicators)} indicators\nAll files are valid.")


@main.group()
def user() -> None:
    """Accounts for the dashboard: add, list, remove, passwd, role, rights, unlock (roles: admin, styrgrupp,
    dataansvarig, partner).

    Passwords: at least 12 characters and not easy to guess (common words, repeats, keyboard rows are refused).
    """


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("add")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@db_option
def user_add(username: str, role: str, password_stdin: bool, db_url: str | None) -> None:
    """Add USERNAME with a role; the password is asked for (never given on the command line)."""
    from lagesbild.accounts import add_user

    _account_call(add_user, _engine(_settings(db_url)), username, _password(password_stdin), role)
    click.echo(f"Added {username.strip().lower()} ({role}).")


@user.command("list")
@db_option
def user_list(db_url: str | None) -> None:
    """The accounts, their roles and last login."""
    from lagesbild.accounts import list_users

    for row in list_users(_engine(_settings(db_url))):
        last = row["last_login_at"].isoformat(timespec="minutes") if row["last_login_at"] else "never"
        rights = f"  {row['organisation'] or ''}: may load {', '.join(row['upload_sources'] or []) or 'nothing'}" \
            if row["organisation"] or row["upload_sources"] else ""
        click.echo(f"{row['username']:<24} {row['role']:<12} last login {last}{rights}")


@user.command("remove")
@click.argument("username")
@db_option
def user_remove(username: str, db_url: str | None) -> None:
    """Remove USERNAME."""
    from lagesbild.accounts import remove_user

    _account_call(remove_user, _engine(_settings(db_url)), username)
    click.echo(f"Removed {username}.")


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@db_option
def user_passwd(username: str, password_stdin: bool, db_url: str | None) -> None:
    """Set a new password for USERNAME: ends all of its sessions and the throttling of its failed logins."""
    from lagesbild.accounts import set_password

    _account_call(set_password, _engine(_settings(db_url)), username, _password(password_stdin))
    click.echo(f"Password changed for {username}; its sessions have ended.")


@user.command("role")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True)
@db_option
def user_role(username: str, role: str, db_url: str | None) -> None:
    """Give USERNAME another role: ends all of its sessions."""
    from lagesbild.accounts import set_role

    _account_call(set_role, _engine(_settings(db_url)), username, role)
    click.echo(f"{username} is now {role}; its sessions have ended.")


@user.command("rights")
@click.argument("username")
@click.option("--organisation", metavar="ORG", help="The organisation the account belongs to; its loads carry it.")
@click.option("--source", "sources", multiple=True, metavar="SOURCE",
              help="A source the partner may load and undo its own loads of (e.g. outreach-shifts, incident-log, "
                   "event-log, survey-results); repeat for more, none to take the rights away.")
@db_option
def user_rights(username: str, organisation: str | None, sources: tuple[str, ...], db_url: str | None) -> None:
    """Set the organisation of USERNAME and the sources it may load through the web (partners; stewards load all)."""
    from lagesbild.accounts import set_upload_rights

    _account_call(set_upload_rights, _engine(_settings(db_url)), username, organisation, list(sources))
    click.echo(f"{username}: organisation {organisation or '-'}, may load {', '.join(sources) or 'nothing'}.")


@user.command("unlock")
@click.argument("username")
@db_option
def user_unlock(username: str, db_url: str | None) -> None:
    """Start the failed-login counters of USERNAME afresh (ends its sessions too)."""
    from lagesbild.accounts import unlock

    _account_call(unlock, _engine(_settings(db_url)), username)
    click.echo(f"{username} may log in again at once; its sessions have ended.")


def _account_call(function, *args) -> None:
    from lagesbild.accounts import AccountError

    try:
        function(*args)
    except AccountError as exc:
        raise click.UsageError(str(exc)) from exc


def _require_store(engine, db_url: str) -> None:
    """A store with the schema in place, or a clear error (exit 1); never creates one (SQLite would)."""
    from sqlalchemy.engine import make_url

    from lagesbild.store.db import current_revision

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise click.ClickException(f"no store at {_safe_url(db_url)}: load data first (lagesbild load)")
    if current_revision(engine) is None:
        raise click.ClickException(f"{_safe_url(db_url)} holds no Lägesbild store (run lagesbild init, then load)")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


main.add_command(records)

if __name__ == "__main__":
    main()
