"""Tests for loaders.bra_ntu against BRÅ's real NTU workbook and small hand-built workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from loaders.bra_ntu import (
    GEOGRAPHIES_DEFAULT,
    NtuFormatError,
    NtuValue,
    is_ntu_workbook,
    read_ntu_workbook,
)

WORKBOOK = Path(__file__).resolve().parents[1] / "data" / "bra_ntu_kommunala_resultat_2017-2022.xlsx"
SODERMALM = "Stadsdelsomr. Södermalm"
CI_LOW_2022 = "Konfidensintervall (95 %) undre gräns 2021–2022"
CI_HIGH_2022 = "Konfidensintervall (95 %) övre gräns 2021–2022"


@pytest.fixture(scope="module")
def default_values() -> list[NtuValue]:
    return read_ntu_workbook(WORKBOOK)


def pick(values: list[NtuValue], table: str, geography: str, period: str) -> NtuValue:
    [value] = [v for v in values if v.table_code == table and v.geography == geography and v.period == period]
    return value


def periods_of(values: list[NtuValue], table: str, geography: str = SODERMALM) -> list[tuple[str, str]]:
    return [(v.period, v.column) for v in values if v.table_code == table and v.geography == geography]


# --- the real workbook -------------------------------------------------------------------------------


def test_real_workbook_is_recognised() -> None:
    assert is_ntu_workbook(WORKBOOK)


@pytest.mark.parametrize(
    ("table", "percent", "words"),
    [
        ("3.1", 20.6, "Otrygghet vid utevistelse sen kväll"),
        ("3.20", 19.8, "personer påverkade av alkohol eller droger utomhus"),
        ("3.23", 8.7, "öppen narkotikahandel"),
    ],
)
def test_sodermalm_2021_2022_values_quoted_in_readme(
    default_values: list[NtuValue], table: str, percent: float, words: str
) -> None:
    value = pick(default_values, table, SODERMALM, "2021–2022")
    assert round(value.share * 100, 1) == percent
    assert words in value.title
    assert value.code is None
    assert value.survey_years == "NTU 2021–2022"
    assert value.period_end_year == 2022
    assert value.ci_low < value.share < value.ci_high
    assert value.n == 1521  # Tabell 1, Södermalm, NTU 2021–2022
    assert value.sheet == f"Tabell {table}" and value.row_number == 36


def test_title_and_unit_are_cleaned(default_values: list[NtuValue]) -> None:
    value = pick(default_values, "3.1", SODERMALM, "2021–2022")
    assert value.title == (
        "Tabell 3.1 Otrygghet vid utevistelse sen kväll i det egna bostadsområde "
        "2017–2018, 2019–2020 samt 2021–2022, enligt NTU"
    )
    assert value.unit.startswith("Andel (%) av befolkningen (16–84 år) som oroar sig mycket/ganska ofta")
    assert "  " not in value.unit
    # '…2021–2022.c' loses its footnote letter
    assert pick(default_values, "2.11", SODERMALM, "2020–2021").title.endswith("2019–2020 samt 2021–2022")


def test_coded_cell_not_available(default_values: list[NtuValue]) -> None:
    value = pick(default_values, "2.2", SODERMALM, "2016–2017")
    assert (value.share, value.code) == (None, "..")
    assert (value.sheet, value.row_number, value.column) == ("Tabell 2.2", 36, "C")
    assert value.survey_years == "NTU 2017–2018" and value.period_end_year == 2018
    assert value.ci_low is None and value.ci_high is None
    assert value.n is None  # Tabell 1 has '..' for city districts before NTU 2021–2022


def test_exposure_years_map_to_survey_editions(default_values: list[NtuValue]) -> None:
    stockholm = [v for v in default_values if v.table_code == "2.2" and v.geography == "Stockholm"]
    assert [(v.period, v.survey_years) for v in stockholm] == [
        ("2016–2017", "NTU 2017–2018"),
        ("2018–2019", "NTU 2019–2020"),
        ("2020–2021", "NTU 2021–2022"),
    ]
    assert [v.n for v in stockholm] == [11543, 10496, 10105]


def test_sheets_with_fewer_periods_shift_left(default_values: list[NtuValue]) -> None:
    assert periods_of(default_values, "3.1") == [("2017–2018", "C"), ("2019–2020", "D"), ("2021–2022", "E")]
    assert periods_of(default_values, "3.20") == [("2019–2020", "C"), ("2021–2022", "D")]
    assert periods_of(default_values, "3.8") == [("2021–2022", "C")]
    [harassment] = [v for v in default_values if v.table_code == "2.10" and v.geography == SODERMALM]
    assert (harassment.period, harassment.column) == ("2020–2021", "C")
    assert harassment.survey_years == "NTU 2021–2022"
    assert round(pick(default_values, "3.8", SODERMALM, "2021–2022").share * 100, 1) == 25.2


def test_ci_only_on_the_period_the_header_names(default_values: list[NtuValue]) -> None:
    last_period = {"2": "2020–2021", "3": "2021–2022", "4": "2021–2022"}
    for value in default_values:
        has_ci = value.ci_low is not None or value.ci_high is not None
        assert has_ci == (value.period == last_period[value.table_code[0]] and value.share is not None), value
    early = pick(default_values, "3.20", "Stockholm", "2019–2020")
    assert early.share is not None and early.ci_low is None and early.ci_high is None


def test_default_covers_every_table_for_both_geographies(default_values: list[NtuValue]) -> None:
    assert GEOGRAPHIES_DEFAULT == (SODERMALM, "Stockholm")
    tables = {v.table_code for v in default_values}
    assert len(tables) == 53 and "1" not in tables
    assert {v.geography for v in default_values} == set(GEOGRAPHIES_DEFAULT)
    assert all(v.share is None or 0 <= v.share <= 1 for v in default_values)


def test_zero_codes_and_labels_with_trailing_spaces() -> None:
    values = read_ntu_workbook(WORKBOOK, geographies=["Lidingö", "Gnesta", "Hjo", "Stadsdelsomr. Bromma"])
    lidingo = [
        (v.period, v.share, v.code) for v in values if v.table_code == "3.23" and v.geography == "Lidingö"
    ]
    assert lidingo[0] == ("2017–2018", 0.0, "-")
    assert lidingo[2] == ("2021–2022", 0.0, "-")
    gnesta = pick(values, "3.23", "Gnesta", "2017–2018")
    assert (gnesta.share, gnesta.code) == (0.0, ".")
    hjo = pick(values, "2.9", "Hjo", "2020–2021")  # '.' with empty CI cells
    assert (hjo.share, hjo.code, hjo.ci_low, hjo.ci_high) == (0.0, ".", None, None)
    # the sheet's label is 'Stadsdelsomr. Bromma ' (trailing space)
    assert pick(values, "3.1", "Stadsdelsomr. Bromma", "2021–2022").n == 716


# --- hand-built workbooks ----------------------------------------------------------------------------


def table_rows(
    header: list[Any] | None = None,
    data: list[list[Any]] | None = None,
    title: str = "Tabell 9.1 Testfråga 2019–2020 samt 2021–2022, enligt NTU.a",
) -> list[list[Any]]:
    if header is None:
        header = ["Tabell 9.1", "2019–2020", "2021–2022", CI_LOW_2022, CI_HIGH_2022]
    data = data if data is not None else [["Stockholm", 30, 29.5, 28, 31]]
    return [
        ["Tillbaka till innehållsförteckning"],
        [None],
        [None, title],
        [None, "Andel (%)  av befolkningen."],
        [None, *header],
        *[[None, *row] for row in data],
        [None, "a En fotnot."],
        [None, "Med (..) menas att uppgift ej finns tillgänglig/ej redovisas."],
        [None],
        [None],
    ]


def build(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str = "ntu.xlsx") -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    toc = [[None], [None], [None, "Innehållsförteckning"]]
    for sheet, rows in {"Innehållsförteckning": toc, **sheets}.items():
        ws = wb.create_sheet(sheet)
        for row in rows:
            ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_small_workbook_parses(tmp_path: Path) -> None:
    data = [
        ["Stockholms län", 31, 30, 29, 32],
        ["Stockholm", 30, 29.5, 28, 31],
        ["Stadsdelsomr. Södermalm ", "..", "-", "..", ".."],
        ["Nordmaling", "x", "x", "..", ".."],
    ]
    path = build(tmp_path, {"Tabell 9.1": table_rows(data=data)})
    assert is_ntu_workbook(path)
    values = read_ntu_workbook(path)
    assert [(v.geography, v.period, v.column, v.share, v.code) for v in values] == [
        ("Stockholm", "2019–2020", "C", 0.30, None),
        ("Stockholm", "2021–2022", "D", 0.295, None),
        (SODERMALM, "2019–2020", "C", None, ".."),
        (SODERMALM, "2021–2022", "D", 0.0, "-"),
    ]
    assert values[1].ci_low == 0.28 and values[1].ci_high == 0.31 and values[0].ci_low is None
    assert values[0].title == "Tabell 9.1 Testfråga 2019–2020 samt 2021–2022, enligt NTU"
    assert values[0].unit == "Andel (%) av befolkningen."
    assert values[0].n is None  # no Tabell 1


def test_bad_value_names_sheet_row_and_column(tmp_path: Path) -> None:
    data = [["Stockholm", 30, 29.5, 28, 31], ["Nacka", 12, "abc", 10, 14]]
    path = build(tmp_path, {"Tabell 9.1": table_rows(data=data)})
    with pytest.raises(NtuFormatError) as caught:
        read_ntu_workbook(path)
    err = caught.value
    assert (err.sheet, err.row, err.column) == ("Tabell 9.1", 7, "D")
    for part in ("ntu.xlsx", "'Tabell 9.1'", "row 7", "column D", "'abc'"):
        assert part in str(err)


@pytest.mark.parametrize(
    ("header", "column", "reason"),
    [
        (["Tabell 9.1", "2019–2020", "Medelvärde", CI_LOW_2022, CI_HIGH_2022], "D", "neither a period"),
        (
            [
                "Tabell 9.1",
                "2019–2020",
                "2021–2022",
                "Konfidensintervall (95 %) undre gräns 2017–2018",
                "Konfidensintervall (95 %) övre gräns 2017–2018",
            ],
            "E",
            "has no value column",
        ),
        (["Tabell 9.1", "2019–2020", "2021–2022", CI_LOW_2022], "E", "lower and one upper"),
        (["Tabell 9.1", "2019–2020", None, "2021–2022"], "D", "empty header cell"),
        (["Tabell 9.1", "2019–2020", "2019–2020"], "D", "twice"),
    ],
)
def test_header_not_understood(tmp_path: Path, header: list[Any], column: str, reason: str) -> None:
    data = [["Stockholm", 30, 29.5, 28, 31][: len(header)]]
    path = build(tmp_path, {"Tabell 9.1": table_rows(header=header, data=data)})
    with pytest.raises(NtuFormatError, match=reason) as caught:
        read_ntu_workbook(path)
    assert (caught.value.row, caught.value.column) == (5, column)


def test_unknown_sheet_without_header_raises(tmp_path: Path) -> None:
    path = build(tmp_path, {"Tabell 9.1": table_rows(), "Diagram": [[None], [None, "Något annat"]]})
    with pytest.raises(NtuFormatError, match="Diagram.*does not look like a table header"):
        read_ntu_workbook(path)


def test_values_after_footnotes_raise(tmp_path: Path) -> None:
    rows = [*table_rows(), [None, "Stockholm", 1, 2, 3, 4]]
    path = build(tmp_path, {"Tabell 9.1": rows})
    with pytest.raises(NtuFormatError, match="after the table ended") as caught:
        read_ntu_workbook(path)
    assert caught.value.row == len(rows)


def test_value_outside_header_columns_raises(tmp_path: Path) -> None:
    path = build(tmp_path, {"Tabell 9.1": table_rows(data=[["Stockholm", 30, 29.5, 28, 31, 99]])})
    with pytest.raises(NtuFormatError, match="header does not name") as caught:
        read_ntu_workbook(path)
    assert caught.value.column == "G"


def test_ntu_edition_list_must_match_periods(tmp_path: Path) -> None:
    title = "Tabell 9.1 Utsatthet 2018–2019 samt 2020–2021, enligt NTU 2017–2018, 2019–2020 samt 2021–2022.a"
    header = ["Tabell 9.1", "2018–2019", "2020–2021"]
    path = build(tmp_path, {"Tabell 9.1": table_rows(header=header, data=[["Stockholm", 3, 4]], title=title)})
    with pytest.raises(NtuFormatError, match="3 NTU editions for 2 header periods"):
        read_ntu_workbook(path)


def test_exposure_title_maps_editions_and_respondents(tmp_path: Path) -> None:
    title = "Tabell 9.1 Utsatthet 2018–2019 samt 2020–2021, enligt NTU 2019–2020 samt 2021–2022.a,b"
    header = ["Tabell 9.1", "2018–2019", "2020–2021"]
    respondents = [
        [None],
        [None],
        [None, "Tabell 1. Antal individer som medverkat i NTU 2019–2020 samt NTU 2021–2022."],
        [None, "Län med tillhörande kommuner."],
        [None, "Tabell 1", "2019–2020", "2021–2022"],
        [None, "Stockholm", 10496, 10105],
    ]
    sheets = {"Tabell 1": respondents, "Tabell 9.1": table_rows(header, [["Stockholm", 3, 4]], title)}
    values = read_ntu_workbook(build(tmp_path, sheets))
    assert [(v.period, v.survey_years, v.period_end_year, v.n) for v in values] == [
        ("2018–2019", "NTU 2019–2020", 2020, 10496),
        ("2020–2021", "NTU 2021–2022", 2022, 10105),
    ]
    assert values[0].title.endswith("enligt NTU 2019–2020 samt 2021–2022")


def test_is_ntu_workbook_rejects_other_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    assert not is_ntu_workbook(text)
    assert not is_ntu_workbook(tmp_path / "missing.xlsx")
    wb = Workbook()
    wb.active.title = "Tabell 2.1"
    wb.save(tmp_path / "no_toc.xlsx")
    assert not is_ntu_workbook(tmp_path / "no_toc.xlsx")
