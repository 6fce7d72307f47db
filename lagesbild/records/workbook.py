"""The Excel template: one sheet per kind with Swedish headers, a sheet of allowed values, Excel's own validation.

`write_workbook` writes records (or none: the empty template) and `read_workbook` reads a filled one back into
raw cell values per field, with where each came from; checking the values is the importer's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lagesbild.records.config import KnownIds
from lagesbild.records.errors import Problem
from lagesbild.records.kinds import KINDS, FieldSpec, Kind
from lagesbild.records.words import CHOICES, COMMON_FIELD_LABELS

README_SHEET = "Läs mig"
ALLOWED_SHEET = "Tillåtna värden"
LAST_ROW = 2000  # Excel's validation covers the rows up to here
ID_FIELD = FieldSpec("record_id", COMMON_FIELD_LABELS["record_id"], "text", required=True, max_length=64)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
DATE_FORMAT, MONTH_FORMAT = "yyyy-mm-dd", "yyyy-mm"
ID_LISTS = {"indicators": ("Indikator-id", "Indikator"), "places": ("Plats-id", "Plats")}
README = (
    "Projektregister för Lägesbild: beslut och åtgärder, risker och riskuppföljning, ändringsbegäran, budget och "
    "polisens klassning. Ett blad per slag av post; rubrikerna på rad 1 ska stå kvar.",
    "",
    "ID: varje rad har ett eget id (t.ex. B-001, R-002). Behåll id:t: samma id vid nästa import uppdaterar "
    "posten (en ny version, inget skrivs över tyst); ett nytt id skapar en ny post. Riskuppföljningen har inget "
    "id: en rad per risk och månad (Risk-ID + Månad).",
    "Datum skrivs ÅÅÅÅ-MM-DD, månader ÅÅÅÅ-MM. Belopp i kronor. Flera indikatorer, platser eller slag av "
    "ändring skrivs med kommatecken emellan.",
    "Tillåtna värden (status, kategorier, indikator- och plats-id) står på bladet Tillåtna värden.",
    "Delas med partner: Ja eller Nej; tom ruta ger standardvalet (beslut, åtgärder och klassning delas, risker, "
    "ändringsbegäran och budget inte).",
    "",
    "Import: lagesbild records import FIL.xlsx --as ANVÄNDARE. Allt eller inget: en fil med fel avvisas med "
    "blad, rad, kolumn och orsak för varje fel, och inget skrivs. Samma fil två gånger ändrar ingenting.",
)


def sheet_fields(kind: Kind) -> tuple[FieldSpec, ...]:
    """The sheet's columns: the id first (not for kinds keyed by their fields), then the kind's fields."""
    return kind.fields if kind.key_fields else (ID_FIELD, *kind.fields)


# --- writing ------------------------------------------------------------------------------------------------


def write_workbook(records: Mapping[str, Iterable[Mapping[str, Any]]], ids: KnownIds) -> Workbook:
    """The template with `records` ({kind: [values with record_id]}) filled in; {} gives the empty template."""
    workbook = Workbook()
    _write_readme(workbook.active)
    allowed = _write_allowed(workbook.create_sheet(ALLOWED_SHEET), ids)
    for kind in KINDS.values():
        sheet = workbook.create_sheet(kind.label("sv"), index=len(workbook.sheetnames) - 1)
        _write_kind(sheet, kind, records.get(kind.name, ()), allowed)
    return workbook


def _write_readme(sheet: Worksheet) -> None:
    sheet.title = README_SHEET
    sheet.column_dimensions["A"].width = 120
    for row, text in enumerate(README, start=1):
        sheet.cell(row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")


def _write_allowed(sheet: Worksheet, ids: KnownIds) -> dict[str, str]:
    """One column per list of allowed values; returns each list's range for Excel's validation."""
    columns: list[tuple[str, str, list[str]]] = [
        (name, _list_title(name), [entry["sv"] for entry in CHOICES[name].values()]) for name in _choice_lists()]
    for name, (id_title, name_title) in ID_LISTS.items():
        columns.append((name, id_title, list(ids.of(name))))
        columns.append((f"{name}_names", name_title, list(ids.of(name).values())))
    ranges = {}
    for number, (name, title, values) in enumerate(columns, start=1):
        letter = get_column_letter(number)
        _header(sheet.cell(1, number, title))
        sheet.column_dimensions[letter].width = max(14, min(45, max(len(v) for v in [title, *values]) + 2))
        for row, value in enumerate(values, start=2):
            sheet.cell(row, number, value)
        ranges[name] = f"{quote_sheetname(ALLOWED_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    sheet.freeze_panes = "A2"
    return ranges


def _choice_lists() -> list[str]:
    used = [f.choices for kind in KINDS.values() for f in kind.fields if f.choices]
    return list(dict.fromkeys([*used, "yes_no"]))


def _list_title(name: str) -> str:
    owners = [kind for kind in KINDS.values() for f in kind.fields if f.choices == name]
    if not owners:
        return "Ja/Nej"
    spec = next(f for f in owners[0].fields if f.choices == name)
    return spec.label("sv") if spec.name != "status" else f"Status, {owners[0].label('sv').lower()}"


def _write_kind(sheet: Worksheet, kind: Kind, rows: Iterable[Mapping[str, Any]], allowed: dict[str, str]) -> None:
    fields = sheet_fields(kind)
    for number, spec in enumerate(fields, start=1):
        _header(sheet.cell(1, number, spec.label("sv")))
        sheet.column_dimensions[get_column_letter(number)].width = _width(spec)
    for row, values in enumerate(rows, start=2):
        for number, spec in enumerate(fields, start=1):
            cell = sheet.cell(row, number, cell_value(spec, values.get(spec.name)))
            if spec.type in ("date", "month"):
                cell.number_format = DATE_FORMAT if spec.type == "date" else MONTH_FORMAT
    for number, spec in enumerate(fields, start=1):
        validation = _validation(kind, spec, allowed)
        if validation is not None:
            sheet.add_data_validation(validation)
            letter = get_column_letter(number)
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.freeze_panes = "A2"


def _header(cell) -> None:
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _width(spec: FieldSpec) -> int:
    if spec.type in ("date", "month", "integer", "number", "boolean"):
        return max(12, len(spec.label("sv")) + 2)
    return 40 if spec.max_length is None and not spec.choices and not spec.ids else 22


def cell_value(spec: FieldSpec, value: Any) -> Any:
    """A stored value as the template shows it: labels for codes, Ja/Nej, ids joined by commas."""
    if value is None:
        return None
    if spec.type == "boolean":
        return CHOICES["yes_no"]["yes" if value else "no"]["sv"]
    if spec.is_list:
        return ", ".join(CHOICES[spec.choices][v]["sv"] if spec.choices else v for v in value) or None
    if spec.choices:
        return CHOICES[spec.choices][value]["sv"]
    return value


def _validation(kind: Kind, spec: FieldSpec, allowed: dict[str, str]) -> DataValidation | None:
    """Excel's own check on a column: a drop-down of the allowed values, whole numbers 1–5, dates."""
    name = spec.label("sv")
    if spec.choices or spec.ids or spec.type == "boolean":
        source = allowed[spec.choices or spec.ids or "yes_no"]
        if spec.is_list:  # several values with commas: the list offers one, Excel only informs
            return _dv("list", name, "Välj ett värde, eller skriv flera med kommatecken emellan.", source,
                       style="information")
        return _dv("list", name, "Välj ett av de tillåtna värdena.", source)
    if spec.refers:
        letter = get_column_letter(1)
        source = f"{quote_sheetname(KINDS[spec.refers].label('sv'))}!${letter}$2:${letter}${LAST_ROW}"
        return _dv("list", name, "Id:t för en risk på bladet Risker (eller en som redan finns).", source,
                   style="warning")
    if spec.range:
        return _dv("whole", name, f"Ett heltal {spec.range[0]}–{spec.range[1]}.", str(spec.range[0]),
                   str(spec.range[1]))
    if spec.type in ("date", "month"):
        hint = "Ett datum, ÅÅÅÅ-MM-DD." if spec.type == "date" else "En månad, ÅÅÅÅ-MM."
        return _dv("date", name, hint, "DATE(2000,1,1)", "DATE(2099,12,31)")
    if spec.type == "number":
        return _dv("decimal", name, "Ett belopp i kronor.", "-100000000", "100000000")
    return None


