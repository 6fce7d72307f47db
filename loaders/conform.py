"""Conform a chunk of raw rows in column steps: cells to values, places, categories, redaction, keys and hashes.

Every step works on whole columns and computes each distinct value once (`identity.distinct`), so a million rows
of a few thousand dates, places and categories cost a few thousand parser calls. The per-row rules are those of
the scalar parsers in `loaders.values` and of each source; errors name row, column, value and reason as before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from loaders.base import Context, Field, RowError, RowProblems, Skip, Source
from loaders.identity import Fragments, distinct
from loaders.places import PlaceMatch, PlaceResolver
from loaders.values import is_blank, month_of

Values = dict[str, np.ndarray]  # field or record column -> object array of Python values (None when missing)


@dataclass
class Batch:
    """One chunk conformed: its records as columns (with natural key and row hash), and its bad rows."""

    rows: np.ndarray  # row numbers of the records, in file order
    record: Values
    keys: list[str] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    raw_by_row: dict[int, dict[str, Any]] = field(default_factory=dict)


# --- cells to values -----------------------------------------------------------------------------------------


def parse_fields(source: Source, headers: dict[str, str], constants: dict[str, Any], raw: pd.DataFrame,
                 texts_only: bool) -> tuple[Values, list[RowError]]:
    """Each field's values from its column (or a constant filled in), and every bad cell as a RowError."""
    rows = raw.index.to_numpy()
    values: Values = {}
    errors: list[RowError] = []
    for spec in source.fields:
        header = headers.get(spec.name)
        if header is not None:
            values[spec.name] = parse_column(spec, header, raw[header].to_numpy(dtype=object), rows, texts_only,
                                             errors)
        else:
            constant = constants.get(spec.name)
            values[spec.name] = np.full(len(rows), None if constant is None else spec.parse(constant), dtype=object)
    errors.sort(key=lambda e: e.row_number)  # row by row, each row's cells in field order (the sort is stable)
    return values, errors


def parse_column(spec: Field, header: str, cells: np.ndarray, rows: np.ndarray, texts_only: bool,
                 errors: list[RowError]) -> np.ndarray:
    out = np.full(len(cells), None, dtype=object)
    fast = spec.vector(cells) if (spec.vector is not None and texts_only) else None
    todo = np.ones(len(cells), dtype=bool)
    if fast is not None:
        done = ~np.isnan(fast)
        out[done] = fast[done].tolist()
        todo = ~done
    codes, uniques = _distinct_cells(cells[todo], texts_only)
    parsed, reasons = [], []
    for cell in uniques:
        value, reason = _parse_one(spec, cell)
        parsed.append(value)
        reasons.append(reason)
    lookup = np.empty(len(uniques) + 1, dtype=object)
    lookup[: len(uniques)] = parsed
    out[todo] = lookup[codes]
    bad = [i for i, r in enumerate(reasons) if r is not None]
    if bad:
        reason_of = dict(zip(bad, (reasons[i] for i in bad), strict=True))
        positions = np.flatnonzero(todo)
        for where in np.flatnonzero(np.isin(codes, bad)):
            cell = uniques[codes[where]]
            errors.append(RowError(int(rows[positions[where]]), header, None if is_blank(cell) else cell,
                                   reason_of[codes[where]]))
    return out


def _parse_one(spec: Field, cell: Any) -> tuple[Any, str | None]:
    if is_blank(cell):
        return None, (None if spec.nullable else "empty, but a value is required")
    try:
        return spec.parse(cell), None
    except ValueError as exc:
        return None, str(exc)


def _distinct_cells(cells: np.ndarray, texts_only: bool) -> tuple[np.ndarray, list[Any]]:
    """Distinct cells, blanks included (a blank cell has a reason of its own). Excel cells are told apart by type
    too, so that 1, 1.0 and True stay three values."""
    if texts_only:
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        return codes, list(uniques)
    index: dict[tuple[type, Any], int] = {}
    uniques: list[Any] = []
    codes = np.empty(len(cells), dtype=np.int64)
    for i, cell in enumerate(cells.tolist()):
        key = (cell.__class__, cell if cell == cell else "NaN")
        code = index.get(key)
        if code is None:
            code = index[key] = len(uniques)
            uniques.append(cell)
        codes[i] = code
    return codes, uniques


def fast_numbers(cells: np.ndarray) -> np.ndarray:
    """Plain decimal numbers (point or comma) as floats; NaN where the scalar parser must look (and explain)."""
    text = pd.Series(cells, dtype=object).str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


