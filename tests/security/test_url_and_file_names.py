"""SQL and path tricks in URL parameters, export routes and loader file names: a notice or a clear 400, never an
error page, the store untouched; a file name is stored as it is and nothing is written anywhere else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from lagesbild.store.schema import loads
from loaders.load import load_file
from tests.loaders.helpers import counts
from tests.security.conftest import Watched, logged_in
from tests.security.hostile_corpus import EXPORT_ROUTES, FILE_NAMES, PAGES, URL_QUERIES, incidents_csv


@pytest.fixture(scope="module")
def store_counts(hostile_store):
    from lagesbild.store.db import make_engine

    engine = make_engine(hostile_store)
    yield lambda: counts(engine)
    engine.dispose()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("case", URL_QUERIES, ids=[c.name for c in URL_QUERIES])
def test_url_tricks_give_a_notice_on_every_page(hostile_browser, server, store_counts, case):
    before = store_counts()
    watched = Watched(hostile_browser, server)
    try:
        for path in PAGES:
            watched.open(path + case.content)
            notice = watched.page.locator("#shell-notice")
            notice.wait_for(state="visible")
            assert notice.inner_text().strip(), path
            watched.assert_nothing_injected()
            assert watched.errors == [], (path, watched.errors)
    finally:
        watched.close()
    assert store_counts() == before


@pytest.mark.slow
@pytest.mark.parametrize("case", EXPORT_ROUTES, ids=[c.name for c in EXPORT_ROUTES])
def test_export_routes_refuse_foreign_paths(server, case):
    session = logged_in(server)
    assert session.get(server + case.content, timeout=30, allow_redirects=False).status_code == 400


def files_in(directory: Path) -> list[Path]:
    """Every file under the test's directory but the store's own (SQLite adds its journal files)."""
    return sorted(p for p in directory.rglob("*") if not p.name.startswith("store.sqlite"))


@pytest.mark.parametrize("case", FILE_NAMES, ids=[c.name for c in FILE_NAMES])
def test_file_names_are_stored_literally_and_nothing_is_written_elsewhere(engine, settings, tmp_path, case):
    inbox = tmp_path / "a" / "b"
    inbox.mkdir(parents=True)
    if case.name == "dot-dot":  # the name as given: a path that climbs out of the inbox to a real file
        (tmp_path / "x.csv").write_bytes(incidents_csv())
        path, stored = Path(str(inbox) + os.sep + case.content), "x.csv"
    else:
        path, stored = inbox / case.content, case.content
        path.write_bytes(incidents_csv())
    before = files_in(tmp_path)
    report = load_file(engine, path, settings, kind="incidents", skip_invalid=True)
    assert report.file == stored
    with engine.connect() as conn:
        assert list(conn.execute(select(loads.c.file_name)).scalars()) == [stored]
    assert files_in(tmp_path) == before
