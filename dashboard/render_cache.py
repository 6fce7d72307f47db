"""Drawn pages and map documents, cached and shared by the server's worker processes.

A steering group opening the same view, or a partner going back to a page, should pay for it once. A page's layout
(the component tree its `layout(**query)` returns) is kept under a key made of everything it is drawn from:

- the page and the URL's query, normalised (sorted, repeated parameters as sorted lists), and the language;
- who looks: the viewer's role and small-count rule (a partner's page is never served to another role, nor the
  other way round: they differ in the role part of the key, and a role's page is only ever drawn for that role);
- the store's data version (lagesbild.queries.data_version: every load, undo and records change moves it), the
  configuration files' stamps (an edited target shows at once) and today's date (pages say how stale a source is).

The cache is Flask-Caching's: by default files in a private directory per store (`LAGESBILD_RENDER_CACHE` unset),
shared by every worker process of one server; `redis://…` for several servers (needs the `redis` package); `off`
for none. Pages that change with every request or differ per user (the Data page: audit log, loads in progress)
are not cached. The map's documents (dashboard/map_frames.py) are kept here too, so any worker can serve the map a
page of another worker drew.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path

import dash
import flask
from flask_caching import Cache
from plotly.utils import PlotlyJSONEncoder

from dashboard import app_context as context
from dashboard import shell_ids
from lagesbild.config import ConfigFiles
from lagesbild.settings import Settings

SETTING = "LAGESBILD_RENDER_CACHE"
EXTENSION = "lagesbild_render_cache"
UNCACHED = frozenset({"data", "projektregister"})  # per user and per minute (audit log, uploads, forms being edited)
TIMEOUT_S = 24 * 3600
THRESHOLD = 2000  # entries on disk before the oldest go
VERSION_KEY = "lagesbild_data_version"

log = logging.getLogger(__name__)


def cache_config(settings: Settings, value: str | None = None) -> dict | None:
    """Flask-Caching's configuration for the setting's value; None: no cache."""
    value = (os.environ.get(SETTING, "") if value is None else value).strip()
    if value.lower() in {"off", "0", "no", "false", "none"}:
        return None
    if value.startswith(("redis://", "rediss://", "unix://")):
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": value, "CACHE_KEY_PREFIX": "lagesbild:",
                "CACHE_DEFAULT_TIMEOUT": TIMEOUT_S}
    directory = Path(value) if value else default_directory(settings)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(directory), "CACHE_THRESHOLD": THRESHOLD,
            "CACHE_DEFAULT_TIMEOUT": TIMEOUT_S}


def default_directory(settings: Settings) -> Path:
    """One private directory per store: the workers of one server share it, another store never reads it."""
    digest = hashlib.sha256(settings.db_url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"lagesbild-render-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"


def install(app: dash.Dash, settings: Settings, value: str | None = None) -> Cache | None:
    """The cache on `app` (as the setting, or `value`, says), and every cacheable page's layout drawn through it."""
    config = cache_config(settings, value)
    if config is None:
        return None
    cache = Cache(config=config)
    cache.init_app(app.server)
    app.server.extensions[EXTENSION] = cache
    for page in dash.page_registry.values():
        key = shell_ids.page_key(page)
        layout = page.get("layout")
        if key not in UNCACHED and callable(layout) and not getattr(layout, "render_cached", False):
            page["layout"] = cached_layout(key, layout)
    return cache


def shared() -> Cache | None:
    """This app's cache, when it has one and a request is being served."""
    if not flask.has_app_context():
        return None
    return flask.current_app.extensions.get(EXTENSION)


def cached_layout(page: str, layout: Callable) -> Callable:
    @wraps(layout)
    def drawn(**query):
        cache = shared()
        if cache is None:
            return layout(**query)
        key = layout_key(page, query)
        found = _get(cache, key)
        if found is not None:
            return json.loads(found)
        tree = layout(**query)
        _set(cache, key, json.dumps(tree, cls=PlotlyJSONEncoder, separators=(",", ":")))
        return tree

    drawn.render_cached = True
    return drawn


def layout_key(page: str, query: dict) -> str:
    """The key of a page drawn for this request's viewer with `query` (the URL's parameters and the language)."""
    app = context.current()
    viewer = app.viewer()
    rule = viewer.rule
    who = [viewer.role, None if rule is None else [rule.minimum, sorted(rule.roles)]]
    normal = sorted((name, sorted(map(str, value)) if isinstance(value, list | tuple) else str(value))
                    for name, value in query.items())
    parts = [page, normal, who, data_version(), ConfigFiles.of(app.settings).stamps(), date.today().isoformat()]
    return "page:" + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def data_version() -> str:
    """The store's data version, asked once per request."""
    version = getattr(flask.g, VERSION_KEY, None)
    if version is None:
        version = context.current().reads().data_version()
        setattr(flask.g, VERSION_KEY, version)
    return version


def _get(cache: Cache, key: str):
    try:
        return cache.get(key)
    except Exception:  # a broken cache (Redis gone, a full disk) must not break the page: draw it afresh
        log.warning("render cache: reading %s failed", key, exc_info=True)
        return None


def _set(cache: Cache, key: str, value) -> None:
    try:
        cache.set(key, value)
    except Exception:
        log.warning("render cache: writing %s failed", key, exc_info=True)


def keep(key: str, value) -> None:
    """Keep `value` under `key` in this app's cache, when it has one (the map's documents)."""
    cache = shared()
    if cache is not None:
        _set(cache, key, value)


def kept(key: str):
    cache = shared()
    return None if cache is None else _get(cache, key)
