"""Excel is read by calamine when the sheet fits in memory and by openpyxl, row by row, when not: the same cells."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from loaders import read
from loaders.read import read_xlsx

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = sorted((ROOT / "sample_data").glob("*.xlsx")) + sorted((ROOT / "tests" / "data").glob("*.xlsx"))


def cells(path: Path, monkeypatch, streamed: bool) -> tuple[list[str], str, list[pd.DataFrame]]:
    with monkeypatch.context() as patch:
        if streamed:
            patch.setattr(read, "CALAMINE_MAX_SHEET_BYTES", -1)
        table = read_xlsx(path)
        return table.headers, table.detail, list(table.chunks(500))


def same_frames(a: list[pd.DataFrame], b: list[pd.DataFrame]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert list(x.index) == list(y.index) and list(x.columns) == list(y.columns)
        left, right = x.to_numpy(dtype=object).tolist(), y.to_numpy(dtype=object).tolist()
        assert [[(type(v), v) for v in row] for row in left] == [[(type(v), v) for v in row] for row in right]


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_both_readers_give_the_same_cells(path, monkeypatch):
    whole, streamed = cells(path, monkeypatch, False), cells(path, monkeypatch, True)
    assert whole[:2] == streamed[:2]
    same_frames(whole[2], streamed[2])


def test_cell_types_and_row_numbers_under_title_rows_and_an_empty_first_column(tmp_path, monkeypatch):
    workbook = Workbook()
    sheet = workbook.active
    sheet["C1"] = "Utdrag"
    sheet["B4"], sheet["C4"], sheet["D4"], sheet["E4"], sheet["F4"] = "Datum", "Antal", "Tid", "Timmar", "Not"
    sheet.append([None, datetime(2023, 5, 1), 4, time(21, 14), timedelta(hours=3), True])
    sheet.append([None, datetime(2023, 5, 1, 10, 30), 4.5, "9:05", 2.25, ""])
    sheet.append([None, 45000, 4.0, None, None, "text"])
    path = tmp_path / "types.xlsx"
    workbook.save(path)
    for streamed in (False, True):
        headers, _, (frame,) = cells(path, monkeypatch, streamed)
        assert headers == ["", "Datum", "Antal", "Tid", "Timmar", "Not"]
        assert list(frame.index) == [5, 6, 7]  # the sheet's own row numbers
        rows = frame.to_numpy(dtype=object).tolist()
        assert rows[0] == [datetime(2023, 5, 1), 4, time(21, 14), timedelta(hours=3), True]
        assert type(rows[0][1]) is int and type(rows[2][1]) is int and rows[2][0] == 45000
        assert rows[1] == [datetime(2023, 5, 1, 10, 30), 4.5, "9:05", 2.25, None]
        assert isinstance(rows[0][0], datetime) and date(2023, 5, 1) == rows[0][0].date()
