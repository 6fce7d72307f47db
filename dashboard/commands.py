"""The dashboard's commands, plugged into `lagesbild` (entry-point group `lagesbild.commands`): serve and demo."""

from __future__ import annotations

import gc
import sys

import click

from lagesbild.cli import _engine, _safe_url, _settings, db_option
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
@click.option("--db", "db_url", metavar="URL", help="Store URL for the demo (default: var/demo.sqlite).")
def demo(host: str, port: int, db_url: str | None) -> None:
    """Build a store from the bundled sample data (once) and serve the dashboard on it, open to everyone."""
    from lagesbild.demo import build_demo_store

    settings = build_demo_store(db_url)
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
                   + ("" if settings.secret_key else "; a session key made for this process only") + ".")
    waitress_serve(app.server, host=host, port=port, threads=8)
