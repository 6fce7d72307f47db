"""Surveys: the project's own safety-survey results, and BRÅ's NTU workbook rows for the area and city."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from loaders.base import Context, Field, RowError, RowProblems, Source
from loaders.read import RawTable
from loaders.values import parse_count, parse_date, parse_number, parse_share

Z95 = 1.959964


def wilson_interval(share: float, n: int) -> tuple[float, float]:
    """95 % Wilson score interval: honest for small n and for shares near 0 or 1."""
    if n <= 0:
        return (0.0, 1.0)
    denominator = 1 + Z95**2 / n
    centre = (share + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(share * (1 - share) / n + Z95**2 / (4 * n**2)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def parse_n(value: Any) -> int:
    n = parse_count(value)
    if n == 0:
        raise ValueError("n (respondents) must be at least 1")
    return n


class SurveyResults(Source):
    kind = "surveys"
    name = "survey-results"
    fields = (
        Field("survey", ("Undersökning", "Mätning", "Survey")),
        Field("wave", ("Omgång", "Våg", "År", "Wave")),
        Field("date", ("Datum", "Slutdatum", "Date")),
        Field("place", ("Plats", "Område", "Place", "Area"), required=False, nullable=True),
        Field("question_code", ("Frågekod", "Fråge-id", "Question code")),
        Field("question", ("Fråga", "Question")),
        Field("answer", ("Svar", "Svarsalternativ", "Answer")),
        Field("count", ("Antal", "Antal svar", "Count"), parse_count, required=False, nullable=True),
        Field("share", ("Andel", "Andel (%)", "Share"), parse_share, required=False, nullable=True),
        Field("n", ("n", "Antal svarande", "Svarande", "Respondents"), parse_n, required=False, nullable=True),
    )
    fields = tuple(f if f.name != "date" else Field("date", f.headers, parse_date) for f in fields)
    identity = ("survey", "wave", "place_id", "question_code", "answer")

    def conform(self, values: dict[str, Any], ctx: Context, row_number: int) -> dict[str, Any]:
        share, problems = survey_share(values, row_number)
        if problems:
            raise RowProblems(problems)
        match = (ctx.resolver.by_name(values["place"]) or ctx.resolver.by_text(values["place"])) \
            if values["place"] else None
        place_id, _ = ctx.place(match, values["place"])
        ci = wilson_interval(share, values["n"]) if values["n"] else (None, None)
        return {
            "date": values["date"], "period_end": values["date"], "place_id": place_id,
            "category": ctx.category("surveys", values["question_code"]), "source_category": values["question_code"],
            "survey": values["survey"], "wave": str(values["wave"]), "geography": values["place"],
            "question_code": values["question_code"], "question": values["question"], "answer": values["answer"],
            "count": values["count"], "share": share, "n": values["n"], "ci_low": ci[0], "ci_high": ci[1],
            "value_note": None,
        }


def survey_share(values: dict[str, Any], row_number: int) -> tuple[float | None, list[RowError]]:
    count, share, n = values["count"], values["share"], values["n"]
    if count is None and share is None:
        return None, [RowError(row_number, "count", None, "neither a count nor a share")]
    if count is not None and n is None:
        return None, [RowError(row_number, "n", None, "a count needs n (the number of respondents)")]
    if count is not None and count > n:
        return None, [RowError(row_number, "count", count, f"more answers than respondents (n = {n})")]
    return (count / n if share is None else share), []


NTU_THEMES = {  # BRÅ table code -> the vocabulary's question code (tables 2.x are victimisation)
    "3.1": "otrygghet",
    "3.23": "problem_narkotika",
    "3.20": "problem_berusade",
}


def ntu_theme(table_code: str) -> str | None:
    return NTU_THEMES.get(table_code) or ("utsatthet" if table_code.startswith("2.") else None)


class BraNtuWorkbook(Source):
    """BRÅ's 'Kommunala resultat från NTU' workbook: read whole, keep the configured geographies."""

    kind = "surveys"
    name = "bra-ntu"
    table_formats = ("ntu",)
    fields = (
        Field("sheet", ()), Field("table_code", ()), Field("title", ()), Field("unit", ()),
        Field("geography", ()), Field("period", ()), Field("survey_years", ()),
        Field("period_end_year", (), int), Field("share", (), parse_number, nullable=True),
        Field("code", (), nullable=True), Field("ci_low", (), parse_number, nullable=True),
        Field("ci_high", (), parse_number, nullable=True), Field("n", (), int, required=False, nullable=True),
    )
    identity = ("survey", "wave", "geography", "question_code", "source_category")

    def read(self, path: Path) -> RawTable | None:
        from loaders.bra_ntu import is_ntu_workbook, read_ntu_workbook

        if path.read_bytes()[:2] != b"PK" or not is_ntu_workbook(path):
            return None
        values = read_ntu_workbook(path)
        rows = [(v.row_number, {**v.__dict__}) for v in values]
        headers = [f.name for f in self.fields]
        return RawTable.from_rows(path, "ntu", headers, rows, f"BRÅ NTU workbook, {len(rows)} values kept")

    def conform(self, values: dict[str, Any], ctx: Context, row_number: int) -> dict[str, Any]:
        year = values["period_end_year"]
        theme = ntu_theme(values["table_code"])
        return {
            "date": date(year, 12, 31), "period_end": date(year, 12, 31),
            "place_id": ctx.resolver.unspecified.id,
            "category": ctx.category("surveys", theme), "source_category": f"{values['sheet']} · {values['period']}",
            "survey": "BRÅ NTU", "wave": values["survey_years"], "geography": values["geography"],
            "question_code": f"ntu-{values['table_code']}", "question": values["title"], "answer": values["unit"],
            "count": None, "share": values["share"], "n": values["n"],
            "ci_low": values["ci_low"], "ci_high": values["ci_high"], "value_note": values["code"],
        }
