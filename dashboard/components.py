"""Layout pieces every page shares: the page header with the filter in words, and the empty state."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import dash_bootstrap_components as dbc
from dash import html

from dashboard import context, queries
from dashboard.filters import FilterState, describe, parse_kwargs
from dashboard.i18n import lang_or_default, t
from dashboard.options import ShellOptions


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
    if queries.totals(context.current().engine(), kind, by="category").empty:
        return html.Div([header, empty_state(lang)], className=f"page page-{key}")
    return html.Div([header, *content(state, lang, options)], className=f"page page-{key}")


def placeholder_page(key: str, lang: str | None, query: Mapping[str, object]) -> html.Div:
    """A page that has no content yet: its header and the empty state."""
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    return html.Div([page_header(key, lang, state, options), empty_state(lang)], className=f"page page-{key}")
