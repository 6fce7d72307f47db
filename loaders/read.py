"""Read CSV, Excel and JSON files into raw rows, with one explicit strategy per format."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

CSV_DELIMITERS = ";,\t"
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
HEADER_SCAN_ROWS = 30
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100  # a real sheet compresses about 10:1; a zip bomb thousands to one
ZIP_RATIO_FROM_BYTES = 10 * 1024 * 1024  # small entries may compress well without harm


class ReadError(ValueError):
    """A file that cannot be read at all; the message names the file and what to do."""


@dataclass
class RawTable:
    """Rows as the file holds them: header names and, per row, its number in the file and its values."""

    path: Path
    format: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    detail: str = ""


def check_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse, before reading anything, a file too large to load or an archive that would expand without bound."""
    size = path.stat().st_size
    if size == 0:
        raise ReadError(f"{path.name}: the file is empty")
    if size > max_bytes:
        raise ReadError(f"{path.name}: {size / 2**20:,.0f} MiB is more than the {max_bytes / 2**20:,.0f} MiB a load "
                        "may be; split the export by period (or raise LAGESBILD_MAX_FILE_MB)")
    if zipfile.is_zipfile(path):
        _check_archive(path, max_bytes)


def _check_archive(path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{path.name}: a broken or truncated Excel file ({exc})") from exc
    expanded = sum(e.file_size for e in entries)
    bomb = any(e.file_size > ZIP_RATIO_FROM_BYTES and e.file_size > ZIP_MAX_RATIO * max(e.compress_size, 1)
               for e in entries)
    if bomb or expanded > 20 * max_bytes:
        raise ReadError(f"{path.name}: the workbook would expand to {expanded / 2**20:,.0f} MiB; refused as unsafe "
                        "(save it again from Excel, or export CSV)")


def read_file(path: Path, header_hint: Callable[[list[str]], int] | None = None) -> RawTable:
    """Read by content, not by extension alone; `header_hint` scores a candidate header row."""
    head = path.read_bytes()[:8]
    if head.startswith(b"PK"):
        return read_xlsx(path, header_hint)
    text_start = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text_start[:1] in (b"[", b"{"):
        return read_json(path)
    return read_csv(path)


def decode(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    if b"\x00" in data:
        raise ReadError(f"{path.name}: the file holds NUL bytes; it is not a text (CSV) file")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReadError(f"{path.name}: not UTF-8 or cp1252 text")  # cp1252 rarely fails, but it can


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(CSV_DELIMITERS, key=first.count)


def read_csv(path: Path) -> RawTable:
    text, encoding = decode(path)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ReadError(f"{path.name}: broken CSV near line {reader.line_num}: {exc}") from exc
    if not records:
        raise ReadError(f"{path.name}: the file is empty")
    headers = [h.strip() for h in records[0]]
    rows = [(number, _row_dict(headers, values)) for number, values in enumerate(records[1:], start=2)]
    detail = f"CSV, {encoding}, delimiter {delimiter!r}"
    return RawTable(path, "csv", headers, [r for r in rows if _has_values(r[1])], detail)


def read_xlsx(path: Path, header_hint: Callable[[list[str]], int] | None = None) -> RawTable:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken zip or sheet
        raise ReadError(f"{path.name}: not a readable Excel workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        records = [list(values) for values in sheet.iter_rows(values_only=True)]
        title = sheet.title
    finally:
        workbook.close()
    header_index = find_header_row(records, header_hint)
    headers = [_cell_text(v) for v in records[header_index]] if records else []
    body = enumerate(records[header_index + 1 :], start=header_index + 2)
    rows = [(number, _row_dict(headers, values)) for number, values in body]
    detail = f"Excel, sheet {title!r}, header on row {header_index + 1}"
    return RawTable(path, "xlsx", headers, [r for r in rows if _has_values(r[1])], detail)


def find_header_row(records: list[list[Any]], header_hint: Callable[[list[str]], int] | None) -> int:
    """The header is the row among the first few that names the most known columns (title rows sit above)."""
    candidates = records[:HEADER_SCAN_ROWS]
    if not candidates:
        return 0
    if header_hint is None:
        return next((i for i, r in enumerate(candidates) if sum(v is not None for v in r) >= 2), 0)
    scores = [header_hint([_cell_text(v) for v in row]) for row in candidates]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return best


def read_json(path: Path) -> RawTable:
    text, _ = decode(path)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ReadError(f"{path.name}: not valid JSON ({exc})") from exc
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReadError(f"{path.name}: expected a JSON array of objects")
    rows = [(number, flatten(item)) for number, item in enumerate(data, start=1)]
    headers = list(dict.fromkeys(key for _, row in rows for key in row))
    return RawTable(path, "json", headers, rows, "JSON array")


def flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted keys, so `location.gps` is a column like any other."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _row_dict(headers: list[str], values: Iterable[Any]) -> dict[str, Any]:
    values = list(values)
    return {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers) if h}


def _has_values(row: dict[str, Any]) -> bool:
    return any(v not in (None, "") and not (isinstance(v, str) and not v.strip()) for v in row.values())
