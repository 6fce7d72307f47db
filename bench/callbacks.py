"""Print p50/p95 latency of each page's routing callback, end to end through the Flask stack, per store size.

The routing callback renders a page's `layout(lang, **query)` when the URL changes; it is timed as the browser calls
it: Flask's test client POSTs the browser's payload to /_dash-update-component, logged in (on the stores the bench
builds, with a throwaway account of each role: an admin sees every number, a partner's pages go through the
small-count rule) or in open demo mode (`--db`, whose store is never written to). Each store and role is benched in a
process of its own: one Dash app per process, and no caches carried over from another run.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import pstats
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dash
from sqlalchemy import make_url

from dashboard.app import create_app
from lagesbild import accounts
from lagesbild.demo import build_demo_store
from lagesbild.samples import write_sample_data
from lagesbild.settings import Settings, load_settings, sqlite_url
from lagesbild.store.db import make_engine, upgrade
from loaders.load import load_file, make_context

GOAL_P95_MS = 150.0  # on the sample store
SAMPLE = "sample store"
UPDATE_URL = "/_dash-update-component"
FILTERS = {  # no survey wave ends in Jan-Jun 2024: with place+months, /trygghet times its empty state
    "none": "",
    "place": "?place=tantolunden",
    "place+months": "?place=tantolunden&from=2024-01&to=2024-06",
    "year": "?from=2024-01&to=2024-12",
}
ORIGIN = "http://localhost"  # the test client's host: callbacks are refused without a same-origin Origin header
HEADERS = {"Accept": "application/json", "Content-Type": "application/json", "Origin": ORIGIN}
BENCH_USER = "bench"
ROLES = ("admin", "partner")  # every number / small counts hidden (lagesbild/config/area.yaml small_counts)
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CONFIG_RE = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


def routing_payload(pathname: str, search: str, lang: str = "sv") -> dict:
    """What the browser POSTs when the URL changes (captured from headless Chromium with Playwright, Dash 4.4)."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search},
                   {"id": "shell-lang", "property": "value", "value": lang}],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        "parsedChangedPropsIds": ["_pages_location.pathname", "_pages_location.search"],
    }


class CallbackFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Timing:
    page: str
    filter: str
    p50_ms: float = float("nan")
    p95_ms: float = float("nan")
    cpu_p50_ms: float = float("nan")
    cpu_p95_ms: float = float("nan")
    kb: float = float("nan")
    error: str | None = None


def page_paths() -> list[str]:
    return [page["path"] for page in sorted(dash.page_registry.values(), key=lambda page: page["order"])]