# --- rows a source conforms one at a time ---------------------------------------------------------------------


def conform_each(source: Source, values: Values, rows: np.ndarray, ctx: Context) -> tuple[np.ndarray, Values,
                                                                                        list[RowError]]:
    """The source's own per-row hook, for the sources whose files are small (the feed, surveys)."""
    names = list(values)
    kept, records, errors = [], [], []
    for position, row in enumerate(zip(*(values[n] for n in names), strict=True)):
        number = int(rows[position])
        try:
            records.append(source.conform(dict(zip(names, row, strict=True)), ctx, number))
        except RowProblems as problems:
            errors.extend(problems.errors)
            continue
        except Skip as skip:
            ctx.counts[f"skipped:{skip.reason}"] += 1
            continue
        kept.append(position)
    columns = list(dict.fromkeys(k for r in records for k in r))
    record = {c: np.array([r.get(c) for r in records], dtype=object) for c in columns}
    return np.array(kept, dtype=np.int64), record, errors


# --- places ------------------------------------------------------------------------------------------------------


class Matches:
    """Place matches as small integer codes (-1: none) into one list, so rows can be combined with numpy."""

    def __init__(self) -> None:
        self.matches: list[PlaceMatch] = []
        self._index: dict[tuple[str, str], int] = {}

    def code(self, match: PlaceMatch | None) -> int:
        if match is None:
            return -1
        key = (match.place.id, match.method)
        if key not in self._index:
            self._index[key] = len(self.matches)
            self.matches.append(match)
        return self._index[key]

    def codes(self, values: np.ndarray, find) -> np.ndarray:
        """find(value) per distinct value of `values` (None stays none)."""
        codes, uniques = distinct(values)
        lookup = np.array([*(self.code(find(u)) for u in uniques), -1], dtype=np.int64)
        return lookup[codes]

    def specific(self) -> np.ndarray:
        return np.array([not m.place.is_unspecified for m in self.matches] + [False], dtype=bool)


@cache
def _polygons(resolver: PlaceResolver) -> tuple[list, Any]:
    """The resolver's polygons, smallest first (a spot inside a park wins), prepared for points in bulk."""
    shaped = sorted(((p, shape(p.geometry)) for p in resolver.places if p.geometry and not p.is_unspecified),
                    key=lambda pg: pg[1].area)
    for _, geometry in shaped:
        shapely.prepare(geometry)
    area = shape(resolver.unspecified.geometry) if resolver.unspecified.geometry else None
    if area is not None:
        shapely.prepare(area)
    return shaped, area


