"""Rejected rows as the store groups them (queries.rejection_reasons), for the Data page's and the report's tests.

The reasons quote the rejected cells' values (raw data of single records). est.csv Datum 3 + 1 = 4 is small, and the
file's other columns are a total away from it, so the smallest of them (the whole-row problems, 7) goes too.
"""

import pandas as pd

REJECTED = pd.DataFrame({
    "file_name": ["est.csv", "est.csv", "est.csv", "polis.json", "est.csv"],
    "column": ["Datum", "Tid", None, "Latitud", "Datum"],
    "reason": ["not a date (expected e.g. 2023-05-01): '2024-13-45'", "not a time (expected e.g. 21:14): '25:61'",
               "a coordinate pair needs both latitude and longitude", "coordinate 61.2 outside 59.3..59.4",
               "not a date (expected e.g. 2023-05-01): 'igår'"],
    "rows": [3, 12, 7, 40, 1],
})
RAW_VALUES = ("2024-13-45", "25:61", "61.2", "igår", "not a date", "coordinate")
