"""Logout, a new password, a new role and removal end every session of the user: a cookie copied before is worth
nothing after (issue 10: a cookie captured before logout still worked for 8 hours)."""

from __future__ import annotations

import pytest

from lagesbild import accounts
from tests.dashboard.closed_app import closed_app, login, logout

PASSWORD = "session test passphrase 3"


@pytest.fixture
def closed(dash_app):
    with closed_app(dash_app) as server:
        yield server


@pytest.fixture
def two_browsers(closed, sample_engine, request):
    """The same user's session in two clients: one logged in, the other holding a copy of its cookie."""
    name = f"session-{request.node.name.removeprefix('test_')[:40].replace('_', '-')}"
    accounts.add_user(sample_engine, name, PASSWORD, "partner")
    first, second = closed.test_client(), closed.test_client()
    assert login(first, name, PASSWORD).status_code == 302
    second.set_cookie("session", first.get_cookie("session").value)
    assert first.get("/handelser").status_code == second.get("/handelser").status_code == 200
    yield name, first, second
    if accounts.find_user(sample_engine, name):
        accounts.remove_user(sample_engine, name)


def signed_out(client) -> bool:
    response = client.get("/handelser")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_ends_every_session_of_the_user(two_browsers):
    _, first, second = two_browsers
    assert logout(first).status_code == 302
    assert signed_out(first) and signed_out(second)


def test_a_new_password_ends_every_session(two_browsers, sample_engine):
    name, first, second = two_browsers
    accounts.set_password(sample_engine, name, "another session passphrase 4")
    assert signed_out(first) and signed_out(second)


def test_a_new_role_ends_every_session(two_browsers, sample_engine):
    name, first, second = two_browsers
    accounts.set_role(sample_engine, name, "styrgrupp")
    assert signed_out(first) and signed_out(second)


def test_removal_ends_every_session_even_when_the_name_comes_back(two_browsers, sample_engine):
    name, first, second = two_browsers
    accounts.remove_user(sample_engine, name)
    assert signed_out(second)
    accounts.add_user(sample_engine, name, PASSWORD, "admin")  # a new account of the same name
    assert signed_out(first) and signed_out(second)


def test_a_new_login_works_after_the_sessions_ended(two_browsers):
    name, first, second = two_browsers
    logout(first)
    assert login(second, name, PASSWORD).status_code == 302
    assert second.get("/handelser").status_code == 200 and signed_out(first)


def test_a_session_from_before_generations_is_not_honoured(closed, sample_engine):
    """A session cookie made before migration 0005 holds no generation: log in again."""
    accounts.add_user(sample_engine, "session-old-cookie", PASSWORD, "admin")
    client = closed.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "session-old-cookie"
        session["_fresh"] = True
    assert signed_out(client)
