"""The whole page as an image (captured in the browser, assets/export.js) or as an A4-landscape PDF (rendered here by
headless Chromium opening the same view of this very server), both with the export caption burned in.

The PDF's browser is logged in as the user who asked for it, never as anyone else: it gets the session this very
request ends with (after single sign-on, which may just have switched it) and, before it draws anything, asks this
server who it is (IDENTITY_ROUTE) and stops unless that is the requester with the requester's role. So a partner's PDF
shows what the partner's screen shows, small counts hidden (dashboard/disclosure.py)."""

from __future__ import annotations

import asyncio
import html as html_text
import ipaddress
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NoReturn
from urllib.parse import urlencode, urlsplit

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard import app_context as context
from dashboard import auth
from lagesbild.captions import Caption, export_filename, page_caption
from lagesbild.filters import ASOF_PARAM, FilterState, parse_asof, parse_query, to_query, with_param
from lagesbild.i18n import lang_or_default, t
from lagesbild.render.browser import (
    CHROMIUM,
    RENDER_TIMEOUT_S,
    BrowserMissing,
    RendererBusy,
    RenderFailed,
    browser,
)

MENU = "export-menu"
PNG = "export-page-png"
PDF = "export-page-pdf"
STATUS = "export-status"
SETUP = "export-setup"  # what assets/export.js needs: URLs, the UI's language and its messages
CAPTION_ROUTE = "/export/caption"
PDF_ROUTE = "/export/page.pdf"
IDENTITY_ROUTE = "/export/identity"  # who the asking session is: the PDF's browser checks it is the requester
LIBRARY = "vendor/html-to-image/html-to-image.js"
MESSAGES = ("working_png", "working_pdf", "failed")
FILTER_PARAMS = ("place", "from", "to", "category")  # the only parts of a request's query that reach the page
MAX_OWN_VALUE = 120  # a page's own parameter, cut to this length: the page checks its value itself
CATEGORY_KIND = "category_kind"  # in a page's registration: the vocabulary (kind) its `category` parameter takes
PAGE_PARAMS = "page_params"  # in a page's registration: its own query parameters besides the filter's (Effekt's)
SELF_URL_KEY = "LAGESBILD_SELF_URL"  # Flask config: this server's own base URL, if not on this machine's loopback

MM_PER_INCH, CSS_PX_PER_INCH = 25.4, 96
A4_LANDSCAPE_MM = (297, 210)
MARGIN_MM = {"top": 12, "right": 12, "bottom": 20, "left": 12}  # the bottom one holds the caption on every page
# The page is laid out as a 1280 px laptop shows it (Bootstrap's xl: KPI cards and chart pairs side by side) and
# printed at the scale that makes those 1280 px exactly the paper's printable width, so every chart fits whole. A page
# with something wider (a table that would scroll sideways) is laid out wider, up to 1920 px, and printed smaller.
LAYOUT_WIDTH_PX, MAX_LAYOUT_WIDTH_PX = 1280, 1920
PRINTABLE_MM = (A4_LANDSCAPE_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"],
                A4_LANDSCAPE_MM[1] - MARGIN_MM["top"] - MARGIN_MM["bottom"])
PRINTABLE_PX = tuple(mm / MM_PER_INCH * CSS_PX_PER_INCH for mm in PRINTABLE_MM)
PDF_CLASS = "export-pdf"  # on <html> while rendering: assets/lagesbild.css hides the controls and keeps charts whole
READY = "() => Boolean(window.lagesbildExport && window.lagesbildExport.isReady())"
# Init scripts run before <html> exists; the class must be there before the layout is drawn, as charts size once.
MARK_PDF = ("document.addEventListener('readystatechange', "
            f"() => document.documentElement.classList.add('{PDF_CLASS}'), {{once: true}})")


def pdf_scale(layout_width: int) -> float:
    """Paper px per layout px, rounded down so the layout never ends up a fraction wider than the paper."""
    return math.floor(PRINTABLE_PX[0] / layout_width * 1000) / 1000


def viewport(layout_width: int) -> dict[str, int]:
    """The window: `layout_width` wide, one printed page high."""
    return {"width": layout_width, "height": int(PRINTABLE_PX[1] / pdf_scale(layout_width))}


# ---- the menu (placed by dashboard/shell.py) ----

def export_menu(lang: str) -> html.Div:
    """'Exportera' with the page as PNG and as PDF; clicks are handled by assets/export.js."""
    items = [dbc.DropdownMenuItem(t("export.page_png", lang), id=PNG, n_clicks=0),
             dbc.DropdownMenuItem(t("export.page_pdf", lang), id=PDF, n_clicks=0)]
    return html.Div(
        [html.Div(id=STATUS, role="status", className="export-status"),
         dbc.DropdownMenu(items, label=t("export.menu", lang), id=MENU, align_end=True, color="secondary",
                          toggleClassName="btn-outline-secondary w-100", className="export-menu w-100"),
         dcc.Store(id=SETUP, data=menu_setup(lang))],
        className="export-control w-100",
    )


