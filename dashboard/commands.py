"""The dashboard's commands, plugged into `lagesbild` (entry-point group `lagesbild.commands`): serve and demo."""

from __future__ import annotations

import gc
import secrets
import sys
from dataclasses import replace

import click

from lagesbild.cli import ROLE_CHOICE, _engine, _safe_url, _settings, db_option
from lagesbild.settings import Settings

THREADS = 8  # per process: requests mostly wait on the store or on Chromium


def workers_option(command):
    return click.option(
        "--workers", default=1, show_default=True, type=click.IntRange(1, 64),
        help="Server processes: 1 is waitress in this process; more is gunicorn with that many worker processes "
             "(not on Windows).")(command)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@workers_option
@db_option
def serve(host: str, port: int, workers: int, db_url: str | None) -> None:
    """Serve the dashboard on a store: login required (an account and LAGESBILD_SECRET_KEY must exist)."""
    from dashboard.auth import AccessRefused, check_ready

    settings = _settings(db_url)
    _engine(settings)
    try:
        check_ready(settings)
    except AccessRefused as exc:
        click.echo(f"Refusing to serve: {exc.message}", err=True)
        sys.exit(2)
    run(settings, host, port, open_demo=False, workers=workers)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--db", "db_url", metavar="URL",
              help="Store URL for the demo, loaded with the committed sample files (default: var/demo-YYYY-MM.sqlite "
                   "with sample data to the last complete month).")
@click.option("--as", "as_role", type=ROLE_CHOICE,
              help="Show the demo as this role sees it (partner: small counts hidden); default: everything.")
@workers_option
def demo(host: str, port: int, db_url: str | None, as_role: str | None, workers: int) -> None:
    """Build a store from the bundled sample data, run on to the last complete month (once a month), and serve the
    dashboard on it, open to everyone."""
    from lagesbild.demo import build_demo_store, living_demo_store

    settings = replace(build_demo_store(db_url) if db_url else living_demo_store(), demo_role=as_role)
    _engine(settings)
    run(settings, host, port, open_demo=True, workers=workers)


def run(settings: Settings, host: str, port: int, open_demo: bool, workers: int = 1) -> None:
    """waitress in this process, or (workers > 1) gunicorn with that many worker processes."""
    if workers > 1 and sys.platform == "win32":
        click.echo("--workers above 1 needs gunicorn, which does not run on Windows; serve with --workers 1.", err=True)
        sys.exit(2)
    _announce(settings, host, port, open_demo, workers)
    if workers > 1:
        from dashboard.workers import serve_with_gunicorn

        # Every worker must sign and check cookies (sessions, CSRF) alike: a demo's key is made once, here.
        settings = replace(settings, secret_key=settings.secret_key or secrets.token_hex(32))
        serve_with_gunicorn(lambda: make_app(settings, open_demo, host).server, host, port, workers, THREADS)
        return
    from waitress import serve as waitress_serve

    from dashboard.intake import FORM_OVERHEAD as UPLOAD_FORM_OVERHEAD

    app = make_app(settings, open_demo, host)
    # waitress buffers a whole body (spilling to disk) before Flask sees it: it refuses, unread and in its own words,
    # what is beyond the largest body any route takes (one uploaded file and its form); Flask refuses above
    # max_request_bytes everywhere but on the upload route, which refuses above max_upload_bytes with a message of
    # its own (dashboard/intake.py). The page checks a file's size before sending it, and says so in words too.
    largest = max(settings.max_request_bytes, settings.max_upload_bytes + UPLOAD_FORM_OVERHEAD)
    waitress_serve(app.server, host=host, port=port, threads=THREADS, max_request_body_size=largest)


def make_app(settings: Settings, open_demo: bool, host: str):
    """The Dash app, made in the process that serves it (each gunicorn worker makes its own after the fork)."""
    from dashboard.app import create_app

    app = create_app(settings, open_demo=open_demo, host=host)
    gc.freeze()  # the app's long-lived objects leave the collector's view: full collections stop pausing requests
    return app


def _announce(settings: Settings, host: str, port: int, open_demo: bool, workers: int) -> None:
    processes = f", {workers} worker processes" if workers > 1 else ""
    click.echo(f"Lägesbild on http://{host}:{port}/  (store {_safe_url(settings.db_url)}{processes})")
    if open_demo:
        made = "run (shared by its workers)" if workers > 1 else "process"
        click.echo("Demo mode: open to everyone, no login, sample data"
                   + (f", shown as the {settings.demo_role} role sees it" if settings.demo_role else "")
                   + ("" if settings.secret_key else f"; a session key made for this {made} only") + ".")
