"""Small-count suppression: the rule (primary and complementary cells), and pages drawn for the partner role."""

from __future__ import annotations

import importlib
import itertools
import re

import pandas as pd
import pytest

from lagesbild import disclosure
from lagesbild.charts.figures import bar_by_place, category_time_series, weekday_hour_heatmap
from lagesbild.config import SmallCounts
from lagesbild.disclosure import COMPLEMENT, HIDDEN, Rule, protect
from tests.dashboard.figure_check import validated
from tests.dashboard.layout_tree import figure, find
from tests.dashboard.roles import as_role

RULE = Rule()

SMALL = Rule().token  # a small count's reason: "<5"


def grid(values: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame([{"month": m, "category": c, "value": v}
                         for m, row in enumerate(values) for c, v in enumerate(row)])


def reasons(frame: pd.DataFrame) -> list[list[str]]:
    table = frame.pivot(index="month", columns="category", values=HIDDEN)
    return table.to_numpy().tolist()


def test_counts_from_one_to_four_are_small_and_a_zero_is_a_zero():
    out = protect(pd.DataFrame({"place_id": list("abcdef"), "value": [0, 1, 4, 5, 6, 30]}), ("place_id",), rule=RULE)
    assert list(out[HIDDEN]) == ["", SMALL, SMALL, "", "", ""]
    assert out["value"].isna().tolist() == [False, True, True, False, False, False]
    assert out["value"].iloc[0] == 0


def test_a_single_small_cell_takes_the_smallest_other_with_it():
    out = protect(pd.DataFrame({"place_id": list("abcd"), "value": [3, 9, 7, 40]}), ("place_id",), rule=RULE)
    assert list(out[HIDDEN]) == [SMALL, "", COMPLEMENT, ""]


def test_no_row_or_column_of_a_table_is_left_with_one_hidden_cell():
    values = [[3, 10, 20, 8], [0, 7, 9, 12], [15, 6, 2, 30], [11, 0, 14, 5]]
    out = protect(grid(values), ("month", "category"), rule=RULE)
    shut = reasons(out)
    for line in itertools.chain(shut, zip(*shut, strict=True)):
        hidden = [r for r in line if r]
        assert len(hidden) != 1
    assert shut[0][0] == SMALL and shut[2][2] == SMALL
    # every hidden cell is either small or a count of at least 5 that shields one
    flat = [(v, r) for row_v, row_r in zip(values, shut, strict=True) for v, r in zip(row_v, row_r, strict=True)]
    assert all((r == SMALL) == (1 <= v <= 4) for v, r in flat if r)
    assert all(r == "" for v, r in flat if v == 0)


def test_a_hidden_cell_cannot_be_recovered_from_the_row_and_column_totals():
    """Brute force: every table of the same visible cells and totals gives the small cell more than one value."""
    values = [[3, 10, 20], [8, 7, 9]]
    out = protect(grid(values), ("month", "category"), rule=RULE)
    shut = reasons(out)
    rows = [sum(r) for r in values]
    cols = [sum(c) for c in zip(*values, strict=True)]
    cells = [(m, c) for m in range(2) for c in range(3) if shut[m][c]]
    solutions = set()
    for guess in itertools.product(range(0, 40), repeat=len(cells)):
        table = [row[:] for row in values]
        for (m, c), v in zip(cells, guess, strict=True):
            if shut[m][c] == SMALL and not 1 <= v <= 4:
                break
            table[m][c] = v
        else:
            if [sum(r) for r in table] == rows and [sum(c) for c in zip(*table, strict=True)] == cols:
                solutions.add(table[0][0])
    assert len(solutions) > 1


def test_nothing_is_hidden_without_a_rule():
    frame = pd.DataFrame({"place_id": ["a"], "value": [2]})
    assert protect(frame, ("place_id",), rule=None) is frame
    assert disclosure.protect_total(3, rule=None) == (3, "")


def test_the_rule_is_never_implied():
    """protect and friends take the viewer's rule as an argument: there is no default that could be forgotten."""
    import inspect

    for function in (disclosure.protect, disclosure.protect_columns, disclosure.protect_shares,
                     disclosure.protect_total):
        parameter = inspect.signature(function).parameters["rule"]
        assert parameter.default is inspect.Parameter.empty, function.__name__


def test_the_rule_comes_from_the_area_file():
    assert disclosure.rule_of(SmallCounts(3, frozenset({"partner", "styrgrupp"}))) == Rule(3, frozenset(
        {"partner", "styrgrupp"}))
    assert disclosure.rule_of(SmallCounts()) == Rule()


# ---- figures ----


def test_a_hidden_month_is_marked_not_drawn_as_zero():
    frame = pd.DataFrame({"month": ["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"],
                          "category": ["vald_hot", "sprutfynd", "vald_hot", "sprutfynd"], "value": [2, 9, 0, 12]})
    fig = validated(category_time_series(protect(frame, ("month", "category"), rule=RULE), "incidents", "sv"))
    marks = [trace for trace in fig.data if trace.name == "Små tal dolda"]
    assert len(marks) == 1 and list(marks[0].text) == ["<5", "dolt"]  # sprutfynd: hidden in both months
    assert "<5" in marks[0].customdata[0] and "dolt" in marks[0].customdata[0]
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar"}
    assert list(bars["vald_hot"].customdata) == ["<5", "0"]  # a real zero says 0


def test_bars_and_heat_map_say_what_is_hidden():
    places = protect(pd.DataFrame({"place_id": ["a", "b", "c"], "value": [2, 8, 30]}), ("place_id",), rule=RULE)
    fig = validated(bar_by_place(places, {"a": "Tantolunden"}, "sv"))
    assert list(fig.data[0].text) == ["30", "<5", "dolt"]  # hidden ones last, by name
    heat = protect(pd.DataFrame({"weekday": [0, 0, 1], "hour": [1, 2, 3], "value": [3, 6, 7]}),
                   ("weekday", "hour"), rule=RULE)
    fig = validated(weekday_hour_heatmap(heat, "sv"))
    assert fig.data[0].text[0][1] == "<5" and fig.data[0].z[0][1] is None
    assert fig.data[0].z[0][0] == 0  # a zero cell is coloured as zero


# ---- pages, as the partner role ----


@pytest.fixture(scope="module")
def handelser(dash_app):
    return importlib.import_module("dashboard.pages.handelser")


def all_text(component) -> str:
    return str(component.to_plotly_json() if hasattr(component, "to_plotly_json") else component)


def test_handelser_for_a_partner_hides_small_counts_and_single_incidents(dash_app, handelser):
    query = dict(place="tantolunden", **{"from": "2024-01", "to": "2024-06"})
    with as_role(dash_app, "styrgrupp"):
        full = handelser.layout(lang="sv", **query)
    with as_role(dash_app, "partner"):
        partner = handelser.layout(lang="sv", **query)
    assert find(full, "handelser-latest") is not None and find(partner, "handelser-latest") is None
    assert find(partner, "handelser-latest-withheld") is not None
    assert find(partner, "disclosure-note") is not None and find(full, "disclosure-note") is None
    monthly = figure(partner, "handelser-monthly")
    assert any(trace.name == "Små tal dolda" for trace in monthly.data)
    shown = [value for trace in monthly.data if trace.type == "bar" for value in trace.customdata]
    assert "<5" in shown and all(v in {"<5", "dolt"} or int(v.replace("\u00a0", "")) == 0 or int(v) >= 5
                                 for v in shown)
    full_monthly = figure(full, "handelser-monthly")
    assert not any(trace.name == "Små tal dolda" for trace in full_monthly.data)
    places = figure(partner, "handelser-places").data[0].text
    assert all(v in {"<5", "dolt"} or int(v.replace("\u00a0", "")) >= 5 for v in places)


def test_a_partner_gets_no_csv_of_single_incidents(dash_app, handelser):
    import dash

    with as_role(dash_app, "partner"), pytest.raises(dash.exceptions.PreventUpdate):
        handelser.download_latest(1, [], {"places": [], "lang": "sv"})


def test_tables_split_by_within_are_protected_each_on_its_own():
    frame = pd.DataFrame({"wave": [1, 1, 1, 2, 2, 2], "answer": list("abcabc"), "value": [2, 30, 40, 12, 30, 40]})
    out = protect(frame, ("answer",), within=("wave",), rule=RULE)
    assert list(out[HIDDEN]) == [SMALL, COMPLEMENT, "", "", "", ""]  # wave 2 has nothing small: all shown


def test_a_map_drawn_for_one_role_is_not_served_to_another(dash_app):
    from dashboard import map_frames

    with as_role(dash_app, "styrgrupp"):
        url = map_frames.store("<html>styrgrupp map</html>")
        assert map_frames.stored(url) == "<html>styrgrupp map</html>"
    with as_role(dash_app, "partner"):
        assert map_frames.stored(url) is None
        assert map_frames.serve(url.removeprefix(map_frames.ROUTE)).status_code == 404
        assert map_frames.store("<html>styrgrupp map</html>") != url


def test_a_survey_share_that_gives_away_few_respondents_is_hidden_with_a_complement():
    frame = pd.DataFrame({"wave": ["2023"] * 4 + ["2024"] * 2, "answer": ["a", "b", "c", "d", "a", "b"],
                          "share": [0.03, 0.30, 0.25, 0.42, 0.5, 0.5], "n": [100] * 4 + [40, 40]})
    out = disclosure.protect_shares(frame, within=("wave",), rule=RULE)
    assert list(out[HIDDEN]) == [SMALL, "", COMPLEMENT, "", "", ""]
    assert out["share"].isna().tolist() == [True, False, True, False, False, False]
    assert out["n"].tolist() == [100] * 4 + [40, 40]  # n itself is not small
    # 'those who did not answer so' count too: 97 of 100 leaves 3
    assert disclosure.share_is_small(0.97, 100, RULE) and not disclosure.share_is_small(0.5, 100, RULE)
    assert not disclosure.share_is_small(0.03, None, RULE)  # without n nothing can be said


def graphs(component) -> list:
    """Every figure in a layout tree."""
    found = [validated(component.figure)] if getattr(component, "figure", None) is not None else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += graphs(child)
    return found


def test_trygghet_hides_an_answer_given_by_fewer_than_five_with_a_complement(dash_app, sample_engine):
    """The sample store's Drakenbergsparken survey of September 2023: 4 of 68 'Går aldrig ut'."""
    from sqlalchemy import text

    with sample_engine.connect() as conn:
        share = conn.execute(text("""SELECT share FROM survey_results WHERE survey = 'Platsmätning Drakenbergsparken'
            AND wave = '2023-09' AND question_code = 'otrygg_kvall' AND answer = 'Går aldrig ut'""")).scalar_one()
    page = importlib.import_module("dashboard.pages.trygghet")
    drawn = {}
    for role in ("styrgrupp", "partner"):
        with as_role(dash_app, role):
            layout = page.layout(lang="sv", place="drakenbergsparken")
        figures = [fig for fig in graphs(layout) if any(trace.type == "bar" for trace in fig.data)]
        values = [v for fig in figures for trace in fig.data if trace.type == "bar" for v in trace.y]
        words = [w for fig in figures for trace in fig.data if getattr(trace, "mode", None) == "text" and trace.text
                 for w in trace.text]
        drawn[role] = (values, words, find(layout, "disclosure-note"))
    assert any(abs(v - share * 100) < 1e-9 for v in drawn["styrgrupp"][0])
    assert not any(abs(v - share * 100) < 1e-9 for v in drawn["partner"][0])
    assert "<5" in drawn["partner"][1] and "dolt" in drawn["partner"][1]
    assert "<5" not in drawn["styrgrupp"][1]
    assert drawn["partner"][2] is not None and drawn["styrgrupp"][2] is None


def test_a_hidden_survey_wave_is_written_not_drawn():
    from lagesbild.charts.survey import answers_figure

    frame = pd.DataFrame({"survey": "s", "wave": ["2023-09"] * 3, "period_end": pd.Timestamp("2023-09-30"),
                          "category": "otrygghet", "answer": ["Ja", "Nej", "Vet inte"], "share": [0.05, 0.55, 0.4],
                          "n": [60] * 3, "ci_low": [None] * 3, "ci_high": [None] * 3})
    fig = validated(answers_figure(disclosure.protect_shares(frame, within=("wave",), rule=RULE), "sv"))
    bars = next(trace for trace in fig.data if trace.type == "bar")
    drawn = dict(zip(bars.x, bars.y, strict=True))
    assert drawn == {"Ja": 0, "Nej": pytest.approx(55), "Vet inte": 0}  # 3 of 60 said Ja: hidden, Vet inte with it
    words = next(trace for trace in fig.data if getattr(trace, "mode", None) == "text")
    assert dict(zip(words.x, words.text, strict=True)) == {"Ja": "<5", "Nej": "", "Vet inte": "dolt"}
    assert "färre än 5" in dict(zip(bars.x, bars.hovertext, strict=True))["Ja"]


def test_karta_for_a_partner_counts_incidents_per_place_and_draws_no_point(dash_app, sample_engine):
    """Liljeholmsbron in June 2024: few incidents, so some of its categories are 1-4."""
    from sqlalchemy import text

    from dashboard import map_frames

    page = importlib.import_module("dashboard.pages.karta")
    query = dict(place="liljeholmsbron", **{"from": "2024-01", "to": "2024-06"})
    with sample_engine.connect() as conn:
        counted = dict(conn.execute(text("""SELECT category, COUNT(*) FROM incidents WHERE place_id = 'liljeholmsbron'
            AND month BETWEEN '2024-01-01' AND '2024-06-01' GROUP BY category""")).all())
    assert any(1 <= n <= 4 for n in counted.values()) and sum(counted.values()) >= 5
    with as_role(dash_app, "styrgrupp"):
        full = page.layout(lang="sv", **query)
        full_map = map_frames.stored(find(full, "karta-map").src)
    with as_role(dash_app, "partner"):
        partner = page.layout(lang="sv", **query)
        partner_map = map_frames.stored(find(partner, "karta-map").src)
    assert "L.heatLayer" in full_map or "markerClusterGroup" in full_map
    assert "heatLayer(" not in partner_map and "markerClusterGroup" not in partner_map
    assert "H\\u00e4ndelser per plats" in partner_map  # the layer of incidents counted per place
    assert find(partner, "karta-count-incidents").children[0].children == fmt_total(sum(counted.values()))
    assert find(partner, "karta-count-points") is None and find(partner, "disclosure-note") is not None
    assert "&lt;5" in partner_map or "<5" in partner_map.replace("&lt;", "<")
    popup = partner_map.split("Händelser: Liljeholmsbron</h4>", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td class='num'>([^<]*)</td>", popup)
    assert len(cells) == len(counted) and "&lt;5" in cells
    assert all(cell in {"&lt;5", "dolt"} or int(cell) >= 5 for cell in cells)


def fmt_total(n: int) -> str:
    from lagesbild.i18n.formats import fmt_int

    return fmt_int(n, "sv")


def test_a_survey_name_with_markup_is_a_panel_title_as_typed():
    from lagesbild.charts.survey import indicator_figure
    from lagesbild.surveys import with_interval

    frame = with_interval(pd.DataFrame({
        "survey": ["<b>Mätning</b> & <a href='x'>länk</a>"], "wave": ["2023-05"],
        "period_end": [pd.Timestamp("2023-05-31")], "place": ["Parken"], "is_unspecified": [False], "sort_order": [1],
        "question_code": ["q"], "share": [0.4], "n": [120], "answers": [2]}))
    title = validated(indicator_figure(frame, "otrygghet", "sv")).layout.annotations[0].text
    assert "<b>" not in title and "<a " not in title and "&lt;b&gt;Mätning&lt;/b&gt; &amp; &lt;a" in title


def test_the_viewer_is_looked_up_once_per_request_and_never_carried_into_another(dash_app):
    from dashboard import app_context

    for role, protected in (("partner", True), ("styrgrupp", False), ("partner", True), ("admin", False)):
        with as_role(dash_app, role):
            viewer = app_context.current().viewer()
            assert viewer.protected is protected and viewer.role == role, role
            assert app_context.current().viewer() is viewer


def _protect_by_rows(frame, dims, value="value", within=(), minimum=5):
    """The rule as first written, one pandas group at a time: the reference the array version must agree with."""
    out = frame.reset_index(drop=True)
    values = pd.to_numeric(out[value], errors="coerce").astype(float)
    hidden = pd.Series("", index=out.index, dtype=object)
    hidden[(values > 0) & (values < minimum)] = SMALL
    groupings = [[d for d in dims if d != dim] + list(within) for dim in dims] or [list(within)]
    changed = bool((hidden != "").any())
    while changed:
        changed = False
        for others in groupings:
            keys = others[0] if len(others) == 1 else others
            for index in (out.groupby(keys, dropna=False).groups.values() if others else [out.index]):
                shut = hidden[index] != ""
                if shut.sum() == 1:
                    open_values = values[index][~shut & (values[index] > 0)]
                    if not open_values.empty:
                        hidden[open_values.idxmin()] = COMPLEMENT
                        changed = True
    return hidden.tolist()


@pytest.mark.parametrize("seed", range(40))
def test_protect_hides_the_same_cells_as_the_rule_applied_group_by_group(seed):
    import numpy as np

    generator = np.random.default_rng(seed)
    rows = [(month, category, wave, int(generator.choice([0, 1, 2, 4, 5, 6, 9, 30])))
            for month in range(int(generator.integers(1, 9))) for category in "abcd"[: int(generator.integers(1, 5))]
            for wave in ("v1", "v2") if generator.random() > 0.15]
    frame = pd.DataFrame(rows, columns=["month", "category", "wave", "value"]).sample(frac=1, random_state=seed)
    for dims, within in ((("month", "category"), ()), (("category",), ("wave",)), (("month",), ())):
        done = protect(frame, dims, within=within, rule=RULE)
        assert done[HIDDEN].tolist() == _protect_by_rows(frame, dims, within=within), (dims, within)
