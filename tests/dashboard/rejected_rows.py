"""A copy of the sample store holding rejected rows whose reasons quote raw values, for the Data page's and the
report's tests (real rows in real tables: the pages read them through lagesbild.reads).

est.csv Datum 3 + 1 = 4 is small, and the file's other columns are a total away from it, so the smallest of them
(the whole-row problems, 7) goes too.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import insert

from lagesbild.store.db import make_engine
from lagesbild.store.schema import loads, rejected_rows
from tests.dashboard.roles import copy_store

# (file, column, reason, rows): what queries.rejection_reasons groups them into
REJECTED = (
    ("est.csv", "Datum", "not a date (expected e.g. 2023-05-01): '2024-13-45'", 3),
    ("est.csv", "Tid", "not a time (expected e.g. 21:14): '25:61'", 12),
    ("est.csv", None, "a coordinate pair needs both latitude and longitude", 7),
    ("polis.json", "Latitud", "coordinate 61.2 outside 59.3..59.4", 40),
    ("est.csv", "Datum", "not a date (expected e.g. 2023-05-01): 'igår'", 1),
)
RAW_VALUES = ("2024-13-45", "25:61", "61.2", "igår", "not a date", "coordinate")


def store_with_rejections(sample_url: str, directory: Path) -> str:
    """A copy of the store at `sample_url` with two partial loads whose rejected rows are REJECTED; its URL."""
    url = copy_store(sample_url, directory / "rejected.sqlite")
    engine = make_engine(url)
    stamp = datetime(2026, 1, 20, 9, 0)
    with engine.begin() as conn:
        ids = {}
        for index, name in enumerate(("est.csv", "polis.json")):
            rejected = sum(rows for file, _, _, rows in REJECTED if file == name)
            ids[name] = conn.execute(insert(loads).values(
                kind="incidents", source="incident-log", file_name=name, sha256=f"{index:064d}", loader_version="test",
                started_at=stamp, finished_at=stamp, status="partial", rows_read=rejected, rows_rejected=rejected,
                report={})).inserted_primary_key[0]
        number = 0
        for file, column, reason, rows in REJECTED:
            for _ in range(rows):
                number += 1
                conn.execute(insert(rejected_rows).values(load_id=ids[file], row_number=number, column=column,
                                                          value=None, reason=reason, raw={}))
    engine.dispose()
    return url
