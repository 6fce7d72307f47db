"""Shared fixtures: a fresh store per test on SQLite (and PostgreSQL when LAGESBILD_TEST_PG_URL is set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade

TESTS_DIR = Path(__file__).parent
DATA_DIR = TESTS_DIR / "data"
PG_URL = os.environ.get("LAGESBILD_TEST_PG_URL")
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
