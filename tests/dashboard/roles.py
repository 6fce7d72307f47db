"""Rendering a page as a user of a given role, in a request to the session's app, without a browser."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_login import login_user

from dashboard import auth


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
