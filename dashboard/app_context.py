"""What pages and callbacks need from the running app, without importing it: settings, configuration, filter
options, and the store as this request's viewer may read it (lagesbild.reads)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dash
import flask
from sqlalchemy import Engine

from dashboard import auth
from dashboard.filter_options import ShellOptions
from lagesbild.config import Config, load_config
from lagesbild.config.meeting import Agenda, read_agenda
from lagesbild.disclosure import Viewer
from lagesbild.reads import Reads
from lagesbild.records.access import Actor
from lagesbild.settings import Settings
from lagesbild.store.db import cached_engine

CONFIG_KEY = "LAGESBILD_CONTEXT"
VIEWER_KEY = "lagesbild_viewer"
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

    def viewer(self) -> Viewer:
        """Who this request is (their role) and the small-count rule that applies to them; looked up once per request
        (a partner's page asks at every hidden cell)."""
        if not flask.has_request_context():
            raise RuntimeError("a viewer exists only inside a request to the app")
        viewer = getattr(flask.g, VIEWER_KEY, None)
        if viewer is None:
            viewer = Viewer.of_role(auth.current_role(), self.config().area.small_counts)
            setattr(flask.g, VIEWER_KEY, viewer)
        return viewer

    def actor(self) -> Actor:
        """This request's user as the project's records know them (lagesbild.records.access decides what they may
        do): the open demo is the role `demo`, which reads every record and changes none, unless shown as a role."""
        if not flask.has_request_context():
            raise RuntimeError("an actor exists only inside a request to the app")
        return Actor(auth.current_username() or "", auth.current_role() or "")

    def agenda(self) -> Agenda:
        """The meeting's agenda (meeting.yaml), read on each use: an edit shows on the next page load."""
        return read_agenda(self.settings.meeting_file, tuple(i.id for i in self.config().indicators.indicators))

    def records_actor(self) -> Actor:
        """This request's user as the project's records know them; the open demo reads them as the steering group."""
        role = auth.current_role()
        return Actor(auth.current_username() or "?", "styrgrupp" if role == auth.DEMO_ROLE else role or "?")

    def reads(self) -> Reads:
        """The store as this request's viewer may see it: every page, map, caption and export reads through this."""
        return Reads(self.engine(), self.viewer())


def install(app: dash.Dash, context: AppContext) -> None:
    app.server.config[CONFIG_KEY] = context


def current() -> AppContext:
    """The context of the app serving this request (dash.get_app() is set while callbacks run)."""
    return dash.get_app().server.config[CONFIG_KEY]
