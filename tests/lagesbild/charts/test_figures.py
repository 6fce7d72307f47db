"""Tests for lagesbild.charts.figures: DataFrame -> figure dict, on tiny inline frames, each figure validated by
Plotly."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from lagesbild.charts import figures
from lagesbild.charts.figures import colours_in_order, reference_values, weekday_hour_grid
from lagesbild.charts.theme import CATEGORY_COLOURS, GREY, OKABE_ITO
from lagesbild.i18n.formats import NBSP
from tests.dashboard.figure_check import validated


def _checked(build):
    """The figure function, its dict validated by Plotly (and JSON without NaN) and looked at as a go.Figure."""
    return lambda *args, **kwargs: validated(build(*args, **kwargs))


bar_by_place = _checked(figures.bar_by_place)
category_time_series = _checked(figures.category_time_series)
grants_against_cap = _checked(figures.grants_against_cap)
measure_timeline = _checked(figures.measure_timeline)
monthly_series = _checked(figures.monthly_series)
ranked_bars = _checked(figures.ranked_bars)
weekday_hour_heatmap = _checked(figures.weekday_hour_heatmap)
annotate_measures = _checked(figures.annotate_measures)  # takes the figure dict, as pages give it

LABELS = {"sprutfynd": "Sprutfynd", "vald_hot": "Våld och hot"}


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["month", "category", "value"])


def baseline_2022() -> pd.DataFrame:
    """2022 totals: May 10 (split over two categories, summed), June 20, July nothing (so 0)."""
    return pd.DataFrame({"month": [date(2022, 5, 1), date(2022, 5, 1), date(2022, 6, 1), date(2021, 7, 1)],
                         "category": ["sprutfynd", "vald_hot", "sprutfynd", "sprutfynd"],
                         "value": [4, 6, 20, 99]})


def series() -> pd.DataFrame:
    return frame([(date(2024, 5, 1), "sprutfynd", 3), (date(2024, 5, 1), "vald_hot", 2),
                  (date(2024, 7, 1), "vald_hot", 5)])


def trace(fig: go.Figure, name: str):
    return next(t for t in fig.data if t.name == name)


def test_time_series_stacks_one_bar_trace_per_category_in_vocabulary_order_and_colour():
    fig = category_time_series(series(), "incidents", labels=LABELS)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["Sprutfynd", "Våld och hot"]
    assert bars[0].marker.color == CATEGORY_COLOURS["incidents"]["sprutfynd"]
    assert fig.layout.barmode == "stack"
    assert fig.layout.template.layout.font.size == 18  # the 'lagesbild' template, not Plotly's default
    # the month without rows (June) is there, as 0, so bars and the reference line line up
    assert list(bars[1].y) == [2, 0, 5]
    assert [pd.Timestamp(x).month for x in bars[1].x] == [5, 6, 7]


def test_reference_line_repeats_the_baseline_month_across_later_years():
    data = pd.concat([series(), frame([(date(2025, 6, 1), "sprutfynd", 1)])])
    fig = category_time_series(data, "incidents", labels=LABELS, baseline=baseline_2022(), baseline_year=2022)
    reference = trace(fig, "Referens 2022")
    values = dict(zip((pd.Timestamp(x) for x in reference.x), reference.y, strict=True))
    assert values[pd.Timestamp(2024, 5, 1)] == 10  # both categories of May 2022
    assert values[pd.Timestamp(2024, 6, 1)] == 20
    assert values[pd.Timestamp(2024, 7, 1)] == 0  # no rows in July 2022: nothing happened
    assert values[pd.Timestamp(2025, 5, 1)] == 10  # the same month again the next year
    assert values[pd.Timestamp(2025, 6, 1)] == 20
    assert reference.line.dash == "dash"
    assert "Referens 2022 (maj 2022)" in reference.customdata


def test_reference_line_is_not_drawn_over_the_baseline_year_itself_nor_without_baseline_data():
    data = frame([(date(2022, 5, 1), "sprutfynd", 4), (date(2023, 5, 1), "sprutfynd", 3)])
    reference = trace(category_time_series(data, "incidents", baseline=baseline_2022()), "Referens 2022")
    assert {pd.Timestamp(x).year for x in reference.x} == {2023}
    no_2022 = baseline_2022().assign(month=date(2021, 5, 1))
    fig = category_time_series(series(), "incidents", baseline=no_2022)
    assert not [t for t in fig.data if t.name == "Referens 2022"]


def test_reference_values_for_another_baseline_year():
    base = pd.DataFrame({"month": ["2019-03-01"], "value": [7]})
    values = reference_values(base, pd.date_range("2019-03-01", "2020-04-01", freq="MS"), 2019)
    assert list(values.index) == list(pd.date_range("2020-01-01", "2020-04-01", freq="MS"))
    assert list(values) == [0, 0, 7, 0]


def test_english_labels():
    fig = category_time_series(series(), "incidents", "en", baseline=baseline_2022())
    assert trace(fig, "Reference 2022")
    assert fig.layout.yaxis.title.text == "Count"
    assert fig.layout.separators == ".,"


def test_swedish_separators_and_month_ticks():
    fig = monthly_series(series(), group="category")
    assert fig.layout.separators == "," + NBSP
    assert fig.layout.xaxis.tickformat == "%b %Y"  # with the 'sv' Plotly locale: 'maj 2024'
    assert fig.layout.xaxis.hoverformat == "%B %Y"


def test_lines_instead_of_bars():
    fig = monthly_series(series(), group="category", stacked=False)
    assert {t.type for t in fig.data} == {"scatter"}


def measures() -> pd.DataFrame:
    return pd.DataFrame({"date": [date(2024, 5, 15), date(2024, 5, 20), date(2030, 1, 1)],
                         "title": ["Ny belysning Tantolunden", "Röjning av buskage", "Utanför perioden"]})


def annotated() -> go.Figure:
    return annotate_measures(figures.category_time_series(series(), "incidents", baseline=baseline_2022()), measures())


def test_annotate_measures_adds_a_numbered_marker_line_and_key_per_measure_in_range():
    fig = annotated()
    numbers = [a for a in fig.layout.annotations if a.text in {"1", "2", "3"}]
    assert [a.text for a in numbers] == ["1", "2"]  # the 2030 measure is outside the chart and not drawn
    assert "Ny belysning Tantolunden" in numbers[0].hovertext
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [pd.Timestamp(s.x0) for s in lines] == [pd.Timestamp(2024, 5, 15), pd.Timestamp(2024, 5, 20)]
    key = [t.name for t in fig.data if t.legend == "legend2"]
    assert key[:2] == ["1 Ny belysning Tantolunden (15 maj 2024)", "2 Röjning av buskage (20 maj 2024)"]
    assert fig.layout.legend2.title.text == "Åtgärder:"


def test_close_measures_are_staggered_so_their_numbers_do_not_overlap():
    five_years = frame([(date(2021, 1, 1), "sprutfynd", 1), (date(2025, 12, 1), "sprutfynd", 1)])
    fig = annotate_measures(figures.category_time_series(five_years, "incidents"), measures())  # 5 days on 5 years
    first, second = (a for a in fig.layout.annotations if a.text in {"1", "2"})
    assert first.y != second.y
    assert min(first.y, second.y) > fig.layout.yaxis.domain[1]  # in the band above the plot
    apart = annotated()  # the same 5 days on a 3-month axis are far enough apart to share a row
    assert len({a.y for a in apart.layout.annotations if a.text in {"1", "2"}}) == 1


def test_summer_season_is_shaded_and_named():
    fig = annotated()
    shades = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(pd.Timestamp(s.x0), pd.Timestamp(s.x1)) for s in shades] == [
        (pd.Timestamp(2024, 6, 1), pd.Timestamp(2024, 8, 1))  # the chart ends with July
    ]
    assert "Sommarsäsong jun–aug" in [t.name for t in fig.data]


def test_annotate_without_measures_keeps_the_figure_usable():
    fig = annotate_measures(figures.category_time_series(series(), "incidents"), None, season=None)
    assert not fig.layout.shapes and not fig.layout.annotations
    bars = figures.ranked_bars(pd.DataFrame({"label": ["a"], "value": [1]}))
    assert figures.annotate_measures(bars, measures()) is bars and not bars["layout"].get("shapes")  # no date axis


def test_heatmap_is_seven_weekdays_by_24_hours_with_swedish_names():
    data = pd.DataFrame({"weekday": [0, 4, 4, 6], "hour": [0, 21, 21, 23], "value": [1, 2, 3, 4]})
    fig = weekday_hour_heatmap(data)
    heat = fig.data[0]
    assert len(heat.z) == 7 and all(len(row) == 24 for row in heat.z)
    assert list(heat.y) == ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
    assert list(heat.x) == list(range(24))
    assert heat.z[4][21] == 5 and heat.z[0][0] == 1 and heat.z[6][23] == 4
    assert heat.customdata[4][21] == "fre kl. 21: 5"
    assert fig.layout.xaxis.title.text == "Timme"
    assert weekday_hour_heatmap(data, "en").data[0].y[0] == "Mon"


def test_heatmap_grid_ignores_rows_out_of_range():
    data = pd.DataFrame({"weekday": [7, 1, None], "hour": [1, 24, 3], "value": [9, 9, 9]})
    assert sum(map(sum, weekday_hour_grid(data))) == 0


def test_place_bars_are_sorted_with_the_largest_on_top_and_swedish_numbers():
    data = pd.DataFrame({"place_id": ["hornstull", "tantolunden"], "value": [705, 1369]})
    fig = bar_by_place(data, {"tantolunden": "Tantolunden", "hornstull": "Hornstull"})
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["Tantolunden", "Hornstull"] and fig.layout.yaxis.autorange == "reversed"
    assert list(bar.text) == [f"1{NBSP}369", "705"]


def test_ranked_bars_colour_per_label():
    data = pd.DataFrame({"label": ["Kultur", "Sport"], "value": [2, 1]})
    fig = ranked_bars(data, colours={"Kultur": OKABE_ITO["reddish_purple"]})
    assert list(fig.data[0].marker.color) == [OKABE_ITO["reddish_purple"], GREY["mid"]]


def test_grants_are_coloured_by_the_cap_and_say_so_in_words():
    data = pd.DataFrame({"year": [2023, 2024], "grant_sek": [300000.0, 113000.0]})
    fig = grants_against_cap(data, 275000)
    over, within = trace(fig, "Över taket"), trace(fig, "Inom taket")
    assert list(over.x) == ["2023"] and over.marker.color == OKABE_ITO["vermillion"]
    assert list(within.x) == ["2024"] and within.marker.color == OKABE_ITO["bluish_green"]
    assert over.customdata[0] == f"300{NBSP}000 kr<br>109{NBSP}%"
    cap = [s for s in fig.layout.shapes if s.type == "line"]
    assert cap and cap[0].y0 == 275000
    assert any(f"Tak 275{NBSP}000 kr" in a.text for a in fig.layout.annotations)


def test_grants_without_a_cap_are_plain_bars():
    fig = grants_against_cap(pd.DataFrame({"year": [2023], "grant_sek": [5.0]}), None, "en")
    assert [t.name for t in fig.data] == ["Association grants"] and not fig.layout.shapes


def test_measure_timeline_one_lane_per_title_coloured_by_category():
    data = pd.DataFrame({
        "date": [date(2023, 4, 20), date(2023, 6, 1), date(2024, 6, 1), date(2023, 5, 1)],
        "title": ["Röjning", "Mötesplats öppnar", "Mötesplats öppnar", "Trygghetsvandring"],
        "category": ["stadsmiljoatgard", "narvaro_motesplats", "narvaro_motesplats", "narvaro_motesplats"],
        "place": ["Drakenbergsparken", "Tantolunden", "Tantolunden", "<b>Tanto</b>"],
    })
    fig = measure_timeline(data, colours=CATEGORY_COLOURS["events"],
                           labels={"stadsmiljoatgard": "Stadsmiljöåtgärd", "narvaro_motesplats": "Närvaro"})
    assert list(fig.layout.yaxis.categoryarray) == ["Röjning", "Trygghetsvandring", "Mötesplats öppnar"]
    assert [t.name for t in fig.data] == ["Stadsmiljöåtgärd", "Närvaro"]
    assert fig.data[0].marker.color == CATEGORY_COLOURS["events"]["stadsmiljoatgard"]
    hover = " ".join(fig.data[1].customdata)
    assert "1 jun 2023 · Tantolunden" in hover and "&lt;b&gt;Tanto&lt;/b&gt;" in hover  # text, never markup


def test_measure_timeline_folds_rare_titles_into_one_lane():
    data = pd.DataFrame({"date": [date(2023, 1, d) for d in range(1, 6)], "title": list("aabcd"),
                         "category": ["x"] * 5})
    lanes = list(measure_timeline(data, max_lanes=3).layout.yaxis.categoryarray)
    assert len(lanes) == 3 and "Övriga åtgärder" in lanes and "a" in lanes


def test_colours_in_order_keeps_other_grey():
    colours = colours_in_order(["beroendevard", "psykiatri", "ovrigt"])
    assert colours["ovrigt"] == GREY["mid"] and len(set(colours.values())) == 3


@pytest.mark.parametrize("build", [
    lambda: category_time_series(series(), "incidents"),
    lambda: weekday_hour_heatmap(pd.DataFrame({"weekday": [0], "hour": [0], "value": [1]})),
    lambda: grants_against_cap(pd.DataFrame({"year": [2023], "grant_sek": [1.0]}), 2.0),
])
def test_figures_use_the_lagesbild_template(build):
    fig = build()
    assert fig.layout.template.layout.font.size == 18  # carried by the figure: Plotly.js knows no template names
