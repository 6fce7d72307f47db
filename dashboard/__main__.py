"""Serve the dashboard: `python -m dashboard [--host 127.0.0.1] [--port 8050] [--db URL]`."""

from __future__ import annotations

import argparse

from dashboard.app import create_app
from dashboard.auth import AccessRefused, check_ready
from lagesbild.settings import load_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument("--db", help="store URL; default from LAGESBILD_DB or ./lagesbild.sqlite")
    parser.add_argument("--debug", action="store_true", help="Dash dev tools and reloading (development only)")
    parser.add_argument("--open", action="store_true", help="no login: open demo mode (sample data only)")
    args = parser.parse_args(argv)
    settings = load_settings().with_db(args.db)
    if not args.open:
        try:
            check_ready(settings)
        except AccessRefused as exc:
            parser.exit(2, f"Refusing to serve: {exc.message}\n")
    app = create_app(settings, open_demo=args.open, host=args.host)
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
