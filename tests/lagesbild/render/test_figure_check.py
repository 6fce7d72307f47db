"""A figure sent by a browser is drawn only when it names nothing outside itself and is no larger than the
dashboard's own; and a renderer's places are shared fairly between users (lagesbild.render.gate)."""

from __future__ import annotations

import threading

import pytest

from lagesbild.render.figure_check import MAX_POINTS, FigureRefused, checked_figure
from lagesbild.render.gate import Gate, RendererBusy

BARS = {"type": "bar", "x": ["2025-01-01", "2025-02-01"], "y": [5, 10], "name": "Sprutfynd",
        "hovertemplate": "%{x|%b %Y}: %{y} händelser<extra></extra>", "text": ["<5", "10"]}
LAYOUT = {"title": {"text": "Händelser per månad"}, "xaxis": {"type": "date", "tickformat": "%b %Y",
                                                                "range": ["2025-01-01", "2025-02-15T12:00"]},
          "annotations": [{"text": "Kl. 08:00 · Data: polisen, EST", "x": 0, "y": 1}]}


def test_the_dashboards_kind_of_figure_passes_unchanged():
    figure = {"data": [BARS, {"type": "scatter", "mode": "lines", "x": [1, 2], "y": [None, 3.5]},
                       {"type": "heatmap", "z": [[0, 1], [2, None]], "x": ["mån", "tis"], "y": ["08", "09"]}],
              "layout": LAYOUT}
    assert checked_figure(figure) == figure


def test_a_sent_template_is_dropped_the_server_adds_its_own():
    figure = {"data": [BARS], "layout": {**LAYOUT, "template": {"layout": {"font": {"size": 18}}}}}
    assert "template" not in checked_figure(figure)["layout"]


@pytest.mark.parametrize("trace", [
    {"type": "choroplethmap", "geojson": "file:///etc/passwd", "locations": ["a"], "z": [1]},
    {"type": "choroplethmapbox", "geojson": {"type": "FeatureCollection", "features": []}},
    {"type": "scattergeo", "lat": [59.3], "lon": [18.0]},
    {"type": "image", "source": "data:image/png;base64,AAAA"},
    {"type": "densitymap", "lat": [1], "lon": [1]},
])
def test_map_image_and_other_trace_types_are_refused(trace):
    with pytest.raises(FigureRefused, match="trace type"):
        checked_figure({"data": [trace], "layout": {}})


@pytest.mark.parametrize("layout", [
    {"images": [{"source": "file:///etc/passwd"}]},
    {"images": [{"source": "data:image/svg+xml;base64,AAAA"}]},
    {"map": {"style": "http://127.0.0.1:9/style.json"}},
    {"mapbox": {"layers": [{"source": "http://127.0.0.1:9/a.geojson"}]}},
    {"geo": {"scope": "europe"}},
])
def test_layout_keys_that_load_something_are_refused(layout):
    with pytest.raises(FigureRefused, match="layout key"):
        checked_figure({"data": [], "layout": layout})


@pytest.mark.parametrize("text", [
    "file:///etc/passwd", "FILE:/etc/passwd", "http://127.0.0.1:8050/_dash-layout", "https://example.com/x.png",
    "  //example.com/x", "\\\\server\\share\\x", "ftp://x", "smb://host/share", "ws://127.0.0.1:1/",
    "data:image/png;base64,AAAA", "javascript:alert(1)", '<a href="http://127.0.0.1:9/">x</a>',
    '<span style="background:url(/etc/passwd)">x</span>', "<a href='file&#58;///etc/passwd'>x</a>",
    "http%3A%2F%2F127.0.0.1", "HtTp\t://x",
])
def test_no_reference_outside_the_figure_survives_anywhere(text):
    for figure in ({"data": [{**BARS, "text": [text, "1"]}], "layout": {}},
                   {"data": [BARS], "layout": {"title": {"text": text}}},
                   {"data": [{**BARS, "customdata": [[{"deep": [text]}], [1]]}], "layout": {}},
                   {"data": [{**BARS, text: 1}], "layout": {}}):
        with pytest.raises(FigureRefused, match="outside the figure"):
            checked_figure(figure)


def test_too_many_values_too_deep_or_not_json_is_refused():
    with pytest.raises(FigureRefused, match="more than"):
        checked_figure({"data": [{"type": "scatter", "x": list(range(MAX_POINTS)), "y": list(range(MAX_POINTS))}],
                        "layout": {}})
    deep: object = 1
    for _ in range(20):
        deep = [deep]
    with pytest.raises(FigureRefused, match="deeper"):
        checked_figure({"data": [{"type": "bar", "y": deep}], "layout": {}})
    for figure in ("not a figure", {"data": {"type": "bar"}}, {"data": ["bar"]}, {"data": [], "layout": []}):
        with pytest.raises(FigureRefused):
            checked_figure(figure)


# ---- fair places ----


def test_one_user_holds_one_place_others_keep_theirs():
    gate = Gate(capacity=3, per_owner=1)
    with gate.admit("user:a"):
        with pytest.raises(RendererBusy), gate.admit("user:a"):
            pass
        with gate.admit("user:b"), gate.admit(None):
            assert gate.held() == 3
            with pytest.raises(RendererBusy), gate.admit("user:c"):  # full: refused at once, not queued
                pass
    assert gate.held() == 0 and gate.held("user:a") == 0
    with gate.admit("user:a"):  # the place came back
        assert gate.held("user:a") == 1


def test_a_failed_job_gives_its_place_back():
    gate = Gate(capacity=1)
    with pytest.raises(RuntimeError), gate.admit("user:a"):
        raise RuntimeError("the browser crashed")
    with gate.admit("user:a"):
        pass


def test_parallel_requests_of_one_user_get_one_place_between_them():
    gate, started, release = Gate(capacity=4, per_owner=1), threading.Barrier(8), threading.Event()
    answers: list[str] = []

    def export():
        started.wait()
        try:
            with gate.admit("user:a"):
                answers.append("drawn")
                release.wait(5)
        except RendererBusy:
            answers.append("busy")
            if answers.count("busy") == 7:
                release.set()

    threads = [threading.Thread(target=export) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(answers) == ["busy"] * 7 + ["drawn"]
