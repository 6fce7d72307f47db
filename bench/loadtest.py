"""Load test on loopback: 50 users move between pages and change filters for 60 s against `lagesbild serve`.

Locust as a library (gevent users, no web UI). The store is built once at --scale (default 100) unless --db is
given; `python -m lagesbild serve` runs on it in its own process, behind its login. Each page view is what the
browser does when the URL changes: GET the page, then POST the routing callback (bench.callbacks' payload,
captured from Chromium). Prints requests/s, p50/p95/p99 latency and the error count; the goal is zero errors.

    python bench/loadtest.py --scale 10 --users 50 --seconds 60
    python bench/loadtest.py --db sqlite:////tmp/big.sqlite --user admin --password ...
"""

# ruff: noqa: I001, E402, F401 (locust comes first: importing it monkey-patches the standard library for gevent)
from __future__ import annotations

import locust
import gevent
from locust import HttpUser, between, task
from locust.env import Environment

import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.callbacks import CONFIG_RE, FILTERS, HEADERS, UPDATE_URL, routing_payload

PAGES = ["/", "/handelser", "/uppsokande", "/aktiviteter", "/trygghet", "/karta", "/data"]
PLACES = ["tantolunden", "drakenbergsparken", "hornstull", "hogalidsparken"]
MONTHS = [f"{year}-{month:02d}" for year in (2022, 2023, 2024, 2025) for month in (1, 4, 7, 10)]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
BUILD = """
import sys
from pathlib import Path
from bench.callbacks import scaled_store
print(scaled_store(Path(sys.argv[1]), float(sys.argv[2])).db_url)
"""


def random_filter() -> str:
    """A filter as people pick them: none, a place or two, a span of months, or both."""
    choice = random.random()
    if choice < 0.25:
        return ""
    parts = [f"place={p}" for p in random.sample(PLACES, random.choice((1, 1, 2)))] if choice < 0.75 else []
    if choice > 0.5:
        first, last = sorted(random.sample(MONTHS, 2))
        parts += [f"from={first}", f"to={last}"]
    return "?" + "&".join(parts) if parts else random.choice(list(FILTERS.values()))


class Viewer(HttpUser):
    """One person: logs in, then opens pages and changes the filter, a second or so apart."""

    wait_time = between(0.5, 1.5)
    username: str | None = None
    password: str | None = None

    def on_start(self) -> None:
        self.client.headers.update({"Origin": self.host, "Referer": self.host + "/"})
        if self.username:
            page = self.client.get("/login", name="/login").text
            token = CSRF_RE.search(page)
            self.client.post("/login", name="/login [POST]", allow_redirects=False,
                             data={"username": self.username, "password": self.password, "next": "/",
                                   "csrf_token": token[1] if token else ""})
        self.path, self.search, self.update_url = "/", "", UPDATE_URL

    def view(self, path: str, search: str) -> None:
        with self.client.get(path + search, name=path, catch_response=True) as response:
            config = CONFIG_RE.search(response.text or "")
            if response.status_code != 200 or config is None:
                response.failure(f"HTTP {response.status_code}: no Dash page (login needed?)")
                return
            end_id = json.loads(config[1]).get("end_id")
            self.update_url = f"{UPDATE_URL}?endId={end_id}" if end_id else UPDATE_URL
        self.callback(path, search)
        self.path, self.search = path, search

    def callback(self, path: str, search: str) -> None:
        headers = {**HEADERS, "Origin": self.host, "Referer": self.host + path + search}  # as the browser: same origin
        with self.client.post(self.update_url, data=json.dumps(routing_payload(path, search)), headers=headers,
                              name=f"{UPDATE_URL} {path}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif b'"response"' not in response.content:
                response.failure("no callback response in the body")

    @task(3)
    def open_page(self) -> None:
        self.view(random.choice(PAGES), self.search)

    @task(2)
    def change_filter(self) -> None:
        """The filter bar changes the URL's search: the browser POSTs the routing callback, no page load."""
        self.search = random_filter()
        self.callback(self.path, self.search)


def build_store(directory: Path, scale: float) -> str:
    started = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", BUILD, str(directory), str(scale)], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip().splitlines()
    print("\n".join(output[:-1]) + f"\nstore built in {time.perf_counter() - started:.0f} s")
    return output[-1]


def add_account(db_url: str) -> tuple[str, str]:
    username, password = "loadtest", secrets.token_urlsafe(18)
    subprocess.run([sys.executable, "-m", "lagesbild.cli", "user", "add", username, "--role", "styrgrupp",
                    "--password-stdin", "--db", db_url], input=f"{password}\n{password}\n", text=True, cwd=ROOT,
                   check=True, capture_output=True)
    return username, password


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "LAGESBILD_SECRET_KEY": os.environ.get("LAGESBILD_SECRET_KEY") or secrets.token_hex(32)}
    server = subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", db_url, "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit(f"the server did not start:\n{server.communicate()[0]}") from None
            time.sleep(0.3)


def run(host: str, users: int, seconds: float, username: str | None, password: str | None) -> Environment:
    Viewer.host, Viewer.username, Viewer.password = host, username, password
    env = Environment(user_classes=[Viewer])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return env


def report(env: Environment, users: int, seconds: float) -> int:
    total = env.stats.total
    errors = total.num_failures
    print(f"\n{users} users for {seconds:g} s on loopback")
    print(f"{'request':<34} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for entry in sorted(env.stats.entries.values(), key=lambda e: e.name):
        print(f"{entry.name:<34} {entry.num_requests:>7} {entry.num_failures:>6} "
              f"{entry.get_response_time_percentile(0.5):>7.0f} {entry.get_response_time_percentile(0.95):>7.0f} "
              f"{entry.get_response_time_percentile(0.99):>7.0f}")
    elapsed = max((total.last_request_timestamp or 0) - (total.start_time or 0), 1e-9)
    p50, p95, p99 = (total.get_response_time_percentile(q) for q in (0.5, 0.95, 0.99))
    print(f"\nrequests/s: {total.num_requests / elapsed:.1f}   requests: {total.num_requests}   "
          f"p50: {p50:.0f} ms   p95: {p95:.0f} ms   p99: {p99:.0f} ms   errors: {errors}")
    for error in env.stats.errors.values():
        print(f"  {error.occurrences} x {error.method} {error.name}: {error.error}")
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=100.0, help="sample data volume for the store (default 100)")
    parser.add_argument("--db", help="load-test this existing store instead (SQLAlchemy URL)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the store in DIR and keep it (for --db later)")
    parser.add_argument("--host", help="an already running server (e.g. http://127.0.0.1:8050) instead of starting one")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--user", help="account to log in with (default: one is added to the store)")
    parser.add_argument("--password", help="its password (default: LAGESBILD_LOADTEST_PASSWORD)")
    args = parser.parse_args()
    username, password = args.user, args.password or os.environ.get("LAGESBILD_LOADTEST_PASSWORD")
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        host = args.host
        if host is None:
            db_url = args.db or build_store(args.keep or Path(tmp), args.scale)
            if username is None:
                username, password = add_account(db_url)
            port = free_port()
            server = start_server(db_url, port)
            host = f"http://127.0.0.1:{port}"
        try:
            env = run(host, args.users, args.seconds, username, password)
        finally:
            if server is not None:
                server.terminate()
                log = server.communicate(timeout=30)[0]
                if "Traceback" in log:
                    print("server log:\n" + log[-4000:])
    sys.exit(1 if report(env, args.users, args.seconds) else 0)


if __name__ == "__main__":
    main()
