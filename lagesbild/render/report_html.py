"""The lägesrapport as one self-contained HTML page for printing to A4 (templates/report.html.j2, autoescaped):
styles inline, charts as PNG data URIs, no scripts, no links to anything, so headless Chromium prints it without a
network."""

from __future__ import annotations

import base64
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from lagesbild.charts.theme import STATUS_COLOURS
from lagesbild.i18n.formats import fmt_month
from lagesbild.indicators.wording import status_label
from lagesbild.render.report_charts import chart_png
from lagesbild.report.model import Report

FONT = "'Carlito', 'Calibri', 'Liberation Sans', 'Arial', 'DejaVu Sans', sans-serif"


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("lagesbild.render", "templates"),
                       autoescape=select_autoescape(["html", "j2", "css"], default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(report: Report) -> str:
    """The whole report as one HTML document, in the same order and words as the Word document."""
    charts = [(chart, base64.b64encode(chart_png(chart)).decode("ascii")) for chart in report.charts]
    return environment().get_template("report.html.j2").render(
        report=report, charts=charts, font=FONT, colours=STATUS_COLOURS, month=fmt_month(report.month, report.lang),
        status_label=lambda status: status_label(status, report.lang))


def footer_template(report: Report) -> str:
    """Chromium's page footer: the title and 'Sida 2 av 5' on every page."""
    return environment().get_template("report_footer.html.j2").render(report=report, font=FONT).strip()
