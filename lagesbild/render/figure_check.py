"""A figure that came from a browser, checked before the server draws it.

The dashboard's figure export draws the figure as the user's browser holds it (their zoom, the legend entries they
switched off), so the server renders JSON a client sent. kaleido's Chromium runs with web security off and may read
local files (it loads its own page from one), so a figure must not be able to name anything outside itself: a
`choroplethmap` whose `geojson` is `file:///…` draws a local file into the PNG, and a URL in a figure makes the server
fetch it. `checked_figure` lets through only what the dashboard's own charts use, and refuses the rest:

- trace types from TRACE_TYPES (the dashboard draws bars, lines and heat maps; no maps, no images);
- no layout key that loads something (images, map and geo layers, templates given by name);
- no string anywhere (key or value, at any depth) that is or holds a reference to elsewhere: a scheme
  (`file:`, `http:`, `data:`, `javascript:` …), a protocol-relative `//host`, a Windows path, or CSS `url(`;
- at most MAX_POINTS numbers and strings in all, MAX_DEPTH levels and MAX_BYTES of JSON, so one request cannot hold
  the renderer for minutes.

A figure refused raises FigureRefused with the reason (for the log; the user is told only that the figure could not
be exported).
"""

from __future__ import annotations

import json
import re

TRACE_TYPES = frozenset({"bar", "scatter", "heatmap"})
# Layout keys that fetch or embed something outside the figure, or that the dashboard's figures never carry.
LAYOUT_REFUSED = frozenset({"images", "mapbox", "map", "geo", "template"})
MAX_POINTS = 50_000  # leaves in the whole figure; the dashboard's largest (60 months x 10 series) has under 2 000
MAX_DEPTH = 12
MAX_BYTES = 2_000_000
ELSEWHERE = re.compile(
    r"[a-z][a-z0-9+.-]*:\s*//"  # any scheme with an authority or path: http://, file:///, smb://
    r"|\b(?:file|https?|ftp|wss?|blob|filesystem|chrome|view-source)\s*:"  # schemes that reach out, however written
    r"|\b(?:data|javascript|vbscript|about)\s*:\S"  # ... and those that embed ('Data: 3' in a hover is text)
    r"|^\s*//|^\s*\\\\|url\s*\(|&#|%2f|%3a",  # //host, \\share, CSS url(, entities and escapes that spell them
    re.IGNORECASE)


class FigureRefused(ValueError):
    """The figure names something outside itself, or is larger or deeper than any the dashboard draws."""


def checked_figure(figure: object) -> dict:
    """`figure` as {'data': [...], 'layout': {...}} when it holds nothing the renderer could reach out with;
    else FigureRefused. The template is the server's own (figure_image adds it), so a sent one is dropped."""
    if not isinstance(figure, dict):
        raise FigureRefused("not a figure")
    data, layout = figure.get("data", []), figure.get("layout", {})
    if not isinstance(data, list) or not isinstance(layout, dict):
        raise FigureRefused("data must be a list and layout an object")
    layout = {key: value for key, value in layout.items() if key != "template" or isinstance(value, dict)}
    layout.pop("template", None)
    if len(json.dumps({"data": data, "layout": layout}, default=str)) > MAX_BYTES:
        raise FigureRefused(f"larger than {MAX_BYTES} bytes")
    for trace in data:
        if not isinstance(trace, dict):
            raise FigureRefused("a trace that is not an object")
        kind = trace.get("type", "scatter")
        if kind not in TRACE_TYPES:
            raise FigureRefused(f"trace type {kind!r}")
    refused = LAYOUT_REFUSED.intersection(layout)
    if refused:
        raise FigureRefused(f"layout key {sorted(refused)[0]!r}")
    leaves = _check(data, 0, 0)
    _check(layout, 0, leaves)
    return {"data": data, "layout": layout}


def _check(value: object, depth: int, leaves: int) -> int:
    """Walks `value`; the number of leaves seen so far. Raises FigureRefused on a reference elsewhere."""
    if depth > MAX_DEPTH:
        raise FigureRefused(f"nested deeper than {MAX_DEPTH}")
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_elsewhere(str(key))
            leaves = _check(item, depth + 1, leaves)
        return leaves
    if isinstance(value, list):
        for item in value:
            leaves = _check(item, depth + 1, leaves)
        return leaves
    if isinstance(value, str):
        _refuse_elsewhere(value)
    elif not (value is None or isinstance(value, bool | int | float)):
        raise FigureRefused(f"a value of type {type(value).__name__}")
    leaves += 1
    if leaves > MAX_POINTS:
        raise FigureRefused(f"more than {MAX_POINTS} values")
    return leaves


def _refuse_elsewhere(text: str) -> None:
    if ELSEWHERE.search(text):
        raise FigureRefused(f"a reference outside the figure: {text[:80]!r}")
