"""One figure as a PNG or SVG at document size, its caption burned in under the plot, rendered by one kaleido."""

from __future__ import annotations

import atexit
import base64
import copy
import html
import os
import re
import threading
from pathlib import Path
from typing import Literal

import kaleido
import plotly.graph_objects as go
import plotly.io as pio
from kaleido import PageGenerator

from lagesbild.captions import Caption
from lagesbild.charts.theme import (
    BASE_FONT_SIZE,
    FONT_FAMILY,
    PLOTLY_LOCALES,
    TEMPLATE_NAME,
    register_template,
    separators,
)
from lagesbild.render.gate import Gate

Format = Literal["png", "svg"]
FORMATS: tuple[Format, ...] = ("png", "svg")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}

# A 1000 px wide layout pasted 16 cm wide in Word keeps the template's 18 px type at about 8 pt, readable in print;
# PNGs are drawn at twice that (2000 px: about 300 dpi at 16 cm). A 1600 px layout would shrink the type to 5 pt.
WIDTH = 1000
FACET_WIDTH = 440  # side-by-side panels (the survey charts' one per survey) each need this much to stay legible
PLOT_HEIGHT = 560  # the plot's part, when the figure does not say
MIN_PLOT_HEIGHT, MAX_PLOT_HEIGHT = 380, 1400
SCALE = 2
CAPTION_FONT_SIZE = BASE_FONT_SIZE - 3
CAPTION_LINE_PX = round(CAPTION_FONT_SIZE * 1.45)
CAPTION_PAD_PX = 14  # below the caption, and between it and whatever is above it (tick labels, a legend)
CAPTION_INK = "#444444"
SEPARATOR = " · "
CHAR_PX = {False: CAPTION_FONT_SIZE * 0.56, True: CAPTION_FONT_SIZE * 0.62}  # mean advance of a sans-serif
# character (regular, bold), for wrapping long caption lines

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# The dashboard's own Swedish Plotly locale (month names), inlined into kaleido's page.
SV_LOCALE = Path(__file__).resolve().parents[2] / "assets" / "vendor" / "plotly-locale" / "plotly-locale-sv.js"
LOCALE_KEY = "lagesbild_locale"  # the layout key LOCALE_SHIM reads
# kaleido passes plotly.js a figure's data and layout but not its config, where the locale lives: this takes the
# locale from a layout key instead, per image (kaleido reloads its page after each one).
LOCALE_SHIM = """
(function () {
    var toImage = Plotly.toImage;
    Plotly.toImage = function (gd, opts) {
        var locale = gd && gd.layout && gd.layout.lagesbild_locale;
        if (locale) { gd.config = Object.assign({}, gd.config, {locale: locale}); }
        return toImage.call(this, gd, opts);
    };
})();
"""
RENDER_TIMEOUT_S = 30  # per image; a figure within lagesbild.render.figure_check's bounds takes a second or two
# Users' image jobs (a figure's PNG/SVG, a lägesrapport with its charts) held at once, and per user: the rest are
# refused at once (RendererBusy) instead of holding server threads while kaleido draws one image at a time.
IMAGES = Gate(capacity=3, per_owner=1)

_lock = threading.Lock()  # kaleido's sync server hands results back in order of a shared queue: one caller at a time


