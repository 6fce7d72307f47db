"""Print how fast the loaders write `--scale` sample data into SQLite (and PostgreSQL when reachable)."""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from lagesbild.samples import write_sample_data
from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade
from loaders.load import load_file, make_context

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "lagesbild_bench"


def pg_url() -> str | None:
    """A schema of its own in the local server, or None when no server answers."""
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        admin.dispose()
    except Exception:
        return None
    return f"{PG_URL}?options=-csearch_path%3D{PG_SCHEMA}"


def bench(url: str, files: list[Path]) -> None:
    upgrade(url)
    engine, settings = make_engine(url), load_settings({}).with_db(url)
    ctx = make_context(settings)
    total_rows, started = 0, time.perf_counter()
    for path in files:
        t0 = time.perf_counter()
        report = load_file(engine, path, settings, ctx=ctx)
        seconds = time.perf_counter() - t0
        total_rows += report.rows_read
        rate = report.rows_read / seconds
        print(f"  {path.name:<45} {report.rows_read:>9,} rows {seconds:7.2f} s {rate:>10,.0f} rows/s")
    seconds = time.perf_counter() - started
    print(f"  {'all files':<45} {total_rows:>9,} rows {seconds:7.2f} s {total_rows / seconds:>10,.0f} rows/s")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=100.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        files = write_sample_data(Path(tmp) / "data", scale=args.scale)
        print(f"sample data at scale {args.scale:g}: {len(files)} files in {time.perf_counter() - t0:.1f} s")
        print("SQLite:")
        bench(sqlite_url(Path(tmp) / "bench.sqlite"), files)
        url = pg_url()
        if url:
            print("PostgreSQL:")
            bench(url, files)
        else:
            print("PostgreSQL: no server at 127.0.0.1:5432, skipped")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
