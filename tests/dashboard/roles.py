"""Rendering a page as a user of a given role, in a request to the session's app, without a browser; on a copy
of the sample store where a test has made a count small."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask_login import login_user

from dashboard import app_context as context
from dashboard import auth
from lagesbild.config import load_config
from lagesbild.disclosure import Viewer
from lagesbild.reads import Reads
from lagesbild.settings import load_settings, sqlite_url


@contextmanager
def as_role(dash_app, role: str) -> Iterator[None]:
    """Inside: a request of a logged-in `role` user to the app, closed (not the open demo) for the while."""
    server = dash_app.server
    saved = server.config[auth.OPEN_KEY]
    server.config[auth.OPEN_KEY] = False
    try:
        with server.test_request_context("/"):
            login_user(auth.User(f"test-{role}", role))
            yield
    finally:
        server.config[auth.OPEN_KEY] = saved


@contextmanager
def on_store(dash_app, url: str) -> Iterator[None]:
    """The app reading another store for the while."""
    server = dash_app.server
    saved = server.config[context.CONFIG_KEY]
    server.config[context.CONFIG_KEY] = dataclasses.replace(saved, settings=saved.settings.with_db(url))
    try:
        yield
    finally:
        server.config[context.CONFIG_KEY] = saved


def copy_store(url: str, target: Path) -> str:
    """A copy of a SQLite store (through SQLite's backup: the store is in WAL mode, and a file copy could miss what
    the log still holds); its URL."""
    live, copy = sqlite3.connect(url.removeprefix("sqlite:///")), sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        live.close()
        copy.close()
    return sqlite_url(target)


def reads_for(role: str | None, engine, settings=None) -> Reads:
    """The store as a viewer of `role` reads it (None: a reader of every number, as the command line is)."""
    config = load_config(settings or load_settings({}))
    viewer = Viewer.unrestricted("cli") if role is None else Viewer.of_role(role, config.area.small_counts)
    return Reads(engine, viewer)


def report_for(role: str | None, engine, settings, *args, **kwargs):
    """The lägesrapport as a viewer of `role` reads the store (None: the command line's reader of every number)."""
    from lagesbild.report.build import build_report

    return build_report(reads_for(role, engine, settings), load_config(settings), *args, **kwargs)
