"""WCAG 2.1 AA in Chromium: axe-core (axe-playwright-python bundles it; nothing from the internet) on every page,
with no serious or critical violation, on a projector's screen and on a phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/", "/handelser", "/uppsokande", "/aktiviteter", "/trygghet", "/karta", "/data", "/mote", "/effekt",
         "/projektregister"]
OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


def serious(page) -> list[str]:
    results = Axe().run(page, options=OPTIONS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                                                     else str(n["target"]) for n in v["nodes"][:4])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violation_on_any_page(browsing, path):
    browsing.open(path)
    browsing.settle()
    browsing.page.wait_for_timeout(500)
    assert serious(browsing.page) == []
    # every chart says in one sentence what it shows, before the picture
    graphs = browsing.page.locator(".exportable-graph")
    summaries = browsing.page.locator(".exportable-graph > .chart-summary").all_text_contents()
    assert len(summaries) == graphs.count() and all(s.endswith(".") and len(s) > 20 for s in summaries), summaries


@pytest.mark.parametrize("path", ["/", "/handelser", "/mote"])
def test_no_serious_or_critical_violation_in_english_on_a_phone(chromium, live_server, path):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}{path}?lang=en", wait_until="networkidle")
        page.wait_for_selector(".page-title")
        page.wait_for_timeout(500)
        assert serious(page) == []
    finally:
        context.close()
