"""Figures are built as plain dicts (lagesbild.charts.theme.figure_dict) and never validated when a page is drawn;
the tests
look at them through `validated`, so a misspelt property, a wrong value or a NaN still fails here."""

from __future__ import annotations

import json

import plotly.graph_objects as go
from _plotly_utils.utils import PlotlyJSONEncoder


class _StrictEncoder(PlotlyJSONEncoder):
    """Plotly's encoder without its second pass that turns NaN into null (and costs a page a second encoding)."""

    def encode(self, o):
        return json.JSONEncoder.encode(self, o)


def strict_json(value) -> str:
    """`value` as JSON the way Dash sends it, failing on NaN or infinity: a figure dict holds None for a gap."""
    return json.dumps(value, cls=_StrictEncoder, allow_nan=False)


def validated(fig: dict) -> go.Figure:
    """The figure dict as a go.Figure, validated by Plotly (raises on an unknown property or a wrong value)."""
    assert isinstance(fig, dict) and set(fig) == {"data", "layout"}, f"not a figure dict: {type(fig).__name__}"
    strict_json(fig)
    return go.Figure(fig)
