"""Tests for dashboard.options: the filter bar's places and months from the query layer, and the area name."""

from __future__ import annotations

import sys
import types
from datetime import date

from dashboard.options import ShellOptions, area_name, load_options
from lagesbild.settings import load_settings


def test_area_name_from_configuration(tmp_path):
    assert area_name(load_settings({}).area_file) == "Västra Södermalm"
    assert area_name(tmp_path / "missing.yaml") == ""


def test_load_options_asks_the_query_layer(monkeypatch, tmp_path):
    fake = types.ModuleType("dashboard.queries")
    fake.list_places = lambda engine: [{"id": "tantolunden", "name": "Tantolunden", "kind": "park"}]
    fake.month_span = lambda engine: (date(2024, 11, 1), date(2025, 1, 1))
    monkeypatch.setitem(sys.modules, "dashboard.queries", fake)
    options = load_options(load_settings({}).with_db(f"sqlite:///{tmp_path / 'x.sqlite'}"))
    assert options.places == (("tantolunden", "Tantolunden"),)
    assert options.months == (date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1))
    assert options.known_places == {"tantolunden"}


def test_an_empty_store_offers_no_months(monkeypatch, tmp_path):
    fake = types.ModuleType("dashboard.queries")
    fake.list_places = lambda engine: []
    fake.month_span = lambda engine: None
    monkeypatch.setitem(sys.modules, "dashboard.queries", fake)
    options = load_options(load_settings({}).with_db(f"sqlite:///{tmp_path / 'x.sqlite'}"))
    assert options == ShellOptions(area_name="Västra Södermalm")


def test_load_options_on_an_empty_store(dashboard_store_url):
    options = load_options(load_settings({}).with_db(dashboard_store_url))
    assert options == ShellOptions(area_name="Västra Södermalm")
