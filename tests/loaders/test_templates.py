"""The Excel templates: filled in with values from their own lists, each loads the first time."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from loaders.load import make_context, preview_file
from loaders.templates import LISTS_SHEET, TEMPLATE_SOURCES, template_bytes, template_headers

ROWS = {  # field name -> a value a partner would write; categories and places are taken from the lists sheet
    "incidents": {"date": "2024-05-03", "time": "21:15", "category": None, "place": None,
                  "organisation": "Parkavdelningen", "summary": "Sprutor vid lekplatsen"},
    "outreach": {"date": "2024-05-03", "start": "18:00", "end": "22:00", "team": "Fältassistenterna",
                 "place": None, "type": None, "contacts": 12, "new_persons": 2, "hours": 4},
    "events": {"date": "2024-05-03", "start": "12:00", "title": "Städdag i parken", "category": None,
               "place": None, "organiser": "Parkavdelningen", "attendance": 40},
    "surveys": {"survey": "Trygghetsvandring", "wave": "2024", "date": "2024-05-03", "place": None,
                "question_code": "otrygg_kvall", "question": "Känner du dig otrygg på kvällen?", "answer": "Ja",
                "count": 12, "n": 40},
}


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_a_filled_in_template_loads_the_first_time(engine, settings, tmp_path, kind):
    book = load_workbook(io.BytesIO(template_bytes(kind, make_context(settings))))
    data, lists = book["Data"], book[LISTS_SHEET]
    assert [c.value for c in data[1]] == template_headers(kind)
    names = [spec.name for spec in TEMPLATE_SOURCES[kind].fields]
    values = dict(ROWS[kind])
    values["place"] = lists.cell(3, 2).value  # a park, not the area as a whole
    for name in ("category", "type"):
        if name in values:
            values[name] = lists.cell(2, 1).value
    data.append([values.get(name) for name in names])
    path = tmp_path / f"{kind}.xlsx"
    book.save(path)
    report = preview_file(engine, path, settings)
    assert (report.kind, report.rows_read, report.inserted, report.rejected) == (kind, 1, 1, 0), report.errors
    assert report.counts.get("other_category", 0) == 0 or kind == "surveys"
    assert report.counts.get("unplaced", 0) == 0
