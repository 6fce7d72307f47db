"""Tests for dashboard.filter_options: the filter bar's places and months from the query layer, and the area name."""

from __future__ import annotations

import sys
import types
from datetime import date

from dashboard.filter_options import ShellOptions, area_name, load_options
from lagesbild.settings import load_settings
from lagesbild.store.db import upgrade


def test_area_name_from_configuration(tmp_path):
    assert area_name(load_settings({}).area_file) == "Västra Södermalm"
    assert area_name(tmp_path / "missing.yaml") == ""


def test_load_options_asks_the_query_layer(monkeypatch, tmp_path):
    fake = types.ModuleType("lagesbild.queries")
    fake.list_places = lambda engine: [{"id": "tantolunden", "name": "Tantolunden", "kind": "park"}]
    fake.month_span = lambda engine: (date(2024, 11, 1), date(2025, 1, 1))
    monkeypatch.setitem(sys.modules, "lagesbild.queries", fake)
    options = load_options(load_settings({}).with_db(f"sqlite:///{tmp_path / 'x.sqlite'}"))
    assert options.places == (("tantolunden", "Tantolunden"),)
    assert options.months == (date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1))
    assert options.known_places == {"tantolunden"}


def test_an_empty_store_offers_places_but_no_months(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    upgrade(url)
    options = load_options(load_settings({}).with_db(url))
    assert options == ShellOptions(area_name="Västra Södermalm")


def test_load_options_on_the_sample_store(dashboard_store_url):
    options = load_options(load_settings({}).with_db(dashboard_store_url))
    assert options.area_name == "Västra Södermalm"
    assert options.places[0] == ("tantolunden", "Tantolunden")
    assert "vastra-sodermalm-ej-specificerad" in options.known_places
    assert options.months[0] == date(2021, 1, 1) and options.months[-1] == date(2025, 12, 1)