def figure_image(fig: go.Figure | dict, caption: Caption, fmt: Format = "png", width: int | None = None,
                 height: int | None = None, scale: float = SCALE, owner: str | None = None) -> bytes:
    """`fig` (left unchanged) as PNG or SVG bytes: `width` × `height` layout pixels, a PNG `scale` times that.

    The plot is drawn as the dashboard draws it (the 'lagesbild' template, whatever the user zoomed to), in
    the caption's language (separators, month names). By default it is WIDTH wide (wider for side-by-side
    panels) and as tall as the figure says (within limits); the caption's lines go in a band of their own under
    it, so they never cover data. `height`, when given, is the whole image's.

    owner: the user the image is for; given, it takes a place in IMAGES (RendererBusy when there is none). The
    CLI and a report's own charts (inside the report's place) pass none.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if owner is not None:
        with IMAGES.admit(owner):
            return figure_image(fig, caption, fmt, width, height, scale)
    width = width or width_of(fig)
    lines = caption_lines(caption, width)
    band = caption_band(len(lines))
    plot_height = (height - band) if height else plot_height_of(fig)
    if plot_height < MIN_PLOT_HEIGHT // 2:
        raise ValueError(f"height {height} leaves no room for the plot under a caption of {band} px")
    plot_svg = render(plot_spec(fig, caption.lang, width, plot_height), {"format": "svg"})
    if fmt == "svg":
        sheet = render(sheet_spec(lines, caption.lang, width, plot_height, band), {"format": "svg"})
        return stack_svg(sheet, plot_svg)
    return render(sheet_spec(lines, caption.lang, width, plot_height, band, plot_svg),
                  {"format": "png", "scale": scale})


def width_of(fig: go.Figure | dict) -> int:
    layout = (fig.get("layout") or {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    panels = sum(1 for key in layout if re.fullmatch(r"xaxis\d*", key)) or 1
    return max(WIDTH, FACET_WIDTH * panels)


def plot_height_of(fig: go.Figure | dict) -> int:
    own = (fig.get("layout") or {}).get("height") if isinstance(fig, dict) else fig.layout.height
    return int(min(max(own or PLOT_HEIGHT, MIN_PLOT_HEIGHT), MAX_PLOT_HEIGHT))


def plot_spec(fig: go.Figure | dict, lang: str, width: int, height: int) -> dict:
    """A copy of `fig` at the document's size in `lang`, for plotly.js (LOCALE_SHIM sets the locale)."""
    if TEMPLATE_NAME not in pio.templates:
        register_template(make_default=False)
    plot = go.Figure(copy.deepcopy(fig) if isinstance(fig, dict) else fig.to_dict(), skip_invalid=True)
    plot.update_layout(template=pio.templates[TEMPLATE_NAME], width=width, height=height, autosize=False,
                       separators=separators(lang))
    spec = plot.to_plotly_json()
    spec["layout"][LOCALE_KEY] = PLOTLY_LOCALES.get(lang, "sv")  # read by LOCALE_SHIM; plotly.js ignores it
    return spec


def sheet_spec(lines: list[tuple[str, bool]], lang: str, width: int, plot_height: int, band: int,
               plot_svg: bytes | None = None) -> dict:
    """The whole image as an empty figure without margins (paper = image): the caption's lines in the band at
    the foot, and the plot (an SVG image, so a PNG stays sharp at any scale) above them when given."""
    height = plot_height + band
    annotations = [dict(text=caption_markup(line, bold), x=0, xref="paper", xanchor="left", xshift=16,
                        y=1 - (plot_height + CAPTION_PAD_PX + index * CAPTION_LINE_PX) / height, yref="paper",
                        yanchor="top", showarrow=False, align="left",
                        font=dict(family=FONT_FAMILY, size=CAPTION_FONT_SIZE, color=CAPTION_INK))
                   for index, (line, bold) in enumerate(lines)]
    images = [dict(source="data:image/svg+xml;base64," + base64.b64encode(plot_svg).decode("ascii"),
                   xref="paper", yref="paper", x=0, y=1, sizex=1, sizey=plot_height / height, xanchor="left",
                   yanchor="top", sizing="stretch", layer="below")] if plot_svg else []
    hidden = dict(visible=False, range=[0, 1], fixedrange=True)
    layout = dict(width=width, height=height, margin=dict(l=0, r=0, t=0, b=0, pad=0), autosize=False,
                  paper_bgcolor="white", plot_bgcolor="white", showlegend=False, xaxis=hidden, yaxis=hidden,
                  annotations=annotations, images=images)
    return {"data": [], "layout": {**layout, LOCALE_KEY: PLOTLY_LOCALES.get(lang, "sv")}}


