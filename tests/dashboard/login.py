"""Accounts and logging in for tests that run a closed (not demo) server."""

from __future__ import annotations

import os
import subprocess
import sys

TEST_USER, TEST_PASSWORD = "testadmin", "a long test password 1"
SECRET_ENV = {"LAGESBILD_SECRET_KEY": "test secret key, not for production"}


def add_account(db_url: str, username: str = TEST_USER, password: str = TEST_PASSWORD, role: str = "admin") -> None:
    """An account in the store at `db_url`, through the CLI as an operator would."""
    subprocess.run([sys.executable, "-m", "lagesbild", "user", "add", username, "--role", role, "--password-stdin",
                    "--db", db_url], input=password + "\n", text=True, check=True, capture_output=True)


def serve_env() -> dict[str, str]:
    return {**os.environ, **SECRET_ENV}


def log_in(page, base: str, path: str = "/", username: str = TEST_USER, password: str = TEST_PASSWORD) -> None:
    """Open `path`, which sends the browser to the login page, and log in; the browser ends on `path`."""
    page.goto(base + path, wait_until="networkidle")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")
