"""Projektregister without a browser: who the page acts as (the session's actor), what each role is offered, and
the open demo reading everything while changing nothing."""

from __future__ import annotations

import importlib
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from dash import html

from dashboard import app_context as context
from dashboard import records_parts as parts
from lagesbild.disclosure import Viewer
from lagesbild.records.access import Actor
from lagesbild.records.errors import NotAllowed
from lagesbild.records.kinds import KINDS
from lagesbild.records.register import create_record, list_records
from lagesbild.report.records import report_actor
from tests.dashboard.layout_tree import find
from tests.dashboard.roles import as_role
from tests.dashboard.test_demo_role import demo_as


@pytest.fixture
def page(dash_app):
    """The page's module, imported once the app exists (it registers itself as a page)."""
    return importlib.import_module("dashboard.pages.projektregister")


def ids_in(component) -> list:
    found = [component.id] if getattr(component, "id", None) is not None else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += ids_in(child)
    return found


def links(component) -> list[str]:
    found = [component.href] if isinstance(component, html.A) and component.href else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += links(child)
    return found


def openers(layout, kind: str) -> set[str]:
    """The records of `kind` the page links to (each link opens the record's form)."""
    opened = [dict(parse_qsl(urlsplit(href).query)).get("open", "") for href in links(layout)]
    return {value.partition(":")[2] for value in opened if value.partition(":")[0] == kind}


def test_the_page_acts_as_the_logged_in_user(dash_app, page):
    with as_role(dash_app, "styrgrupp"):
        assert context.current().actor() == Actor("test-styrgrupp", "styrgrupp")
        layout = page.layout(lang="sv")
    assert find(layout, "rec-read-only") is None and find(layout, page.UPLOAD) is not None
    assert {"kind": "actions", "type": parts.NEW} in ids_in(layout)


def test_a_partner_is_offered_the_shared_records_and_no_form(dash_app, page, sample_engine):
    with as_role(dash_app, "partner"):
        layout = page.layout(lang="sv")
    shared = {r.record_id for r in list_records(sample_engine, "actions", Actor("x", "admin")) if r.shared}
    assert openers(layout, "actions") == shared
    assert find(layout, "rec-read-only") is not None and find(layout, page.UPLOAD) is None
    assert not [i for i in ids_in(layout) if isinstance(i, dict) and i.get("type") == parts.NEW]


def test_the_open_demo_reads_every_record_and_changes_none(dash_app, page, sample_engine):
    with demo_as(dash_app, None):
        actor = context.current().actor()
        layout = page.layout(lang="en")
    assert actor.role == "demo" and actor.sees_all and not actor.may_edit
    everything = {r.record_id for r in list_records(sample_engine, "actions", Actor("x", "admin"))}
    assert openers(layout, "actions") == everything
    assert find(layout, "rec-read-only") is not None
    with pytest.raises(NotAllowed):
        create_record(sample_engine, "actions", {"title": "x", "meeting_on": date(2026, 1, 1), "owner": "x",
                                                 "status": "open"}, actor)


def test_the_report_reads_the_records_as_the_viewers_role():
    assert report_actor(Viewer("partner")).role == "partner"
    assert report_actor(Viewer.unrestricted("cli")).sees_all
    assert not report_actor(Viewer("someone", rule=object())).sees_all  # protected and unknown: shared only


def test_values_are_shown_in_words():
    kind = KINDS["change_requests"]
    assert parts.shown_value(kind.field("change_kinds"), ["budget", "time"], "sv") == "Budget, Tid"
    assert parts.shown_value(kind.field("status"), "approved", "en") == "Approved"
    assert parts.shown_value(kind.field("shared"), False, "sv") == "Nej"
    assert parts.shown_value(kind.field("submitted_on"), "2023-04-18", "sv") == "18 april 2023"
    assert parts.form_value(KINDS["budget"].field("month"), date(2023, 6, 1)) == "2023-06"
