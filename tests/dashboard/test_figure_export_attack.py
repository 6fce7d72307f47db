"""The figure export under attack (issue: local files and other addresses through the figure export; one user
stalls the server with exports). The callback draws the figure the browser sent, in kaleido's Chromium, which runs
with web security off and loads its own page from a file: a figure that names a local file or another address must
be refused before it is drawn, and one user's exports must not hold every place."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
from dash import no_update

from dashboard.export import figure_download as export_graph
from lagesbild.render.figure_image import IMAGES
from tests.dashboard.roles import as_role

META = {"graph": "handelser-monthly", "names": {"sv": "Händelser per månad", "en": "Incidents per month"},
        "title": None, "lang": "sv", "filtered": True}
SEARCH = "?place=tantolunden&from=2024-01&to=2024-06"
needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="kaleido draws with chromium")


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers anything with a GeoJSON square and remembers what was asked."""

    asked: list[str] = []

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        Recorder.asked.append(self.path)
        body = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "properties": {},
                           "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *_):
        pass


@pytest.fixture
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.asked = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def attacks(local_file: Path, base: str) -> list[dict]:
    square = {"type": "FeatureCollection", "features": []}
    return [
        {"data": [{"type": "choroplethmap", "geojson": f"file://{local_file}", "locations": ["a"], "z": [1]}],
         "layout": {}},
        {"data": [{"type": "choroplethmap", "geojson": f"{base}/square.geojson", "locations": ["a"], "z": [1]}],
         "layout": {}},
        {"data": [{"type": "scattermap", "lat": [0.5], "lon": [0.5]}],
         "layout": {"map": {"style": f"{base}/style.json", "layers": [{"source": f"{base}/layer.geojson"}]}}},
        {"data": [{"type": "bar", "x": [1], "y": [1]}], "layout": {"images": [{"source": f"{base}/logo.png"}]}},
        {"data": [{"type": "bar", "x": [1], "y": [1]}],
         "layout": {"title": {"text": f'<a href="{base}/title">x</a>'}, "template": {"layout": {"images": [
             {"source": f"file://{local_file}"}]}}, "geo": {}, "x": square}},
    ]


@needs_chromium
@pytest.mark.slow
def test_a_figure_naming_a_local_file_or_another_address_is_refused_and_nothing_is_fetched(dash_app, listener,
                                                                                           tmp_path):
    secret = tmp_path / "secret.geojson"
    secret.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    for figure in attacks(secret, listener):
        with as_role(dash_app, "partner"):
            sent, problem = export_graph.download_figure({"fmt": "png", "figure": figure, "at": 1}, META,
                                                         "/handelser", SEARCH, "sv")
        assert sent is no_update and problem.startswith("Bilden kunde inte skapas"), figure
    assert Recorder.asked == []  # the server's renderer asked the listener for nothing


@needs_chromium
@pytest.mark.slow
def test_the_dashboards_own_figure_is_still_drawn(dash_app):
    figure = {"data": [{"type": "bar", "x": ["2024-01-01", "2024-02-01"], "y": [5, 10], "text": ["<5", "10"]}],
              "layout": {"height": 320, "xaxis": {"type": "date", "tickformat": "%b %Y"}}}
    with IMAGES.admit("user:someone-else"), as_role(dash_app, "partner"):  # another user's export is drawing
        sent, problem = export_graph.download_figure({"fmt": "svg", "figure": figure, "at": 1}, META,
                                                     "/handelser", SEARCH, "sv")
    assert problem == "" and sent["filename"].endswith(".svg") and b"<svg" in sent_bytes(sent)


def sent_bytes(sent: dict) -> bytes:
    import base64

    return base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()


def test_a_figure_too_large_to_draw_quickly_is_refused_without_drawing(dash_app, monkeypatch):
    drawn = []
    monkeypatch.setattr(export_graph, "figure_image", lambda *args, **kwargs: drawn.append(args) or b"<svg/>")
    huge = {"data": [{"type": "scatter", "x": list(range(100_000)), "y": list(range(100_000))}], "layout": {}}
    with as_role(dash_app, "partner"):
        sent, problem = export_graph.download_figure({"fmt": "png", "figure": huge, "at": 1}, META,
                                                     "/handelser", SEARCH, "sv")
    assert sent is no_update and problem.startswith("Bilden kunde inte skapas") and drawn == []


def test_a_second_export_of_a_user_waits_for_the_first_others_are_served(dash_app):
    """While one of a user's images is being made, their next is told to wait (at once, holding no thread); another
    user is still served."""
    figure = {"data": [{"type": "bar", "x": [1], "y": [1]}], "layout": {}}
    request = {"fmt": "svg", "figure": figure, "at": 1}
    with IMAGES.admit("user:test-partner"):  # the user's first export, still drawing
        with as_role(dash_app, "partner"):
            sent, problem = export_graph.download_figure(request, META, "/handelser", SEARCH, "sv")
        assert sent is no_update and problem.startswith("Servern skapar redan")
        assert IMAGES.held() == 1  # the refused one took no place


@pytest.mark.parametrize("role", ["styrgrupp", "partner"])
def test_every_figure_the_pages_draw_passes_the_check(dash_app, role):
    """The check refuses what the dashboard never draws, and nothing it does."""
    import dash
    from plotly.utils import PlotlyJSONEncoder

    from lagesbild.render.figure_check import checked_figure
    from tests.dashboard.test_render_speed import _figures

    checked = 0
    with as_role(dash_app, role):
        for page in dash.page_registry.values():
            for query in ({}, {"place": "tantolunden", "from": "2024-01", "to": "2024-06"}):
                for lang in ("sv", "en"):
                    for figure in _figures(page["layout"](lang=lang, **query)):
                        sent = json.loads(json.dumps(figure, cls=PlotlyJSONEncoder))  # as the browser sends it
                        checked_figure(sent)
                        checked += 1
    assert checked >= 80
