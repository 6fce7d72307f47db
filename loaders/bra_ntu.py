"""Parse BRÅ's workbook "Kommunala resultat från NTU 2017–2022" into typed values per area and period."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

GEOGRAPHIES_DEFAULT = ("Stadsdelsomr. Södermalm", "Stockholm")

TOC_SHEET = "Innehållsförteckning"
RESPONDENTS_SHEET = "Tabell 1"
# Sheets without a table header; anything else that lacks one is an error, not something to skip.
NON_DATA_SHEETS = frozenset({TOC_SHEET})
TITLE_ROW, UNIT_ROW, HEADER_ROW = 3, 4, 5
LABEL_COL = 2  # column B
FIRST_VALUE_COL = 3  # column C
NOT_AVAILABLE, TOO_FEW, ZERO, ROUNDS_TO_ZERO = "..", "x", ".", "-"
CODES = frozenset({NOT_AVAILABLE, TOO_FEW, ZERO, ROUNDS_TO_ZERO})
# '.' (no observations) and '-' (rounds to zero) are real zeros; '..' and 'x' carry no value.
ZERO_CODES = frozenset({ZERO, ROUNDS_TO_ZERO})

_PERIOD = re.compile(r"\d{4}–\d{4}")
_CI = re.compile(r"Konfidensintervall \(95 %\) (undre|övre) gräns (\d{4}–\d{4})")
_TABLE_CODE = re.compile(r"(?:Tabell )?(\d+\.\d+)")  # Tabell 2.3 says just '2.3' in B5
_SHEET_NAME = re.compile(r"Tabell (\d+\.\d+)")
_ENLIGT_NTU = re.compile(r"enligt NTU\b")
_NTU_LIST = re.compile(r"enligt NTU (\d{4}–\d{4}(?:(?:, | samt )\d{4}–\d{4})*)")
_LIST_SEPARATOR = re.compile(r", | samt ")
Row = tuple[Any, ...]  # one worksheet row as read_only values_only yields it
# Footnote letters glued to the closing full stop: '….a', '….a,b', '….c' (and the stop itself).
_TRAILING_FOOTNOTE = re.compile(r"\.\s*(?:[a-z](?:\s*,\s*[a-z])*)?$")


@dataclass(frozen=True)
class NtuValue:
    sheet: str
    row_number: int
    column: str
    table_code: str
    title: str
    unit: str
    geography: str
    period: str
    survey_years: str
    period_end_year: int
    share: float | None
    code: str | None
    ci_low: float | None
    ci_high: float | None
    n: int | None = None  # respondents in this area and NTU edition, from Tabell 1


class NtuFormatError(ValueError):
    """The workbook does not have the shape this parser knows; names file, sheet, row, column and reason."""

    def __init__(self, path: str, sheet: str, row: int | None, column: int | None, reason: str) -> None:
        self.path, self.sheet, self.row, self.reason = path, sheet, row, reason
        self.column = get_column_letter(column) if column else None
        where = f"sheet {sheet!r}, row {row if row else '?'}, column {self.column or '?'}"
        super().__init__(f"{path}: {where}: {reason}")


@dataclass(frozen=True)
class _Where:
    path: str
    sheet: str

    def error(self, row: int | None, column: int | None, reason: str) -> NtuFormatError:
        return NtuFormatError(self.path, self.sheet, row, column, reason)


@dataclass(frozen=True)
class _Header:
    periods: dict[int, str]  # 1-based column -> period label, in column order
    ci_period: str | None
    ci_low_col: int | None
    ci_high_col: int | None
    last_col: int


def _clean(text: Any) -> str:
    return " ".join(str(text).split()) if text is not None else ""


def _clean_title(text: Any) -> str:
    return _TRAILING_FOOTNOTE.sub("", _clean(text))


def _cell(row: Sequence[Any], col: int) -> Any:
    # read_only rows are ragged: trailing empty cells are simply missing.
    value = row[col - 1] if col <= len(row) else None
    return None if isinstance(value, str) and not value.strip() else value


def _sheet_rows(ws: Any) -> list[Row]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def _row(rows: list[Row], number: int) -> Row:
    return rows[number - 1] if number <= len(rows) else ()


def _header_cells(where: _Where, row: Sequence[Any]) -> dict[int, str]:
    cols = [c for c in range(FIRST_VALUE_COL, len(row) + 1) if _cell(row, c) is not None]
    if not cols:
        raise where.error(HEADER_ROW, FIRST_VALUE_COL, "header row has no period columns")
    cells: dict[int, str] = {}
    for col in range(FIRST_VALUE_COL, cols[-1] + 1):
        if _cell(row, col) is None:
            raise where.error(HEADER_ROW, col, "empty header cell between header cells")
        cells[col] = _clean(_cell(row, col))
    return cells


def _parse_header(where: _Where, row: Sequence[Any]) -> _Header:
    periods: dict[int, str] = {}
    ci: dict[str, tuple[int, str]] = {}
    cells = _header_cells(where, row)
    for col, text in cells.items():
        if _PERIOD.fullmatch(text):
            if text in periods.values():
                raise where.error(HEADER_ROW, col, f"period {text!r} appears twice in the header")
            periods[col] = text
        elif m := _CI.fullmatch(text):
            bound = "low" if m.group(1) == "undre" else "high"
            if bound in ci:
                raise where.error(HEADER_ROW, col, f"second {m.group(1)} confidence bound column")
            ci[bound] = (col, m.group(2))
        else:
            raise where.error(HEADER_ROW, col, f"header cell {text!r} is neither a period nor a CI label")
    return _header_from(where, periods, ci, max(cells))


def _header_from(
    where: _Where, periods: dict[int, str], ci: dict[str, tuple[int, str]], last: int
) -> _Header:
    if not periods:
        raise where.error(HEADER_ROW, FIRST_VALUE_COL, "header row has no period columns")
    if not ci:
        return _Header(periods, None, None, None, last)
    if set(ci) != {"low", "high"} or ci["low"][1] != ci["high"][1]:
        col = next(iter(ci.values()))[0]
        raise where.error(HEADER_ROW, col, "CI needs one lower and one upper bound for the same period")
    (low_col, ci_period), (high_col, _) = ci["low"], ci["high"]
    if ci_period not in periods.values():
        raise where.error(HEADER_ROW, low_col, f"confidence interval period {ci_period} has no value column")
    return _Header(periods, ci_period, low_col, high_col, last)


def _survey_editions(where: _Where, title: str, periods: Sequence[str]) -> list[str]:
    """NTU edition per period: 2.x tables give years of exposure and list the editions separately."""
    enligt = _ENLIGT_NTU.search(title)
    if enligt is None:
        return [f"NTU {p}" for p in periods]
    # The positional mapping is only safe if the title lists the same periods as the header.
    title_periods = _PERIOD.findall(title[: enligt.start()])
    if title_periods and title_periods != list(periods):
        reason = f"title periods {title_periods} differ from header periods {list(periods)}"
        raise where.error(TITLE_ROW, LABEL_COL, reason)
    listed = _NTU_LIST.search(title)
    if listed is None:  # 'enligt NTU.': the periods are themselves the survey editions
        return [f"NTU {p}" for p in periods]
    editions = _LIST_SEPARATOR.split(listed.group(1))
    if len(editions) != len(periods):
        reason = f"title lists {len(editions)} NTU editions for {len(periods)} header periods"
        raise where.error(TITLE_ROW, LABEL_COL, reason)
    return [f"NTU {e}" for e in editions]


def _parse_value(where: _Where, row: int, col: int, value: Any) -> tuple[float | None, str | None]:
    """Percent or code -> (share 0..1, code)."""
    if isinstance(value, str) and value.strip() in CODES:
        code = value.strip()
        return (0.0 if code in ZERO_CODES else None), code
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(row, col, f"value {value!r} is neither a number nor a code {sorted(CODES)}")
    if not 0 <= value <= 100:
        raise where.error(row, col, f"percentage {value!r} outside 0–100")
    return value / 100, None


def _parse_count(where: _Where, row: int, col: int, value: Any) -> int | None:
    if isinstance(value, str) and value.strip() in CODES:
        return 0 if value.strip() in ZERO_CODES else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < 0:
        raise where.error(row, col, f"respondent count {value!r} is not a whole number or code")
    return int(value)


def _data_rows(where: _Where, rows: list[Row], last_col: int) -> list[tuple[int, str, Row]]:
    """(row number, label, row) for the table body; blank rows and the footnotes below it are dropped."""
    body: list[tuple[int, str, Row]] = []
    ended_at: int | None = None
    for number in range(HEADER_ROW + 1, len(rows) + 1):
        row = rows[number - 1]
        filled = [c for c in range(FIRST_VALUE_COL, len(row) + 1) if _cell(row, c) is not None]
        if not filled:
            ended_at = ended_at or number  # footnote text sits in column B with no values
            continue
        if filled[-1] > last_col:
            raise where.error(number, filled[-1], "value in a column the header does not name")
        if ended_at is not None:
            raise where.error(number, filled[0], f"values after the table ended at row {ended_at}")
        label = _clean(_cell(row, LABEL_COL))
        if not label:
            raise where.error(number, LABEL_COL, "row has values but no label in column B")
        body.append((number, label, row))
    return body


def _read_respondents(where: _Where, rows: list[Row]) -> dict[tuple[str, str], int | None]:
    """(area, 'NTU yyyy–yyyy') -> respondents, when Tabell 1 is the respondent count table."""
    if "Antal individer" not in _clean(_cell(_row(rows, TITLE_ROW), LABEL_COL)):
        return {}  # not respondent counts: leave n empty rather than misread it
    header = _parse_header(where, _row(rows, HEADER_ROW))
    counts: dict[tuple[str, str], int | None] = {}
    for number, label, row in _data_rows(where, rows, header.last_col):
        for col, period in header.periods.items():
            value = _cell(row, col)
            if value is not None:
                counts[(label, f"NTU {period}")] = _parse_count(where, number, col, value)
    return counts


def _table_code(where: _Where, rows: list[Row]) -> str:
    b5 = _clean(_cell(_row(rows, HEADER_ROW), LABEL_COL))
    m = _TABLE_CODE.fullmatch(b5)
    if m is None:
        raise where.error(HEADER_ROW, LABEL_COL, f"{b5!r} does not look like a table header")
    sheet_code = _SHEET_NAME.fullmatch(where.sheet)
    if sheet_code is None or sheet_code.group(1) != m.group(1):
        raise where.error(HEADER_ROW, LABEL_COL, f"header {b5!r} does not match the sheet name")
    if not _clean(_cell(_row(rows, TITLE_ROW), LABEL_COL)).startswith(f"Tabell {m.group(1)} "):
        raise where.error(TITLE_ROW, LABEL_COL, f"title does not start with 'Tabell {m.group(1)}'")
    return m.group(1)


def _ci_pair(where: _Where, number: int, row: Row, header: _Header) -> tuple[float | None, float | None]:
    def bound(col: int | None) -> float | None:
        value = _cell(row, col) if col else None
        return None if value is None else _parse_value(where, number, col or 0, value)[0]

    return bound(header.ci_low_col), bound(header.ci_high_col)


def _read_table(
    where: _Where,
    rows: list[Row],
    geographies: frozenset[str],
    respondents: dict[tuple[str, str], int | None],
) -> list[NtuValue]:
    code = _table_code(where, rows)
    title = _clean_title(_cell(_row(rows, TITLE_ROW), LABEL_COL))
    unit = _clean(_cell(_row(rows, UNIT_ROW), LABEL_COL))
    header = _parse_header(where, _row(rows, HEADER_ROW))
    periods = list(header.periods.values())
    editions = dict(zip(periods, _survey_editions(where, title, periods), strict=True))
    values: list[NtuValue] = []
    for number, label, row in _data_rows(where, rows, header.last_col):
        ci = _ci_pair(where, number, row, header)  # parsed for every row so bad cells surface anywhere
        cells = {col: v for col in header.periods if (v := _cell(row, col)) is not None}
        parsed = {col: _parse_value(where, number, col, v) for col, v in cells.items()}
        if label not in geographies:
            continue
        for col, (share, value_code) in parsed.items():
            period = header.periods[col]
            low, high = ci if period == header.ci_period else (None, None)
            values.append(
                NtuValue(
                    sheet=where.sheet,
                    row_number=number,
                    column=get_column_letter(col),
                    table_code=code,
                    title=title,
                    unit=unit,
                    geography=label,
                    period=period,
                    survey_years=editions[period],
                    period_end_year=int(editions[period][-4:]),
                    share=share,
                    code=value_code,
                    ci_low=low,
                    ci_high=high,
                    n=respondents.get((label, editions[period])),
                )
            )
    return values


def _names_toc_sheet(path: str | PathLike[str]) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return f'name="{TOC_SHEET}"' in archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def is_ntu_workbook(path: str | PathLike[str]) -> bool:
    """Cheap sniff: an xlsx with a table of contents and a 'Tabell x.y' sheet headed 'Tabell x.y' in B5."""
    if not _names_toc_sheet(path):
        return False  # decided from the sheet list alone: opening a large workbook costs a full parse
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError):
        return False
    try:
        if TOC_SHEET not in wb.sheetnames:
            return False
        for name in wb.sheetnames:
            if _SHEET_NAME.fullmatch(name):
                b5 = next(wb[name].iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
                if _clean(_cell(b5, LABEL_COL)) == name:
                    return True
        return False
    finally:
        wb.close()


def read_ntu_workbook(
    path: str | PathLike[str], geographies: Iterable[str] = GEOGRAPHIES_DEFAULT
) -> list[NtuValue]:
    """Every non-empty value cell of the wanted areas, in sheet, row and column order."""
    wanted = frozenset(_clean(g) for g in geographies)
    wb = load_workbook(path, read_only=True, data_only=True)  # cached values, not formulas
    try:
        sheets = {name: _sheet_rows(wb[name]) for name in wb.sheetnames if name not in NON_DATA_SHEETS}
    finally:
        wb.close()
    file = str(Path(path))
    respondents: dict[tuple[str, str], int | None] = {}
    if RESPONDENTS_SHEET in sheets:
        respondents = _read_respondents(_Where(file, RESPONDENTS_SHEET), sheets.pop(RESPONDENTS_SHEET))
    values: list[NtuValue] = []
    for name, rows in sheets.items():
        values.extend(_read_table(_Where(file, name), rows, wanted, respondents))
    return values
