"""The pieces every page is built of: its header and empty state, titled charts, number strips, tables, the
explanations shown when a filter matches nothing or numbers are protected."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard import app_context as context
from dashboard.export.figure_download import exportable_graph, figure_names
from dashboard.filter_options import ShellOptions
from lagesbild.filters import FilterState, describe, parse_kwargs
from lagesbild.i18n import lang_or_default, t
from lagesbild.i18n.formats import fmt_month_range


def page_state(query: Mapping[str, object], lang: str) -> tuple[FilterState, ShellOptions]:
    """The filter a page was opened with (from `layout(**query)`), and the options it was checked against."""
    options = context.current().options()
    return parse_kwargs(query, options.known_places, lang)[0], options


def page_header(key: str, lang: str, state: FilterState, options: ShellOptions,
                category_names: Mapping[str, str] | None = None) -> html.Header:
    """Title, one-line purpose and the filter in words, so an exported page says what it shows (the chosen categories
    too, named by `category_names`, where the page takes categories: the PDF hides the page's own controls)."""
    return html.Header(
        [
            html.H1(t(f"page.{key}", lang), className="page-title"),
            html.P(t(f"intro.{key}", lang), className="page-intro"),
            html.P(describe(state, options.place_names, lang, category_names), className="page-filter",
                   id="page-filter"),
        ],
        className="page-header",
    )


def empty_state(lang: str) -> dbc.Alert:
    return dbc.Alert(
        [
            html.H2(t("empty.title", lang) + "…", className="alert-heading h4"),
            html.P(t("empty.body", lang), className="mb-0"),
        ],
        color="info", className="empty-state",
    )


def kind_page(key: str, kind: str, lang: str | None, query: Mapping[str, object],
              content: Callable[[FilterState, str, ShellOptions], list]) -> html.Div:
    """A page over one kind of data: its header, then `content(state, lang, options)`, or the empty state
    while that kind has never been loaded."""
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    header = page_header(key, lang, state, options)
    if not context.current().reads().has_rows(kind):
        return html.Div([header, empty_state(lang)], className=f"page page-{key}")
    return html.Div([header, *content(state, lang, options)], className=f"page page-{key}")


def placeholder_page(key: str, lang: str | None, query: Mapping[str, object]) -> html.Div:
    """A page that has no content yet: its header and the empty state."""
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    return html.Div([page_header(key, lang, state, options), empty_state(lang)], className=f"page page-{key}")


def chart(graph_id: str, title: str, figure: dict, lang: str, *, note: str | None = None,
          caption: str | None = None, state: FilterState | None = None, filtered: bool = True) -> html.Section:
    """A chart under its own heading (so a screenshot or PNG export still says what it shows), with an optional
    short note under it, and its own PNG/SVG export, named by the i18n key `figure.<graph_id>` (see
    dashboard.export.figure_download; `state` and `filtered` are for the export's file name and caption)."""
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

    sentence = context.current().viewer().note(lang)
    return [html.P(sentence, className="chart-note disclosure-note", id="disclosure-note")] if sentence else []


def withheld(title: str, lang: str, element_id: str) -> html.Section:
    """In place of a list of single records (each a count of one) for a user who sees aggregates only."""
    return html.Section([html.H2(title, className="chart-title"),
                         html.P(t("disclosure.withheld", lang), className="empty-state-text", id=element_id)],
                        className="chart-section")
