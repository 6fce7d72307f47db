"""The small-count rule: small counts hidden, the others rounded by their cell keys; pages drawn for partners."""

from __future__ import annotations

import importlib
import re

import pandas as pd
import pytest

from lagesbild import disclosure
from lagesbild.charts.figures import bar_by_place, category_time_series, weekday_hour_heatmap
from lagesbild.config import SmallCounts
from lagesbild.disclosure import COMPLEMENT, HIDDEN, Rule, protect
from lagesbild.store.keys import KEY_MODULUS
from tests.dashboard.figure_check import validated
from tests.dashboard.layout_tree import figure, find
from tests.dashboard.roles import as_role
from tests.partner_view import partner_shown

RULE = Rule(salt=1_234_567)

SMALL = Rule().token  # a small count's reason: "<5"


def keyed(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """A frame of counts with cell keys as the query layer gives them: a key sum per cell, records = the count."""
    import numpy as np

    generator = np.random.default_rng(seed)
    return frame.assign(cell_key=generator.integers(0, KEY_MODULUS, len(frame)) * 1000,
                        cell_records=frame["value"].fillna(0).astype(int))


def test_counts_from_one_to_four_are_small_a_zero_is_a_zero_and_the_rest_multiples_of_five():
    out = protect(keyed(pd.DataFrame({"place_id": list("abcdefg"), "value": [0, 1, 4, 5, 6, 30, 12]})), rule=RULE)
    assert list(out[HIDDEN]) == ["", SMALL, SMALL, "", "", "", ""]
    assert out["value"].isna().tolist() == [False, True, True, False, False, False, False]
    assert out["value"].iloc[0] == 0 and out["value"].iloc[3] == 5 and out["value"].iloc[5] == 30
    assert out["value"].iloc[4] in (5, 10) and out["value"].iloc[6] in (10, 15)
    assert "cell_key" not in out and "cell_records" not in out  # the keys never leave the reads


def test_a_count_is_rounded_up_as_often_as_it_is_near_the_upper_multiple():
    """Unbiased: 7 shows as 5 three times in five and as 10 twice, over cells of different records."""
    import numpy as np

    for true, upper in ((7, 0.4), (6, 0.2), (9, 0.8), (23, 0.6)):
        cells = pd.DataFrame({"value": [true] * 4000, "cell_key": np.arange(4000) * 7919 + 13,
                              "cell_records": [true] * 4000})
        shown = protect(cells, rule=RULE)["value"]
        assert set(shown) <= {true - true % 5, true - true % 5 + 5}
        assert abs((shown > true).mean() - upper) < 0.03, true
        assert abs(shown.mean() - true) < 0.15, true


def test_the_same_records_always_show_the_same_number():
    cell = pd.DataFrame({"value": [7, 7, 7], "cell_key": [123_456, 123_456, 987], "cell_records": [7, 7, 7]})
    shown = protect(cell, rule=RULE)["value"].tolist()
    assert shown[0] == shown[1]
    across = {protect(cell.assign(cell_key=key), rule=RULE)["value"].iloc[0] for key in range(0, 10**7, 10**5)}
    assert across == {5, 10}  # other records: either way


def test_the_salt_decides_and_without_it_nothing_is_rounded():
    cells = keyed(pd.DataFrame({"value": [7] * 200}), seed=3)
    one = protect(cells, rule=Rule(salt=1))["value"].tolist()
    other = protect(cells, rule=Rule(salt=2_000_000_011 % KEY_MODULUS))["value"].tolist()
    assert one != other
    with pytest.raises(ValueError, match="salt"):
        protect(cells, rule=Rule())


def test_counts_without_their_cell_keys_are_refused():
    with pytest.raises(ValueError, match="cell_key"):
        protect(pd.DataFrame({"value": [7]}), rule=RULE)
    with pytest.raises(ValueError, match="cell key"):
        disclosure.protect_total(7, rule=RULE)


def test_the_measures_of_the_same_records_are_rounded_on_their_own():
    import numpy as np

    cells = pd.DataFrame({"contacts": [7] * 500, "new_persons": [7] * 500,
                          "cell_key": np.arange(500) * 104_729, "cell_records": [3] * 500})
    shown, reasons = disclosure.protect_columns(cells, ["contacts", "new_persons"], rule=RULE)
    assert (shown["contacts"] != shown["new_persons"]).mean() > 0.3
    assert (reasons == "").all().all()


@pytest.mark.parametrize("seed", range(20))
def test_a_shown_count_is_zero_or_a_multiple_of_five_within_five_of_the_truth(seed):
    import numpy as np

    generator = np.random.default_rng(seed)
    values = generator.choice([0, 1, 2, 4, 5, 6, 9, 11, 30, 101], size=60)
    out = protect(keyed(pd.DataFrame({"value": values}), seed), rule=RULE)
    for true, shown, reason in zip(values, out["value"], out[HIDDEN], strict=True):
        if 1 <= true <= 4:
            assert reason == SMALL and pd.isna(shown)
        else:
            assert reason == "" and shown % 5 == 0 and abs(shown - true) < 5 and (shown == 0) == (true == 0)


def test_nothing_is_hidden_without_a_rule():
    frame = pd.DataFrame({"place_id": ["a"], "value": [2], "cell_key": [5], "cell_records": [2]})
    assert protect(frame, rule=None).to_dict("list") == {"place_id": ["a"], "value": [2]}
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
    fig = validated(category_time_series(protect(keyed(frame), rule=RULE), "incidents", "sv"))
    marks = [trace for trace in fig.data if trace.name == "Små tal dolda"]
    assert len(marks) == 1 and list(marks[0].text) == ["<5"]  # January's våld och hot
    assert "<5" in marks[0].customdata[0]
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar"}
    assert list(bars["vald_hot"].customdata) == ["<5", "0"]  # a real zero says 0
    assert set(bars["sprutfynd"].y) <= {5, 10, 15}  # 9 and 12, rounded


def test_bars_and_heat_map_say_what_is_hidden():
    places = protect(keyed(pd.DataFrame({"place_id": ["a", "b", "c"], "value": [2, 10, 30]})), rule=RULE)
    fig = validated(bar_by_place(places, {"a": "Tantolunden"}, "sv"))
    assert list(fig.data[0].text) == ["30", "10", "<5"]  # hidden ones last
    heat = protect(keyed(pd.DataFrame({"weekday": [0, 0, 1], "hour": [1, 2, 3], "value": [3, 6, 7]})), rule=RULE)
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
    shown, _ = partner_shown(sample_engine, "incidents", "place_id = 'liljeholmsbron' AND month BETWEEN "
                             "'2024-01-01' AND '2024-06-01'")
    assert shown % 5 == 0 and abs(shown - sum(counted.values())) < 5
    assert find(partner, "karta-count-incidents").children[0].children == fmt_total(shown)
    assert find(partner, "karta-count-points") is None and find(partner, "disclosure-note") is not None
    assert "&lt;5" in partner_map or "<5" in partner_map.replace("&lt;", "<")
    popup = partner_map.split("Händelser: Liljeholmsbron</h4>", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td class='num'>([^<]*)</td>", popup)
    assert len(cells) == len(counted) and "&lt;5" in cells
    assert all(cell == "&lt;5" or (int(cell) >= 5 and int(cell) % 5 == 0) for cell in cells)


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
