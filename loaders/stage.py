"""The write side of a load: conformed chunks go into a temporary staging table, and set-based SQL does the rest.

Per chunk the rows are sent in bulk (SQLite: `executemany`; PostgreSQL: `COPY`). When the file is read, one
statement each classifies every row against the fact table (new, changed, the same), keeps the superseded
versions of changed rows, updates them and inserts the new ones: the fact table is looked up once, before it
is written, so no lookup ever reads rows of the open transaction (on PostgreSQL those have no statistics, and
looking them up chunk by chunk grew quadratically). A preview stops after the classification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Time,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)

from lagesbild.store.schema import FACT_TABLES, VERSION_TABLES
from loaders.base import Source
from loaders.conform import Batch
from loaders.identity import encoded

LINEAGE = ("id", "source", "load_id", "updated_load_id")
# SQLAlchemy's storage formats for SQLite (what its own bind processors write, e.g. '2023-05-01 21:14:00.000000'),
# written here without its per-value formatting.
SQLITE_TEXT = {
    DateTime: lambda v: v.isoformat(" ", "microseconds"),
    Time: lambda v: v.isoformat("microseconds"),
    Date: lambda v: v.isoformat(),
}
KEYS = ("natural_key", "row_hash")


@dataclass
class Classified:
    """What writing the staged rows would do."""

    inserted: int = 0
    updated: int = 0
    duplicate: int = 0  # already in the store, unchanged
    duplicate_in_file: int = 0  # a later (or preferred) row of the same file has the same natural key


class Stage:
    """One file's conformed rows in a temporary table on the load's own connection and transaction."""

    def __init__(self, conn: Connection, source: Source):
        self.conn, self.source = conn, source
        self.facts = FACT_TABLES[source.kind]
        self.record_columns = [c.name for c in self.facts.c if c.name not in LINEAGE and c.name not in KEYS]
        self.table = Table(
            f"stage_{self.facts.name}", MetaData(),
            *(Column(c.name, c.type) for c in self.facts.c if c.name not in LINEAGE),
            Column("seq", Integer, nullable=False), prefixes=["TEMPORARY"],
        )
        self.columns = [c.name for c in self.table.c]
        self.sqlite = conn.dialect.name == "sqlite"
        self._hashes: list[np.ndarray] = []  # Python hashes of the keys: a cheap test for keys seen twice
        self._seqs: list[np.ndarray] = []
        self.rows = 0
        self._drop_table(self.table.name)
        self.table.create(conn)

    def add(self, batch: Batch) -> None:
        if not len(batch.rows):
            return
        values = {**batch.record, "natural_key": batch.keys, "row_hash": batch.hashes, "seq": batch.rows}
        names = [n for n in self.columns if _any_value(values.get(n))]  # the others stay NULL, unsent
        rows = zip(*(self._bound(name, values[name]) for name in names), strict=True)
        listed = ", ".join(f'"{n}"' for n in names)
        if self.sqlite:
            marks = ", ".join("?" for _ in names)
            cursor = self.conn.connection.dbapi_connection.cursor()  # takes the rows as they are made
            cursor.executemany(f"INSERT INTO temp.{self.table.name} ({listed}) VALUES ({marks})", rows)
            cursor.close()
        else:
            self._copy(listed, rows)
        self._hashes.append(np.fromiter((hash(k) for k in batch.keys), dtype=np.int64, count=len(batch.keys)))
        self._seqs.append(np.asarray(batch.rows, dtype=np.int64))
        self.rows += len(batch.rows)

    def _bound(self, name: str, values) -> list:
        """The column's values as the driver takes them: SQLite gets SQLAlchemy's text forms of dates and times."""
        column_type = self.table.c[name].type
        process = None
        if self.sqlite:
            process = SQLITE_TEXT.get(type(column_type)) or column_type.dialect_impl(self.conn.dialect).bind_processor(
                self.conn.dialect)
        if process is None:
            return values.tolist() if isinstance(values, np.ndarray) else list(values)
        return encoded(values, process, None)

    def _copy(self, names: str, rows) -> None:
        cursor = self.conn.connection.dbapi_connection.cursor()
        with cursor.copy(f"COPY {self.table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def classify(self) -> Classified:
        """Drop the rows a later or preferred row of the file replaces, then count what writing would do."""
        result = Classified()
        candidates = self._seen_twice()
        if len(candidates):
            result.duplicate_in_file = self._drop_replaced(candidates)
        s, f = self.table, self.facts
        if self.conn.execute(select(f.c.id).limit(1)).first() is None:  # nothing to match: every row is new
            result.inserted = self.rows - result.duplicate_in_file
            return result
        if not self.sqlite:  # temporary tables get no statistics otherwise, and the joins below need them
            self.conn.exec_driver_sql(f"ANALYZE {self.table.name}")
        changed = case((f.c.row_hash != s.c.row_hash, 1), else_=0)
        total, matched, updated = self.conn.execute(
            select(func.count(), func.count(f.c.id), func.coalesce(func.sum(changed), 0))
            .select_from(s.outerjoin(f, f.c.natural_key == s.c.natural_key))
        ).one()
        result.inserted, result.updated, result.duplicate = total - matched, int(updated), matched - int(updated)
        return result

    def _seen_twice(self) -> np.ndarray:
        """The rows (seq) whose key's hash another row shares: the only ones a row of the same key can replace (a
        hash that two keys share costs a look, nothing more)."""
        if not self._hashes:
            return np.array([], dtype=np.int64)
        hashes, seqs = np.concatenate(self._hashes), np.concatenate(self._seqs)
        order = np.argsort(hashes, kind="stable")
        same = hashes[order][1:] == hashes[order][:-1]
        twice = np.zeros(len(order), dtype=bool)
        twice[1:] |= same
        twice[:-1] |= same
        return np.sort(seqs[order[twice]])

    def _drop_replaced(self, candidates: np.ndarray) -> int:
        """Among the candidate rows (copied to a small table of their own, indexed by key), those that a later or
        preferred row of the same key replaces are deleted from the stage."""
        s, prefer = self.table, self.source.prefer_by
        seqs = Table(f"{s.name}_twice_seq", MetaData(), Column("seq", Integer), prefixes=["TEMPORARY"])
        same = Table(f"{s.name}_twice", MetaData(), *(Column(c, s.c[c].type) for c in ("natural_key", "seq", *prefer)),
                     prefixes=["TEMPORARY"])
        for table in (seqs, same):
            self._drop_table(table.name)
            table.create(self.conn)
        self.conn.execute(insert(seqs), [{"seq": int(q)} for q in candidates])
        self.conn.execute(insert(same).from_select([c.name for c in same.c], select(*(s.c[c.name] for c in same.c))
                                                   .where(s.c.seq.in_(select(seqs.c.seq)))))
        self.conn.execute(text(f"CREATE INDEX ix_{same.name}_key ON {same.name} (natural_key)"))
        later = same.alias("later")
        ahead = later.c.seq > same.c.seq
        for name in reversed(prefer):  # greater preferred value first, then the later row
            ahead = or_(later.c[name] > same.c[name], and_(later.c[name] == same.c[name], ahead))
        replaced = select(same.c.seq).where(exists(select(literal(1)).select_from(later)
                                                   .where(later.c.natural_key == same.c.natural_key, ahead)))
        dropped = self.conn.execute(delete(s).where(s.c.seq.in_(replaced))).rowcount
        for table in (seqs, same):
            self._drop_table(table.name)
        return dropped

    def write(self, load_id: int, now: datetime, classified: Classified) -> None:
        """Keep the versions that change, update them, insert the new rows: all in the load's transaction."""
        s, f = self.table, self.facts
        if classified.updated:
            self._update(load_id, now)
        if classified.updated or classified.duplicate:
            # What is left in the stage is new; an INSERT that also read the fact table would be buffered whole.
            self.conn.execute(delete(s).where(exists().where(f.c.natural_key == s.c.natural_key)))
        if classified.inserted:
            new = select(*(s.c[c] for c in [*self.record_columns, *KEYS]), literal(self.source.name, String),
                         literal(load_id, Integer))
            self.conn.execute(insert(f).from_select([*self.record_columns, *KEYS, "source", "load_id"], new))

    def _update(self, load_id: int, now: datetime) -> None:
        s, f, versions = self.table, self.facts, VERSION_TABLES[self.source.kind]
        joined = f.join(s, s.c.natural_key == f.c.natural_key)
        kept = [c.name for c in f.c if c.name != "id"]
        old = (select(f.c.id, *(f.c[c] for c in kept), literal(load_id), literal(now), literal("update"))
               .select_from(joined).where(f.c.row_hash != s.c.row_hash))
        self.conn.execute(insert(versions).from_select(
            ["row_id", *kept, "superseded_load_id", "superseded_at", "reason"], old))
        changes = {c: s.c[c] for c in [*self.record_columns, "row_hash"]}
        self.conn.execute(update(f).where(f.c.natural_key == s.c.natural_key, f.c.row_hash != s.c.row_hash)
                          .values(**changes, updated_load_id=load_id))

    def drop(self) -> None:
        self._drop_table(self.table.name)

    def _drop_table(self, name: str) -> None:
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {'temp.' if self.sqlite else ''}{name}")


def _any_value(values) -> bool:
    """A column given, with a value in at least one row (a column of None is left to the table's NULL)."""
    if values is None:
        return False
    if isinstance(values, np.ndarray) and values.dtype != object:
        return len(values) > 0
    return any(v is not None for v in values)
