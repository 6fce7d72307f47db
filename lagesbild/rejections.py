"""Rejected rows as a user whose small counts are hidden may see them: counted per file and column, never the reasons.

A rejection's reason quotes the rejected cell's value ("not a date (expected e.g. 2023-05-01): '2024-13-45'"): raw
data of a single record. For the partner role (dashboard/disclosure.py) the Data page and the lägesrapport show the
rejected rows per file and column instead, those counts protected. Shared here, outside the pages, so that the report
can use it without importing a page module (which would register the page with Dash).
"""

from __future__ import annotations

import pandas as pd

from lagesbild import disclosure


def rejections_by_column(frame: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows per file and column (file_name, column, rows, and `hidden` when small counts are hidden), in
    the order of file and column: the reasons are left out, as they quote the rejected cell's value (raw data of a
    single record), and the order never follows the counts (a hidden count's rank would bound it).

    `frame` is queries.rejection_reasons (file_name, column, reason, rows); a row without a column (a problem of the
    whole row) has column "".
    """
    counted = (frame.assign(column=frame["column"].fillna(""))
               .groupby(["file_name", "column"], as_index=False, sort=True)["rows"].sum())
    return disclosure.protect(counted, ("file_name", "column"), value="rows")
