"""A lägesrapport that cannot be made says so with a reference to the server log, never with the exception's text
(issue 10: the button showed "unhashable type: 'dict'")."""

from __future__ import annotations

import importlib
import logging
import re

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict


@pytest.fixture
def page(dash_app):
    return importlib.import_module("dashboard.pages.oversikt")


def broken(*_args, **_kwargs):
    raise TypeError("unhashable type: 'dict'")


@pytest.mark.parametrize("lang, words", [("sv", "felet är loggat med referens"),
                                         ("en", "the error is logged with reference")])
def test_a_failed_report_shows_a_reference_not_the_exception(dash_app, page, monkeypatch, caplog, lang, words):
    monkeypatch.setattr(page, "build_report", broken)
    token = context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "report-docx.n_clicks", "value": 1}]))
    try:
        with dash_app.server.test_request_context("/"), caplog.at_level(logging.ERROR):
            _, alert = page.download_report(1, None, {"places": [], "month": "2024-06", "lang": lang})
    finally:
        context_value.reset(token)
    shown = alert.children
    assert "unhashable" not in shown and "dict" not in shown and "TypeError" not in shown
    reference = re.search(rf"{words} ([0-9a-f]{{8}})", shown).group(1)
    logged = [record for record in caplog.records if reference in record.getMessage()]
    assert logged and "unhashable type: 'dict'" in logged[0].exc_text
