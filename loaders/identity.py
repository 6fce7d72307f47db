"""Natural keys and content hashes, computed a column at a time but byte for byte those of one record at a time.

A fact's natural key is `source:` + the first 40 hex digits of SHA-256 over the JSON list
`[source name, *identity values]`; its row hash the first 32 of SHA-256 over the JSON object of the whole record
with sorted keys (dates and times as ISO text, floats rounded to 6 decimals, `json.dumps` spacing). Stores
written by earlier releases hold keys and hashes made that way, so the formula may never change: a new one would
load an overlapping export again as new rows. Each column is encoded once per distinct value (`Fragments`);
only the join and the digest are done per row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime, time
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import pandas as pd


def json_value(value: Any) -> str:
    """The JSON text of one value, as json.dumps writes the value made JSON-able."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, datetime | date | time):
        return encode_basestring(value.isoformat())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_json(value)
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _float_json(value: float) -> str:
    rounded = round(value, 6)
    return repr(rounded) if rounded == rounded and abs(rounded) != float("inf") else json.dumps(rounded)


def distinct(values: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for None) and the distinct values: every per-value step runs once per distinct value.

    A column holds one Python type (and None), as the conform steps make it: 1 and 1.0 would be one value here.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    return codes, list(uniques)


def encoded(values: Sequence[Any] | np.ndarray, encode, missing: Any) -> list[Any]:
    """encode(value) for every value, computed per distinct value; `missing` where the value is None."""
    codes, uniques = distinct(values)
    return _take([encode(u) for u in uniques], missing, codes)


def _take(table: list[Any], missing: Any, codes: np.ndarray) -> list[Any]:
    lookup = np.empty(len(table) + 1, dtype=object)
    lookup[: len(table)] = table
    lookup[-1] = missing
    return lookup[codes].tolist()  # code -1 picks `missing`, the last entry


def _json_of_distinct(uniques: list[Any]) -> list[str]:
    kinds = {type(u) for u in uniques}
    if kinds == {float}:  # coordinates, amounts: mostly 6 decimals or fewer
        array = np.array(uniques, dtype=float)
        exact = (np.round(array, 6) == array) & np.isfinite(array)  # then round(v, 6) == v: repr alone
        return [repr(u) if e else _float_json(u) for u, e in zip(uniques, exact.tolist(), strict=True)]
    if kinds == {str}:  # free text, names: json_value's first case, without its calls
        return [encode_basestring(u) for u in uniques]
    if kinds == {datetime} or kinds == {date}:  # ISO text needs no escaping
        return ['"' + u.isoformat() + '"' for u in uniques]
    return [json_value(u) for u in uniques]


class Fragments:
    """Each column's JSON text per row, encoded once and shared by the natural key and the row hash."""

    def __init__(self, record: dict[str, Sequence[Any]]):
        self.record = record
        self._distinct: dict[str, tuple[np.ndarray, list[str]]] = {}

    def _encoded(self, name: str) -> tuple[np.ndarray, list[str]]:
        if name not in self._distinct:
            codes, uniques = distinct(self.record[name])
            self._distinct[name] = codes, _json_of_distinct(uniques)
        return self._distinct[name]

    def json(self, name: str, prefix: str = "") -> list[str]:
        codes, texts = self._encoded(name)
        return _take([prefix + t for t in texts], prefix + "null", codes)

    def natural_keys(self, source_name: str, identity: Sequence[str]) -> list[str]:
        """`source:` + hash of [source name, *identity values] per row."""
        head = "[" + encode_basestring(source_name) + ", "
        rows = zip(*(self.json(n) for n in identity), strict=True)
        return [f"{source_name}:{d}" for d in _digests([head + ", ".join(r) + "]" for r in rows], 40)]

    def row_hashes(self) -> list[str]:
        columns = [self.json(n, encode_basestring(n) + ": ") for n in sorted(self.record)]
        return _digests(["{" + ", ".join(row) + "}" for row in zip(*columns, strict=True)], 32)


def _digests(texts: list[str], length: int) -> list[str]:
    sha = hashlib.sha256
    return [sha(t.encode()).hexdigest()[:length] for t in texts]


def natural_keys(source_name: str, record: dict[str, Sequence[Any]], identity: Sequence[str]) -> list[str]:
    return Fragments(record).natural_keys(source_name, identity)


def row_hashes(record: dict[str, Sequence[Any]]) -> list[str]:
    return Fragments(record).row_hashes()