class Bench:
    """The app over one store (one per process: `dash.callback` registers globally), and a browser-like client."""

    def __init__(self, settings: Settings, role: str | None, gc_freeze: bool = False):
        self.app = create_app(settings, open_demo=role is None)
        self.gc_freeze = gc_freeze
        self.client = self.app.server.test_client()
        if role:
            self.log_in(settings, role)
        # The browser echoes the page load's signed endId on every callback request; so do we.
        page = self.client.get("/").get_data(as_text=True)
        end_id = json.loads(CONFIG_RE.search(page)[1]).get("end_id")
        self.url = f"{UPDATE_URL}?endId={end_id}" if end_id else UPDATE_URL

    def log_in(self, settings: Settings, role: str) -> None:
        """A throwaway account of `role` in the store, logged in through the login form like a person."""
        password = secrets.token_urlsafe(24)
        upgrade(settings.db_url)  # a store built before accounts existed gets its users table
        user = f"{BENCH_USER}-{role}-{secrets.token_hex(4)}"  # a store may be benched again
        accounts.add_user(make_engine(settings.db_url), user, password, role)
        token = CSRF_RE.search(self.client.get("/login").get_data(as_text=True))[1]
        form = {"csrf_token": token, "username": user, "password": password, "next": "/"}
        if self.client.post("/login", data=form, headers={"Origin": ORIGIN}).status_code != 302:
            raise SystemExit("could not log in to the bench's own store")

    def post(self, payload: dict) -> bytes:
        response = self.client.post(self.url, data=json.dumps(payload), headers=HEADERS)
        if response.status_code != 200:
            raise CallbackFailed(f"HTTP {response.status_code}")
        return response.data

    def run(self, runs: int, warmups: int) -> list[Timing]:
        """Every page and filter once per round, so a burst of load elsewhere on the machine hits all of them alike.
        A page that fails (HTTP 500) is reported as such and left out of the rounds."""
        cases = [(path, name, routing_payload(path, search))
                 for path in page_paths() for name, search in FILTERS.items()]
        failed = {case[:2]: error for case in cases if (error := self.warm_up(case[2], warmups))}
        cases = [case for case in cases if case[:2] not in failed]
        if self.gc_freeze:
            gc.collect()
            gc.freeze()  # what start-up left behind is never scanned again: no long full-collection pauses
        seconds: list[list[float]] = [[] for _ in cases]
        cpu: list[list[float]] = [[] for _ in cases]
        sizes = [0] * len(cases)
        for done in range(1, runs + 1):
            for index, (_, _, payload) in enumerate(cases):
                started, started_cpu = time.perf_counter(), time.thread_time()
                sizes[index] = len(self.post(payload))
                seconds[index].append(time.perf_counter() - started)
                cpu[index].append(time.thread_time() - started_cpu)
            if done % 10 == 0 or done == runs:
                print(f"  {done}/{runs} rounds", flush=True)
        timed = {(path, name): Timing(path, name, *percentiles_ms(wall), *percentiles_ms(busy), size / 1024)
                 for (path, name, _), wall, busy, size in zip(cases, seconds, cpu, sizes, strict=True)}
        timed |= {key: Timing(*key, error=error) for key, error in failed.items()}
        return [timed[path, name] for path in page_paths() for name in FILTERS]

    def warm_up(self, payload: dict, warmups: int) -> str | None:
        try:
            for _ in range(warmups):
                self.post(payload)
        except CallbackFailed as failure:
            return str(failure)
        return None

    def profile(self, path: str, search: str, runs: int = 10, everything: bool = False) -> str:
        payload = routing_payload(path, search)
        self.post(payload)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            self.post(payload)
        profiler.disable()
        out = io.StringIO()
        if everything:  # where the time goes inside the libraries too (Plotly's validation, folium's templates)
            out.write(f"cProfile of {path}{search}, {runs} requests, own time, every function:\n")
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
            return out.getvalue()
        out.write(f"cProfile of {path}{search}, {runs} requests, cumulative time, the project's code only:\n")
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"/(dashboard|lagesbild)/", 40)
        return out.getvalue()