def point_codes(matches: Matches, resolver: PlaceResolver, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """What `resolver.by_point` finds for each point, as match codes (-1: outside the area)."""
    shaped, area = _polygons(resolver)
    codes = np.full(len(lat), -1, dtype=np.int64)
    x, y = lon.astype(float), lat.astype(float)
    open_ = np.isfinite(x) & np.isfinite(y)
    for place, geometry in shaped:
        if not open_.any():
            break
        hit = np.zeros(len(x), dtype=bool)
        hit[open_] = shapely.intersects_xy(geometry, x[open_], y[open_])
        codes[hit] = matches.code(PlaceMatch(place, "polygon"))
        open_ &= ~hit
    if area is not None and open_.any():
        inside = np.zeros(len(x), dtype=bool)
        inside[open_] = shapely.intersects_xy(area, x[open_], y[open_])
        codes[inside] = matches.code(PlaceMatch(resolver.unspecified, "area"))
    return codes


def place_columns(ctx: Context, matches: Matches, codes: np.ndarray, raw_place: np.ndarray | None) -> Values:
    """Place id and method per row, counted as `Context.place` counts one row at a time."""
    specific = matches.specific()[codes]
    ctx.counts["placed"] += int(specific.sum())
    ctx.counts["unplaced"] += int((~specific).sum())
    if raw_place is not None:
        unknown = (codes == -1) & np.array([p is not None and p != "" for p in raw_place], dtype=bool)
        ctx.unknown_places.update(Counter(raw_place[unknown].tolist()))
    ids = np.array([m.place.id if not m.place.is_unspecified else ctx.resolver.unspecified.id
                    for m in matches.matches] + [ctx.resolver.unspecified.id], dtype=object)
    methods = np.array([m.method for m in matches.matches] + ["area"], dtype=object)
    return {"place_id": ids[codes], "place_method": methods[codes]}


def named_place_codes(ctx: Context, matches: Matches, place: np.ndarray) -> np.ndarray:
    """A place column: by name, else by the names in its text (as the sources' scalar hooks do)."""
    return matches.codes(place, lambda p: ctx.resolver.by_name(p) or ctx.resolver.by_text(p))


def category_column(ctx: Context, kind: str, source_category: np.ndarray) -> np.ndarray:
    """The vocabulary's code per row; an unknown category is `övrigt` and counted, as `Context.category` does."""
    codes, uniques = distinct(source_category)
    found = [ctx.vocabulary.code(kind, u) for u in uniques]
    missing = ctx.vocabulary.code(kind, None)
    for position in np.flatnonzero(np.array([*(c is None for c in found), missing is None])[codes]):
        ctx.unknown_categories[uniques[codes[position]] if codes[position] >= 0 else ""] += 1
    lookup = np.array([*(c or ctx.vocabulary.other for c in found), missing or ctx.vocabulary.other], dtype=object)
    return lookup[codes]


def per_distinct(values: np.ndarray, function) -> np.ndarray:
    """function(value) per row, called once per distinct value; None stays None."""
    codes, uniques = distinct(values)
    lookup = np.empty(len(uniques) + 1, dtype=object)
    lookup[: len(uniques)] = [function(u) for u in uniques]
    lookup[-1] = None
    return lookup[codes]


def combine(days: np.ndarray, clocks: np.ndarray) -> np.ndarray:
    """datetime.combine(day, clock) per row, None where the clock is missing."""
    has = np.array([c is not None for c in clocks], dtype=bool)
    out = np.full(len(days), None, dtype=object)
    if has.any():
        day = per_distinct(days[has], lambda d: d.toordinal() - 719163).astype("int64")  # days since 1970-01-01
        seconds = per_distinct(clocks[has], lambda c: c.hour * 3600 + c.minute * 60 + c.second).astype("int64")
        out[has] = (day * 86400 + seconds).astype("datetime64[s]").astype("datetime64[us]").astype(object)
    return out


# --- what every record goes through ------------------------------------------------------------------------------


def finish(source: Source, table, rows: np.ndarray, record: Values, ctx: Context,
           errors: list[RowError]) -> Batch:
    """Refuse text the store cannot hold, redact identity numbers, snap the month, and key and hash each row."""
    keep = np.ones(len(rows), dtype=bool)
    for name, limit in _limits(table, record):
        for position in _longer_than(record[name], limit):
            errors.append(RowError(int(rows[position]), name, record[name][position], f"longer than {limit} "
                                   "characters"))
            keep[position] = False
    if not keep.all():
        rows, record = rows[keep], {k: v[keep] for k, v in record.items()}
    # Every text of every kind, not only the free-text columns: an identity number never reaches the store.
    for name, values in record.items():
        record[name] = redact_column(ctx, values)
    if len(rows):
        record["month"] = _months(record["date"])
    else:
        record["month"] = np.array([], dtype=object)
    fragments = Fragments(record)
    keys = source.natural_keys(fragments) if len(rows) else []
    hashes = fragments.row_hashes() if len(rows) else []
    errors.sort(key=lambda e: e.row_number)
    return Batch(rows, record, keys, hashes, errors)


def _longer_than(values: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the texts longer than `limit`, measured once per distinct text."""
    codes, uniques = distinct(values)
    lengths = np.array([len(u) if isinstance(u, str) else 0 for u in uniques] + [0], dtype=np.int64)
    if lengths.max() <= limit:
        return np.array([], dtype=np.int64)
    return np.flatnonzero(lengths[codes] > limit)


def _limits(table, record: Values):
    for name in record:
        limit = getattr(table.c[name].type, "length", None) if name in table.c else None
        if limit:
            yield name, limit


def redact_column(ctx: Context, values: np.ndarray) -> np.ndarray:
    codes, uniques = distinct(values)
    if not any(isinstance(u, str) for u in uniques):
        return values
    cleaned, found = [], np.zeros(len(uniques) + 1, dtype=np.int64)
    for i, value in enumerate(uniques):
        if isinstance(value, str):
            value, found[i] = ctx.redactor.redact(value)
        cleaned.append(value)
    if not found.any():
        return values
    ctx.counts["redacted"] += int(found[codes].sum())
    lookup = np.empty(len(uniques) + 1, dtype=object)
    lookup[: len(uniques)] = cleaned
    return lookup[codes]


def _months(days: np.ndarray) -> np.ndarray:
    codes, uniques = distinct(days)
    lookup = np.array([*(month_of(d) for d in uniques), None], dtype=object)
    return lookup[codes]
