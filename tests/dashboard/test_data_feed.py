"""The Data page's line on the police feed: its last fetch and result, and a warning after a day without one."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

import pytest

NOW = datetime(2026, 12, 3, 12, 0)


@pytest.fixture
def feed_note(dash_app):
    """The page's function, its module imported once the app exists (pages register themselves)."""
    return importlib.import_module("dashboard.pages.data").feed_note


def text_of(component) -> str:
    if isinstance(component, str | int | float):
        return str(component)
    children = getattr(component, "children", None)
    parts = children if isinstance(children, list | tuple) else [children]
    return " ".join(text_of(c) for c in parts if c is not None)


def status(result: str, at: datetime, last_success: datetime | None) -> dict:
    return {"at": at, "result": result, "message": "3 new, 0 updated", "events": 500, "http_status": 200,
            "last_success": last_success}


def test_a_recent_fetch_is_a_quiet_line(feed_note):
    [line] = feed_note(status("loaded", NOW - timedelta(minutes=15), NOW - timedelta(minutes=15)), "sv", NOW)
    assert line.id == "data-feed-status" and "nytt inläst" in text_of(line) and "3 new" in text_of(line)


def test_a_day_without_a_working_fetch_warns(feed_note):
    failing = status("failed", NOW - timedelta(minutes=5), NOW - timedelta(days=1, minutes=1))
    [alert] = feed_note(failing, "en", NOW)
    assert alert.color == "warning" and "more than a day" in text_of(alert) and "failed" in text_of(alert)


def test_never_fetched_says_nothing(feed_note):
    assert feed_note(None, "sv", NOW) == []
