"""Layout pieces of the pages that follow activity over time (Händelser, Uppsökande, Aktiviteter): a titled chart,
a strip of big numbers, a table with numbers aligned, and the explanation shown when a filter matches nothing."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard.export.graph import exportable_graph, figure_names
from dashboard.filters import FilterState, describe
from dashboard.fmt import fmt_month_range
from dashboard.i18n import t
from dashboard.options import ShellOptions


def chart(graph_id: str, title: str, figure: dict, lang: str, *, note: str | None = None,
          caption: str | None = None, state: FilterState | None = None, filtered: bool = True) -> html.Section:
    """A chart under its own heading (so a screenshot or PNG export still says what it shows), with an optional
    short note under it, and its own PNG/SVG export, named by the i18n key `figure.<graph_id>` (see
    dashboard.export.graph; `state` and `filtered` are for the export's file name and caption)."""
    children = [html.H2(title, className="chart-title")]
    if caption:
        children.append(html.P(caption, className="chart-caption"))
    children.append(exportable_graph(figure_names(f"figure.{graph_id}"), figure, graph_id, title=title, lang=lang,
                                     state=state, filtered=filtered, className="chart-graph"))
    if note:
        children.append(html.P(note, className="chart-note"))
    return html.Section(children, className="chart-section", id=f"{graph_id}-section")


def number_strip(items: Sequence[tuple[str, ...]]) -> dbc.Row:
    """Big numbers in a row: (element id, label, formatted value) each, optionally with a short note under it."""
    cols = []
    for item_id, label, value, *note in items:
        card = [html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value", id=item_id)]
        card += [html.Div(note[0], className="kpi-note")] if note else []
        cols.append(dbc.Col(html.Div(card, className="kpi-card"), xs=6, md=4, xl=True))
    return dbc.Row(cols, className="g-3 mb-4 number-strip")


def table(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]], table_id: str,
          caption: str | None = None) -> html.Div:
    """A plain table: (heading, how) per column, how being 'text', 'num' (right-aligned) or 'nowrap' (dates,
    times). Every cell is a string child, which Dash renders as text: a summary is never read as HTML."""
    classes = {"num": "num", "nowrap": "text-nowrap", "text": None}
    head = html.Thead(html.Tr([html.Th(name, className=classes[how], scope="col") for name, how in columns]))
    body = html.Tbody([html.Tr([html.Td(cell, className=classes[how]) for cell, (_, how) in
                                zip(row, columns, strict=True)]) for row in rows])
    parts = ([html.Caption(caption)] if caption else []) + [head, body]
    return html.Div(dbc.Table(parts, id=table_id, striped=True, hover=True, size="sm", className="activity-table"),
                    className="table-responsive")


def no_match(what: str, state: FilterState, options: ShellOptions, lang: str, element_id: str) -> dbc.Alert:
    """Why a page shows no charts: the filter in words, the months that do have data, and what to do."""
    body = [html.P(t("activity.no_match.body", lang, filter=describe(state, options.place_names, lang)))]
    if options.months:
        span = fmt_month_range(options.months[0], options.months[-1], lang)
        body.append(html.P(t("activity.no_match.span", lang, span=span)))
    body.append(html.P(t("activity.no_match.hint", lang), className="mb-0"))
    heading = html.H2(t("activity.no_match.title", lang, what=what), className="alert-heading h4")
    return dbc.Alert([heading, *body], color="info", className="empty-state no-match", id=element_id)


def section_row(*columns: tuple[html.Section, int], breakpoint: str = "lg") -> dbc.Row:
    """Sections side by side from the Bootstrap `breakpoint` up (width out of 12 per column), stacked below it.

    Time series need room for their key: pairs of them use 'xxl', so a 1366 px laptop shows them full width.
    """
    return dbc.Row([dbc.Col(section, xs=12, **{breakpoint: width}) for section, width in columns], className="g-4")


def protection_note(lang: str) -> list:
    """The sentence that explains '<5' and 'dolt', for a user whose small counts are hidden; else nothing."""
    from dashboard import disclosure

    sentence = disclosure.note(lang)
    return [html.P(sentence, className="chart-note disclosure-note", id="disclosure-note")] if sentence else []


def withheld(title: str, lang: str, element_id: str) -> html.Section:
    """In place of a list of single records (each a count of one) for a user who sees aggregates only."""
    return html.Section([html.H2(title, className="chart-title"),
                         html.P(t("disclosure.withheld", lang), className="empty-state-text", id=element_id)],
                        className="chart-section")
