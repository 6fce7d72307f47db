"""Failed logins are throttled, by account and by address, with a 429 and Retry-After; nobody can lock out a user at a
browser that has logged in before; every answer does the same work (issue 10: five wrong passwords locked any account
for 15 minutes, and a locked account answered in 3 ms where an unknown one took 120 ms)."""

from __future__ import annotations

from dataclasses import replace

import flask
import pytest
from argon2 import PasswordHasher

from dashboard import auth
from lagesbild import accounts
from tests.dashboard.closed_app import closed_app, last_audit, login, logout

PASSWORD = "throttle test passphrase 7"
USERS = ("throttle-admin", "throttle-other", "throttle-device", "throttle-count", "throttle-addr", "throttle-right")


@pytest.fixture(scope="module")
def users(sample_engine):
    for name in USERS:
        accounts.add_user(sample_engine, name, PASSWORD, "admin")
    return sample_engine


@pytest.fixture
def closed(dash_app, users):
    """The app closed, with its failed-login counters new for this test."""
    extensions = dash_app.server.extensions
    saved = extensions[auth.THROTTLE_KEY]
    extensions[auth.THROTTLE_KEY] = accounts.LoginThrottle()
    try:
        with closed_app(dash_app) as server:
            yield server
    finally:
        extensions[auth.THROTTLE_KEY] = saved


def fail_five(server, username: str, address: str) -> None:
    for _ in range(5):
        assert login(server.test_client(), username, "not the password", address=address).status_code == 401


def test_five_failures_throttle_the_account_with_a_retry_after_not_a_lock(closed, users):
    fail_five(closed, "throttle-admin", "10.30.0.1")
    again = login(closed.test_client(), "throttle-admin", PASSWORD, address="10.30.0.1")
    assert again.status_code == 429  # the right password, but too soon
    assert 1 <= int(again.headers["Retry-After"]) <= 60
    assert "Too many failed logins" in again.get_data(as_text=True)
    elsewhere = login(closed.test_client(), "throttle-admin", PASSWORD, address="10.30.0.2")
    assert elsewhere.status_code == 429  # the account's own failures, wherever they came from
    assert last_audit(users, "throttle-admin")["detail"] == "throttled"
    assert login(closed.test_client(), "throttle-other", PASSWORD, address="10.30.0.1").status_code == 302


def test_a_browser_that_logged_in_before_still_gets_in_while_the_account_is_attacked(closed, users):
    mine = closed.test_client()
    assert login(mine, "throttle-device", PASSWORD, address="10.31.0.1").status_code == 302
    logout(mine)
    fail_five(closed, "throttle-device", "10.31.0.66")  # a stranger, elsewhere
    assert login(closed.test_client(), "throttle-device", PASSWORD, address="10.31.0.2").status_code == 429
    assert login(mine, "throttle-device", PASSWORD, address="10.31.0.1").status_code == 302


def test_a_known_device_counts_only_for_its_own_user(closed, users):
    browser = closed.test_client()
    assert login(browser, "throttle-other", PASSWORD, address="10.32.0.1").status_code == 302
    fail_five(closed, "throttle-count", "10.32.0.66")
    assert login(browser, "throttle-count", PASSWORD, address="10.32.0.1").status_code == 429


def test_a_forged_known_device_cookie_counts_for_nothing(closed, users):
    fail_five(closed, "throttle-count", "10.33.0.66")
    browser = closed.test_client()
    browser.set_cookie(auth.DEVICE_COOKIE, '{"user": "throttle-count", "device": "x"}', path="/login")
    assert login(browser, "throttle-count", PASSWORD, address="10.33.0.1").status_code == 429


def test_one_address_is_throttled_across_accounts(closed, users):
    for n in range(20):  # ADDRESS_LIMITS: 20 a minute, under any names
        assert login(closed.test_client(), f"guess-{n}", "not the password", address="10.34.0.1").status_code == 401
    assert login(closed.test_client(), "throttle-addr", PASSWORD, address="10.34.0.1").status_code == 429
    assert login(closed.test_client(), "throttle-addr", PASSWORD, address="10.34.0.2").status_code == 302


def test_an_unknown_name_is_throttled_like_a_real_one(closed):
    fail_five(closed, "no-such-account", "10.35.0.1")
    assert login(closed.test_client(), "no-such-account", PASSWORD, address="10.35.0.2").status_code == 429


def test_every_answer_does_one_argon2_verification(closed, users, monkeypatch):
    """Unknown, wrong, throttled and right: one verification each (counted, not timed)."""
    calls = []
    verify = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda *args: calls.append(1) or verify(*args))

    def verifications(username: str, password: str, address: str, status: int) -> int:
        calls.clear()
        assert login(closed.test_client(), username, password, address=address).status_code == status
        return len(calls)

    unknown = verifications("nobody-at-all", PASSWORD, "10.36.0.1", 401)
    wrong = [verifications("throttle-other", "not the password", "10.36.0.2", 401) for _ in range(5)][0]
    throttled = verifications("throttle-other", PASSWORD, "10.36.0.4", 429)
    right = verifications("throttle-right", PASSWORD, "10.36.0.5", 302)
    assert unknown == wrong == throttled == right == 1


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("10.0.0.9", "203.0.113.7", "203.0.113.7"),  # from the trusted proxy: the address it saw
    ("10.0.0.9", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client's own entry proves nothing
    ("10.0.0.9", None, "10.0.0.9"),
    ("10.0.0.8", "203.0.113.7", "10.0.0.8"),  # anyone else's X-Forwarded-For is ignored
])
def test_x_forwarded_for_counts_only_from_the_trusted_proxy(dash_app, peer, forwarded, expected):
    settings = dash_app.server.config[auth.SETTINGS_KEY]
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with dash_app.server.test_request_context("/login", headers=headers, environ_base={"REMOTE_ADDR": peer}):
        assert auth.client_address(replace(settings, trusted_proxy="10.0.0.9"), flask.request) == expected
        assert auth.client_address(replace(settings, trusted_proxy=None), flask.request) == peer
