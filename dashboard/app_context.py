"""What pages and callbacks need from the running app (settings, filter options), without importing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dash
from sqlalchemy import Engine

from dashboard.filter_options import ShellOptions
from lagesbild.config import Config, load_config
from lagesbild.settings import Settings
from lagesbild.store.db import cached_engine

CONFIG_KEY = "LAGESBILD_CONTEXT"
OptionsProvider = Callable[[Settings], ShellOptions]


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    options_provider: OptionsProvider

    def options(self) -> ShellOptions:
        """Asked afresh on each page load, so newly loaded places and months appear without a restart."""
        return self.options_provider(self.settings)

    def config(self) -> Config:
        """The configuration files, read again when one of them changes (lagesbild.config.load_config)."""
        return load_config(self.settings)

    def engine(self) -> Engine:
        return cached_engine(self.settings.db_url)


def install(app: dash.Dash, context: AppContext) -> None:
    app.server.config[CONFIG_KEY] = context


def current() -> AppContext:
    """The context of the app serving this request (dash.get_app() is set while callbacks run)."""
    return dash.get_app().server.config[CONFIG_KEY]
