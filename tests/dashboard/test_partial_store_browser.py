"""Pages over an empty store and over one where only incidents were ever loaded: explanations, never errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lagesbild.settings import sqlite_url
from lagesbild.store.db import upgrade
from tests.dashboard.login import add_account, log_in, serve_env
from tests.test_serve import free_port, wait_for

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
PAGES = ["/", "/handelser", "/uppsokande", "/aktiviteter", "/trygghet", "/karta", "/effekt", "/data"]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two real `lagesbild serve` processes: one on an empty store, one on incidents only."""
    running = {}
    for name, files in (("empty", []), ("incidents", [SAMPLE / "est_rapporter_2021-2025.csv"])):
        url = sqlite_url(tmp_path_factory.mktemp(name) / "store.sqlite")
        upgrade(url)
        for path in files:
            subprocess.run([sys.executable, "-m", "lagesbild", "load", str(path), "--db", url], check=True,
                           capture_output=True)
        add_account(url)
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", url, "--port", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=serve_env())
        running[name] = (process, f"http://127.0.0.1:{port}")
        wait_for(running[name][1] + "/")
    yield {name: base for name, (_, base) in running.items()}
    for process, _ in running.values():
        process.terminate()
        process.wait(timeout=10)


def visit(chromium, url: str):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    parts = urlsplit(url)
    log_in(page, f"{parts.scheme}://{parts.netloc}", parts.path or "/")
    page.wait_for_selector(".page-title")
    return context, page, errors


@pytest.mark.parametrize("path", PAGES)
def test_an_empty_store_explains_itself_on_every_page(chromium, servers, path):
    context, page, errors = visit(chromium, servers["empty"] + path)
    try:
        page.wait_for_selector(".empty-state")
        assert "Ingen data inläst ännu" in page.inner_text(".empty-state")
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/uppsokande", "/aktiviteter", "/trygghet"])
def test_a_source_never_loaded_is_explained(chromium, servers, path):
    context, page, errors = visit(chromium, servers["incidents"] + path)
    try:
        page.wait_for_selector(".empty-state")
        assert page.locator(".js-plotly-plot").count() == 0  # no empty axes
        assert errors == []
    finally:
        context.close()


def test_the_loaded_source_still_shows_its_charts(chromium, servers):
    context, page, errors = visit(chromium, servers["incidents"] + "/handelser")
    try:
        page.wait_for_selector(".js-plotly-plot")
        assert page.locator(".empty-state").count() == 0
        assert errors == []
    finally:
        context.close()