def _dv(kind: str, title: str, prompt: str, formula1: str, formula2: str | None = None,
        style: str = "stop") -> DataValidation:
    validation = DataValidation(type=kind, formula1=formula1, formula2=formula2,
                                operator="between" if formula2 else None, allow_blank=True,
                                showErrorMessage=True, showInputMessage=True, errorStyle=style)
    validation.promptTitle, validation.prompt = title[:32], prompt
    validation.errorTitle, validation.error = title[:32], f"Ogiltigt värde. {prompt}"
    return validation


# --- reading ------------------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One filled row of a kind's sheet: raw values per field, and where each came from."""

    kind: str
    sheet: str
    row: int
    values: dict[str, Any]
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (letter, header)


@dataclass
class WorkbookRows:
    rows: list[SheetRow]
    problems: list[Problem]


def read_workbook(path: Path) -> WorkbookRows:
    """Every filled row of every kind's sheet, in the kinds' order; problems with sheets and headers."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        return WorkbookRows([], [Problem(None, "unreadable", f"{type(exc).__name__}: {exc}")])
    try:
        sheets = _kind_sheets(workbook.sheetnames)
        rows, problems = [], list(sheets.pop(None, []))
        for kind in KINDS.values():
            if kind.name in sheets:
                found, trouble = _read_sheet(workbook[sheets[kind.name]], kind)
                rows += found
                problems += trouble
        return WorkbookRows(rows, problems)
    finally:
        workbook.close()


def _kind_sheets(names: list[str]) -> dict:
    by_word = {_fold(word): kind.name for kind in KINDS.values() for word in (kind.name, kind.label("sv"),
                                                                               kind.label("en"))}
    found: dict = {}
    for name in names:
        if _fold(name) in {_fold(README_SHEET), _fold(ALLOWED_SHEET)}:
            continue
        if _fold(name) in by_word:
            found[by_word[_fold(name)]] = name
        else:
            expected = ", ".join(kind.label("sv") for kind in KINDS.values())
            found.setdefault(None, []).append(Problem(None, "unknown_sheet", name, {"allowed": expected}, sheet=name))
    return found


def _read_sheet(sheet: Worksheet, kind: Kind) -> tuple[list[SheetRow], list[Problem]]:
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, ())
    columns, problems = _match_headers(sheet.title, kind, header)
    if problems:
        return [], problems
    rows = []
    for number, line in enumerate(lines, start=2):
        values = {name: line[index] if index < len(line) else None for name, (index, _) in columns.items()}
        if any(_filled(v) for v in values.values()):
            where = {name: (get_column_letter(index + 1), title) for name, (index, title) in columns.items()}
            rows.append(SheetRow(kind.name, sheet.title, number, values, where))
    return rows, []


def _match_headers(sheet: str, kind: Kind, header: tuple) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
    fields = sheet_fields(kind)
    by_word = {_fold(word): spec.name for spec in fields for word in (spec.name, *spec.labels.values())}
    columns, problems = {}, []
    for index, title in enumerate(header):
        if not _filled(title):
            continue
        name = by_word.get(_fold(title))
        if name is None or name in columns:
            expected = ", ".join(spec.label("sv") for spec in fields)
            problems.append(Problem(None, "unknown_column", str(title), {"allowed": expected}, column=str(title),
                                    sheet=sheet, row=1, column_letter=get_column_letter(index + 1)))
            continue
        columns[name] = (index, str(title))
    for spec in fields:
        if spec.required and spec.name not in columns:
            problems.append(Problem(spec.name, "missing_column", column=spec.label("sv"), sheet=sheet, row=1))
    return columns, problems


def _fold(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
