"""The frame around every page: navbar, filter bar kept in the URL, notices, language switch, pages.

A page may take categories from the URL too (`?category=…`, Händelser: it says so with CATEGORY_KIND in its
registration, see dashboard/export/page.py). The filter bar does not show them but keeps them in the URL when the user
changes a place or month there; the notices name unknown ones; nav links carry them only to that very page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard import auth
from dashboard.export import page as page_export
from dashboard.filter_options import ShellOptions
from dashboard.shell_ids import (  # noqa: F401 (the ids live apart, so the export callbacks need no shell)
    FILTER_INPUTS,
    FROM,
    HTML_LANG,
    LABELS,
    LANG,
    MONTHS,
    NAV,
    NOTICE,
    PLACE,
    RESET,
    TO,
    URL,
    page_key,
)
from lagesbild.filters import (
    LANG_PARAM,
    FilterState,
    from_values,
    keep_params,
    month_key,
    parse_month,
    parse_query,
    to_query,
    url_lang,
    with_param,
    without_categories,
)
from lagesbild.i18n import LANGS, t
from lagesbild.i18n.formats import fmt_month

DEMO_TEXT = t("demo.banner", "sv")
DEMO_BANNER = "demo-banner"
NAV_TOGGLE = "shell-nav-toggle"
NAV_COLLAPSE = "shell-nav-collapse"
FILTER_TOGGLE = "filter-toggle"
FILTER_COLLAPSE = "filter-collapse"


def layout(options: ShellOptions, lang: str = "sv") -> html.Div:
    return html.Div(
        [
            dcc.Location(id=URL, refresh="callback-nav"),
            dcc.Store(id=MONTHS, data=[month_key(m) for m in options.months]),
            html.Div(id=HTML_LANG, hidden=True),
            html.A(t("main.skip", lang), href="#main", className="visually-hidden-focusable skip-link"),
            *demo_banner(),
            navbar(options, lang),
            filter_bar(options, lang),
            dbc.Alert(id=NOTICE, color="warning", is_open=False, dismissable=True, fade=False,
                      className="notice mx-3 mt-3"),
            html.Main(dash.page_container, id="main", className="page-main container-fluid px-3 px-lg-4"),
        ],
        className="shell",
    )


def navbar(options: ShellOptions, lang: str) -> dbc.Navbar:
    """The brand, and the page links, language switch and user menu; below Bootstrap's lg width (a phone, a narrow
    window) those fold into a menu behind the toggler, so the links stay reachable without a 280 px header."""
    brand = " · ".join(part for part in (t("app.brand", lang), options.area_name) if part)
    links = [nav_item(page, lang) for page in dash.page_registry.values()]
    menu = dbc.Collapse(
        [dbc.Nav(links, navbar=True, className="me-auto flex-wrap", id="shell-nav"),
         html.Div([language_switch(lang), *user_menu()], className="shell-tools d-flex align-items-center")],
        id=NAV_COLLAPSE, navbar=True, is_open=False,
    )
    # Bootstrap's toggler as a plain button: dbc.NavbarToggler takes no aria-* and a screen reader must hear its name
    toggler = html.Button(html.Span(className="navbar-toggler-icon"), id=NAV_TOGGLE, n_clicks=0, type="button",
                          className="navbar-toggler", title=t("nav.toggle", lang),
                          **{"aria-label": t("nav.toggle", lang), "aria-controls": NAV_COLLAPSE,
                             "aria-expanded": "false"})
    return dbc.Navbar(
        dbc.Container([dbc.NavbarBrand(brand, href="/", className="brand"), toggler, menu], fluid=True),
        color="primary", dark=True, className="shell-navbar", expand="lg",
    )


def demo_banner(lang: str = "sv") -> list:
    """Open demo mode says so on every page, in one place: here (in the page's language: translate_banner)."""
    if not auth.is_open():
        return []
    return [html.Div(demo_text(lang), id=DEMO_BANNER, role="status",
                     className="alert alert-warning rounded-0 mb-0 py-1 text-center fw-semibold")]


def demo_text(lang: str) -> str:
    role = auth.demo_role()
    return t("demo.banner_role", lang, role=role) if role else t("demo.banner", lang)


def user_menu() -> list:
    """Who is logged in, and a logout form (POST with a CSRF token); nothing in open demo mode."""
    user = auth.logout_form()
    if not user:
        return []
    return [html.Form([html.Span(f"{user['username']} ({user['role']})", className="text-light small me-2"),
                       dcc.Input(type="hidden", name="csrf_token", value=user["csrf"]),
                       html.Button("Logga ut / Log out", type="submit", id="logout-button",
                                   className="btn btn-sm btn-outline-light")],
                      method="POST", action="/logout", className="d-flex align-items-center ms-3", id="logout-form")]


def nav_item(page: dict, lang: str) -> dbc.NavItem:
    link_id = {"type": NAV, "page": page_key(page)}
    return dbc.NavItem(dbc.NavLink(t(f"page.{page_key(page)}", lang), href=page["relative_path"], id=link_id))


def language_switch(lang: str) -> html.Div:
    options = [{"label": t(f"lang.{code}", code), "value": code} for code in LANGS]
    return html.Div(
        dbc.RadioItems(
            id=LANG, options=options, value=lang, inline=True, persistence=True, persistence_type="local",
            className="btn-group", inputClassName="btn-check", labelClassName="btn btn-outline-light",
            labelCheckedClassName="active",
        ),
        className="lang-switch", title=t("filter.language", lang),
    )


def filter_bar(options: ShellOptions, lang: str) -> html.Section:
    labels = dropdown_labels(lang)
    place = dcc.Dropdown(id=PLACE, multi=True, options=place_options(options), value=[], labels=labels,
                         placeholder=t("filter.place_all", lang), search_order="original")
    months = [dcc.Dropdown(id=field, options=[], labels=labels, placeholder=t("filter.month_any", lang),
                           search_order="original") for field in (FROM, TO)]
    toggle = html.Button(t("filter.toggle", lang), id=FILTER_TOGGLE, n_clicks=0, type="button",
                         className="btn btn-outline-secondary filter-toggle d-lg-none w-100",
                         **{"aria-controls": FILTER_COLLAPSE, "aria-expanded": "false"})
    return html.Section(
        [toggle, dbc.Collapse(dbc.Row(
            [
                filter_field(PLACE, place, lg=4, lang=lang, xl=5),
                filter_field(FROM, months[0], lg=2, lang=lang),
                filter_field(TO, months[1], lg=2, lang=lang),
                dbc.Col([dbc.Button(t("filter.reset", lang), id=RESET, color="secondary", outline=True,
                                    className="w-100"), page_export.export_menu(lang)],
                        lg=4, xl=3, className="filter-actions d-flex align-items-end gap-2"),
            ],
            className="g-3",
        ), id=FILTER_COLLAPSE, is_open=False, className="filter-collapse")],
        className="filter-bar px-3 px-lg-4 py-2 py-lg-3", **{"aria-label": t("filter.label", lang)},
    )


def filter_field(field_id: str, control, lg: int, lang: str, xl: int | None = None) -> dbc.Col:
    label = html.Label(t(LABELS[field_id], lang), htmlFor=field_id, id=f"{field_id}-label",
                       className="form-label")
    return dbc.Col([label, control], xl=xl or lg, lg=lg, md=6, xs=12)


def place_options(options: ShellOptions) -> list[dict]:
    return [{"label": name, "value": place_id} for place_id, name in options.places]


def month_options(months: list[str], state: FilterState, lang: str) -> list[dict]:
    """The months with data plus any month the URL asks for, newest first, labelled 'maj 2024'."""
    keys = set(months) | {month_key(m) for m in (state.month_from, state.month_to) if m}
    return [{"label": fmt_month(parse_month(key), lang), "value": key} for key in sorted(keys, reverse=True)]


def next_state(
    trigger: str | None, search: str, shown: FilterState, known: set[str],
    known_categories: Iterable[str] | None = None,
) -> tuple[str | None, FilterState]:
    """Which query to write (None: leave the URL alone) and what the filter bar should show.

    The URL is the single source of truth: loading, reloading and back/forward set the dropdowns from it;
    a user's change to a dropdown writes the URL, unless it already says the same thing (so a URL with
    ignored parts keeps its notice until the user changes something). The page's categories (known_categories:
    the codes the current page takes, None for a page without) are not in the filter bar: a change there keeps
    the URL's. Reset clears everything, categories included.
    """
    if trigger == RESET:
        return "", FilterState()
    url_state = parse_query(search, known, known_categories=known_categories)[0]
    if trigger in FILTER_INPUTS:
        shown = replace(shown, categories=url_state.categories)
        return (None if shown == url_state else to_query(shown)), shown
    return None, url_state


def page_category_codes(pathname: str | None) -> list[str] | None:
    """The category codes the page at `pathname` takes from the URL, in vocabulary order; None if it takes none."""
    categories = page_export.page_categories(page_export.registered_page(pathname))
    return None if categories is None else list(categories)


@dash.callback(
    Output(URL, "search"),
    Output(PLACE, "value"),
    Output(FROM, "value"),
    Output(FROM, "options"),
    Output(TO, "value"),
    Output(TO, "options"),
    Output(LANG, "value"),
    Input(URL, "search"),
    Input(PLACE, "value"),
    Input(FROM, "value"),
    Input(TO, "value"),
    Input(RESET, "n_clicks"),
    Input(LANG, "value"),
    State(PLACE, "options"),
    State(MONTHS, "data"),
    State(URL, "pathname"),
)
def sync_filter_bar(search, places, month_from, month_to, _reset, lang, place_opts, months, pathname=None):
    """The filter bar and the language switch follow the URL, and write it. A link's `?lang=en` sets the switch (the
    pages are drawn in the switch's language); choosing a language writes it into the URL, so the link someone copies
    opens in that language. The language and a snapshot date (`asof`) stay in the URL whatever the filter writes."""
    known = {option["value"] for option in place_opts or []}
    shown = from_values(places, month_from, month_to)
    if ctx.triggered_id == LANG:
        query = None if url_lang(search, LANGS) == lang else with_param(search, LANG_PARAM, lang)
        state, lang_out = shown, no_update
    else:
        query, state = next_state(ctx.triggered_id, search or "", shown, known, page_category_codes(pathname))
        query = None if query is None else keep_params(query, search)
        wanted = url_lang(search, LANGS)
        lang_out = wanted if wanted and wanted != lang else no_update
        lang = wanted or lang
    options = month_options(months or [], state, lang)
    first, last = (month_key(m) if m else None for m in (state.month_from, state.month_to))
    return (no_update if query is None else query), list(state.places), first, options, last, options, lang_out


# The phone's menu and filter bar open and close in the browser: one function for both, no round trip to the server.
TOGGLE_JS = "function (_clicks, isOpen) { return [!isOpen, isOpen ? 'false' : 'true']; }"
for _collapse, _button in ((NAV_COLLAPSE, NAV_TOGGLE), (FILTER_COLLAPSE, FILTER_TOGGLE)):
    dash.clientside_callback(TOGGLE_JS, Output(_collapse, "is_open"), Output(_button, "aria-expanded"),
                             Input(_button, "n_clicks"), State(_collapse, "is_open"), prevent_initial_call=True)


@dash.callback(Output(DEMO_BANNER, "children"), Input(LANG, "value"))
def translate_banner(lang):
    """The demo banner (in the layout in open demo mode only) in the page's language."""
    return demo_text(lang) if auth.is_open() else no_update


@dash.callback(
    Output(NOTICE, "children"),
    Output(NOTICE, "is_open"),
    Input(URL, "search"),
    Input(LANG, "value"),
    Input(URL, "pathname"),
    State(PLACE, "options"),
)
def show_notices(search, lang, pathname, place_opts):
    """What of the URL was ignored; unknown categories only on a page that takes categories (others ignore them)."""
    known = {option["value"] for option in place_opts or []}
    notices = parse_query(search, known, lang, page_category_codes(pathname))[1]
    if not notices:
        return None, False
    items = html.Ul([html.Li(notice) for notice in notices], className="mb-0")
    return [html.Strong(t("notice.title", lang)), items], True


@dash.callback(
    Output({"type": NAV, "page": ALL}, "href"),
    Output({"type": NAV, "page": ALL}, "active"),
    Input(URL, "pathname"),
    Input(URL, "search"),
)
def keep_filters_in_nav(pathname, search):
    """Nav links carry the current query string, so moving between pages keeps the filter; the categories only
    to the page they were chosen on (every other page would ignore them: the link stays clean)."""
    pages = {page_key(page): page["relative_path"] for page in dash.page_registry.values()}
    keys = [output["id"]["page"] for output in ctx.outputs_list[0]]
    hrefs = [pages[key] + (search or "" if pages[key] == pathname else without_categories(search)) for key in keys]
    return hrefs, [pages[key] == pathname for key in keys]


@dash.callback(
    Output({"type": NAV, "page": ALL}, "children"),
    Output(PLACE, "placeholder"),
    Output(FROM, "placeholder"),
    Output(TO, "placeholder"),
    Output(PLACE, "labels"),
    Output(FROM, "labels"),
    Output(TO, "labels"),
    Output(RESET, "children"),
    Output(f"{PLACE}-label", "children"),
    Output(f"{FROM}-label", "children"),
    Output(f"{TO}-label", "children"),
    Output(FILTER_TOGGLE, "children"),
    Input(LANG, "value"),
)
def translate_shell(lang):
    keys = [output["id"]["page"] for output in ctx.outputs_list[0]]
    labels = dropdown_labels(lang)
    return (
        [t(f"page.{key}", lang) for key in keys],
        t("filter.place_all", lang), t("filter.month_any", lang), t("filter.month_any", lang),
        labels, labels, labels, t("filter.reset", lang),
        *(t(LABELS[field], lang) for field in FILTER_INPUTS), t("filter.toggle", lang),
    )


@dash.callback(
    Output(page_export.MENU, "label"),
    Output(page_export.PNG, "children"),
    Output(page_export.PDF, "children"),
    Output(page_export.SETUP, "data"),
    Input(LANG, "value"),
)
def translate_export_menu(lang):
    return page_export.menu_texts(lang)


def dropdown_labels(lang: str) -> dict[str, str]:
    names = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
             "no_options_found")
    return {name: t(f"dropdown.{name}", lang) for name in names}


dash.clientside_callback(
    "function (lang) { document.documentElement.lang = lang || 'sv'; return ''; }",
    Output(HTML_LANG, "children"),
    Input(LANG, "value"),
)
