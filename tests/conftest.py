"""Shared fixtures: a fresh store per test on SQLite (and PostgreSQL when LAGESBILD_TEST_PG_URL is set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lagesbild.demo import build_demo_store
from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade

TESTS_DIR = Path(__file__).parent
DATA_DIR = TESTS_DIR / "data"
PG_URL = os.environ.get("LAGESBILD_TEST_PG_URL")
# Pages are drawn afresh in tests (and in servers they start): a test that changes the store or patches a read must
# see its change. tests/dashboard/test_render_cache.py turns the cache on where it is the subject.
os.environ["LAGESBILD_RENDER_CACHE"] = "off"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="no PostgreSQL"))]


def _fresh_pg_url(name: str) -> str:
    """A schema of its own per test, so runs never see each other's rows; the URL pins search_path to it."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    admin.dispose()
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{name}"


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "store.sqlite")
    else:
        url = _fresh_pg_url(f"lagesbild_test_{os.getpid()}")
    upgrade(url)
    return url


@pytest.fixture
def engine(store_url):
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(store_url):
    return load_settings({}).with_db(store_url)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session: Playwright's sync API runs one instance per process."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def dashboard_store_url(tmp_path_factory) -> str:
    """The bundled sample data loaded once: the fixed store the dashboard's expected values come from."""
    url = sqlite_url(tmp_path_factory.mktemp("dashboard") / "store.sqlite")
    build_demo_store(url)
    return url


@pytest.fixture(scope="session")
def sample_engine(dashboard_store_url):
    return make_engine(dashboard_store_url)
