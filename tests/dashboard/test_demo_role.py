"""`lagesbild demo --as ROLE`: the open demo as that role sees it (issue 10: the partner view could only be seen
through a real login)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from click.testing import CliRunner

from dashboard import auth, commands, shell
from lagesbild import cli
from lagesbild.settings import load_settings
from tests.dashboard.test_disclosure_oversikt import by_class, headline


@contextmanager
def demo_as(dash_app, role: str | None) -> Iterator[None]:
    """Inside: a request to the open demo, shown as `role`."""
    server = dash_app.server
    saved = server.config[auth.DEMO_ROLE_KEY]
    server.config[auth.DEMO_ROLE_KEY] = role
    try:
        with server.test_request_context("/"):
            yield
    finally:
        server.config[auth.DEMO_ROLE_KEY] = saved


def headlines(layout) -> dict[str, str]:
    """Each indicator card's big number, by the card's id."""
    return {card.id: headline(card) for card in by_class(layout, "kpi-card")}


def test_the_demo_as_partner_hides_what_the_demo_as_admin_shows(dash_app):
    page = importlib.import_module("dashboard.pages.oversikt")
    views = {}
    for role in ("admin", "partner"):
        with demo_as(dash_app, role):
            assert auth.is_open() and auth.current_role() == role
            views[role] = headlines(page.layout(lang="sv", place="tantolunden"))
    hidden = [card for card, shown in views["partner"].items() if shown == "<5"]
    assert hidden, views["partner"]
    assert all(views["admin"][card].isdigit() and 1 <= int(views["admin"][card]) <= 4 for card in hidden), views
    assert "<5" not in views["admin"].values()


def test_the_demo_shown_as_a_role_says_so_and_sees_the_audit_log_only_as_admin(dash_app):
    with demo_as(dash_app, "partner"):
        banner = shell.demo_banner()[0].children
        assert not auth.sees_audit()
    assert banner.startswith(shell.DEMO_TEXT) and "partner" in banner
    with demo_as(dash_app, "admin"):
        assert auth.sees_audit()
    with demo_as(dash_app, None):
        assert auth.current_role() == auth.DEMO_ROLE and shell.demo_banner()[0].children == shell.DEMO_TEXT


def test_the_cli_serves_the_demo_as_the_role(monkeypatch):
    served = {}
    monkeypatch.setattr("lagesbild.demo.build_demo_store", lambda db_url: load_settings({}).with_db("sqlite://"))
    monkeypatch.setattr("lagesbild.demo.living_demo_store", lambda: load_settings({}).with_db("sqlite://"))
    monkeypatch.setattr(commands, "_engine", lambda settings: None)
    monkeypatch.setattr(commands, "run", lambda settings, host, port, open_demo, **_: served.update(settings=settings))
    assert CliRunner().invoke(cli.main, ["demo", "--as", "partner"]).exit_code == 0
    assert served["settings"].demo_role == "partner"
    assert CliRunner().invoke(cli.main, ["demo"]).exit_code == 0 and served["settings"].demo_role is None
    refused = CliRunner().invoke(cli.main, ["demo", "--as", "root"])
    assert refused.exit_code == 2 and "admin" in refused.output and "partner" in refused.output
    assert "--as [admin|styrgrupp|dataansvarig|partner]" in CliRunner().invoke(cli.main, ["demo", "--help"]).output


def test_an_unknown_demo_role_is_refused(dash_app):
    settings = replace(dash_app.server.config[auth.SETTINGS_KEY], demo_role="root")
    with pytest.raises(ValueError, match="partner"):
        auth.install_auth(type("App", (), {"server": None})(), settings, open_demo=True)
