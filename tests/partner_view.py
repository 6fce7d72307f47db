"""What a partner is shown of a count, computed from the store by the tests' own SQL: the true count, its records'
key sum (id × multiplier mod the prime, summed) and the store's salt, through lagesbild.disclosure's rounding. Page
tests compare a partner's page with this, so a query that loses or doubles a record's key is caught."""

from __future__ import annotations

from sqlalchemy import Engine, text

from lagesbild.disclosure import Rule, protect_total
from lagesbild.store.keys import KEY_MODULUS, KEY_MULTIPLIER


def salt_of(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT value FROM store_secrets WHERE name = 'cell_key_salt'")).scalar())


def partner_rule(engine: Engine) -> Rule:
    return Rule(salt=salt_of(engine))


def partner_shown(engine: Engine, table: str, where: str = "1 = 1", params: dict | None = None, *,
                  value: str = "COUNT(*)", measure: str = "count") -> tuple[float | None, str]:
    """(shown, reason) of `value` over the rows of `table` matching `where`, as the partner role sees it."""
    query = text(f"SELECT {value}, COUNT(*), COALESCE(SUM((id * {KEY_MULTIPLIER}) % {KEY_MODULUS}), 0) "
                 f"FROM {table} WHERE {where}")
    with engine.connect() as conn:
        total, records, key = conn.execute(query, params or {}).one()
    return protect_total(float(total or 0), rule=partner_rule(engine), key=int(key), records=int(records),
                         measure=measure)
