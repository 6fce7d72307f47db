"""The folium map as its own document at /_map/<token>, so its inline scripts get their own CSP (by hash).

A srcDoc iframe would inherit the page's CSP, which allows no inline script but Dash's own. The map HTML is kept
in a small in-process cache under a hash of its content and of the role it was drawn for; the page's iframe loads it
by `src`, and only a user of that same role gets it (a partner's map hides small counts, another role's does not).
With a render cache (dashboard/render_cache.py) the document is kept there too, so any worker process of the server
can serve a map that another one drew.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import flask

from dashboard import render_cache
from dashboard.auth import current_role, frame_policy

ROUTE = "/_map/"
KEEP = 256  # maps kept; a page reload makes its map again when it has dropped out
_maps: OrderedDict[str, tuple[str | None, str]] = OrderedDict()  # token: (role drawn for, html)
_lock = threading.Lock()


def store(html_text: str) -> str:
    """The URL the map is served at, to users of the current role."""
    role = current_role()
    token = hashlib.sha256(f"{role}\n{html_text}".encode()).hexdigest()[:32]
    with _lock:
        _maps[token] = (role, html_text)
        _maps.move_to_end(token)
        while len(_maps) > KEEP:
            _maps.popitem(last=False)
    render_cache.keep(f"map:{token}", [role, html_text])
    return ROUTE + token


def stored(url: str) -> str | None:
    """The map at `url` if it was drawn for the current user's role."""
    token = url.removeprefix(ROUTE)
    with _lock:
        role, html_text = _maps.get(token, (None, None))
    if html_text is None:
        role, html_text = render_cache.kept(f"map:{token}") or (None, None)
    return html_text if html_text is not None and role == current_role() else None


def serve(token: str) -> flask.Response:
    html_text = stored(ROUTE + token)
    if html_text is None:
        return flask.Response("This map has expired; reload the page.", 404, mimetype="text/plain")
    headers = {"Content-Security-Policy": frame_policy(html_text), "Cache-Control": "private, no-store"}
    return flask.Response(html_text, mimetype="text/html", headers=headers)


def install(server: flask.Flask) -> None:
    server.add_url_rule(ROUTE + "<token>", "map_frame", serve)
