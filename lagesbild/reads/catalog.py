"""What the store has, whoever asks: its places and the months with data (no count of anyone), for the filter bar."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from lagesbild import queries


def places(engine: Engine) -> list[dict]:
    """The places (id, name, kind) in display order."""
    return queries.list_places(engine)


def month_span(engine: Engine) -> tuple[date, date] | None:
    """The first and last month with any fact (surveys aside: their waves are not months)."""
    return queries.month_span(engine)
