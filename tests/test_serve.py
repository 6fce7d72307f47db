"""`lagesbild serve` starts a real server process on a real store (with an account) and answers every page."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lagesbild.settings import sqlite_url
from lagesbild.store.db import upgrade
from tests.dashboard.login import TEST_PASSWORD, TEST_USER, add_account, serve_env

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGES = ["/", "/handelser", "/uppsokande", "/aktiviteter", "/trygghet", "/karta", "/data"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_serve_answers_every_page(tmp_path):
    url = sqlite_url(tmp_path / "store.sqlite")
    upgrade(url)
    add_account(url)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", url, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=serve_env())
    try:
        for page in PAGES:  # every page answers, with the login page until one logs in
            assert wait_for(f"http://127.0.0.1:{port}{page}") == 200, page
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "Traceback" not in output and "development server" not in output


def worker_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn's workers, counted in /proc")
def test_serve_with_workers_runs_that_many_processes_sharing_sessions(tmp_path):
    """Two gunicorn workers: a login made through one is honoured by both (one key, sessions in the store)."""
    import requests

    url = sqlite_url(tmp_path / "store.sqlite")
    upgrade(url)
    add_account(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", url, "--port", str(port),
                               "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=serve_env())
    try:
        assert wait_for(base + "/login", 60) == 200
        deadline = time.monotonic() + 30
        while len(worker_pids(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(worker_pids(server.pid)) == 2
        session = requests.Session()
        fresh = {"Connection": "close"}  # a new connection each time: the workers take turns accepting them
        token = CSRF_RE.search(session.get(base + "/login", headers=fresh, timeout=30).text)[1]
        answer = session.post(base + "/login", headers={**fresh, "Origin": base, "Referer": base + "/login"},
                              data={"username": TEST_USER, "password": TEST_PASSWORD, "next": "/",
                                    "csrf_token": token}, timeout=30, allow_redirects=False)
        assert answer.status_code in (302, 303), answer.text[:300]
        for page in PAGES * 3:
            response = session.get(base + page, headers=fresh, timeout=60, allow_redirects=False)
            assert response.status_code == 200, (page, response.status_code, response.headers.get("Location"))
        assert session.get(base + "/", timeout=30, allow_redirects=False).status_code == 200
        logged_out = requests.get(base + "/", headers=fresh, timeout=30, allow_redirects=False)
        assert logged_out.status_code in (302, 303)  # without the cookie: sent to the login page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "2 worker processes" in output
    assert "Traceback" not in output, output
