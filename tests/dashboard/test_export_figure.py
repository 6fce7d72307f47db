"""One figure's export: the image (size, not blank, the caption under the plot, Swedish or English), the one kaleido
server every image shares, the graph component and its names, and in headless Chromium the downloads themselves."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import plotly.graph_objects as go
import pytest
from dash import no_update

from dashboard.export import figure_download as export_graph
from dashboard.export.figure_download import download_figure, exportable_graph, page_of
from lagesbild.captions import Caption
from lagesbild.filters import FilterState
from lagesbild.render import figure_image as export_figure
from lagesbild.render.figure_image import (
    caption_band,
    caption_lines,
    caption_markup,
    figure_image,
    line_room,
    plot_spec,
    stack_svg,
    wrap,
)

PIL = pytest.importorskip("PIL.Image")

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"kaleido draws with {CHROMIUM}")
MADE = datetime(2026, 11, 27, 14, 5)
CAPTION = Caption("Händelser · Händelser per månad", "Tantolunden · jan–jun 2024", date(2024, 6, 29),
                  ("Händelselogg (polis, EST)",), MADE)
TANTO_H1 = FilterState(("tantolunden",), date(2024, 1, 1), date(2024, 6, 1))
MONTHLY_URL = "/handelser?place=tantolunden&from=2024-01&to=2024-06"
MONTHLY_NAME = "handelser-per-manad_tantolunden_2024-01--2024-06"

@pytest.fixture(autouse=True)
def in_a_request(dash_app):
    """Pages are drawn in a request (the viewer is the request's user: in the session's open demo, every number)."""
    with dash_app.server.test_request_context("/"):
        yield



def monthly_figure() -> go.Figure:
    months = [f"2024-{m:02d}-01" for m in range(1, 7)]
    fig = go.Figure(go.Bar(x=months, y=[12, 15, 9, 20, 1250, 14], name="Sprutfynd"))
    return fig.update_layout(height=420, xaxis=dict(type="date", tickformat="%b %Y"))


def png(data: bytes):
    image = PIL.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("L")


def dark_share(image) -> float:
    """The share of pixels clearly darker than the white paper."""
    histogram = image.histogram()
    return sum(histogram[:200]) / (image.width * image.height)


# ---- the figure without a browser ---------------------------------------------------------------------------


def test_the_caption_wraps_between_its_parts_and_its_first_line_is_bold():
    long = Caption("Uppsökande arbete · Hänvisningar per månad", "Tantolunden, Drakenbergsparken · jan–jun 2024",
                   date(2024, 6, 30), ("Uppsökande team (pass)", "Polisens händelser (polisen.se)",
                                       "Händelselogg (polis, EST)"), MADE)
    lines = caption_lines(long, width=600)
    assert lines[0] == ("Uppsökande arbete · Hänvisningar per månad", True)
    assert all(len(text) <= line_room(600) for text, _ in lines)
    assert [bold for _, bold in lines].count(True) == 2  # the first caption line took two image lines
    assert not any(text.startswith("·") or text.endswith("·") for text, _ in lines)
    assert lines[-1][0].endswith("· Skapad 27 november 2026 14:05")  # a part is broken only when it must be


def test_a_list_of_sources_breaks_after_a_comma_never_inside_a_name():
    assert wrap("Källor: Aktivitetslogg, Händelselogg (polis, EST), Passrapporter, Egna trygghetsmätningar · "
                "Skapad 27 november 2026 14:43", 60) == [
        "Källor: Aktivitetslogg, Händelselogg (polis, EST),", "Passrapporter, Egna trygghetsmätningar",
        "Skapad 27 november 2026 14:43"]


def test_caption_text_is_never_markup():
    assert caption_markup("<img src=x onerror=alert(1)> & co") == "&lt;img src=x onerror=alert(1)&gt; &amp; co"
    assert caption_markup("Tantolunden", bold=True) == "<b>Tantolunden</b>"


def test_the_plot_is_a_copy_at_document_size_in_the_captions_language():
    fig = monthly_figure().update_xaxes(range=["2024-03-01", "2024-05-15"])  # the user zoomed in
    spec = plot_spec(fig, "en", 1000, 500)
    layout = spec["layout"]
    assert (layout["width"], layout["height"], layout["separators"]) == (1000, 500, ".,")
    assert layout["xaxis"]["range"] == ["2024-03-01", "2024-05-15"]
    assert layout["template"]["layout"]["font"]["size"] == 18  # the 'lagesbild' template
    assert layout["lagesbild_locale"] == "en"
    assert plot_spec(fig, "sv", 1000, 500)["layout"]["separators"] == ",\u00a0"
    assert fig.layout.width is None and fig.layout.height == 420  # the figure itself is left alone


def test_the_plot_svg_is_nested_on_top_of_the_sheet():
    sheet = b'<svg class="main-svg" width="10" height="20"><rect/><text>Data t.o.m.</text></svg>'
    plot = b'<?xml version="1.0"?>\n<svg class="main-svg" width="10" height="12"><g/></svg>'
    stacked = stack_svg(sheet, plot)
    assert stacked == (b'<svg class="main-svg" width="10" height="20"><rect/><text>Data t.o.m.</text>'
                       b'<svg x="0" y="0" class="main-svg" width="10" height="12"><g/></svg></svg>')


def test_the_page_of_a_url(dash_app):
    assert page_of("/handelser") == "handelser"
    assert page_of("/") == "oversikt"
    assert page_of("/trygghet/") == "trygghet"


# ---- images, with kaleido and the system Chromium --------------------------------------------------------------


@needs_chromium
@pytest.mark.slow
def test_png_has_the_document_size_is_not_blank_and_carries_its_caption():
    data = figure_image(monthly_figure(), CAPTION, "png", width=800, height=500)
    image = png(data)
    assert image.size == (1600, 1000)  # scale 2
    assert dark_share(image) > 0.02  # bars, axes and text, not an empty page
    band = 2 * caption_band(len(caption_lines(CAPTION, 800)))
    caption = image.crop((0, image.height - band, image.width, image.height))
    assert 0.005 < dark_share(caption) < 0.3  # text in the caption's band
    assert dark_share(image.crop((0, image.height - 10, image.width, image.height))) == 0  # and nothing clipped


@needs_chromium
@pytest.mark.slow
def test_svg_carries_the_caption_and_swedish_or_english_axes():
    sv = figure_image(monthly_figure(), CAPTION, "svg").decode()
    assert sv.lstrip().startswith("<svg") and sv.count("<svg") == 2
    assert "Data t.o.m. 29 juni 2024" in sv and "Händelser · Händelser per månad · Tantolunden · jan–jun 2024" in sv
    assert "maj 2024" in sv and ">1\u00a0000<" in sv  # Swedish month names and thousands separator
    en_caption = Caption("Incidents · Incidents per month", "Tantolunden · Jan–Jun 2024", date(2024, 6, 29), (),
                         MADE, "en")
    en = figure_image(monthly_figure(), en_caption, "svg").decode()
    assert "Data through 29 June 2024" in en and "May 2024" in en and ">1,000<" in en


@needs_chromium
@pytest.mark.slow
def test_every_image_is_drawn_by_the_one_server():
    server = export_figure.kaleido_server()
    browser_thread = server._thread
    figure_image(monthly_figure(), CAPTION, "png")
    figure_image(monthly_figure(), CAPTION, "svg")
    assert export_figure.kaleido_server() is server and server._thread is browser_thread


# ---- the component -------------------------------------------------------------------------------------------


def test_exportable_graph_keeps_the_graph_and_names_the_cameras_png(dash_app):
    wrapper = exportable_graph(("Händelser per månad", "Incidents per month"), monthly_figure(), "handelser-monthly",
                               lang="sv", state=TANTO_H1, className="chart-graph")
    graph, buttons, meta, request, download = wrapper.children
    assert graph.id == "handelser-monthly" and graph.className == "chart-graph"
    assert graph.config["toImageButtonOptions"] == {"format": "png", "scale": 2, "filename": MONTHLY_NAME}
    assert graph.config["locale"] == "sv" and graph.config["displaylogo"] is False
    assert [b.id for b in buttons.children[2:]] == [{"type": "export-figure", "slug": "handelser-monthly", "fmt": f}
                                                    for f in ("png", "svg")]
    assert meta.data["names"] == {"sv": "Händelser per månad", "en": "Incidents per month"}
    english = exportable_graph(("Händelser per månad", "Incidents per month"), monthly_figure(), "handelser-monthly",
                               lang="en", state=TANTO_H1)
    assert english.children[0].config["toImageButtonOptions"]["filename"] == \
        "incidents-per-month_tantolunden_2024-01--2024-06"


META = {"graph": "handelser-monthly", "names": {"sv": "Händelser per månad", "en": "Incidents per month"},
        "title": "Händelser per månad och kategori", "lang": "sv", "filtered": True}
REQUEST = {"fmt": "svg", "figure": monthly_figure().to_plotly_json(), "at": 1}
SEARCH = "?place=tantolunden&from=2024-01&to=2024-06"


def test_the_callback_captions_from_the_url_and_names_the_file(dash_app, monkeypatch):
    drawn = []
    monkeypatch.setattr(export_graph, "figure_image", lambda fig, caption, fmt, **_: drawn.append(caption) or b"<svg/>")
    with dash_app.server.test_request_context():
        sent, problem = download_figure(REQUEST, META, "/handelser", SEARCH, "sv")
        assert (sent["filename"], sent["type"], problem) == (f"{MONTHLY_NAME}.svg", "image/svg+xml", "")
        assert drawn[-1].title == "Händelser · Händelser per månad och kategori"
        assert drawn[-1].filters == "Tantolunden · jan–jun 2024"
        sent, _ = download_figure({**REQUEST, "fmt": "png"}, META, "/handelser", SEARCH, "en")
        assert sent["filename"] == "incidents-per-month_tantolunden_2024-01--2024-06.png"
        assert drawn[-1].title == "Incidents · Incidents per month"  # the page was drawn in Swedish
        sent, _ = download_figure(REQUEST, {**META, "filtered": False}, "/handelser", SEARCH, "sv")
        assert sent["filename"] == "handelser-per-manad_hela-omradet_alla-manader.svg"


def test_a_failed_image_says_so_instead_of_downloading(dash_app, monkeypatch):
    def broken(*_, **__):
        raise RuntimeError("no browser")

    monkeypatch.setattr(export_graph, "figure_image", broken)
    with dash_app.server.test_request_context():
        sent, problem = download_figure(REQUEST, META, "/handelser", SEARCH, "sv")
    assert sent is no_update and problem.startswith("Bilden kunde inte skapas")


def test_every_graph_of_the_activity_pages_is_exportable(dash_app):
    import importlib

    page = importlib.import_module("dashboard.pages.handelser").layout(lang="sv", place="tantolunden")
    text = str(page)
    assert text.count("'type': 'export-figure', 'slug'") >= 3 * 2  # PNG and SVG for each chart
    assert "'id': 'handelser-monthly'" in text or "id='handelser-monthly'" in text


# ---- in the browser ------------------------------------------------------------------------------------------


def export(page, graph_id: str, fmt: str):
    button = page.locator(f"#{graph_id}").locator("xpath=..").locator(f".figure-export button:text-is('{fmt.upper()}')")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value


@needs_chromium
@pytest.mark.browser
@pytest.mark.slow
def test_the_monthly_chart_downloads_as_png_and_svg(browsing, tmp_path):
    browsing.open(MONTHLY_URL)
    page = browsing.page
    page.wait_for_selector("#handelser-monthly .main-svg")
    download = export(page, "handelser-monthly", "png")
    assert download.suggested_filename == f"{MONTHLY_NAME}.png"
    download.save_as(tmp_path / "monthly.png")
    image = png((tmp_path / "monthly.png").read_bytes())
    assert image.width == 2 * export_figure.WIDTH and image.height > image.width // 3
    assert dark_share(image) > 0.02
    download = export(page, "handelser-monthly", "svg")
    assert download.suggested_filename == f"{MONTHLY_NAME}.svg"
    download.save_as(tmp_path / "monthly.svg")
    svg = (tmp_path / "monthly.svg").read_text(encoding="utf-8")
    assert "Händelser · Händelser per månad och kategori · Tantolunden · jan–jun 2024" in svg  # the chart's heading
    assert "Data t.o.m. 29 juni 2024" in svg
    browsing.assert_clean()


@needs_chromium
@pytest.mark.browser
@pytest.mark.slow
def test_the_export_is_what_the_user_sees_zoomed_in(browsing, tmp_path):
    browsing.open(MONTHLY_URL)
    page = browsing.page
    page.wait_for_selector("#handelser-monthly .main-svg")
    page.evaluate("""Plotly.relayout(document.querySelector('#handelser-monthly .js-plotly-plot'),
                                     {'xaxis.range': ['2024-03-15', '2024-05-20']})""")
    export(page, "handelser-monthly", "svg").save_as(tmp_path / "zoomed.svg")
    ticks = re.findall(r'class="xtick">.*?>([^<]+)</text>', (tmp_path / "zoomed.svg").read_text(encoding="utf-8"))
    assert "apr 2024" in ticks and "jan 2024" not in ticks
    browsing.assert_clean()


@needs_chromium
@pytest.mark.browser
@pytest.mark.slow
def test_in_english_the_file_name_is_english(browsing):
    browsing.open(MONTHLY_URL)
    page = browsing.page
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Incidents'")
    page.wait_for_selector("#handelser-monthly .main-svg")
    download = export(page, "handelser-monthly", "png")
    assert download.suggested_filename == "incidents-per-month_tantolunden_2024-01--2024-06.png"
    browsing.assert_clean()
