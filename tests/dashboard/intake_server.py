"""A real `lagesbild serve` process on a store of its own, with a steward, partners with and without upload rights,
a steering-group member and an admin, for the intake's tests (HTTP and Chromium)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import select

from lagesbild.settings import sqlite_url
from lagesbild.store.db import make_engine, upgrade
from lagesbild.store.schema import metadata
from tests.dashboard.login import add_account, serve_env
from tests.test_serve import free_port, wait_for

PASSWORD = "kvarnhjul blåbär granit tulpan"
ACCOUNTS = {"steward": "dataansvarig", "ngo": "partner", "park": "partner", "plain": "partner", "board": "styrgrupp",
            "boss": "admin"}
RIGHTS = {"ngo": ("Stadsmissionen", ["outreach-shifts"]), "park": ("Parkavdelningen", ["event-log"])}
MAX_UPLOAD_MB = 2
CHANGING_TABLES = {"audit_log", "loads"}  # written by every load and undo: compared apart


@dataclass
class IntakeServer:
    base: str
    db_url: str
    upload_dir: Path

    def engine(self):
        return make_engine(self.db_url)

    def session(self, username: str) -> requests.Session:
        """A logged-in HTTP session; `session.csrf` is a CSRF token of it (as the page renders one)."""
        http = requests.Session()
        token = _form_token(http.get(f"{self.base}/login").text)
        answer = http.post(f"{self.base}/login", data={"username": username, "password": PASSWORD,
                                                        "csrf_token": token, "next": "/data"})
        assert answer.status_code == 200 and "/login" not in answer.url, answer.url
        http.csrf = _form_token(http.get(f"{self.base}/login").text)
        http.headers["Origin"] = self.base
        return http

    def upload(self, http: requests.Session, name: str, content: bytes, headers: dict | None = None):
        sent = {"X-CSRFToken": http.csrf, **(headers or {})}
        return http.post(f"{self.base}/intake/upload", files={"file": (name, content)}, headers=sent)


def _form_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def start(tmp: Path):
    """Start the server; returns (IntakeServer, process)."""
    from lagesbild.accounts import set_upload_rights

    url = sqlite_url(tmp / "store.sqlite")
    upgrade(url)
    subprocess.run([sys.executable, "-m", "lagesbild", "init", "--db", url], check=True, capture_output=True)
    for name, role in ACCOUNTS.items():
        add_account(url, name, PASSWORD, role)
    engine = make_engine(url)
    for name, (organisation, sources) in RIGHTS.items():
        set_upload_rights(engine, name, organisation, sources)
    engine.dispose()
    port = free_port()
    uploads = tmp / "uploads"
    env = {**serve_env(), "LAGESBILD_UPLOAD_DIR": str(uploads), "LAGESBILD_MAX_UPLOAD_MB": str(MAX_UPLOAD_MB)}
    process = subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", url, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/login")
    return IntakeServer(base, url, uploads), process


def stop(process) -> str:
    process.terminate()
    return process.communicate(timeout=10)[0]


def whole_store(engine, skip: set[str] = CHANGING_TABLES) -> dict[str, list]:
    """Every table's rows (ordered by primary key), but those that every load and undo writes by design."""
    tables = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            tables[table.name] = [tuple(r) for r in rows]
    return tables


def loads_in_effect(engine) -> list[tuple]:
    from lagesbild.store.schema import loads

    with engine.connect() as conn:
        return conn.execute(select(loads.c.id, loads.c.sha256, loads.c.status).where(loads.c.status != "undone")
                            .order_by(loads.c.id)).all()
