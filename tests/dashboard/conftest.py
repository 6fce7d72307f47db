"""Dashboard fixtures: one app per session on an empty SQLite store, served in a thread; headless Chromium."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from dashboard.app import create_app
from lagesbild.settings import load_settings
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 (re-exported; the `chromium` fixture is there too)

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def dash_app(dashboard_store_url):
    """The one app of the session: `dash.callback` registers globally, so a second app would lose them."""
    return create_app(load_settings({}).with_db(dashboard_store_url), open_demo=True)


@pytest.fixture(scope="session")
def live_server(dash_app):
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@dataclass
class Browsing:
    """A page plus what went wrong on it: console errors, uncaught exceptions, requests off this machine."""

    page: object
    base: str
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")
        self.page.wait_for_selector(".page-title")

    def settle(self) -> None:
        self.page.wait_for_load_state("networkidle")

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.external == [], self.external


@pytest.fixture
def browsing(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    page = context.new_page()
    seen = Browsing(page, live_server)
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    page.on("request", lambda req: None if _is_local(req.url) else seen.external.append(req.url))
    yield seen
    context.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS
