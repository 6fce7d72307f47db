"""Write the same rows as differently formatted files, and read back what the store holds."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from lagesbild.store.schema import FACT_TABLES, loads, rejected_rows

LINEAGE = {"id", "load_id", "updated_load_id"}


def write_csv(path: Path, rows: list[list], delimiter=";", encoding="utf-8", decimal_comma=True) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v, decimal_comma) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _csv_cell(value, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and decimal_comma:
        return str(value).replace(".", ",")
    return str(value)


def write_xlsx(path: Path, rows: list[list], title_rows: int = 2, trailing_empty: int = 3) -> Path:
    """An export as people make them: a title above the header, and formatted but empty rows below."""
    workbook = Workbook()
    sheet = workbook.active
    for i in range(title_rows):
        sheet.append([f"Export rad {i + 1}"] if i == 0 else [])
    for row in rows:
        sheet.append(row)
    for _ in range(trailing_empty):
        sheet.append(["", None, ""])
    workbook.save(path)
    return path


def fact_rows(engine, kind: str) -> list[dict]:
    table = FACT_TABLES[kind]
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.natural_key)).mappings().all()
    return [{k: v for k, v in row.items() if k not in LINEAGE} for row in rows]


def counts(engine) -> dict[str, int]:
    tables = {**FACT_TABLES, "loads": loads, "rejected_rows": rejected_rows}
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(t)).scalar() for name, t in tables.items()}
