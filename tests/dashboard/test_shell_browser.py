"""Browser smoke tests: every page renders offline without console errors, and the filter lives in the URL."""

from __future__ import annotations

import re

import plotly.io as pio
import pytest

from lagesbild.charts.theme import TEMPLATE_NAME

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    ("/", "Översikt"),
    ("/handelser", "Händelser"),
    ("/uppsokande", "Uppsökande arbete"),
    ("/aktiviteter", "Aktiviteter"),
    ("/trygghet", "Trygghet"),
    ("/karta", "Karta"),
    ("/effekt", "Effekt"),
    ("/data", "Data"),
    ("/projektregister", "Projektregister"),
]


def choose(page, dropdown_id: str, option: str) -> None:
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_every_page_renders_offline_without_errors(browsing, path, title):
    browsing.open(path)
    page = browsing.page
    assert page.inner_text(".page-title") == title
    assert page.locator(".empty-state").count() == 0  # the sample store has data for every page
    assert page.inner_text(".shell-navbar .nav-link.active") == title
    assert page.title() == f"{title} · Lägesbild"
    browsing.settle()
    browsing.assert_clean()


def test_changing_the_month_filter_updates_the_url_and_back_undoes_it(browsing):
    browsing.open("/handelser")
    page = browsing.page
    choose(page, "filter-from", "maj 2024")
    page.wait_for_url(re.compile(r"/handelser\?from=2024-05$"))
    page.wait_for_function("() => document.querySelector('#page-filter').innerText.includes('från maj 2024')")
    choose(page, "filter-place", "Tantolunden")
    page.wait_for_url(re.compile(r"\?place=tantolunden&from=2024-05$"))
    page.go_back()
    page.wait_for_url(re.compile(r"/handelser\?from=2024-05$"))
    page.wait_for_function("() => document.querySelector('#filter-place').innerText.includes('Hela området')")
    page.go_back()
    page.wait_for_url(re.compile(r"/handelser$"))
    page.wait_for_function("() => document.querySelector('#filter-from').innerText.includes('Alla månader')")
    browsing.assert_clean()


def test_a_link_reproduces_the_view_and_the_nav_keeps_it(browsing):
    query = "?place=tantolunden&place=drakenbergsparken&from=2024-01&to=2024-06"
    browsing.open("/trygghet" + query)
    page = browsing.page
    assert page.inner_text("#page-filter") == "Tantolunden, Drakenbergsparken · jan–jun 2024"
    assert "januari 2024" in page.inner_text("#filter-from")
    assert "juni 2024" in page.inner_text("#filter-to")
    assert page.get_attribute('#shell-nav a:has-text("Karta")', "href") == "/karta" + query
    page.click('#shell-nav a:has-text("Karta")')
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Karta'")
    assert page.url.endswith("/karta" + query)
    assert page.inner_text("#page-filter") == "Tantolunden, Drakenbergsparken · jan–jun 2024"
    browsing.assert_clean()


def test_a_bad_url_shows_a_notice_not_an_error(browsing):
    browsing.open("/handelser?place=unknown&from=2024-13")
    page = browsing.page
    notice = page.wait_for_selector(".notice")
    assert "okänd plats ”unknown”" in notice.inner_text()
    assert "ogiltig månad from=”2024-13”" in notice.inner_text()
    assert page.inner_text(".page-title") == "Händelser"
    assert page.inner_text("#page-filter") == "Hela området · alla månader"
    assert page.url.endswith("?place=unknown&from=2024-13")  # not rewritten behind the user's back
    browsing.assert_clean()


def test_reset_clears_the_filter_and_the_query(browsing):
    browsing.open("/data?place=hornstull&from=2024-02")
    page = browsing.page
    page.click("#filter-reset")
    page.wait_for_url(re.compile(r"/data$"))
    page.wait_for_function("() => document.querySelector('#page-filter').innerText.includes('alla månader')")
    browsing.assert_clean()


def test_english_switches_the_shell_and_the_page_and_survives_reload(browsing):
    browsing.open("/uppsokande?from=2024-05")
    page = browsing.page
    page.click(".lang-switch >> text=English")
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Street outreach'")
    assert "Incidents" in page.inner_text("#shell-nav")
    assert page.inner_text("#page-filter") == "Whole area · from May 2024"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload(wait_until="networkidle")
    page.wait_for_function("() => document.querySelector('.page-title').innerText === 'Street outreach'")
    browsing.assert_clean()


def test_plotly_draws_swedish_months_and_numbers_offline(browsing):
    """The vendored 'sv' locale and the template give 'maj 2024' and '20 000' on the axes."""
    browsing.open("/")
    page = browsing.page
    page.wait_for_function("() => window.Plotly !== undefined")  # Översikt's sparklines load plotly.js
    template = pio.templates[TEMPLATE_NAME].to_plotly_json()
    ticks = page.evaluate(
        """async (template) => {
            const div = document.createElement('div');
            div.style.width = '900px'; div.style.height = '450px';
            document.body.appendChild(div);
            const data = [{x: ['2024-03-01', '2024-05-01', '2024-07-01'], y: [12345.6, 20000, 1500]}];
            await Plotly.newPlot(div, data, {template}, {locale: 'sv'});
            return Array.from(div.querySelectorAll('.xtick text, .ytick text')).map(e => e.textContent);
        }""",
        template,
    )
    assert any(tick.startswith("maj") for tick in ticks), ticks  # lower case, as Swedish writes it
    assert "20\u00a0000" in ticks, ticks
    browsing.assert_clean()
