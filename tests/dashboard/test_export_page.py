"""The page exports: one PNG as the user sees it (browser side) and an A4-landscape PDF (server side), captioned."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from dashboard.export import page as page_export
from dashboard.export.page import (
    LAYOUT_WIDTH_PX,
    MARK_PDF,
    MAX_LAYOUT_WIDTH_PX,
    PRINTABLE_PX,
    READY,
    footer_template,
    loopback_base,
    page_view,
    pdf_scale,
    viewport,
)
from lagesbild.captions import Caption
from lagesbild.render.browser import SharedBrowser

VIEW = "?place=tantolunden&from=2024-01&to=2024-06"
FILTER_WORDS = "Tantolunden · jan–jun 2024"
KNOWN = {"tantolunden", "drakenbergsparken"}
BAD_PATHS = ["../../etc/passwd", "http://evil", "//evil/handelser", "/export/page.pdf", "/handelser/../data", "",
             "/handelser?x=1", "/assets/export.js"]
A4_LANDSCAPE_PT = (842, 595)


# ---- without a browser ----

def test_only_registered_pages_and_the_filter_get_through(dash_app):
    view = page_view("/handelser", [("place", "tantolunden"), ("place", "nowhere"), ("from", "2024-01"),
                                    ("to", "2024-06"), ("url", "http://evil"), ("path", "/data")], "en", KNOWN)
    assert (view.key, view.href, view.state.places, view.lang) == ("handelser", "/handelser", ("tantolunden",), "en")
    assert view.filename("pdf") == "incidents_tantolunden_2024-01--2024-06.pdf"
    assert page_view("/", [], "'; DROP", KNOWN).lang == "sv"
    for path in BAD_PATHS:
        assert page_view(path, [], "sv", KNOWN) is None, path


def test_the_pdf_browser_goes_to_this_server_never_to_the_clients_host():
    evil = {"HTTP_HOST": "evil.example:80"}
    assert loopback_base({**evil, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8050"}) == "http://127.0.0.1:8050"
    assert loopback_base({**evil, "SERVER_NAME": "waitress.invalid", "SERVER_PORT": "80"}) == "http://127.0.0.1:80"
    assert loopback_base({"SERVER_NAME": "0.0.0.0", "SERVER_PORT": "8050"}) == "http://127.0.0.1:8050"
    assert loopback_base({"SERVER_NAME": "::", "SERVER_PORT": "8050"}) == "http://[::1]:8050"
    assert loopback_base(evil, "http://10.1.2.3:8050/") == "http://10.1.2.3:8050"


def test_the_layout_is_printed_exactly_at_the_papers_width():
    for width in (LAYOUT_WIDTH_PX, 1500, MAX_LAYOUT_WIDTH_PX):
        printed = width * pdf_scale(width)
        assert PRINTABLE_PX[0] - 2 < printed <= PRINTABLE_PX[0]  # never wider than the paper: nothing clipped
        assert viewport(width)["height"] * pdf_scale(width) <= PRINTABLE_PX[1]


def test_the_footer_caption_is_escaped():
    caption = Caption("<script>x</script>", "Tantolunden · jan–jun 2024", None, ("A&B",), datetime(2026, 1, 2, 9, 5))
    footer = footer_template(caption)
    assert "<script>" not in footer and "&lt;script&gt;" in footer and "A&amp;B" in footer
    assert '<span class="pageNumber">' in footer


def test_caption_route_gives_lines_and_a_file_name_in_the_uis_language(dash_app):
    client = dash_app.server.test_client()
    sv = client.get(f"/export/caption{VIEW}&path=/handelser").get_json()
    assert sv["filename"] == "handelser_tantolunden_2024-01--2024-06.png"
    assert sv["lines"][0] == f"Händelser · {FILTER_WORDS}"
    assert sv["lines"][1].startswith("Data t.o.m. ") and "Källor: " in sv["lines"][1]
    en = client.get(f"/export/caption{VIEW}&path=/karta&lang=en").get_json()
    assert en["filename"] == "map_tantolunden_2024-01--2024-06.png"
    assert en["lines"][1].startswith("Data through ")


def test_categories_get_through_to_the_page_that_takes_them_and_only_known_ones(dash_app):
    pairs = [("place", "tantolunden"), ("category", "sprutfynd"), ("category", "bogus"),
             ("category", "narkotikaforsaljning")]
    view = page_view("/handelser", pairs, "sv", KNOWN)
    assert view.state.categories == ("narkotikaforsaljning", "sprutfynd")  # vocabulary order, unknown dropped
    assert page_export.to_query(view.state) == \
        "?place=tantolunden&category=narkotikaforsaljning&category=sprutfynd"  # what the PDF's browser opens
    assert page_view("/karta", pairs, "sv", KNOWN).state.categories == ()  # a page without categories


def test_caption_route_names_the_categories(dash_app):
    client = dash_app.server.test_client()
    query = f"{VIEW}&category=sprutfynd&category=narkotikaforsaljning&path=/handelser"
    sv = client.get(f"/export/caption{query}").get_json()
    assert sv["lines"][0] == f"Händelser · {FILTER_WORDS} · Kategorier: Misstänkt narkotikaförsäljning, Sprutfynd"
    assert sv["filename"] == "handelser_tantolunden_2024-01--2024-06.png"  # file names stay as they were
    en = client.get(f"/export/caption{query}&lang=en").get_json()
    assert en["lines"][0] == "Incidents · Tantolunden · Jan–Jun 2024 · Categories: Suspected drug dealing, Syringe find"
    karta = client.get(f"/export/caption{query.replace('/handelser', '/karta')}").get_json()
    assert karta["lines"][0] == f"Karta · {FILTER_WORDS}"


@pytest.mark.parametrize("route", ["/export/caption", "/export/page.pdf"])
@pytest.mark.parametrize("path", BAD_PATHS)
def test_a_path_that_is_not_a_page_is_refused(dash_app, route, path):
    response = dash_app.server.test_client().get(route, query_string={"path": path})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"


def test_without_chromium_the_pdf_route_says_so(dash_app, monkeypatch):
    monkeypatch.setattr(page_export, "browser", lambda: SharedBrowser(Path("/nonexistent/chromium")))
    response = dash_app.server.test_client().get("/export/page.pdf?path=/data")
    assert response.status_code == 503
    assert "Chromium" in response.get_data(as_text=True)


# ---- the page as PNG, in the browser ----

def export_png(browsing, item: str, menu: str = "Exportera") -> tuple[Image.Image, str]:
    page = browsing.page
    page.get_by_role("button", name=menu).click()
    try:
        with page.expect_download(timeout=30_000) as download:
            page.get_by_text(item, exact=True).click()
    except Exception as error:  # the menu says why: show it rather than only a timeout
        raise AssertionError((page.inner_text("#export-status"), browsing.errors)) from error
    data = Path(download.value.path()).read_bytes()
    return Image.open(io.BytesIO(data)).convert("RGB"), download.value.suggested_filename


def main_box(page) -> dict:
    return page.evaluate("""() => { const main = document.querySelector('#main');
        return {width: main.offsetWidth, height: main.offsetHeight,
                padding: parseFloat(getComputedStyle(main).paddingBottom)}; }""")


def ink(image: Image.Image) -> int:
    """How many pixels are dark enough to be text."""
    return sum(ImageStat.Stat(image.convert("L").point(lambda v: 255 if v < 110 else 0)).sum) // 255


@pytest.mark.browser
@pytest.mark.slow
def test_page_png_is_the_page_at_twice_the_pixels_with_the_caption_under_it(browsing):
    browsing.open("/handelser" + VIEW)
    page = browsing.page
    browsing.settle()
    box = main_box(page)
    image, name = export_png(browsing, "Sidan som bild (PNG)")
    assert name == "handelser_tantolunden_2024-01--2024-06.png"
    assert image.width == 2 * box["width"]
    assert ImageStat.Stat(image.convert("L")).stddev[0] > 20  # not blank
    caption_top = 2 * (box["height"] - box["padding"])  # the caption was added at the foot of the page
    assert image.height > caption_top + 2 * box["padding"] + 2 * 40
    assert ink(image.crop((0, caption_top, image.width, image.height))) > 2000  # its two lines of text
    assert page.locator(".export-caption").count() == 0  # only there for the capture
    assert page.inner_text("#export-status") == ""
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_page_png_of_the_map_has_the_map_in_it(browsing):
    browsing.open("/karta" + VIEW)
    page = browsing.page
    page.wait_for_function(READY)
    frame = page.evaluate("""() => { const f = document.querySelector('#karta-map').getBoundingClientRect();
        const m = document.querySelector('#main').getBoundingClientRect();
        return [f.left - m.left, f.top - m.top, f.right - m.left, f.bottom - m.top]; }""")
    image, name = export_png(browsing, "Sidan som bild (PNG)")
    assert name == "karta_tantolunden_2024-01--2024-06.png"
    drawn = image.crop(tuple(round(2 * v) for v in frame))
    assert ImageStat.Stat(drawn.convert("L")).stddev[0] > 15  # polygons, streets, markers: not an empty frame
    assert len(drawn.getcolors(maxcolors=1 << 20)) > 200
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_page_png_in_english_has_an_english_file_name(browsing):
    browsing.open("/handelser" + VIEW)
    page = browsing.page
    page.click(".lang-switch >> text=English")
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Incidents'")
    _, name = export_png(browsing, "Page as image (PNG)", menu="Export")
    assert name == "incidents_tantolunden_2024-01--2024-06.png"
    browsing.assert_clean()


# ---- the page as PDF, on the server ----

def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=90) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check_a4_landscape(pdf: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    for sheet in reader.pages:
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        assert all(abs(got - want) <= 2 for got, want in zip(size, A4_LANDSCAPE_PT, strict=True)), size
    return reader


@pytest.mark.browser
@pytest.mark.slow
def test_page_pdf_is_a4_landscape_with_the_caption(chromium, live_server):
    query = f"{VIEW}&category=sprutfynd&category=bogus&path=/handelser&lang=sv&evil=1"
    status, headers, pdf = fetch(f"{live_server}/export/page.pdf{query}")
    assert status == 200, pdf[:300]
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="handelser_tantolunden_2024-01--2024-06.pdf"'
    first = " ".join(check_a4_landscape(pdf).pages[0].extract_text().split())
    assert "Data t.o.m." in first and FILTER_WORDS in first and "Källor:" in first
    assert "Återställ filter" not in first and "Exportera" not in first  # no controls on paper
    # The same view as on screen: the page drawn for the category (its header says so) and the caption naming it.
    assert first.count(f"{FILTER_WORDS} · Kategori: Sprutfynd") == 2, first
    assert "bogus" not in first


@pytest.mark.browser
@pytest.mark.slow
def test_page_pdf_in_english(chromium, live_server):
    status, headers, pdf = fetch(f"{live_server}/export/page.pdf{VIEW}&path=/karta&lang=en")
    assert status == 200, pdf[:300]
    assert headers["Content-Disposition"] == 'attachment; filename="map_tantolunden_2024-01--2024-06.pdf"'
    first = " ".join(check_a4_landscape(pdf).pages[0].extract_text().split())
    assert "Data through" in first and "Tantolunden · Jan–Jun 2024" in first


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", ["../../etc/passwd", "http://evil"])
def test_page_pdf_refuses_what_is_not_a_page(live_server, path):
    status, _, body = fetch(f"{live_server}/export/page.pdf?path={urllib.parse.quote(path, safe='')}")
    assert status == 400, body


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("path", "extra", "words"), [("/trygghet", "", FILTER_WORDS),
                                                      ("/handelser", "&category=sprutfynd", "Kategori: Sprutfynd")])
def test_page_pdf_from_the_menu_downloads_with_its_file_name(browsing, path, extra, words):
    browsing.open(path + VIEW + extra)
    page = browsing.page
    page.get_by_role("button", name="Exportera").click()
    with page.expect_download(timeout=90_000) as download:
        page.get_by_text("Sidan som PDF (A4 liggande)", exact=True).click()
    assert download.value.suggested_filename == f"{path[1:]}_tantolunden_2024-01--2024-06.pdf"
    text = " ".join(check_a4_landscape(Path(download.value.path()).read_bytes()).pages[0].extract_text().split())
    assert words in text  # the menu asks for the view on screen, Händelser's categories included
    page.wait_for_function("() => document.querySelector('#export-status').innerText === ''")
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", ["/handelser", "/uppsokande", "/aktiviteter", "/"])
def test_in_the_pdf_layout_every_chart_fits_the_paper(browsing, path):
    """What the PDF's browser sees: no controls, and no chart wider than its box or than the printed width."""
    page = browsing.page
    page.set_viewport_size(viewport(LAYOUT_WIDTH_PX))
    page.add_init_script(MARK_PDF)
    page.emulate_media(media="screen")
    browsing.open(path + VIEW)
    page.wait_for_function(READY)
    assert page.locator(".shell-navbar").is_hidden() and page.locator(".filter-bar").is_hidden()
    rights = page.evaluate(
        "() => [...document.querySelectorAll('.main-svg')].map(e => e.getBoundingClientRect().right)")
    assert rights and max(rights) <= LAYOUT_WIDTH_PX
    assert page.evaluate("() => window.lagesbildExport.graphsFit()")
    browsing.assert_clean()


def test_caption_json_is_plain_data(dash_app):
    body = dash_app.server.test_client().get("/export/caption?path=/data&lang=en").get_data(as_text=True)
    assert set(json.loads(body)) == {"title", "lines", "filename"}
