"""Hover text is plain text to Plotly: tags, entities and template fields typed in a title show as typed."""

from __future__ import annotations

from lagesbild.charts.figures import _hover_safe


def test_tags_entities_and_template_fields_are_inert():
    assert _hover_safe('<a href="javascript:alert(1)">x</a>') == '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'
    assert _hover_safe("&lt;b&gt;fet&lt;/b&gt;") == "&amp;lt;b&amp;gt;fet&amp;lt;/b&amp;gt;"
    assert _hover_safe("R&D %{y}") == "R&amp;D % {y}"
