"""Print how fast the loaders write `--scale` sample data into SQLite (and PostgreSQL when reachable).

Per backend and file: rows read per second of `load_file`, and a floor measured in the same run on the same
machine: the rows that load inserted, inserted again by a plain `executemany` (values ready, one transaction,
SQLite's page cache as large as the loader's) into an empty table of the same schema and indexes; the ratio is
the load's rate over the floor's. Each backend's loads run in a process of their own, whose peak memory (max RSS)
is printed.

On a shared machine the wall clock says as much about the neighbours as about the loader, so each rate is also
given per CPU-second: the loading process's own CPU time, plus (PostgreSQL) that of the server processes serving
its connections, read from /proc (`application_name` marks them); the floor is counted the same way.
PostgreSQL: `LAGESBILD_BENCH_PG_URL` (default the local server's database `test`), in schemas of their own.
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
LOADER_APP, FLOOR_APP = "lagesbild_bench_load", "lagesbild_bench_floor"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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
    url = with_application_name(url, LOADER_APP)
    engine, settings = make_engine(url), load_settings({}).with_db(url)
    ctx = make_context(settings)
    for name in files:
        started, cpu, server = time.perf_counter(), time.process_time(), server_cpu(engine, LOADER_APP)
        report = load_file(engine, Path(name), settings, ctx=ctx)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu + server_cpu(engine, LOADER_APP) - server
        print(json.dumps({"file": Path(name).name, "kind": report.kind, "load_id": report.load_id,
                          "rows": report.rows_read, "inserted": report.inserted, "seconds": seconds,
                          "cpu": cpu_seconds}), flush=True)
    print(json.dumps({"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


def with_application_name(url: str, name: str) -> str:
    if not url.startswith("postgresql"):
        return url
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def server_cpu(engine, application: str) -> float:
    """CPU seconds used so far by the PostgreSQL server processes of connections named `application` (this
    machine's server: their /proc entries); 0 for SQLite, whose work is the loading process's own."""
    if engine.dialect.name != "postgresql":
        return 0.0
    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = :a"),
                            {"a": application}).scalars().all()
    return sum(_process_cpu(pid) for pid in pids)


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def floor(source_url: str, floor_url: str, kind: str, load_id: int) -> tuple[float, float]:
    """Seconds, and CPU-seconds, for a plain executemany of the rows load `load_id` inserted, into an empty table
    like its own."""
    upgrade(floor_url)
    table = FACT_TABLES[kind]
    names = [c.name for c in table.c]
    source, target = make_engine(source_url), make_engine(with_application_name(floor_url, FLOOR_APP))
    seconds = cpu = 0.0
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
        server = server_cpu(target, FLOOR_APP)
        while rows := cursor.fetchmany(FLOOR_CHUNK):
            started, used = time.perf_counter(), time.process_time()
            out.executemany(statement, rows)
            seconds, cpu = seconds + time.perf_counter() - started, cpu + time.process_time() - used
        started, used = time.perf_counter(), time.process_time()
        write.connection.dbapi_connection.commit()
        seconds, cpu = seconds + time.perf_counter() - started, cpu + time.process_time() - used
        cpu += server_cpu(target, FLOOR_APP) - server
    source.dispose()
    target.dispose()
    return seconds, cpu


def bench(label: str, url: str, floor_url, files: list[Path]) -> None:
    print(f"{label}:  rows/s (wall clock) | rows per CPU-second; floor the same; ratio = load / floor")
    child = subprocess.run([sys.executable, __file__, "--run", url, *map(str, files)], capture_output=True, text=True)
    if child.returncode:
        print(child.stderr[-3000:])
        return
    results = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    peak = results.pop()["peak_mib"]
    total_rows = total_seconds = total_cpu = 0.0
    for r in results:
        rate, cpu_rate = r["rows"] / r["seconds"], r["rows"] / max(r["cpu"], 1e-9)
        total_rows, total_seconds = total_rows + r["rows"], total_seconds + r["seconds"]
        total_cpu += r["cpu"]
        line = (f"  {r['file']:<42} {r['rows']:>9,} rows {r['seconds']:6.1f} s {rate:>8,.0f}/s | "
                f"{r['cpu']:6.1f} cpu-s {cpu_rate:>8,.0f}/cpu-s")
        if r["inserted"] and r["load_id"]:
            seconds, cpu = floor(url, floor_url(), r["kind"], r["load_id"])
            floor_rate, floor_cpu_rate = r["inserted"] / seconds, r["inserted"] / max(cpu, 1e-9)
            line += (f"   floor {floor_rate:>8,.0f}/s | {floor_cpu_rate:>8,.0f}/cpu-s ({r['inserted']:,} rows), "
                     f"ratio {rate / floor_rate:.2f} | {cpu_rate / floor_cpu_rate:.2f}")
        print(line)
    print(f"  {'all files':<42} {int(total_rows):>9,} rows {total_seconds:6.1f} s "
          f"{total_rows / total_seconds:>8,.0f}/s | {total_cpu:6.1f} cpu-s {total_rows / total_cpu:>8,.0f}/cpu-s")
    print(f"  peak memory of the loading process (max RSS): {peak:,.0f} MiB")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--run":
        run_loads(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=100.0)
    parser.add_argument("--data", type=Path, help="load the sample files already in this folder (written with "
                        "`lagesbild sample-data DIR --scale X`) instead of writing them afresh")
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        if args.data:
            files = sorted(p for p in args.data.iterdir() if p.suffix in (".csv", ".json", ".xlsx"))
            print(f"sample data in {args.data}: {len(files)} files")
        else:
            files = write_sample_data(Path(tmp) / "data", scale=args.scale)
            print(f"sample data at scale {args.scale:g}: {len(files)} files in {time.perf_counter() - started:.1f} s")
        counter = iter(range(1000))
        if args.backend != "postgresql":
            bench("SQLite", sqlite_url(Path(tmp) / "bench.sqlite"),
                  lambda: sqlite_url(Path(tmp) / f"floor{next(counter)}.sqlite"), files)
        if args.backend == "sqlite":
            return
        url = pg_url("lagesbild_bench")
        if url:
            bench("PostgreSQL", url, lambda: pg_url(f"lagesbild_bench_floor{next(counter)}"), files)
        else:
            print("PostgreSQL: no server answers at LAGESBILD_BENCH_PG_URL, skipped")


if __name__ == "__main__":
    main()
