"""Händelser's categories in the URL, in headless Chromium: link, dropdown, reload, filter bar, back."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BOTH = ["Misstänkt narkotikaförsäljning", "Sprutfynd"]
BOTH_QUERY = "category=narkotikaforsaljning&category=sprutfynd"  # vocabulary order, whatever order they were clicked


def choose(page, dropdown_id: str, option: str) -> None:
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def wait_for_bars(page, names: list[str]) -> None:
    """Until the monthly chart's category bars are exactly `names` (the chart drawn for the selection)."""
    page.wait_for_function(
        """names => { const gd = document.querySelector('#handelser-monthly .js-plotly-plot');
            return Boolean(gd && gd.data) && JSON.stringify(gd.data.filter(t => t.type === 'bar').map(t => t.name))
                === JSON.stringify(names); }""",
        arg=names,
    )


def chosen(page) -> str:
    return page.inner_text("#handelser-categories")


def test_categories_follow_the_url_through_dropdown_reload_filter_bar_and_back(browsing):
    page = browsing.page
    updates: list[str] = []  # the outputs of every callback request, to count page renders and URL writes
    page.on("request", lambda request: updates.append(json.loads(request.post_data or "{}").get("output", ""))
            if "_dash-update-component" in request.url else None)

    # A link: one known category and one unknown, which the notice names.
    browsing.open("/handelser?place=tantolunden&category=sprutfynd&category=bogus")
    wait_for_bars(page, ["Sprutfynd"])
    assert "Sprutfynd" in chosen(page) and "narkotikaförsäljning" not in chosen(page)
    assert "okänd kategori ”bogus”" in page.wait_for_selector(".notice").inner_text()
    assert page.inner_text("#page-filter") == "Tantolunden · alla månader · Kategori: Sprutfynd"
    # Nav links: the categories only back to this page; the others would ignore them.
    page.wait_for_function("""() => { const links = [...document.querySelectorAll('#shell-nav a')];
        const href = name => links.find(a => a.innerText === name).getAttribute('href');
        return href('Karta') === '/karta?place=tantolunden'
            && href('Händelser') === '/handelser?place=tantolunden&category=sprutfynd&category=bogus'; }""")

    # The dropdown writes the URL (the unknown one dropped, place kept); the page is drawn once from it.
    browsing.settle()
    updates.clear()
    choose(page, "handelser-categories", "Misstänkt narkotikaförsäljning")
    page.wait_for_url(re.compile(rf"/handelser\?place=tantolunden&{BOTH_QUERY}$"))
    wait_for_bars(page, BOTH)
    page.wait_for_selector(".notice", state="hidden")  # the URL's unknown category is gone with its notice
    browsing.settle()
    assert sum("_pages_content" in output for output in updates) == 1, updates  # no double render, no loop

    # Reload: the same selection.
    page.reload(wait_until="networkidle")
    wait_for_bars(page, BOTH)
    assert "Sprutfynd" in chosen(page) and "Misstänkt narkotikaförsäljning" in chosen(page)

    # A place in the filter bar keeps the categories.
    choose(page, "filter-place", "Drakenbergsparken")
    page.wait_for_url(re.compile(rf"\?place=tantolunden&place=drakenbergsparken&{BOTH_QUERY}$"))
    page.wait_for_function("() => document.querySelector('#page-filter').innerText.startsWith("
                           "'Tantolunden, Drakenbergsparken · alla månader · Kategorier:')")
    wait_for_bars(page, BOTH)

    # Back: the previous URL and its view, then the link as it was sent.
    page.go_back()
    page.wait_for_url(re.compile(rf"/handelser\?place=tantolunden&{BOTH_QUERY}$"))
    page.wait_for_function("() => document.querySelector('#page-filter').innerText === "
                           "'Tantolunden · alla månader · Kategorier: Misstänkt narkotikaförsäljning, Sprutfynd'")
    wait_for_bars(page, BOTH)
    page.go_back()
    page.wait_for_url(re.compile(r"/handelser\?place=tantolunden&category=sprutfynd&category=bogus$"))
    wait_for_bars(page, ["Sprutfynd"])
    assert "narkotikaförsäljning" not in chosen(page)
    browsing.assert_clean()
