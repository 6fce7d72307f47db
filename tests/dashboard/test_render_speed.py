"""The faster ways figures and the map are built (issue 3) draw what the slower ones drew, and nothing more."""

from __future__ import annotations

import re
from datetime import date

import dash
import folium
import pandas as pd
import plotly.graph_objects as go
import pytest
from branca.element import MacroElement

from lagesbild.charts.figures import SEASON_SHADE, annotate_measures, category_time_series
from lagesbild.charts.survey import indicator_figure
from lagesbild.render import folium_text
from lagesbild.render import map_html as maps
from lagesbild.surveys import with_interval
from tests.dashboard.figure_check import strict_json, validated
from tests.dashboard.roles import as_role
from tests.lagesbild.render import test_map_html as test_maps

JINJA = "{{ 'lb' ~ 'jinja' }}{% for c in 'xyz' %}Q{{ c }}{% endfor %}"  # Jinja would print 'lbjinja', 'QxQyQz'


def test_jinja_in_loaded_text_reaches_the_map_as_text_never_evaluated():
    """branca compiles each rendered piece of a map as a Jinja template; the map's own elements do not, so a
    summary, an organisation, a measure title or a place name that looks like Jinja is shown as typed."""
    places = [dict(test_maps.PLACES[0], name=f"Parken {JINJA}"), *test_maps.PLACES[1:]]
    points = test_maps.points(summary=f"Sågs {JINJA}").assign(organisation=f"Väktare {JINJA}")
    measures = pd.DataFrame({"date": [date(2023, 5, 15)], "title": [f"Belysning {JINJA}"],
                             "category": ["stadsmiljoatgard"], "place_id": ["park"]})
    html = maps.map_html(test_maps.map_data(places=places, points=points, measures=measures))
    assert "lbjinja" not in html and "QxQyQz" not in html
    assert html.count("{% for c in ") >= 4


def test_every_element_the_map_builds_renders_its_macros_as_text():
    fmap = maps.build_map(test_maps.map_data())
    own = [element for element in _tree(fmap) if type(element).__module__ in (maps.__name__, folium_text.__name__)]
    assert own, "the map has none of its own elements: the test no longer looks at what it should"
    for element in own:
        if isinstance(element, MacroElement):
            assert isinstance(element, folium_text.LiteralMacros | folium_text.TextPopup), type(element)
    assert not [e for e in _tree(fmap) if type(e) in (folium.Marker, folium.Popup, folium.Tooltip, folium.GeoJson)]


def _tree(element):
    for child in element._children.values():
        yield child
        yield from _tree(child)


def test_measures_and_seasons_are_set_in_one_go_as_plotly_would_add_them():
    """The same shapes and annotations as add_shape/add_annotation/add_vrect, after the figure's own ones."""
    months = pd.date_range("2024-01-01", "2024-09-01", freq="MS")
    fig = category_time_series(pd.DataFrame({"month": months, "category": "sprutfynd", "value": 1}), "incidents")
    before = go.Figure().add_hline(y=1, annotation_text="mål").layout  # a shape and an annotation the figure had
    fig["layout"] |= dict(shapes=[before.shapes[0].to_plotly_json()],
                          annotations=[before.annotations[0].to_plotly_json()])
    measures = pd.DataFrame({"date": [date(2024, 3, 15)], "title": ["Ny belysning"]})
    fig = validated(annotate_measures(fig, measures))
    expected = go.Figure(layout=dict(yaxis_domain=list(fig.layout.yaxis.domain)))
    expected.add_hline(y=1, annotation_text="mål")
    expected.add_shape(type="line", x0=pd.Timestamp(2024, 3, 15), x1=pd.Timestamp(2024, 3, 15), yref="paper", y0=0,
                       y1=fig.layout.shapes[1].y1, line=dict(color="#222222", width=1.5, dash="dot"), layer="above")
    expected.add_vrect(x0=pd.Timestamp(2024, 6, 1), x1=pd.Timestamp(2024, 9, 1), fillcolor=SEASON_SHADE, line_width=0,
                       layer="below")
    assert fig.layout.shapes == expected.layout.shapes
    assert [a.text for a in fig.layout.annotations] == ["mål", "1"]
    assert fig.layout.legend2.title.text == "Åtgärder:" and fig.layout.legend2.font.size == 15


def test_survey_panels_share_the_cached_grid_but_keep_their_own_titles(sample_engine):
    from lagesbild import queries
    from lagesbild.surveys import UNSAFE_ANSWERS

    frame = with_interval(queries.survey_answer_share(sample_engine, UNSAFE_ANSWERS, categories=["otrygghet"]))
    first = validated(indicator_figure(frame, "otrygghet"))
    renamed = frame.assign(survey=[f"Omdöpt {name}" for name in frame["survey"]])
    second = validated(indicator_figure(renamed, "otrygghet"))
    titles = [a.text for a in first.layout.annotations]
    assert len(titles) == 3 and not any(title.startswith("Omdöpt") or re.fullmatch(r"\d+", title) for title in titles)
    assert all(a.text.startswith("Omdöpt ") for a in second.layout.annotations)
    assert [a.text for a in validated(indicator_figure(frame, "otrygghet")).layout.annotations] == titles  # unchanged
    assert [a.font.size for a in first.layout.annotations] == [19, 19, 19]
    assert first.layout.yaxis2.matches == "y" and first.data[3].xaxis == "x2"


@pytest.mark.parametrize("role", ["styrgrupp", "partner"])
@pytest.mark.parametrize("query", [{}, {"place": "tantolunden", "from": "2024-01", "to": "2024-06"}])
def test_every_page_draws_plain_figure_dicts_that_plotly_validates_and_json_without_nan(dash_app, role, query):
    """Pages hand Dash plain figure dicts (no go.Figure to validate and copy at every request), each one valid for
    Plotly, and nothing that Dash's JSON encoder must parse and write a second time (a NaN makes it do so)."""
    drawn = 0
    with as_role(dash_app, role):
        for page in dash.page_registry.values():
            tree = page["layout"](lang="sv", **query)
            strict_json(tree.to_plotly_json())
            for figure in _figures(tree):
                assert type(figure) is dict, f"{page['path']}: a {type(figure).__name__}, not a figure dict"
                validated(figure)
                drawn += 1
    assert drawn >= 20  # the pages' charts were found: the test looks at what it should


def _figures(component):
    if isinstance(getattr(component, "figure", None), dict | go.Figure):
        yield component.figure
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _figures(child)