def menu_texts(lang: str) -> tuple[str, str, str, dict]:
    """The menu's label, its two items and its setup, in `lang` (when the user switches language)."""
    return t("export.menu", lang), t("export.page_png", lang), t("export.page_pdf", lang), menu_setup(lang)


def menu_setup(lang: str) -> dict:
    return {"lang": lang, "library": dash.get_asset_url(LIBRARY), "caption": dash.get_relative_path(CAPTION_ROUTE),
            "pdf": dash.get_relative_path(PDF_ROUTE),
            "messages": {key: t(f"export.{key}", lang) for key in MESSAGES}}


dash.clientside_callback(
    ClientsideFunction("lagesbild_export", "exportPage"),
    Output(STATUS, "children"),
    Input(PNG, "n_clicks"),
    Input(PDF, "n_clicks"),
    State(SETUP, "data"),
    prevent_initial_call=True,
)


# ---- which page, with which filter ----

@dataclass(frozen=True)
class PageView:
    key: str  # 'handelser': the page's module, the key of its strings
    href: str  # '/handelser', with the app's prefix if it has one
    state: FilterState
    lang: str
    own: tuple[tuple[str, str], ...] = ()  # the page's own parameters (PAGE_PARAMS), as the URL had them
    asof: date | None = None  # a snapshot (/mote?asof=): named in the caption, drawn as of it

    @property
    def query(self) -> str:
        """The view's query string: the filter's, then the page's own parameters, then the snapshot's day."""
        query = to_query(self.state)
        if self.own:
            query = (query + "&" if query else "?") + urlencode(self.own)
        return with_param(query, ASOF_PARAM, self.asof.isoformat()) if self.asof else query

    def title(self) -> str:
        return t(f"page.{self.key}", self.lang)

    def filename(self, extension: str) -> str:
        return export_filename(self.title(), self.state, extension, self.lang)


def registered_paths() -> dict[str, tuple[str, str]]:
    """Every path a page answers to (as registered, and with the app's prefix) -> (page key, path with prefix)."""
    paths = {}
    for page in dash.page_registry.values():
        found = (page["module"].rsplit(".", 1)[-1], page["relative_path"])
        paths[page["path"]] = paths[page["relative_path"]] = found
    return paths


def registered_page(path: str | None) -> dict | None:
    """The registry entry of the page at `path` (as registered, or with the app's prefix as the URL has it)."""
    for page in dash.page_registry.values():
        if path in (page["path"], page["relative_path"]):
            return page
    return None


def page_categories(page: Mapping | None, lang: str = "sv") -> dict[str, str] | None:
    """{code: label in `lang`}, in vocabulary order, of the categories `page` takes from the URL's `category`
    parameter (it says which vocabulary with CATEGORY_KIND in its registration); None for a page that takes none."""
    kind = (page or {}).get(CATEGORY_KIND)
    if not kind:
        return None
    return context.current().config().vocabulary.labels(kind, lang)


def page_view(path: str | None, pairs: Iterable[tuple[str, str]], lang: str | None,
              known_places: set[str]) -> PageView | None:
    """The view a request asks for, or None when `path` is not one of the registered pages. Of the query only
    place, from, to and (on a page that takes them) category are read, through the same parser as the page's URL;
    anything else is dropped, unknown places and categories too."""
    found = registered_paths().get(path or "")
    if found is None:
        return None
    pairs = list(pairs)
    query = urlencode([(key, value) for key, value in pairs if key in FILTER_PARAMS])
    page = registered_page(path)
    categories = page_categories(page)
    own_keys = tuple((page or {}).get(PAGE_PARAMS, ()))
    own = tuple((key, str(value)[:MAX_OWN_VALUE]) for key, value in pairs if key in own_keys)
    asof = parse_asof(next((value for key, value in pairs if key == ASOF_PARAM), None))
    return PageView(*found, parse_query(query, known_places, known_categories=categories)[0], lang_or_default(lang),
                    own, asof)


def view_caption(view: PageView) -> Caption:
    """The caption of a page export, as the requester's viewer may see it (lagesbild.reads: no single record's date
    in 'Data t.o.m.' for a viewer whose small counts are hidden)."""
    app = context.current()
    return page_caption(app.reads().as_of(view.asof), view.key, view.state, app.options().place_names, view.lang,
                        category_names=page_categories(registered_page(view.href), view.lang))


# ---- HTTP: the caption as JSON (for the PNG), the PDF ----

