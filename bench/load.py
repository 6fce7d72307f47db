"""Print how fast the loaders write `--scale` sample data into SQLite (and PostgreSQL when reachable).

Per backend and file: rows read per second of `load_file`, and a floor measured in the same run on the same
machine: the rows that load inserted, inserted again by a plain `executemany` (values ready, one transaction,
SQLite's page cache as large as the loader's) into an empty table of the same schema and indexes; the ratio is
the load's rate over the floor's. Each
backend's loads run in a process of their own, whose peak memory (max RSS) is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from lagesbild.samples import write_sample_data
from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade
from lagesbild.store.schema import FACT_TABLES, loads
from loaders.load import load_file, make_context
from loaders.pipeline import SQLITE_LOAD_CACHE_KIB, sync_places
from loaders.places import PlaceResolver

PG_URL = os.environ.get("LAGESBILD_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FLOOR_CHUNK = 20_000


def pg_url(schema: str) -> str | None:
    """A schema of its own in the local server, or None when no server answers."""
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
    except Exception:
        return None
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def run_loads(url: str, files: list[str]) -> None:
    """In a child process: load every file, print one JSON line per file and the process's peak memory."""
    upgrade(url)
    engine, settings = make_engine(url), load_settings({}).with_db(url)
    ctx = make_context(settings)
    for name in files:
        started = time.perf_counter()
        report = load_file(engine, Path(name), settings, ctx=ctx)
        seconds = time.perf_counter() - started
        print(json.dumps({"file": Path(name).name, "kind": report.kind, "load_id": report.load_id,
                          "rows": report.rows_read, "inserted": report.inserted, "seconds": seconds}), flush=True)
    print(json.dumps({"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


def floor(source_url: str, floor_url: str, kind: str, load_id: int) -> float:
    """Seconds for a plain executemany of the rows load `load_id` inserted, into an empty table like its own."""
    upgrade(floor_url)
    table = FACT_TABLES[kind]
    names = [c.name for c in table.c]
    source, target = make_engine(source_url), make_engine(floor_url)
    seconds = 0.0
    with source.connect() as read, target.connect() as write:
        load_row = read.execute(loads.select().where(loads.c.id == load_id)).mappings().one()
        write.execute(loads.insert().values({k: v for k, v in load_row.items() if k not in ("live",)}))
        sync_places(write, PlaceResolver.from_geojson(load_settings({}).places_file))
        write.commit()
        cursor = read.connection.dbapi_connection.cursor()
        cursor.execute(f"SELECT {', '.join(names)} FROM {table.name} WHERE load_id = {int(load_id)} ORDER BY id")
        marks = ", ".join(["?" if write.dialect.name == "sqlite" else "%s"] * len(names))
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        out = write.connection.dbapi_connection.cursor()
        if write.dialect.name == "sqlite":
            out.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")  # as the loader has it
            out.execute("BEGIN")
        while rows := cursor.fetchmany(FLOOR_CHUNK):
            started = time.perf_counter()
            out.executemany(statement, rows)
            seconds += time.perf_counter() - started
        started = time.perf_counter()
        write.connection.dbapi_connection.commit()
        seconds += time.perf_counter() - started
    source.dispose()
    target.dispose()
    return seconds


def bench(label: str, url: str, floor_url, files: list[Path]) -> None:
    print(f"{label}:")
    child = subprocess.run([sys.executable, __file__, "--run", url, *map(str, files)], capture_output=True, text=True)
    if child.returncode:
        print(child.stderr[-3000:])
        return
    results = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    peak = results.pop()["peak_mib"]
    total_rows = total_seconds = 0.0
    for r in results:
        rate = r["rows"] / r["seconds"]
        total_rows, total_seconds = total_rows + r["rows"], total_seconds + r["seconds"]
        line = f"  {r['file']:<42} {r['rows']:>9,} rows {r['seconds']:7.1f} s {rate:>9,.0f} rows/s"
        if r["inserted"] and r["load_id"]:
            seconds = floor(url, floor_url(), r["kind"], r["load_id"])
            floor_rate = r["inserted"] / seconds
            line += f"   floor {floor_rate:>9,.0f} rows/s ({r['inserted']:,} rows), ratio {rate / floor_rate:.2f}"
        print(line)
    print(f"  {'all files':<42} {int(total_rows):>9,} rows {total_seconds:7.1f} s "
          f"{total_rows / total_seconds:>9,.0f} rows/s")
    print(f"  peak memory of the loading process (max RSS): {peak:,.0f} MiB")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--run":
        run_loads(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=100.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        files = write_sample_data(Path(tmp) / "data", scale=args.scale)
        print(f"sample data at scale {args.scale:g}: {len(files)} files in {time.perf_counter() - started:.1f} s")
        counter = iter(range(1000))
        bench("SQLite", sqlite_url(Path(tmp) / "bench.sqlite"),
              lambda: sqlite_url(Path(tmp) / f"floor{next(counter)}.sqlite"), files)
        url = pg_url("lagesbild_bench")
        if url:
            bench("PostgreSQL", url, lambda: pg_url(f"lagesbild_bench_floor{next(counter)}"), files)
        else:
            print("PostgreSQL: no server at 127.0.0.1:5432, skipped")


if __name__ == "__main__":
    main()
