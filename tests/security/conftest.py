"""A real `python -m lagesbild serve` on the sample store plus the hostile files, an account to log in with,
Chromium."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import requests

from lagesbild.demo import build_demo_store
from lagesbild.settings import sqlite_url
from lagesbild.store.db import make_engine
from loaders.load import load_file
from tests.security.hostile_corpus import INJECTED, write_hostile_files
from tests.test_serve import free_port, wait_for

USER, PASSWORD = "granskare", "hostile-corpus-password-1"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> str:
    directory = tmp_path_factory.mktemp("hostile")
    settings = build_demo_store(sqlite_url(directory / "store.sqlite"))
    engine = make_engine(settings.db_url)
    for path in write_hostile_files(directory / "files"):
        load_file(engine, path, settings, skip_invalid=True)
    engine.dispose()
    subprocess.run([sys.executable, "-m", "lagesbild.cli", "user", "add", USER, "--role", "admin", "--password-stdin",
                    "--db", settings.db_url], input=PASSWORD + "\n" + PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    return settings.db_url


@pytest.fixture(scope="module")
def server(hostile_store):
    port = free_port()
    env = {**os.environ, "LAGESBILD_SECRET_KEY": "hostile-corpus-session-key-0123456789abcdef"}
    process = subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", hostile_store, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/login")
        yield base
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "Traceback" not in output, output


def logged_in(base: str) -> requests.Session:
    """An HTTP session after the login form, as a browser would post it."""
    session = requests.Session()
    token = CSRF_RE.search(session.get(base + "/login", timeout=30).text)
    data = {"username": USER, "password": PASSWORD, "next": "/", "csrf_token": token[1] if token else ""}
    response = session.post(base + "/login", data=data, headers={"Origin": base, "Referer": base + "/login"},
                            timeout=30, allow_redirects=False)
    assert response.status_code in (302, 303), response.text[:300]
    return session


@pytest.fixture(scope="module")
def hostile_browser(chromium):
    """The session's one Chromium (tests/conftest.py): Playwright's sync API allows one per process."""
    return chromium


class Watched:
    """A logged-in page that records every dialog (dismissed at once) and uncaught error."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE",
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.base, self.dialogs, self.errors = base, [], []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(base + "/login")
        if self.page.locator("#username").count():
            self.page.fill("#username", USER)
            self.page.fill("#password", PASSWORD)
            self.page.locator("button[type=submit], input[type=submit]").first.click()
            self.page.wait_for_url(lambda url: "/login" not in url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")
        self.page.wait_for_selector(".page-title")
        self.page.wait_for_load_state("networkidle")

    def assert_nothing_injected(self) -> None:
        assert self.dialogs == [], self.dialogs
        for frame in self.page.frames:
            for selector in INJECTED:
                assert frame.locator(selector).count() == 0, (frame.url, selector)
            scripts = frame.evaluate("() => [...document.scripts].map(s => s.textContent).join('\\n')")
            assert "alert(1)</script>" not in scripts
            handlers = frame.evaluate("() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                                      ".filter(a => a.name.startsWith('on')).map(a => a.value)")
            assert not any("alert(1)" in value for value in handlers), handlers

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(hostile_browser, server):
    seen = Watched(hostile_browser, server)
    yield seen
    seen.close()
