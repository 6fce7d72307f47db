"""`lagesbild serve` starts a real server process on a real store (with an account) and answers every page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from lagesbild.settings import sqlite_url
from lagesbild.store.db import upgrade
from tests.dashboard.login import add_account, serve_env

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
