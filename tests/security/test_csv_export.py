"""CSV downloads: Swedish Excel opens them as they are, and no cell can run as a formula there."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from lagesbild.render.csv_table import cell, neutralise, to_csv_bytes
from tests.security.hostile_corpus import FORMULA_CELLS


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark missing: Excel would guess the encoding"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("case", FORMULA_CELLS, ids=[c.name for c in FORMULA_CELLS])
def test_formula_cells_are_neutralised(case):
    rows = read_back(to_csv_bytes(pd.DataFrame({"Sammanfattning": [case.content]})))
    assert rows[1] == [case.expected]
    if case.expected != case.content:  # a formula: Excel shows the text, runs nothing
        assert rows[1][0].startswith("'")


def test_numbers_stay_numbers_with_the_decimal_comma():
    frame = pd.DataFrame({"Antal": [-12, 3], "Kostnad (kr)": [-1.5, 2500.25], "Text": ["-7", "-1,5"]})
    assert read_back(to_csv_bytes(frame)) == [["Antal", "Kostnad (kr)", "Text"], ["-12", "-1,5", "-7"],
                                              ["3", "2500,25", "-1,5"]]
    assert read_back(to_csv_bytes(frame, "en"))[1] == ["-12", "-1.5", "-7"]


def test_missing_dates_and_swedish_text():
    frame = pd.DataFrame({"Datum": [date(2024, 5, 1), None], "Plats": ["Högalidsparken", None],
                          "Antal": [1.0, float("nan")]})
    data = to_csv_bytes(frame)
    assert read_back(data) == [["Datum", "Plats", "Antal"], ["2024-05-01", "Högalidsparken", "1"], ["", "", ""]]
    assert "Högalidsparken".encode() in data


def test_headers_and_quotes_are_neutralised_and_quoted():
    data = to_csv_bytes(pd.DataFrame({"=cmd": ['a;"b"\nc']}))
    assert read_back(data) == [["'=cmd"], ['a;"b"\nc']]


def test_helpers():
    assert neutralise("@SUM(A1)") == "'@SUM(A1)" and neutralise("Text") == "Text" and neutralise("") == ""
    assert cell(-3) == "-3" and cell(None) == "" and cell(True) == "True"
