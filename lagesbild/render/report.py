"""The lägesrapport's files: the model (lagesbild.report) as Word or PDF."""

from __future__ import annotations

from lagesbild.render.figure_image import IMAGES
from lagesbild.render.report_docx import to_docx
from lagesbild.render.report_pdf import to_pdf
from lagesbild.report.model import FORMATS, Report, ReportError


def report_bytes(report: Report, fmt: str, owner: str | None = None) -> bytes:
    """The report as `fmt`. owner: the user it is for; given, it takes a place among the users' image jobs
    (lagesbild.render.figure_image.IMAGES; RendererBusy when there is none) and, as a PDF, in the shared browser."""
    if owner is not None:
        with IMAGES.admit(owner):
            return report_bytes(report, fmt)
    if fmt == "docx":
        return to_docx(report)
    if fmt == "pdf":
        return to_pdf(report)
    raise ReportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