def percentiles_ms(seconds: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


HEAD = f"{'page':<13} {'filter':<13} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8} {'resp KB':>8}"


def row(timing: Timing) -> str:
    if timing.error:
        return f"{timing.page:<13} {timing.filter:<13} {'failed: ' + timing.error:>26}"
    return (f"{timing.page:<13} {timing.filter:<13} {timing.p50_ms:>8.1f} {timing.p95_ms:>8.1f} "
            f"{timing.cpu_p50_ms:>8.1f} {timing.cpu_p95_ms:>8.1f} {timing.kb:>8.1f}")


def print_table(title: str, timings: list[Timing]) -> None:
    """Wall time is what a user waits; cpu is this thread's CPU time (SQLite runs in it, PostgreSQL does not), which
    load elsewhere on the machine cannot inflate: a p95 far above its cpu p95 means the machine was busy."""
    print(f"\n{title}\n{HEAD}\n{'-' * len(HEAD)}")
    for timing in timings:
        print(row(timing))


def print_goal(timings: list[Timing]) -> None:
    print(f"\ngoal: p95 < {GOAL_P95_MS:.0f} ms on the sample store, for every filter")
    for label, attribute in (("wall time", "p95_ms"), ("cpu time", "cpu_p95_ms")):
        worst: dict[str, float] = {}
        for timing in timings:
            p95 = math.inf if timing.error else getattr(timing, attribute)
            worst[timing.page] = max(worst.get(timing.page, 0.0), p95)
        meets = [page for page, p95 in worst.items() if p95 < GOAL_P95_MS]
        misses = [f"{page} ({'failed' if math.isinf(p95) else f'{p95:.0f} ms'})"
                  for page, p95 in worst.items() if p95 >= GOAL_P95_MS]
        print(f"  {label}: meet it: {', '.join(meets) or 'none'}; miss it (worst p95): {', '.join(misses) or 'none'}")


def settings_for(url: str) -> Settings:
    return load_settings({}).with_db(url)


def sample_store(directory: Path) -> Settings:
    started = time.perf_counter()
    settings = build_demo_store(sqlite_url(directory / "sample.sqlite"))
    print(f"sample store built in {time.perf_counter() - started:.1f} s")
    return settings


def scaled_store(directory: Path, scale: float) -> Settings:
    """Sample data written at `scale` and every file loaded into a fresh SQLite store."""
    started = time.perf_counter()
    files = write_sample_data(directory / f"data-{scale:g}", scale=scale)
    written = time.perf_counter()
    settings = settings_for(sqlite_url(directory / f"scale-{scale:g}.sqlite"))
    upgrade(settings.db_url)
    engine, ctx = make_engine(settings.db_url), make_context(settings)
    rows = sum(load_file(engine, path, settings, ctx=ctx).rows_read for path in files)
    engine.dispose()
    print(f"scale {scale:g} store: {rows:,} rows; written in {written - started:.0f} s, "
          f"loaded in {time.perf_counter() - written:.0f} s")
    return settings


def bench_store(title: str, url: str, args: argparse.Namespace) -> None:
    bench = Bench(settings_for(url), args.login, args.gc_freeze)
    mode = f"logged in as {args.login}" if args.login else "open demo mode"
    print(f"{title} ({mode}): {args.runs} runs after {args.warmups} warm-ups per page and filter", flush=True)
    timings = bench.run(args.runs, args.warmups)
    print_table(title, timings)
    if title.startswith(SAMPLE):
        print_goal(timings)
    if args.profile:
        print(bench.profile(args.profile, "", everything=args.profile_all))


def in_own_process(title: str, url: str, role: str, args: argparse.Namespace) -> None:
    command = [sys.executable, __file__, "--db", url, "--title", f"{title}, {role}", "--login", role,
               "--runs", str(args.runs),
               "--warmups", str(args.warmups), "--gc-freeze" if args.gc_freeze else "--no-gc-freeze",
               *(["--profile", args.profile] if args.profile else []),
               *(["--profile-all"] if args.profile_all else [])]
    subprocess.run(command, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=100.0, help="size of the large store (default 100)")
    parser.add_argument("--skip-large", action="store_true", help="bench the sample store only")
    parser.add_argument("--db", help="bench this existing store instead (SQLAlchemy URL), in open demo mode")
    parser.add_argument("--login", choices=ROLES, metavar="ROLE",
                        help="with --db: add a user 'bench-ROLE-…' (admin or partner) to the store and log in as it "
                             "(only for a throwaway store)")
    parser.add_argument("--roles", nargs="+", choices=ROLES, default=list(ROLES),
                        help="the roles the built stores are benched as (default: admin partner)")
    parser.add_argument("--title", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page and filter (default 30)")
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--profile", metavar="PATH", help="also print a cProfile of this page (no filter)")
    parser.add_argument("--profile-all", action="store_true",
                        help="with --profile: every function by its own time, libraries included")
    parser.add_argument("--gc-freeze", action=argparse.BooleanOptionalAction, default=True,
                        help="gc.freeze() after the warm-ups, as `lagesbild serve` does after start-up (default); "
                             "--no-gc-freeze shows what the collector's full passes over start-up objects cost")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2 (percentiles need two samples)")
    if args.db:
        bench_store(args.title or "store " + make_url(args.db).render_as_string(hide_password=True), args.db, args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        sample = sample_store(Path(tmp)).db_url
        for role in args.roles:
            in_own_process(SAMPLE, sample, role, args)
        if not args.skip_large:
            scaled = scaled_store(Path(tmp), args.scale).db_url
            for role in args.roles:
                in_own_process(f"scale {args.scale:g} store", scaled, role, args)


if __name__ == "__main__":
    main()
