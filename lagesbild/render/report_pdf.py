"""The lägesrapport as a PDF: its HTML (lagesbild.render.report_html) printed to A4 portrait by the process's one
headless Chromium (lagesbild.render.browser). Every request the page would make is refused: the charts are data:
URIs, so the PDF is made without a network."""

from __future__ import annotations

from lagesbild.render.browser import BrowserMissing, browser
from lagesbild.render.report_html import footer_template, render_html
from lagesbild.report.model import Report, ReportError

PDF_TIMEOUT_S = 90
PDF_MARGINS = {"top": "16mm", "bottom": "18mm", "left": "18mm", "right": "18mm"}


def to_pdf(report: Report, timeout: float = PDF_TIMEOUT_S) -> bytes:
    """The report's HTML printed to A4 portrait by the shared Chromium (Playwright, the system browser, started on
    first use and reused)."""
    html, footer = render_html(report), footer_template(report)
    try:
        return browser().run(lambda browser: _print_pdf(browser, html, footer), timeout)
    except BrowserMissing as exc:
        raise ReportError(f"a PDF needs Chromium at {exc} (apt-get install chromium)") from exc


async def _print_pdf(browser, html: str, footer: str) -> bytes:
    context = await browser.new_context(offline=True, service_workers="block")
    try:
        page = await context.new_page()
        await page.route("**/*", _refuse)
        await page.set_content(html, wait_until="load")
        await page.emulate_media(media="print")
        return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                              display_header_footer=True, header_template="<span></span>",
                              footer_template=footer, margin=PDF_MARGINS)
    finally:
        await context.close()


async def _refuse(route) -> None:
    await route.abort()
