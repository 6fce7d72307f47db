"""The dashboard's commands, plugged into `lagesbild` (entry-point group `lagesbild.commands`): serve and demo."""

from __future__ import annotations

import gc
import sys
from dataclasses import replace

import click

from lagesbild.cli import ROLE_CHOICE, _engine, _safe_url, _settings, db_option
from lagesbild.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@db_option
def serve(host: str, port: int, db_url: str | None) -> None:
    """Serve the dashboard on a store: login required (an account and LAGESBILD_SECRET_KEY must exist)."""
    from dashboard.auth import AccessRefused, check_ready

    settings = _settings(db_url)
    _engine(settings)
    try:
        check_ready(settings)
    except AccessRefused as exc:
        click.echo(f"Refusing to serve: {exc.message}", err=True)
        sys.exit(2)
    run(settings, host, port, open_demo=False)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--db", "db_url", metavar="URL",
              help="Store URL for the demo, loaded with the committed sample files (default: var/demo-YYYY-MM.sqlite "
                   "with sample data to the last complete month).")
@click.option("--as", "as_role", type=ROLE_CHOICE,
              help="Show the demo as this role sees it (partner: small counts hidden); default: everything.")
def demo(host: str, port: int, db_url: str | None, as_role: str | None) -> None:
    """Build a store from the bundled sample data, run on to the last complete month (once a month), and serve the
    dashboard on it, open to everyone."""
    from lagesbild.demo import build_demo_store, living_demo_store

    settings = replace(build_demo_store(db_url) if db_url else living_demo_store(), demo_role=as_role)
    _engine(settings)
    run(settings, host, port, open_demo=True)


def run(settings: Settings, host: str, port: int, open_demo: bool) -> None:
    from waitress import serve as waitress_serve

    from dashboard.app import create_app

    app = create_app(settings, open_demo=open_demo, host=host)
    gc.freeze()  # the app's long-lived objects leave the collector's view: full collections stop pausing requests
    click.echo(f"Lägesbild on http://{host}:{port}/  (store {_safe_url(settings.db_url)})")
    if open_demo:
        click.echo("Demo mode: open to everyone, no login, sample data"
                   + (f", shown as the {settings.demo_role} role sees it" if settings.demo_role else "")
                   + ("" if settings.secret_key else "; a session key made for this process only") + ".")
    # waitress buffers a whole body before Flask sees it: refuse what Flask would refuse (an upload route will need
    # this raised to its own limit, settings.max_upload_bytes, and checks it itself).
    waitress_serve(app.server, host=host, port=port, threads=8, max_request_body_size=settings.max_request_bytes)
