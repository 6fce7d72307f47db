"""The lägesrapport's files: the model (lagesbild.report) as Word or PDF."""

from __future__ import annotations

from lagesbild.render.report_docx import to_docx
from lagesbild.render.report_pdf import to_pdf
from lagesbild.report.model import FORMATS, Report, ReportError


def report_bytes(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(report)
    if fmt == "pdf":
        return to_pdf(report)
    raise ReportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
