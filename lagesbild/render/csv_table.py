"""Tables as CSV that Swedish Excel opens as they are, and that can never run as a formula there.

One helper for every table download: semicolon-separated, UTF-8 with a byte-order mark (Excel reads the
encoding from it), the decimal comma in Swedish, and every text cell that starts with `=`, `+`, `-`, `@`,
a tab or a carriage return prefixed with a single quote, as OWASP's CSV-injection guidance says. Numbers
stay numbers, negative ones included: they are written from the number, never from text.

Counts hidden by the small-count rule (dashboard/disclosure.py) are written as the page shows them, "<5" or "dolt",
never as an empty cell (which would read as missing, or as 0 once summed in Excel): a frame straight from
`disclosure.protect` is spelled out by `to_csv_bytes` itself, a wide one from `protect_columns` by
`protected_columns_frame`.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from datetime import date, datetime, time

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from lagesbild.disclosure import HIDDEN, cell_text
from lagesbild.i18n import t

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")  # text that is a number as it stands ("-12", "-1,5")
MEDIA_TYPE = "text/csv"


def neutralise(text: str) -> str:
    """A text cell Excel or LibreOffice would read as a formula, made inert by a leading single quote."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _number(value: float, lang: str) -> str:
    if isinstance(value, numbers.Integral) or float(value).is_integer() and abs(value) < 1e15:
        written = str(int(value))
    else:
        written = repr(float(value))
    return written.replace(".", ",") if lang != "en" else written


def cell(value: object, lang: str = "sv") -> str:
    """One cell as written: empty for missing, ISO dates, numbers with the language's decimal mark."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, numbers.Number):
        if isinstance(value, float) and math.isnan(value):
            return ""
        return _number(value, lang)
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat(sep=" ", timespec="minutes") if (value.hour or value.minute) else \
            value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return neutralise(str(value))


def protected_frame(frame: pd.DataFrame, lang: str = "sv", value: str | None = None) -> pd.DataFrame:
    """A frame from `disclosure.protect` as its CSV shows it: each hidden cell says why ('<5', 'dolt') and the
    `hidden` column is gone. value: the protected column; by default every empty number cell of a hidden row.
    A frame without a `hidden` column (the user sees every number) comes back as it was."""
    if HIDDEN not in frame.columns:
        return frame
    reasons = frame[HIDDEN].fillna("").astype(str)
    out = frame.drop(columns=[HIDDEN])
    columns = [value] if value is not None else [name for name in out.columns
                                                  if pd.api.types.is_numeric_dtype(out[name])]
    for name in columns:
        words = [cell_text(None, reason, lang) if reason and pd.isna(number) else number
                 for number, reason in zip(out[name], reasons, strict=True)]
        out[name] = pd.Series(words, index=out.index, dtype=object)
    return out


def protected_columns_frame(frame: pd.DataFrame, reasons: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """A wide frame from `disclosure.protect_columns` (and its frame of reasons) as its CSV shows it."""
    out = frame.copy()
    for name in reasons.columns:
        if not reasons[name].astype(bool).any():
            continue
        words = [cell_text(None, reason, lang) if reason else number
                 for number, reason in zip(out[name], reasons[name], strict=True)]
        out[name] = pd.Series(words, index=out.index, dtype=object)
    return out


def to_csv_bytes(frame: pd.DataFrame, lang: str = "sv") -> bytes:
    """The frame with its column names as the header row, as bytes ready for a download (a frame from
    `disclosure.protect` with its hidden cells spelled out, see `protected_frame`)."""
    frame = protected_frame(frame, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(str(name)) for name in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([cell(value, lang) for value in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def download_button(key: str, lang: str) -> html.Div:
    """'Ladda ner tabell (CSV)' and its download target: `{key}-csv` is the button, `{key}-csv-download`."""
    return html.Div([dbc.Button(t("export.table_csv", lang), id=f"{key}-csv", color="secondary", outline=True,
                                size="sm", className="table-csv"),
                     dcc.Download(id=f"{key}-csv-download")], className="mb-2 d-print-none")
