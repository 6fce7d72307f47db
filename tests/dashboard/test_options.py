"""Tests for dashboard.filter_options: the filter bar's places and months from the query layer, and the area name."""

from __future__ import annotations

from datetime import date

from dashboard.filter_options import ShellOptions, load_options
from lagesbild.settings import load_settings
from lagesbild.store.db import upgrade


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