def install(app: dash.Dash) -> None:
    """Add the export routes to the app's Flask server."""
    prefix = app.config.routes_pathname_prefix.rstrip("/")
    app.server.add_url_rule(prefix + CAPTION_ROUTE, "export_page_caption", caption_json)
    app.server.add_url_rule(prefix + PDF_ROUTE, "export_page_pdf", page_pdf)
    app.server.add_url_rule(prefix + IDENTITY_ROUTE, "export_identity", identity_json)


def requested_view() -> PageView:
    args = flask.request.args
    view = page_view(args.get("path"), args.items(multi=True), args.get("lang"),
                     context.current().options().known_places)
    if view is None:
        refuse(400, "path must be one of the dashboard's pages")
    return view


def refuse(status: int, message: str) -> NoReturn:
    """End the request with `message` as plain text, which the export menu shows as it is."""
    flask.abort(flask.Response(message, status, mimetype="text/plain"))


def caption_json() -> flask.Response:
    view = requested_view()
    caption = view_caption(view)
    auth.audit("export", f"page PNG {view.href}{view.query}")  # the browser draws it after this caption
    return flask.jsonify(title=view.title(), lines=caption.lines(), filename=view.filename("png"))


def identity() -> dict[str, str | None]:
    """Who this request is: user name and role ({'user': None, 'role': 'demo'} in open demo mode)."""
    return {"user": None if auth.is_open() else auth.current_username(), "role": auth.current_role()}


@dataclass(frozen=True)
class Requester:
    """Who asked for a PDF, and where the PDF's browser asks the server who it is (IDENTITY_ROUTE on `base`)."""

    url: str
    user: str | None
    role: str | None

    @classmethod
    def of_request(cls, base: str) -> Requester:
        return cls(base + dash.get_relative_path(IDENTITY_ROUTE), **identity())

    def identity(self) -> dict[str, str | None]:
        return {"user": self.user, "role": self.role}


def identity_json() -> flask.Response:
    response = flask.jsonify(identity())
    response.headers["Cache-Control"] = "no-store"
    return response


def page_pdf() -> flask.Response:
    view = requested_view()
    caption = view_caption(view)
    base = loopback_base(flask.request.environ, flask.current_app.config.get(SELF_URL_KEY))
    url = base + view.href + view.query
    try:
        pdf = render_page(url, lang=view.lang, title=view.title(),
                                footer=footer_template(caption, context.current().viewer().note(view.lang)),
                                cookies=session_cookies(base), requester=Requester.of_request(base),
                          owner=auth.requester_key())
    except RendererBusy:
        refuse(503, t("export.busy", view.lang))
    except BrowserMissing:
        refuse(503, t("export.no_browser", view.lang, path=str(CHROMIUM)))
    except TimeoutError:
        refuse(504, t("export.timeout", view.lang))
    except RenderFailed as exc:
        flask.current_app.logger.error("page PDF of %s failed: %s", url, exc)
        refuse(500, t("export.render_failed", view.lang))
    auth.audit("export", f"page PDF {view.href}{view.query}")
    headers = {"Content-Disposition": f'attachment; filename="{view.filename("pdf")}"', "Cache-Control": "no-store"}
    return flask.Response(pdf, mimetype="application/pdf", headers=headers)


def session_cookies(base: str) -> list[dict]:
    """The requester's session as a cookie for the renderer's browser, so it sees the page as the requester does.

    Made from the session as this request holds it, not copied from the cookie it came with: single sign-on may
    have logged a different user in during this very request (the proxy's header names someone other than the
    browser's older cookie), and the PDF must be drawn for the one who asked. Nobody logged in (open demo mode):
    no cookie, the page is open anyway."""
    app = flask.current_app
    if not auth.current_username() or auth.is_open():
        return []
    serializer = app.session_interface.get_signing_serializer(app)
    if serializer is None:  # no secret key: there can be no session either
        return []
    return [{"name": app.config["SESSION_COOKIE_NAME"], "value": serializer.dumps(dict(flask.session)), "url": base}]


def loopback_base(environ: Mapping[str, str], configured: str | None = None) -> str:
    """Where this server itself answers: `configured` (the Flask config's SELF_URL_KEY) when set, else the address
    the server is bound to when it says (werkzeug's SERVER_NAME), else this machine's loopback (waitress names
    itself 'waitress.invalid'). Never the client's Host header: the PDF's browser must not be sent elsewhere."""
    if configured:
        return configured.rstrip("/")
    port = environ.get("SERVER_PORT", "80")
    try:
        address = ipaddress.ip_address(environ.get("SERVER_NAME", ""))
    except ValueError:
        address = ipaddress.ip_address("127.0.0.1")
    if address.is_unspecified:
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
    return f"http://[{address}]:{port}" if address.version == 6 else f"http://{address}:{port}"


