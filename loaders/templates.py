"""Excel templates a partner fills in: per kind, the loader's own Swedish headers, a second sheet with the allowed
categories and places, and Excel's data validation on those columns, so the file loads the first time."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from loaders.base import Context, Source
from loaders.events import EventLog
from loaders.incidents import IncidentLog
from loaders.outreach import OutreachShifts
from loaders.surveys import SurveyResults

TEMPLATE_SOURCES: dict[str, Source] = {
    "incidents": IncidentLog(), "outreach": OutreachShifts(), "events": EventLog(), "surveys": SurveyResults(),
}
# The field of each source whose values the vocabulary knows (its category), and the one that names a place.
CATEGORY_FIELDS = {"incidents": "category", "outreach": "type", "events": "category"}
PLACE_FIELD = "place"
ROWS_VALIDATED = 5000
LISTS_SHEET = "Tillåtna värden"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_headers(kind: str) -> list[str]:
    """The header of each field as the loader first knows it (Swedish), in the loader's order."""
    return [spec.headers[0] if spec.headers else spec.name for spec in TEMPLATE_SOURCES[kind].fields]


def template_bytes(kind: str, ctx: Context) -> bytes:
    """The workbook for `kind`: sheet 'Data' with the headers, sheet LISTS_SHEET with categories and places."""
    source = TEMPLATE_SOURCES[kind]
    book = Workbook()
    data = book.active
    data.title = "Data"
    headers = template_headers(kind)
    data.append(headers)
    for index in range(1, len(headers) + 1):
        cell = data.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        data.column_dimensions[get_column_letter(index)].width = max(12, len(headers[index - 1]) + 4)
    data.freeze_panes = "A2"
    lists = book.create_sheet(LISTS_SHEET)
    categories = _category_values(kind, ctx)
    places = [place.name for place in ctx.resolver.places]
    lists.append(["Kategori", "Plats"])
    for row in range(max(len(categories), len(places))):
        lists.append([categories[row] if row < len(categories) else None,
                      places[row] if row < len(places) else None])
    for cell in lists[1]:
        cell.font = Font(bold=True)
    lists.column_dimensions["A"].width = lists.column_dimensions["B"].width = 40
    names = [spec.name for spec in source.fields]
    if kind in CATEGORY_FIELDS and categories:
        _validate(data, names.index(CATEGORY_FIELDS[kind]) + 1, f"'{LISTS_SHEET}'!$A$2:$A${len(categories) + 1}",
                  "Kategori", "Välj en kategori från bladet Tillåtna värden.")
    if PLACE_FIELD in names and places:
        # a place may also be a street or an alias the places file knows: warn, do not stop
        _validate(data, names.index(PLACE_FIELD) + 1, f"'{LISTS_SHEET}'!$B$2:$B${len(places) + 1}", "Plats",
                  "Välj en plats från bladet Tillåtna värden (eller skriv en gata i området).", stop=False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _category_values(kind: str, ctx: Context) -> list[str]:
    """The Swedish label of each category of the kind, which the loader reads back as that category."""
    return [category.label_sv for category in ctx.vocabulary.categories.get(kind, {}).values()]


def _validate(sheet, column: int, formula: str, title: str, prompt: str, stop: bool = True) -> None:
    letter = get_column_letter(column)
    rule = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorStyle="stop" if stop else "warning", errorTitle=title, error=prompt,
                          promptTitle=title, prompt=prompt, showInputMessage=True)
    rule.add(f"{letter}2:{letter}{ROWS_VALIDATED + 1}")
    sheet.add_data_validation(rule)
