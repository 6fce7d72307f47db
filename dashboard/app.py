"""Build the Dash app: pages, vendored assets (nothing from the internet), the shell and the chart theme."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Input

from dashboard import app_context as context
from dashboard import intake, map_frames, render_cache, shell
from dashboard.app_context import AppContext, OptionsProvider
from dashboard.auth import install_auth
from dashboard.export import page as page_export
from dashboard.filter_options import load_options
from lagesbild.charts.theme import register_template
from lagesbild.settings import Settings, load_settings

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"
ASSETS_DIR = PACKAGE_DIR.parent / "assets"
# Vendored files are kept out of Dash's automatic injection (assets_path_ignore) and linked here on purpose.
VENDOR_CSS = ["/assets/vendor/bootstrap/bootstrap.min.css"]
VENDOR_JS = ["/assets/vendor/plotly-locale/plotly-locale-sv.js"]
META_TAGS = [{"name": "viewport", "content": "width=device-width, initial-scale=1"}]


def create_app(
    settings: Settings | None = None, options_provider: OptionsProvider = load_options, *, open_demo: bool = False,
    host: str | None = None,
) -> dash.Dash:
    """The dashboard over the store in `settings` (default: from the environment).

    `options_provider(settings)` gives the filter bar's places and months; it is asked on every page load.
    Callbacks are registered with `dash.callback` when modules are imported, so build one app per process.
    `open_demo`: no login at all (sample data only; every page says so). Otherwise every route needs a login.
    `host`: the interface served on; the session cookie is Secure unless it is loopback (see settings).
    """
    settings = settings or load_settings()
    register_template()
    app = dash.Dash(
        __package__,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        assets_path_ignore=["vendor"],
        external_stylesheets=VENDOR_CSS,
        external_scripts=VENDOR_JS,
        serve_locally=True,
        suppress_callback_exceptions=True,
        routing_callback_inputs={"lang": Input(shell.LANG, "value")},
        title="Lägesbild",
        update_title=None,
        meta_tags=META_TAGS,
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="sv">', 1)
    context.install(app, AppContext(settings, options_provider))
    page_export.install(app)
    map_frames.install(app.server)
    render_cache.install(app, settings)
    intake.install(app.server)
    install_auth(app, settings, open_demo, host)
    app.layout = lambda: shell.layout(options_provider(settings))
    return app
