"""Read CSV, Excel and JSON files into raw rows, with one explicit strategy per format, streamed in chunks."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, SheetTypeEnum

CSV_DELIMITERS = ";,\t"
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
HEADER_SCAN_ROWS = 30
HEAD_BYTES = 256 * 1024  # enough of a CSV to sniff its delimiter and find its header under title rows
CHUNK_ROWS = 50_000
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100  # a real sheet compresses about 10:1; a zip bomb thousands to one
ZIP_RATIO_FROM_BYTES = 10 * 1024 * 1024  # small entries may compress well without harm
CALAMINE_MAX_SHEET_BYTES = 256 * 1024 * 1024  # unpacked sheet XML read whole (about as much memory); larger: streamed

HeaderHint = Callable[[list[str]], int]


class ReadError(ValueError):
    """A file that cannot be read at all; the message names the file and what to do."""


@dataclass
class RawTable:
    """A file's header names and its rows, read as chunks of at most `chunk_rows` rows when asked.

    Each chunk is a DataFrame with one column per named header (a later column of the same name wins) and the
    row's number in the file as index; rows with no value at all are left out, their numbers kept. CSV cells
    are text (`texts_only`); Excel and JSON cells are what the file holds (numbers, dates, text, None).
    """

    path: Path
    format: str
    headers: list[str]
    detail: str = ""
    texts_only: bool = False
    _chunks: Callable[[int], Iterator[pd.DataFrame]] | None = None

    @classmethod
    def from_rows(cls, path: Path, format: str, headers: list[str], rows: list[tuple[int, dict[str, Any]]],
                  detail: str = "") -> RawTable:
        """A table read whole (the police feed, BRÅ's workbook): `rows` as (row number, {header: value})."""

        def chunks(size: int) -> Iterator[pd.DataFrame]:
            for start in range(0, max(len(rows), 1), size):
                part = rows[start : start + size]
                frame = pd.DataFrame([r for _, r in part], columns=named(headers), dtype=object)
                frame.index = pd.Index([n for n, _ in part], dtype="int64")
                yield without_blank_rows(frame)

        return cls(path, format, headers, detail, False, chunks)

    def chunks(self, size: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
        return self._chunks(size) if self._chunks else iter(())


def named(headers: list[str]) -> list[str]:
    """The header names that name a column, each once."""
    return list(dict.fromkeys(h for h in headers if h))


def frame_of(headers: list[str], values: pd.DataFrame | list[list[Any]], first_number: int) -> pd.DataFrame:
    """Positional cells under `headers` -> one column per named header (a later column of a name wins)."""
    frame = values if isinstance(values, pd.DataFrame) else pd.DataFrame(values, dtype=object)
    frame = frame.reindex(columns=range(len(headers)))
    keep = {h: i for i, h in enumerate(headers) if h}
    frame = frame[list(keep.values())]
    frame.columns = list(keep)
    frame.index = pd.RangeIndex(first_number, first_number + len(frame))
    return without_blank_rows(frame)


def without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with no value in any named column are not rows; column by column, only the rows still in doubt."""
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        if not blank.any():
            break
        doubtful = frame[column].to_numpy()[blank]
        blank[blank] = [_blank_cell(v) for v in doubtful]
    return frame[~blank] if blank.any() else frame


def _blank_cell(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value  # NaN


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


def read_file(path: Path, header_hint: HeaderHint | None = None) -> RawTable:
    """Read by content, not by extension alone; `header_hint` scores a candidate header row."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        return read_xlsx(path, header_hint)
    text_start = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text_start[:1] in (b"[", b"{"):
        return read_json(path)
    return read_csv(path, header_hint)


def text_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or cp1252, checked over the whole file without holding it."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    if b"\x00" in block:
                        raise ReadError(f"{path.name}: the file holds NUL bytes; it is not a text (CSV) file")
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ReadError(f"{path.name}: not UTF-8 or cp1252 text")  # cp1252 rarely fails, but it can


def decode(path: Path) -> tuple[str, str]:
    encoding = text_encoding(path)
    return path.read_bytes().decode(encoding), encoding


def sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:HEADER_SCAN_ROWS] if line.strip(CSV_DELIMITERS + " ")]
    sample = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        first = max(lines, key=len) if lines else ""
        return max(CSV_DELIMITERS, key=first.count)


