"""Hostile text in every free-text field is shown as text: in tables, chart hover labels and map popups.

A real `python -m lagesbild serve` process on a store holding the sample data plus the hostile files of
hostile_corpus.py, driven by headless Chromium: no dialog may open, no injected element may exist, and the
hostile text must appear literally where the page shows it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select

from lagesbild.charts.figures import _hover_safe
from lagesbild.store.db import make_engine
from lagesbild.store.schema import loads
from tests.security.hostile_corpus import (
    BAD_DATE,
    OUTREACH_NOTES,
    PAGES,
    SUMMARIES,
    TITLES,
    UNKNOWN_PLACES,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_runs_hostile_text(watched, path):
    watched.open(path)
    watched.assert_nothing_injected()
    assert watched.errors == []


def test_incident_summaries_are_shown_literally_in_the_latest_table(watched):
    watched.open("/handelser")
    table = watched.page.locator("#handelser-latest").inner_text()
    for summary in SUMMARIES:
        assert summary in table
    watched.assert_nothing_injected()


ZOOM_TO_HOSTILE = """() => Plotly.relayout(document.querySelector('#aktiviteter-timeline .js-plotly-plot'),
    {'xaxis.range': ['2025-11-05', '2025-12-22']})"""


HOVER_DATA = """() => document.querySelector('#aktiviteter-timeline .js-plotly-plot').data
    .flatMap(t => [].concat(t.customdata || [], t.hovertext || [])).map(String)"""


def test_measure_titles_are_literal_in_the_timeline_hover(watched):
    """Plotly reads <b>, <a href> and more in hover text: hovered, a hostile title shows as typed, no link."""
    watched.open("/aktiviteter")
    graph = watched.page.locator("#aktiviteter-timeline .js-plotly-plot")
    graph.wait_for()
    watched.page.evaluate(ZOOM_TO_HOSTILE)  # the hostile measures, spread out enough to hover one at a time
    watched.page.wait_for_timeout(300)
    graph.scroll_into_view_if_needed()
    points, shown = graph.locator(".scatterlayer .point"), []
    for i in range(points.count()):
        try:
            points.nth(i).hover(force=True, timeout=1000)
        except PlaywrightError:  # outside the zoomed range: not drawn where the mouse can reach
            continue
        label = graph.locator(".hoverlayer")
        shown.append(label.text_content() if label.count() else "")
        assert graph.locator(".hoverlayer a").count() == 0
        assert graph.locator(".hoverlayer b, .hoverlayer tspan[style*='bold']").count() == 0, shown[-1]
    hostile = [text for text in shown if "T-" in text]
    assert hostile and all(any(title in text for title in TITLES) for text in hostile), sorted(set(shown))
    drawn = " ".join(watched.page.evaluate(HOVER_DATA))  # every hover text the figure holds, hovered or not
    for title in TITLES:
        assert _hover_safe(title) in drawn, title  # escaped where the figure is built, for every title
    watched.assert_nothing_injected()


POPUP_TEXTS = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const texts = [];
    const visit = (layer) => {
        if (layer.getLayers) { layer.getLayers().forEach(visit); }
        const popup = layer.getPopup && layer.getPopup();
        if (!popup) { return; }
        if (map.hasLayer(layer) && layer.openPopup) {  // opened as a click would: folium's own HTML
            layer.openPopup();
            const shown = document.querySelector('.leaflet-popup-content');
            if (shown) { texts.push(shown.innerText); }
            layer.closePopup();
        } else {  // inside a cluster: the incident popup, built by window.lbIncidentPopup
            let content = popup.getContent();
            if (typeof content === 'function') { content = content(layer); }
            if (content instanceof HTMLElement) { document.body.appendChild(content); texts.push(content.innerText); }
        }
    };
    map.eachLayer(visit);
    return texts;
}"""


def test_map_popups_show_hostile_text_as_text(watched):
    watched.open("/karta")
    watched.page.wait_for_selector("iframe")
    frame = next(f for f in watched.page.frames if f != watched.page.main_frame)
    frame.wait_for_function("() => window.L && Object.values(window).some(v => v instanceof L.Map)")
    texts = frame.evaluate(POPUP_TEXTS)
    assert texts, "no popup found"
    for summary in SUMMARIES:
        assert any(summary in text for text in texts), summary
    watched.assert_nothing_injected()


def test_data_page_shows_the_hostile_file_name_and_reason_as_text(watched):
    watched.open("/data")
    rejected = watched.page.locator("#data-rejections-table").inner_text()
    assert "<img src=x onerror=alert(1)>" in rejected  # in the file name, and in the reason's value
    watched.assert_nothing_injected()


def test_unknown_place_names_are_reported_literally(hostile_store):
    engine = make_engine(hostile_store)
    with engine.connect() as conn:
        details = [json.dumps(d, ensure_ascii=False) for d in conn.execute(select(loads.c.report)).scalars()]
    engine.dispose()
    for place in UNKNOWN_PLACES:
        assert any(json.dumps(place, ensure_ascii=False) in d for d in details), place
    assert OUTREACH_NOTES and BAD_DATE  # the outreach notes and the bad date are loaded (see the pages above)


def test_the_latest_table_downloads_as_neutralised_csv(watched, tmp_path):
    watched.open("/handelser")
    with watched.page.expect_download() as info:
        watched.page.locator("#handelser-latest-csv").click()
    download = info.value
    path = Path(tmp_path) / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert path.suffix == ".csv" and data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Datum;Tid;Plats;Kategori")
    assert SUMMARIES[0] in text and "Tantolunden" in text
    watched.assert_nothing_injected()


def test_the_rejections_table_downloads_as_csv(watched, tmp_path):
    watched.open("/data")
    with watched.page.expect_download() as info:
        watched.page.locator("#data-rejections-csv").click()
    path = Path(tmp_path) / info.value.suggested_filename
    info.value.save_as(path)
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == "Fil;Kolumn;Skäl;Avvisade"
    assert "<img src=x onerror=alert(1)>" in text
