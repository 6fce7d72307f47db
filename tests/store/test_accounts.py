"""Accounts: argon2id hashes, roles, lock-out after repeated failures, and every attempt audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lagesbild.accounts import (
    MAX_FAILURES,
    AccountError,
    add_user,
    authenticate,
    has_accounts,
    list_users,
    recent_audit,
    remove_user,
    set_password,
)
from lagesbild.store.schema import users

PASSWORD = "rätt häftklammer 42"


def test_password_is_stored_as_argon2id_only(engine):
    add_user(engine, "Anna.Admin", PASSWORD, "admin")
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.username, users.c.password_hash)).one()
    assert stored.username == "anna.admin"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert has_accounts(engine)


def test_login_checks_the_password_and_audits_each_attempt(engine):
    add_user(engine, "styr", PASSWORD, "styrgrupp")
    assert authenticate(engine, "STYR ", PASSWORD) == {"username": "styr", "role": "styrgrupp"}
    assert authenticate(engine, "styr", "fel lösenord") is None
    assert authenticate(engine, "nobody", PASSWORD) is None
    actions = [(row["action"], row["username"]) for row in recent_audit(engine)]
    assert actions[:3] == [("login_failed", "nobody"), ("login_failed", "styr"), ("login", "styr")]


def test_repeated_failures_lock_the_account_for_a_while(engine):
    add_user(engine, "partner1", PASSWORD, "partner")
    now = datetime(2026, 1, 1, 12, 0)
    for _ in range(MAX_FAILURES):
        assert authenticate(engine, "partner1", "gissning", now=now) is None
    assert authenticate(engine, "partner1", PASSWORD, now=now + timedelta(minutes=1)) is None  # locked
    assert authenticate(engine, "partner1", PASSWORD, now=now + timedelta(minutes=16)) is not None


@pytest.mark.parametrize(
    "username, password, role, message",
    [("a", PASSWORD, "admin", "user name"), ("ok.name", "kort", "admin", "12 characters"),
     ("ok.name", PASSWORD, "root", "unknown role"), ("x'; drop table users;--", PASSWORD, "admin", "user name")],
)
def test_bad_accounts_are_refused(engine, username, password, role, message):
    with pytest.raises(AccountError, match=message):
        add_user(engine, username, password, role)
    assert list_users(engine) == []


def test_password_change_and_removal(engine):
    add_user(engine, "bo", PASSWORD, "partner")
    set_password(engine, "bo", "ett helt nytt lösenord")
    assert authenticate(engine, "bo", PASSWORD) is None
    assert authenticate(engine, "bo", "ett helt nytt lösenord") is not None
    remove_user(engine, "bo")
    assert list_users(engine) == [] and not has_accounts(engine)
    with pytest.raises(AccountError, match="no user"):
        remove_user(engine, "bo")


def test_user_commands(store_url, engine):
    from click.testing import CliRunner

    from lagesbild.cli import main

    def run(*args, stdin=None):
        return CliRunner().invoke(main, [*args, "--db", store_url], input=stdin)

    assert run("user", "add", "Eva", "--role", "styrgrupp", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    assert run("user", "add", "eva", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 2
    assert run("user", "add", "kim", "--role", "partner", "--password-stdin", stdin="kort\n").exit_code == 2
    listing = run("user", "list").output
    assert "eva" in listing and "styrgrupp" in listing and "kim" not in listing
    assert run("user", "passwd", "eva", "--password-stdin", stdin="ännu ett lösenord\n").exit_code == 0
    assert authenticate(engine, "eva", "ännu ett lösenord") is not None
    assert run("user", "remove", "eva").exit_code == 0 and not has_accounts(engine)