def _head_text(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        raw = handle.read(HEAD_BYTES)
    if len(raw) == HEAD_BYTES:  # cut at the last line end, so no half line (or half character) is scanned
        raw = raw[: raw.rfind(b"\n") + 1] or raw
    return raw.decode(encoding, errors="replace")


def _head_records(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The first records and, for each, how many lines of the file it ends on (a quoted cell may hold newlines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, ends = [], []
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
            if len(records) >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass  # the head may end inside a quoted cell; the records before it are enough
    return records, ends


def read_csv(path: Path, header_hint: HeaderHint | None = None) -> RawTable:
    encoding = text_encoding(path)
    head = _head_text(path, encoding)
    delimiter = sniff_delimiter(head)
    records, ends = _head_records(head, delimiter)
    if not records:
        raise ReadError(f"{path.name}: the file is empty")
    index = find_header_row([[v if v.strip() else None for v in r] for r in records], header_hint)
    headers = [h.strip() for h in records[index]]
    skip = ends[index]

    def chunks(size: int) -> Iterator[pd.DataFrame]:
        if not any(headers):
            return
        reader = pd.read_csv(
            path, sep=delimiter, encoding=encoding, header=None, names=range(len(headers)),
            usecols=range(len(headers)), skiprows=skip, dtype=object, keep_default_na=False, na_filter=False,
            skip_blank_lines=False, chunksize=size, engine="c", index_col=False,
        )
        number = index + 2
        try:
            for values in reader:
                yield frame_of(headers, values, number)
                number += len(values)
        except (pd.errors.ParserError, ValueError) as exc:
            raise ReadError(f"{path.name}: broken CSV after row {number}: {exc}") from exc

    title = f", header on row {index + 1}" if index else ""
    detail = f"CSV, {encoding}, delimiter {delimiter!r}{title}"
    return RawTable(path, "csv", headers, detail, True, chunks)


def _open_workbook(path: Path):
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken zip or sheet
        raise ReadError(f"{path.name}: not a readable Excel workbook ({exc})") from exc


def read_xlsx(path: Path, header_hint: HeaderHint | None = None) -> RawTable:
    """The first worksheet, read once, its rows streamed from where the header scan stopped.

    A sheet that fits in memory is read by calamine (Rust, about 15 times openpyxl's speed, the whole sheet at
    once); a larger one by openpyxl, row by row. Both give the same cells (`excel_cell`): numbers that are whole
    as int, dates as datetime, empty cells as None.
    """
    title, rows, close = _sheet_rows(path)
    try:
        head = [list(values) for values in islice(rows, HEADER_SCAN_ROWS)]
    except Exception as exc:
        close()
        raise ReadError(f"{path.name}: not a readable Excel workbook ({exc})") from exc
    index = find_header_row(head, header_hint)
    headers = [_cell_text(v) for v in head[index]] if head else []

    def chunks(size: int) -> Iterator[pd.DataFrame]:
        try:
            rest = chain((tuple(r) for r in head[index + 1 :]), rows)
            number = index + 2
            width = len(headers)
            while batch := [_width(values, width) for values in islice(rest, size)]:
                yield frame_of(headers, batch, number)
                number += len(batch)
        finally:
            close()

    detail = f"Excel, sheet {title!r}, header on row {index + 1}"
    return RawTable(path, "xlsx", headers, detail, False, chunks)


def _sheet_rows(path: Path) -> tuple[str, Iterator[list[Any]], Callable[[], None]]:
    """The first worksheet's title, its rows as lists of `excel_cell` values from row 1, and how to close it."""
    if _first_sheet_bytes(path) <= CALAMINE_MAX_SHEET_BYTES:
        try:
            return _calamine_rows(path)
        except ReadError:
            raise
        except Exception as exc:  # calamine's errors, and what a broken part of the zip raises
            raise ReadError(f"{path.name}: not a readable Excel workbook ({exc})") from exc
    workbook = _open_workbook(path)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # openpyxl would parse a whole sheet to learn a size the file does not give
        rows = (_trimmed([excel_cell(v) for v in values]) for values in sheet.iter_rows(values_only=True))
        return sheet.title, rows, workbook.close
    except Exception as exc:
        workbook.close()
        raise ReadError(f"{path.name}: not a readable Excel workbook ({exc})") from exc


def _first_sheet_bytes(path: Path) -> int:
    """The unpacked size of the workbook's largest worksheet part: about what calamine holds of it in memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            sizes = [e.file_size for e in archive.infolist() if e.filename.startswith("xl/worksheets/")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{path.name}: a broken or truncated Excel file ({exc})") from exc
    return max(sizes, default=0)


def _calamine_rows(path: Path) -> tuple[str, Iterator[list[Any]], Callable[[], None]]:
    workbook = CalamineWorkbook.from_path(str(path))
    names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    if not names:
        workbook.close()
        raise ReadError(f"{path.name}: the workbook has no worksheet")
    sheet = workbook.get_sheet_by_name(names[0])
    left = [None] * sheet.start[1] if sheet.start else []  # calamine's rows begin at the first used column

    def rows() -> Iterator[list[Any]]:
        for values in sheet.iter_rows():
            yield _trimmed([*left, *(excel_cell(v) for v in values)])

    return names[0], rows(), workbook.close


def _trimmed(values: list[Any]) -> list[Any]:
    """A row without its empty cells at the end: one reader gives a sheet's full width, the other what is stored."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]


def excel_cell(value: Any) -> Any:
    """One Excel cell as the loaders take it, whichever reader read it: a whole number as int (Excel stores every
    number as a float; `4` and `4.0` are one value), a date as a datetime at midnight, an empty cell as None."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is str:
        return value if value else None
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value


def _width(values: tuple, width: int) -> list[Any]:
    """A row of a sheet whose size is not known has as many cells as it has, not as the header."""
    return [*values[:width], *[None] * (width - len(values))]


def find_header_row(records: list[list[Any]], header_hint: HeaderHint | None) -> int:
    """The header is the row among the first few that names the most known columns (title rows sit above);
    when none names a known column, the first row with two values or more."""
    candidates = records[:HEADER_SCAN_ROWS]
    if not candidates:
        return 0
    if header_hint is not None:
        scores = [header_hint([_cell_text(v) for v in row]) for row in candidates]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        if scores[best] > 0:
            return best
    return next((i for i, r in enumerate(candidates) if sum(v is not None for v in r) >= 2), 0)


def read_json(path: Path) -> RawTable:
    text, _ = decode(path)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ReadError(f"{path.name}: not valid JSON ({exc})") from exc
    del text
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReadError(f"{path.name}: expected a JSON array of objects")
    rows = [(number, flatten(item)) for number, item in enumerate(data, start=1)]
    headers = list(dict.fromkeys(key for _, row in rows for key in row))
    return RawTable.from_rows(path, "json", headers, rows, "JSON array")


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