def footer_template(caption: Caption, note: str | None = None) -> str:
    """The caption at the foot of every PDF page, with the page number; Chromium fills the two spans. note: the
    small-count rule's sentence for a user whose counts are protected (every sheet says what '<5' means)."""
    lines = "<br>".join(html_text.escape(line) for line in [*caption.lines(), *([note] if note else [])])
    return (
        '<div style="box-sizing:border-box;width:100%;padding:0 12mm;font:8pt sans-serif;color:#1f2328;display:flex;'
        'justify-content:space-between;align-items:flex-end;gap:6mm;-webkit-print-color-adjust:exact">'
        f'<div>{lines}</div><div style="white-space:nowrap"><span class="pageNumber"></span> / '
        '<span class="totalPages"></span></div></div>'
    )


# ---- the page, drawn by the process's shared browser (lagesbild.render.browser) ----

def render_page(url: str, *, lang: str, title: str, footer: str, timeout: float = RENDER_TIMEOUT_S,
                cookies: list[dict] | None = None, requester: Requester | None = None,
                owner: str | None = None) -> bytes:
    """The page at `url` as an A4-landscape PDF once every chart and the map are drawn.

    requester: who asked; when given, the browser first asks the server who it is (IDENTITY_ROUTE) and raises
    RenderFailed, drawing nothing, unless it is exactly that user with that role. owner: whose place in the
    shared browser the job takes (auth.requester_key(); one at a time per user)."""
    return browser().run(lambda shared: _render(shared, url, lang, title, footer, cookies or [], requester), timeout,
                         owner=owner)


async def _render(shared, url: str, lang: str, title: str, footer: str, cookies: list[dict],
                  requester: Requester | None = None) -> bytes:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    context = await shared.new_context(viewport=viewport(LAYOUT_WIDTH_PX), service_workers="block",
                                       locale="en-GB" if lang == "en" else "sv-SE")
    context.set_default_timeout(RENDER_TIMEOUT_S * 1000 / 2)
    if cookies:
        await context.add_cookies(cookies)
    try:
        if requester is not None:
            await _check_identity(context, requester)
        page, width = await _open(context, url, lang, title)
        return await page.pdf(
            format="A4", landscape=True, scale=pdf_scale(width), print_background=True,
            display_header_footer=True, header_template="<span></span>", footer_template=footer,
            margin={side: f"{mm}mm" for side, mm in MARGIN_MM.items()},
        )
    except PlaywrightTimeout as exc:
        raise TimeoutError(str(exc)) from exc
    finally:
        await context.close()


async def _open(context, url: str, lang: str, title: str):
    origin = _origin(url)
    await context.route(lambda target: _origin(target) != origin and not target.startswith(("data:", "blob:")),
                        lambda route: route.abort())
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    await page.add_init_script(MARK_PDF)
    await page.emulate_media(media="screen")
    await page.goto(url, wait_until="networkidle")
    await _until(page, READY, errors)
    if lang != "sv":  # the language is the UI's switch (hidden here), not part of the URL: flip it as a user does
        await page.evaluate("lang => document.querySelector(`#shell-lang input[value='${lang}']`).click()", lang)
        await _until(page, f"() => document.querySelector('.page-title')?.innerText === {json.dumps(title)}",
                     errors)
        await _until(page, READY, errors)
    return page, await _fit_width(page, errors)


async def _check_identity(context, requester: Requester) -> None:
    """Raise RenderFailed unless the server sees this browser (its cookies) as the user who asked for the PDF, with
    their role. The page is drawn by the same browser context, with the same cookies, right after."""
    response = await context.request.get(requester.url, max_redirects=0)
    seen = await response.json() if response.ok else {"status": response.status}
    if seen != requester.identity():
        raise RenderFailed(f"the PDF's browser is {seen!r}, not the requester {requester.identity()!r}")


async def _until(page, predicate: str, errors: list[str], timeout: float = RENDER_TIMEOUT_S / 2) -> None:
    """Wait for `predicate` to hold in the page; fail at once if the page reports an error (a callback failed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await page.evaluate(predicate):
        if errors:
            raise RenderFailed(errors[0][:300])
        if loop.time() > deadline:
            raise TimeoutError(predicate)
        await asyncio.sleep(0.05)


async def _fit_width(page, errors: list[str]) -> int:
    """Widen the window until nothing on the page scrolls sideways (or it is MAX_LAYOUT_WIDTH_PX); the width."""
    width = LAYOUT_WIDTH_PX
    for _ in range(4):
        needed = await page.evaluate("() => window.lagesbildExport.neededWidth()")
        if needed <= width or width >= MAX_LAYOUT_WIDTH_PX:
            break
        width = min(needed + 16, MAX_LAYOUT_WIDTH_PX)
        await page.set_viewport_size(viewport(width))
        await _until(page, f"() => ({READY})() && window.lagesbildExport.graphsFit()", errors)
    return width


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
