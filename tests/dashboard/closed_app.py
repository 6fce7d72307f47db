"""The session's app closed (login required) for a test, and logging in to it through its form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import flask

from dashboard import auth
from lagesbild.accounts import recent_audit

ORIGIN = {"Origin": "http://localhost"}


@contextmanager
def closed_app(dash_app, **settings) -> Iterator[flask.Flask]:
    """Inside: the app needs a login, with `settings` changed (e.g. trusted_proxy) for the while."""
    config = dash_app.server.config
    saved = config[auth.OPEN_KEY], config[auth.SETTINGS_KEY]
    config[auth.OPEN_KEY] = False
    config[auth.SETTINGS_KEY] = replace(saved[1], **settings)
    try:
        yield dash_app.server
    finally:
        config[auth.OPEN_KEY], config[auth.SETTINGS_KEY] = saved


def csrf_token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)


def login(client, username: str, password: str, next_path: str = "/handelser", address: str = "127.0.0.1"):
    """POST the login form from `address` (each test that fails logins on purpose takes an address of its own, as the
    server throttles by address)."""
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client),
                                       "next": next_path}, environ_base={"REMOTE_ADDR": address})


def logout(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client)}, headers=ORIGIN)


def last_audit(engine, username: str) -> dict:
    return next(row for row in recent_audit(engine) if row["username"] == username)
