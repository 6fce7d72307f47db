"""Every page on a phone (390 × 844, touch), as a partner or field worker opens a link: the menu folded behind its
toggler and reachable, the filter bar folded away, nothing wider than the screen (tables scroll inside themselves),
the map fitting the screen; and a link's `?lang=en` opens the view in English."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/", "/handelser", "/uppsokande", "/aktiviteter", "/trygghet", "/karta", "/data", "/mote", "/effekt",
         "/projektregister"]
WIDE = """() => { const w = window.innerWidth; return [...document.querySelectorAll('body *')].filter(el => {
  const r = el.getBoundingClientRect(); if (r.width === 0 || el.closest('#js-plotly-tester')) return false;
  const own = getComputedStyle(el); if (own.position === 'absolute' && own.clip !== 'auto') return false;  // hidden
  for (let p = el.parentElement; p; p = p.parentElement) {
    const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll' || s === 'hidden') return false; }
  return r.right > w + 1 || r.left < -1; }).map(el => el.tagName + '.' + el.className).slice(0, 5); }"""


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                   has_touch=True, locale="sv-SE")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page, live_server, errors
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_works_at_390_px(phone, path):
    page, base, errors = phone
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_selector(".page-title")
    page.wait_for_timeout(300)
    # the menu: folded, the toggler shows it, a link is reachable and leads to its page
    assert not page.is_visible("#shell-nav") and page.is_visible("#shell-nav-toggle")
    header = page.locator(".shell-navbar").bounding_box()
    assert header["height"] < 120, header  # not the 280 px block it was
    page.tap("#shell-nav-toggle")
    page.wait_for_selector("#shell-nav", state="visible")
    assert page.get_attribute("#shell-nav-toggle", "aria-expanded") == "true"
    assert page.locator("#shell-nav .nav-link").count() == len(PAGES)
    # the filter bar: folded away behind its button, which opens it
    assert not page.is_visible("#filter-place") and page.is_visible("#filter-toggle")
    page.tap("#filter-toggle")
    page.wait_for_selector("#filter-place", state="visible")
    # nothing sideways: the page is no wider than the screen, wide things scroll inside themselves
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.evaluate(WIDE) == []
    if path == "/karta":
        frame = page.locator("iframe").first.bounding_box()
        assert frame and frame["width"] <= 390 and frame["height"] >= 300  # the map, to pan and zoom by touch
    assert errors == []


def test_the_menu_leads_to_another_page_on_a_phone(phone):
    page, base, errors = phone
    page.goto(base + "/handelser?from=2024-05", wait_until="networkidle")
    page.wait_for_selector(".page-title")
    page.tap("#shell-nav-toggle")
    page.get_by_role("link", name="Data", exact=True).tap()
    page.wait_for_url(re.compile(r"/data\?from=2024-05$"))
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Data'")
    assert errors == []


@pytest.mark.parametrize("path", PAGES)
def test_a_link_with_lang_en_opens_the_view_in_english(browsing, path):
    browsing.open(path + "?lang=en")
    page = browsing.page
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.wait_for_function("() => document.querySelector('#demo-banner').innerText.startsWith('Demo mode')")
    assert page.inner_text(".shell-navbar .nav-link.active") in {
        "Overview", "Incidents", "Street outreach", "Activities", "Safety", "Map", "Data", "Meeting", "Effect",
        "Project records"}
    browsing.assert_clean()


def test_the_language_switch_writes_the_language_into_the_link(browsing):
    browsing.open("/handelser?from=2024-05")
    page = browsing.page
    page.get_by_text("English", exact=True).click()
    page.wait_for_url(re.compile(r"/handelser\?from=2024-05&lang=en$"))
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Incidents'")
    page.click("#filter-reset")
    page.wait_for_url(re.compile(r"/handelser\?lang=en$"))  # the filter goes, the language stays
    page.get_by_text("Svenska", exact=True).click()
    page.wait_for_url(re.compile(r"/handelser\?lang=sv$"))
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Händelser'")
    browsing.assert_clean()
