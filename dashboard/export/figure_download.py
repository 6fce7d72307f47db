"""A dashboard graph with its own export: PNG or SVG at document size, captioned and named in the UI's language.

A click is handled in two steps. In the browser, the figure exactly as plotly.js draws it (the user's zoom,
the legend entries they switched off) is read from the graph and put in a store; on the server, one
pattern-matching callback captions it from the page's URL and sends the image. Two steps because the graph
keeps its plain string id (pages, tests and links find it by that), and a MATCH callback can only take the
`figure` of a graph whose id is a pattern.

The figure comes from the browser, so the server draws it only after lagesbild.render.figure_check has let it
through (the dashboard's trace types, no URL or file reference anywhere, bounded size), and each user has at most
one image in the making (lagesbild.render.figure_image.IMAGES): a second click while the first draws is told to
wait, and nobody's clicks hold the server threads that others' pages need.

The image is of the figure the user's own page drew: for a user whose small counts are hidden (dashboard/disclosure.py)
that is the protected figure, '<5' and 'dolt' included, and its caption then says what they mean (`ProtectedCaption`)
and dates the data without naming a single record's day (`page.protected_through`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from urllib.parse import unquote

import dash
from dash import MATCH, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import app_context as context
from dashboard import auth, shell_ids
from dashboard.export.page import page_categories, registered_page
from lagesbild.captions import Caption, export_filename, page_caption, slug
from lagesbild.charts.summary import figure_summary
from lagesbild.charts.theme import graph_config
from lagesbild.filters import FilterState, parse_query
from lagesbild.i18n import lang_or_default, t
from lagesbild.render.figure_check import FigureRefused, checked_figure
from lagesbild.render.figure_image import FORMATS, MEDIA_TYPES, figure_image
from lagesbild.render.gate import RendererBusy

EXPORT = "export-figure"  # the buttons: {"type": EXPORT, "slug": key, "fmt": "png" | "svg"}
META = "export-figure-meta"  # which graph, its names for files, its title for the caption
REQUEST = "export-figure-request"  # the figure as drawn, put there by the browser on a click
DOWNLOAD = "export-figure-download"
PROBLEM = "export-figure-problem"  # says so when an image could not be made

log = logging.getLogger(__name__)

Names = tuple[str, str] | str


def figure_names(key: str, **params: object) -> tuple[str, str]:
    """A figure's Swedish and English name (the i18n `key`), for its file names."""
    return t(key, "sv", **params), t(key, "en", **params)


def exportable_graph(names: Names, figure: dict, graph_id: str | None = None, *, title: str | None = None,
                     lang: str = "sv", state: FilterState | None = None, filtered: bool = True,
                     config: dict | None = None, **graph_kwargs) -> html.Div:
    """`dcc.Graph(id=graph_id, figure=figure, **graph_kwargs)` with PNG and SVG buttons under it.

    names: (Swedish, English) short name, e.g. ('Händelser per månad', 'Incidents per month'): the file name's
        first part (`handelser-per-manad_tantolunden_2024-01--2024-06.png`); one string serves both languages.
    title: the chart's heading in `lang`, for the caption (default: the name).
    state: the page's filter, for the name Plotly's own camera button gives its PNG (the export buttons read
        the URL at the time of the click). filtered=False: the figure ignores the filter (the caption says so).
    """
    sv, en = (names, names) if isinstance(names, str) else names
    key = graph_id or slug(sv)
    lang = lang_or_default(lang)
    name = {"sv": sv, "en": en}[lang]
    shown = (state or FilterState()) if filtered else FilterState()
    config = {**graph_config(lang), **(config or {})}
    camera = export_filename(name, shown, "png", lang).removesuffix(".png")
    config["toImageButtonOptions"] = {**config.get("toImageButtonOptions", {}), "filename": camera}
    meta = {"graph": graph_id or f"graph-{key}", "names": {"sv": sv, "en": en}, "title": title, "lang": lang,
            "filtered": filtered}
    # what the chart shows in one sentence: its text alternative, read before the picture (lagesbild.charts.summary)
    summary = html.P(figure_summary(figure, title or name, lang), className="chart-summary",
                     id=f"{meta['graph']}-summary")
    return html.Div(
        [summary, dcc.Graph(id=meta["graph"], figure=figure, config=config, **graph_kwargs),
         export_buttons(key, name, lang),
         dcc.Store(id={"type": META, "slug": key}, data=meta),
         dcc.Store(id={"type": REQUEST, "slug": key}),
         dcc.Download(id={"type": DOWNLOAD, "slug": key})],
        className="exportable-graph",
    )


def export_buttons(key: str, name: str, lang: str) -> html.Div:
    buttons = [html.Button(fmt.upper(), id={"type": EXPORT, "slug": key, "fmt": fmt}, type="button",
                           className="btn btn-link btn-sm py-0 px-1", title=t(f"figure.export_{fmt}", lang, name=name),
                           **{"aria-label": t(f"figure.export_{fmt}", lang, name=name)})
               for fmt in FORMATS]
    problem = html.Span(id={"type": PROBLEM, "slug": key}, className="text-danger me-auto", role="status")
    return html.Div([problem, html.Span(t("figure.export", lang) + ":", className="text-body-secondary"), *buttons],
                    className="figure-export d-flex justify-content-end align-items-center gap-1 small d-print-none")


