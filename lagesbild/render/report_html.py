"""The lägesrapport as one self-contained HTML page for printing to A4: styles inline, charts as PNG data URIs,
no scripts, no links to anything, so headless Chromium prints it without a network."""

from __future__ import annotations

import base64
from html import escape

from lagesbild.charts.theme import STATUS_COLOURS
from lagesbild.i18n.formats import fmt_month
from lagesbild.indicators.wording import status_label
from lagesbild.report.build import Cell, Report, Table

FONT = "'Carlito', 'Calibri', 'Liberation Sans', 'Arial', 'DejaVu Sans', sans-serif"
CSS = f"""
@page {{ size: A4; margin: 16mm 18mm 18mm 18mm; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ font-family: {FONT}; font-size: 10pt; line-height: 1.35; color: #1f2328; margin: 0; }}
h1.title {{ font-size: 22pt; font-weight: 700; margin: 0 0 4pt; padding-bottom: 4pt;
  border-bottom: 1.5pt solid #0b3c6b; color: #0b3c6b; }}
p.subtitle {{ color: #555; margin: 0 0 2pt; font-size: 9.5pt; }}
h2 {{ font-size: 14pt; color: #0b3c6b; margin: 16pt 0 5pt; break-after: avoid; }}
h3 {{ font-size: 11.5pt; color: #0b3c6b; margin: 11pt 0 4pt; break-after: avoid; }}
p {{ margin: 0 0 5pt; }}
p.goal-date {{ font-weight: 700; }}
ul {{ margin: 0 0 6pt; padding-left: 16pt; }}
li {{ margin: 0 0 2pt; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.8pt; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th, td {{ border: 0.75pt solid #8c959f; padding: 3pt 4pt; vertical-align: top; text-align: left; }}
th {{ background: #e7e9ec; font-weight: 700; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.value {{ font-weight: 700; }}
td.status {{ font-weight: 700; color: #111; white-space: nowrap; }}
tr.flagged td:first-child {{ font-weight: 700; }}
.note {{ display: block; font-size: 7.6pt; font-weight: 400; color: #444; white-space: normal; }}
.badge {{ display: inline-block; font-weight: 700; color: #111; padding: 1pt 5pt; border-radius: 3pt;
  margin-right: 5pt; }}
figure {{ margin: 8pt 0 12pt; break-inside: avoid; }}
figure img {{ width: 100%; height: auto; display: block; }}
figcaption {{ font-size: 9pt; margin-top: 3pt; }}
figcaption b {{ color: #0b3c6b; }}
figcaption .figure-note {{ display: block; color: #444; font-size: 8.3pt; margin-top: 1pt; }}
.closing {{ margin-top: 12pt; font-size: 8.3pt; color: #555; }}
p.protection {{ font-size: 9pt; color: #333; }}
"""


def _text(value: str) -> str:
    return escape(value, quote=True)


def _cell(cell: Cell) -> str:
    note = f'<span class="note">{_text(cell.note)}</span>' if cell.note else ""
    return _text(cell.text) + note


def _table(data: Table, numeric_from: int | None = None, table_id: str = "") -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in data.header)
    rows = []
    for i, values in enumerate(data.rows):
        flagged = bool(data.flagged and data.flagged[i])
        cells = "".join(
            f'<td class="num">{_text(v)}</td>' if numeric_from is not None and j >= numeric_from
            else f"<td>{_text(v)}</td>"
            for j, v in enumerate(values))
        rows.append(f'<tr class="flagged">{cells}</tr>' if flagged else f"<tr>{cells}</tr>")
    ident = f' id="{_text(table_id)}"' if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _kpi_table(report: Report) -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in report.kpi_header)
    rows = []
    for row in report.kpis:
        rows.append(
            f'<tr id="kpi-{_text(row.id)}"><td>{_cell(row.indicator)}</td>'
            f'<td class="num value">{_cell(row.value)}</td><td class="num">{_cell(row.previous)}</td>'
            f'<td class="num">{_cell(row.baseline)}</td><td class="num">{_cell(row.target)}</td>'
            f'<td class="status status-{row.status}" style="background:{row.colour}">{_text(row.status_text)}</td></tr>'
        )
    return f'<table class="kpi"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{_text(item)}</li>" for item in items) + "</ul>" if items else ""


