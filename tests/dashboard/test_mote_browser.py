"""Möte (/mote) in Chromium: a keyboard walk through every slide at 1920×1080 and 1280×720 while presenting, each
slide's screenshot kept (test artefacts), nothing cut and no scrolling inside a slide; the slides' figures are the
lägesrapport's of the same snapshot."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from lagesbild.config import load_config
from lagesbild.disclosure import Viewer
from lagesbild.reads import Reads
from lagesbild.report.build import build_report
from lagesbild.report.deck import deck_month
from lagesbild.settings import load_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTEFACTS = Path(os.environ.get("LAGESBILD_TEST_ARTEFACTS", "test-artefacts")) / "mote"
SIZES = [(1920, 1080), (1280, 720)]

# every element of the shown slide inside the slide's box, and nothing scrolled inside it
CUT = """() => {
  const slide = document.querySelector('#mote-deck .slide:not([hidden])');
  const box = slide.getBoundingClientRect();
  const out = [];
  for (const el of slide.querySelectorAll('h2, p, li, .deck-kpi, .risk-matrix, .slide-chart, .slide-counter')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
      out.push(el.className + ': ' + el.innerText.slice(0, 40));
  }
  for (const el of [slide, ...slide.querySelectorAll('.slide-body, .deck-kpi')])
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      out.push('scrolls: ' + el.className);
  return {key: slide.dataset.key, counter: slide.querySelector('.slide-counter').innerText, cut: out,
          fills: Math.abs(box.width - window.innerWidth) < 2 && Math.abs(box.height - window.innerHeight) < 2};
}"""


@pytest.fixture
def presenter(chromium, live_server, request):
    width, height = request.param
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page, live_server, (width, height), errors
    context.close()


@pytest.mark.parametrize("presenter", SIZES, indirect=True, ids=["1920x1080", "1280x720"])
def test_a_keyboard_walk_through_every_slide_while_presenting(presenter):
    page, base, (width, height), errors = presenter
    page.goto(base + "/mote", wait_until="networkidle")
    page.wait_for_selector("#mote-deck .slide")
    total = page.locator("#mote-deck .slide").count()
    assert total >= 7  # goal, indicators, up to four charts, activities, actions, risks, change requests
    page.click("#deck-start")
    page.wait_for_function("() => document.querySelector('#mote-deck').classList.contains('presenting')")
    out = ARTEFACTS / f"{width}x{height}"
    out.mkdir(parents=True, exist_ok=True)
    seen = []
    for number in range(1, total + 1):
        page.wait_for_timeout(250)  # a chart takes its box's size after the resize event
        state = page.evaluate(CUT)
        page.screenshot(path=str(out / f"slide-{number:02d}-{state['key']}.png"))
        assert state["counter"] == f"{number} av {total}"
        assert state["fills"], state
        assert state["cut"] == [], (number, state)
        seen.append(state["key"])
        page.keyboard.press("ArrowRight" if number % 2 else "Space")
    assert seen[0] == "goal" and "indicators" in seen and "chart" in seen and seen[-1] == "change_requests"
    assert page.evaluate(CUT)["counter"] == f"{total} av {total}"  # past the end stays on the last
    page.keyboard.press("Home")
    assert page.evaluate(CUT)["key"] == "goal"
    page.keyboard.press("End")
    assert page.evaluate(CUT)["key"] == "change_requests"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(CUT)["counter"] == f"{total - 1} av {total}"
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('#mote-deck').classList.contains('presenting')")
    assert errors == []


def test_the_slides_show_the_lagesrapports_figures_of_the_same_snapshot(browsing, dashboard_store_url):
    """The report sent before the meeting (lagesbild report --asof D) and the slides shown in it (/mote?asof=D)."""
    from lagesbild.store.db import make_engine

    day = date.today()
    browsing.open(f"/mote?asof={day.isoformat()}")
    page = browsing.page
    page.wait_for_selector("#mote-deck .deck-kpi", state="attached")
    shown = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#mote-deck .deck-kpi')].map(
        el => [el.dataset.kpi, el.querySelector('.deck-kpi-value').textContent]))""")
    reads = Reads(make_engine(dashboard_store_url), Viewer.unrestricted("test")).as_of(day)
    settings = load_settings({}).with_db(dashboard_store_url)
    report = build_report(reads, load_config(settings), deck_month(reads, day), charts=False)
    assert shown == {row.id: row.value.text for row in report.kpis}
    captions = page.locator("#mote-deck .slide-caption").all_text_contents()
    assert captions and all(caption.startswith("Ögonblicksbild per ") for caption in captions)
    browsing.assert_clean()
