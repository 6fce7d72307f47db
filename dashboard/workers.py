"""`lagesbild serve --workers N`: the dashboard in N gunicorn worker processes on one port (Linux, macOS).

Each worker makes its own app after the fork (`preload_app` off): its own store engine and connection pool, and its
own headless Chromium and kaleido, started on the first export that needs them, so nothing that holds a socket or
a child process is shared across a fork. Several servers on one PostgreSQL store behind a reverse proxy: README.
"""

from __future__ import annotations

from collections.abc import Callable

from gunicorn.app.base import BaseApplication

EXPORT_TIMEOUT_S = 120  # a worker silent this long is restarted: a page PDF of a large store takes seconds, not minutes


class DashboardServer(BaseApplication):
    """gunicorn's Arbiter around the dashboard, configured here rather than by a config file or its own CLI."""

    def __init__(self, make_wsgi_app: Callable, options: dict):
        self.make_wsgi_app, self.options = make_wsgi_app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.make_wsgi_app()  # in the worker, after the fork


def serve_with_gunicorn(make_wsgi_app: Callable, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until stopped; `make_wsgi_app()` is called once in every worker process."""
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",  # threads per worker, as waitress has them: requests mostly wait on I/O
        "threads": threads,
        "timeout": EXPORT_TIMEOUT_S,
        "graceful_timeout": 10,
        "preload_app": False,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "lagesbild",
    }
    DashboardServer(make_wsgi_app, options).run()