def render_html(report: Report) -> str:
    """The whole report as one HTML document, in the same order and words as the Word document."""
    lang, month = report.lang, fmt_month(report.month, report.lang)
    parts = [f'<h1 class="title">{_text(report.title)}</h1>',
             *(f'<p class="subtitle">{_text(line)}</p>' for line in report.subtitle),
             f"<h2>{_text(report.text('h.goal'))}</h2>", f"<p>{_text(report.goal_text)}</p>",
             f'<p class="goal-date">{_text(report.goal_date)}</p>']
    if report.goal_outcome:
        parts.append(f"<p>{_text(report.goal_outcome)}</p>")
    badges = "".join(f'<span class="badge" style="background:{STATUS_COLOURS[status]}">'
                     f"{_text(status_label(status, lang))}: {count}</span>"
                     for status, count in report.status_counts if count)
    parts.append(f"<p>{_text(report.text('status_summary', month=month))} {badges}</p>")
    parts += [f"<h2>{_text(report.text('h.kpis'))}</h2>", f"<p>{_text(report.kpi_intro)}</p>", _kpi_table(report)]
    if report.protection:  # what '<5', 'dolt' and '–' mean, right under the table that shows them
        parts.append(f'<p class="protection" id="disclosure-note">{_text(report.protection)}</p>')
    parts += [f"<h3>{_text(report.text('h.rules'))}</h3>", _list(report.rules)]
    if report.notes:
        parts += [f"<h3>{_text(report.text('h.notes'))}</h3>", _list(report.notes)]
    if report.charts:
        parts.append(f"<h2>{_text(report.text('h.charts'))}</h2>")
    for chart in report.charts:
        data = base64.b64encode(chart.png).decode("ascii")
        label = f"{report.text('figure')} {chart.number}"
        parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{_text(label)}: {_text(chart.title)}" '
                     f'width="{chart.width_px}" height="{chart.height_px}">'
                     f"<figcaption><b>{_text(label)}:</b> {_text(chart.title)}"
                     f'<span class="figure-note">{_text(chart.note)}</span></figcaption></figure>')
    parts += [f"<h2>{_text(report.text('h.activities', month=month))}</h2>", f"<p>{_text(report.activity_summary)}</p>"]
    for key, items in (("h.measures", report.measures), ("h.activity_list", report.activities),
                       ("h.other_events", report.other_events)):
        if items:
            parts += [f"<h3>{_text(report.text(key))}</h3>", _list(items)]
    parts += [f"<h2>{_text(report.text('h.data'))}</h2>", f"<h3>{_text(report.text('h.freshness'))}</h3>",
              f"<p>{_text(report.freshness_intro)}</p>", _table(report.freshness),
              f"<h3>{_text(report.text('h.rejected'))}</h3>", f"<p>{_text(report.rejected_summary)}</p>"]
    if report.rejected is not None:
        parts.append(_table(report.rejected, numeric_from=1))
    parts.append(_list(report.reasons))
    if report.rejected_note:  # for a reader whose small counts are hidden: why no reasons, and what '<5' means
        parts.append(f'<p class="protection" id="rejections-protected">{_text(report.rejected_note)}</p>')
    if report.rejected_columns is not None:
        parts.append(_table(report.rejected_columns, numeric_from=2, table_id="rejections-by-column"))
    parts.append('<p class="closing">' + "<br>".join(_text(line) for line in report.caption.lines()) + "</p>")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{_text(report.title)}</title>'
            f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>")


def footer_template(report: Report) -> str:
    """Chromium's page footer: the title and 'Sida 2 av 5' on every page (its own font size: it is not the page's
    CSS)."""
    return (f'<div style="font-family:{FONT};font-size:7.5pt;color:#555;width:100%;text-align:center;'
            f'padding:0 18mm;">{_text(report.title)} · {_text(report.text("page"))} <span class="pageNumber"></span> '
            f'{_text(report.text("of"))} <span class="totalPages"></span></div>')