def stack_svg(sheet: bytes, plot: bytes) -> bytes:
    """The plot's SVG nested at the top of the sheet's (after the sheet's white paper, so on top of it)."""
    inner = re.sub(rb"^\s*<\?xml[^>]*>\s*", b"", plot).replace(b"<svg ", b'<svg x="0" y="0" ', 1)
    cut = sheet.rindex(b"</svg>")
    return sheet[:cut] + inner + sheet[cut:]


def caption_lines(caption: Caption, width: int = WIDTH) -> list[tuple[str, bool]]:
    """The caption's lines as (text, bold), the first (what it is) bold; a line too long for the image is
    wrapped (Plotly never wraps text itself)."""
    lines: list[tuple[str, bool]] = []
    for number, line in enumerate(caption.lines()):
        lines += [(part, number == 0) for part in wrap(line, line_room(width, bold=number == 0))]
    return lines


def line_room(width: int, bold: bool = False) -> int:
    """How many characters of caption fit across an image `width` wide."""
    return max(40, int((width - 40) / CHAR_PX[bold]))


def wrap(text: str, room: int, separators: tuple[str, ...] = (" · ", ", ", " ")) -> list[str]:
    """`text` in lines of at most `room` characters, broken at the first separator that does it (between the
    caption's parts, then between the sources it lists, then between words); the separator ends a line
    only when it is a comma."""
    if len(text) <= room or not separators:
        return [text]
    separator, rest = separators[0], separators[1:]
    end = separator.strip() if separator.startswith(",") else ""
    lines: list[str] = []
    for part in text.split(separator):
        if lines and len(lines[-1]) + len(separator) + len(part) <= room:
            lines[-1] += separator + part
        else:
            if lines:
                lines[-1] += end
            lines += wrap(part, room, rest)
    return lines


def caption_markup(line: str, bold: bool = False) -> str:
    """Plotly reads tags in text: a caption line is escaped first (a place name is never markup)."""
    escaped = html.escape(line, quote=False)
    return f"<b>{escaped}</b>" if bold else escaped


def caption_band(n_lines: int) -> int:
    return n_lines * CAPTION_LINE_PX + 2 * CAPTION_PAD_PX


# ---- the one kaleido server of this process ----


def browser_path() -> str | None:
    """BROWSER_PATH if set, else Debian's chromium; None lets kaleido search (it never downloads by itself)."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None


def kaleido_server() -> kaleido._sync_server.GlobalKaleidoServer:
    """kaleido's sync server (one browser, reused by every image), started on first use."""
    with _lock:
        return _ensure_server()


def _ensure_server():
    server = kaleido._global_server  # kaleido keeps it as a process-wide singleton
    if server.is_running() and not server._thread.is_alive():  # the browser died: start afresh, don't hang
        server.close(silence_warnings=True)
    if not server.is_running():
        kaleido.start_sync_server(page_generator=LocalePage(mathjax=False), path=browser_path(),
                                  timeout=RENDER_TIMEOUT_S, silence_warnings=True)
    return server


class LocalePage(PageGenerator):
    """kaleido's page (its bundled plotly.js, no MathJax: nothing from the internet) with the Swedish locale."""

    def generate_index(self) -> str:
        scripts = (SV_LOCALE.read_text(encoding="utf-8") if SV_LOCALE.exists() else "") + LOCALE_SHIM
        return super().generate_index().replace(self.footer, f"<script>{scripts}</script>{self.footer}", 1)


def render(spec: dict, opts: dict) -> bytes:
    """The image bytes of a plotly.js spec (data, layout, config), on the shared server."""
    with _lock:
        _ensure_server()
        return kaleido.calc_fig_sync(spec, opts=opts)


def stop_server() -> None:
    """Close the browser (also done at exit); the next image starts a new one."""
    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)


atexit.register(stop_server)
