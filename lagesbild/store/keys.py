"""Record keys: what a protected count's rounding is keyed by (lagesbild.disclosure).

A record's key is its id times KEY_MULTIPLIER modulo KEY_MODULUS, computed in SQL (`record_key`); a count's cell key
is the sum of its records' keys (`cell_keys`, beside every count the query layer aggregates). The store's secret salt
(`store_secrets.cell_key_salt`, drawn when the store is made) is added once per record when a cell is rounded, so
the keys alone say nothing. A row keeps its id, and so its key, when a later load updates it."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import BigInteger, Connection, Table, case, cast, func, literal, select

from lagesbild.store.schema import store_secrets

KEY = "cell_key"  # beside a count: the sum of its records' keys
RECORDS = "cell_records"  # beside it: how many records
KEY_COLUMNS = (KEY, RECORDS)
KEY_MODULUS = 2_147_483_647  # the prime 2**31 - 1
KEY_MULTIPLIER = 950_706_376  # a full-period multiplier modulo 2**31 - 1 (Fishman & Moore 1986)
SALT = "cell_key_salt"


def record_key(table: Table, id_column: str = "id"):
    """The record's unsalted key in SQL: id × KEY_MULTIPLIER mod KEY_MODULUS (64-bit on SQLite and PostgreSQL)."""
    return (cast(table.c[id_column], BigInteger) * literal(KEY_MULTIPLIER, BigInteger)) % KEY_MODULUS


def cell_keys(table, condition=None) -> list:
    """The two columns every aggregate of a count carries: its records' key sum and their number (of the rows
    matching `condition`, when the count is conditional)."""
    if condition is None:
        return list(_plain_cell_keys(table))
    key = record_key(table) if condition is None else case((condition, record_key(table)), else_=0)
    records = func.count() if condition is None else func.count(case((condition, 1)))
    return [cast(func.coalesce(func.sum(key), 0), BigInteger).label(KEY), records.label(RECORDS)]


@lru_cache(maxsize=256)
def _plain_cell_keys(table) -> tuple:
    """A table's (or a snapshot's) unconditional key columns, built once: SQL expressions are immutable, and building
    them again for every query of every page cost more than the database's work on a small store."""
    key = record_key(table)
    return (cast(func.coalesce(func.sum(key), 0), BigInteger).label(KEY), func.count().label(RECORDS))


def read_salt(conn: Connection) -> int:
    value = conn.execute(select(store_secrets.c.value).where(store_secrets.c.name == SALT)).scalar()
    if value is None:
        raise LookupError("the store has no cell key salt: upgrade it (lagesbild init)")
    return int(value)
