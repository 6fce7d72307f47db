"""One sentence per chart (lagesbild.charts.summary): read off the figure as drawn."""

from __future__ import annotations

from lagesbild.charts.summary import figure_summary


def test_stacked_bars_over_months_add_up_per_month():
    figure = {"data": [{"type": "bar", "x": ["2024-01-01", "2024-02-01", "2024-03-01"], "y": [3, 9, 4]},
                       {"type": "bar", "x": ["2024-01-01", "2024-02-01", "2024-03-01"], "y": [1, 2, None]},
                       {"type": "scatter", "x": ["2024-01-01"], "y": [50], "line": {"dash": "dash"}}],
              "layout": {"barmode": "stack"}}
    assert figure_summary(figure, "Händelser per månad", "sv") == \
        "Händelser per månad: från januari 2024 till mars 2024; högst 11 i februari 2024, senast 4."


def test_bars_by_group_name_the_largest():
    figure = {"data": [{"type": "bar", "orientation": "h", "y": ["Tantolunden", "Hornstull"], "x": [1545, 300]}]}
    assert figure_summary(figure, "Incidents per place", "en") == \
        "Incidents per place: the largest is Tantolunden with 1,545, of 2 groups."


def test_series_side_by_side_are_not_added_and_percent_axes_say_so():
    figure = {"data": [{"type": "scatter", "x": ["2021", "2022"], "y": [0.3, 0.5]},
                       {"type": "scatter", "x": ["2021", "2022"], "y": [0.4, 0.2]}],
              "layout": {"yaxis": {"tickformat": ".0%"}}}
    assert figure_summary(figure, "Otrygga", "sv") == \
        "Otrygga: från 2021 till 2022; högst 50\u00a0% i 2022, senast 50\u00a0%."


def test_a_heat_map_names_its_highest_cell_and_an_empty_chart_says_so():
    heat = {"data": [{"type": "heatmap", "x": [20, 21], "y": ["fre", "lör"], "z": [[3, 5], [None, 80]]}]}
    assert figure_summary(heat, "Veckodag och timme", "sv") == "Veckodag och timme: högst 80, vid lör 21."
    assert figure_summary({"data": []}, "Tomt", "en") == "Tomt: no values to show."
