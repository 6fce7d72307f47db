"""Tests for lagesbild.charts.theme: one colour per category, the palette, the template and the graph config."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import yaml

from lagesbild.charts.theme import (
    CATEGORY_COLOURS,
    GREY,
    OKABE_ITO,
    TEMPLATE_NAME,
    category_colour,
    figure_dict,
    graph_config,
    place_colours,
    register_template,
)
from lagesbild.settings import load_settings

ALLOWED = set(OKABE_ITO.values()) | set(GREY.values())


def vocabulary() -> dict:
    return yaml.safe_load(load_settings({}).vocabulary_file.read_text(encoding="utf-8"))


def test_every_category_in_the_vocabulary_has_a_colour():
    vocab = vocabulary()
    for kind, colours in CATEGORY_COLOURS.items():
        assert set(vocab[kind]) <= set(colours), kind


def test_colours_are_unique_within_a_kind_and_from_the_palette():
    for kind, colours in CATEGORY_COLOURS.items():
        assert len(set(colours.values())) == len(colours), kind
        assert set(colours.values()) <= ALLOWED, kind


def test_unknown_category_is_grey():
    assert category_colour("incidents", "no-such-code") == GREY["mid"]
    assert category_colour("incidents", "ovrigt") == GREY["mid"]


def test_place_colours_follow_the_order():
    colours = place_colours(["tantolunden", "drakenbergsparken"])
    assert list(colours) == ["tantolunden", "drakenbergsparken"]
    assert len(set(colours.values())) == 2


def test_template_is_registered_with_large_type_and_swedish_separators():
    register_template()
    assert pio.templates.default == TEMPLATE_NAME
    layout = pio.templates[TEMPLATE_NAME].layout
    assert layout.font.size >= 16
    assert layout.separators == ",\u00a0"
    assert layout.colorway[0] == OKABE_ITO["blue"]


def test_english_figures_get_english_separators():
    fig = go.Figure(figure_dict([], {}, "en"))
    assert fig.layout.separators == ".,"


def test_graph_config():
    assert graph_config("sv")["locale"] == "sv"
    assert graph_config("en")["locale"] == "en"
    assert graph_config("xx")["locale"] == "sv"
    assert graph_config()["displaylogo"] is False