# The browser's half: the figure as plotly.js holds it, typed arrays made plain lists, private keys left out.
dash.clientside_callback(
    """
    function (png, svg, meta) {
        var dc = window.dash_clientside;
        var fired = (dc.callback_context.triggered || [])[0];
        if (!fired || !fired.value || !meta) { return dc.no_update; }
        var holder = document.getElementById(meta.graph);
        var gd = holder && holder.querySelector('.js-plotly-plot');
        if (!gd || !gd.data) { return dc.no_update; }
        var plain = function (value) {
            if (ArrayBuffer.isView(value)) { return Array.from(value); }
            if (Array.isArray(value)) { return value.map(plain); }
            if (value && typeof value === 'object') {
                var out = {};
                Object.keys(value).forEach(function (k) { if (k.charAt(0) !== '_') { out[k] = plain(value[k]); } });
                return out;
            }
            return value;
        };
        var fmt = fired.prop_id.indexOf('"fmt":"svg"') >= 0 ? 'svg' : 'png';
        return {fmt: fmt, figure: {data: plain(gd.data), layout: plain(gd.layout)}, at: Date.now()};
    }
    """,
    Output({"type": REQUEST, "slug": MATCH}, "data"),
    Input({"type": EXPORT, "slug": MATCH, "fmt": "png"}, "n_clicks"),
    Input({"type": EXPORT, "slug": MATCH, "fmt": "svg"}, "n_clicks"),
    State({"type": META, "slug": MATCH}, "data"),
    prevent_initial_call=True,
)


@dash.callback(
    Output({"type": DOWNLOAD, "slug": MATCH}, "data"),
    Output({"type": PROBLEM, "slug": MATCH}, "children"),
    Input({"type": REQUEST, "slug": MATCH}, "data"),
    State({"type": META, "slug": MATCH}, "data"),
    State(shell_ids.URL, "pathname"),
    State(shell_ids.URL, "search"),
    State(shell_ids.LANG, "value"),
    running=[(Output({"type": EXPORT, "slug": MATCH, "fmt": fmt}, "disabled"), True, False) for fmt in FORMATS],
    prevent_initial_call=True,
)
def download_figure(request, meta, pathname, search, lang):
    """The image of the figure the browser sent, captioned with the page and the filter in the URL."""
    if not (isinstance(request, dict) and request.get("fmt") in FORMATS and isinstance(request.get("figure"), dict)
            and isinstance(meta, dict) and isinstance(meta.get("names"), dict)):
        raise PreventUpdate  # state sent by something other than the page
    lang = lang_or_default(lang)
    app = context.current()
    options = app.options()
    categories = page_categories(registered_page(unquote(pathname or "/")), lang)  # None: the page takes none
    state = parse_query(search, options.known_places, lang, categories)[0] if meta.get("filtered", True) \
        else FilterState()
    name = meta["names"].get(lang) or meta["names"]["sv"]
    title = meta.get("title") if meta.get("title") and meta.get("lang") == lang else name
    page = page_of(pathname)
    caption = protected_caption(page_caption(app.reads(), page, state, options.place_names, lang,
                                             figure_title=title, category_names=categories))
    fmt = request["fmt"]
    try:
        figure = checked_figure(request["figure"])
    except FigureRefused as refused:
        log.warning("figure export refused: %s %s: %s", meta.get("graph"), fmt, refused)
        auth.audit("export_refused", f"figure {fmt.upper()} {meta.get('graph') or name} on {pathname}: {refused}")
        return no_update, t("figure.failed", lang)
    try:
        image = figure_image(figure, caption, fmt, owner=auth.requester_key())
    except RendererBusy:
        return no_update, t("figure.busy", lang)
    except Exception:  # a missing or crashed browser, a figure plotly.js refuses: say so, keep the page working
        log.exception("figure export failed: %s %s", meta.get("graph"), fmt)
        return no_update, t("figure.failed", lang)
    auth.audit("export", f"figure {fmt.upper()} {meta.get('graph') or name} on {pathname}{search or ''}")
    return dcc.send_bytes(image, export_filename(name, state, fmt, lang), type=MEDIA_TYPES[fmt]), ""


@dataclass(frozen=True)
class ProtectedCaption(Caption):
    """A caption with the small-count rule's sentence as its last line."""

    note: str = ""

    def lines(self) -> list[str]:
        return [*super().lines(), *([self.note] if self.note else [])]


def protected_caption(caption: Caption) -> Caption:
    """`caption`, with the sentence that explains '<5' and 'dolt' when the user's small counts are hidden."""
    note = context.current().viewer().note(caption.lang)
    if not note:
        return caption
    return ProtectedCaption(**{field.name: getattr(caption, field.name) for field in fields(caption)}, note=note)


def page_of(pathname: str | None) -> str:
    """'/handelser' -> 'handelser' (the page's key in i18n and in the caption's table of sources)."""
    path = dash.strip_relative_path(unquote(pathname or "/")) or ""
    for page in dash.page_registry.values():
        if page["path"].strip("/") == path:
            return shell_ids.page_key(page)
    return "oversikt"
