"""The lägesrapport as a Word document in Word's own styles (Title, Subtitle, Heading 1/2, Table Grid with a
repeated header row, Caption with a SEQ field, List Bullet), A4, in the report's language, so staff can restyle it,
renumber the figures and paste parts of it into their own documents."""

from __future__ import annotations

import io

from lagesbild.charts.theme import STATUS_COLOURS
from lagesbild.i18n.formats import fmt_month
from lagesbild.indicators.wording import status_label
from lagesbild.render.report_charts import chart_png
from lagesbild.report.model import Report, Table

DOCX_FONT_PT = 10
TABLE_FONT_PT = 9
PICTURE_WIDTH_IN = 6.3
KPI_WIDTHS_MM = (50, 24, 27, 27, 17, 25)  # 170 mm: A4 less two 20 mm margins
STATUS_INK = "111111"  # dark text on every status colour, as on the Översikt page
HEADER_FILL = "E7E9EC"
DOC_LANGS = {"sv": "sv-SE", "en": "en-GB"}
DOCX_PROPERTY_MAX = 255  # characters in a core property (python-docx refuses more)


def to_docx(report: Report) -> bytes:
    """The report as a Word document in Word's own styles (Title, Subtitle, Heading 1/2, Table Grid with a
    repeated header row, Caption with a SEQ field, List Bullet), A4, in the report's language, so staff can
    restyle it, renumber the figures, and paste parts of it into their own documents."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Mm, Pt

    doc = Document()
    _docx_setup(doc, report)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    _docx_footer(section, report)

    doc.add_paragraph(report.title, style="Title")
    for line in report.subtitle:
        doc.add_paragraph(line, style="Subtitle")

    doc.add_heading(report.text("h.goal"), level=1)
    doc.add_paragraph(report.goal_text)
    paragraph = doc.add_paragraph()
    paragraph.add_run(report.goal_date).bold = True
    if report.goal_outcome:
        doc.add_paragraph(report.goal_outcome)
    paragraph = doc.add_paragraph(report.text("status_summary", month=fmt_month(report.month, report.lang)) + " ")
    for i, (status, count) in enumerate((s, c) for s, c in report.status_counts if c):
        run = paragraph.add_run(f"{status_label(status, report.lang)}: {count}")
        run.bold = True
        _shade_run(run, STATUS_COLOURS[status])
        if i < sum(1 for _, c in report.status_counts if c) - 1:
            paragraph.add_run("  ")

    doc.add_heading(report.text("h.kpis"), level=1)
    doc.add_paragraph(report.kpi_intro)
    _docx_kpi_table(doc, report)
    if report.protection:  # what '<5', 'dolt' and '–' mean, right under the table that shows them
        doc.add_paragraph(report.protection).paragraph_format.space_before = Pt(4)
    doc.add_heading(report.text("h.rules"), level=2)
    for line in report.rules:
        doc.add_paragraph(line, style="List Bullet")
    if report.notes:
        doc.add_heading(report.text("h.notes"), level=2)
        for line in report.notes:
            doc.add_paragraph(line, style="List Bullet")

    if report.charts:
        doc.add_heading(report.text("h.charts"), level=1)
    for chart in report.charts:
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        run = picture.add_run()
        run.add_picture(io.BytesIO(chart_png(chart)), width=Inches(PICTURE_WIDTH_IN))
        _alt_text(run, f"{report.text('figure')} {chart.number}: {chart.title}")
        caption = doc.add_paragraph(style="Caption")
        caption.paragraph_format.keep_with_next = True
        caption.add_run(f"{report.text('figure')} ")
        _field(caption, f"SEQ {report.text('figure')} \\* ARABIC", str(chart.number))
        caption.add_run(f": {chart.title}")
        note = doc.add_paragraph(chart.note)
        note.paragraph_format.space_after = Pt(12)
        for run in note.runs:
            run.font.size = Pt(TABLE_FONT_PT)

    doc.add_heading(report.text("h.activities", month=fmt_month(report.month, report.lang)), level=1)
    doc.add_paragraph(report.activity_summary)
    for key, items in (("h.measures", report.measures), ("h.activity_list", report.activities),
                       ("h.other_events", report.other_events)):
        if items:
            doc.add_heading(report.text(key), level=2)
            for item in items:
                doc.add_paragraph(item, style="List Bullet")

    if report.effect is not None:
        doc.add_heading(report.text("h.effect"), level=1)
        doc.add_paragraph(report.effect.heading).runs[0].bold = True
        for line in report.effect.lines:
            doc.add_paragraph(line)
        _docx_table(doc, report.effect.table, numeric_from=2)
        if report.effect.wdq:
            doc.add_paragraph(report.effect.wdq).paragraph_format.space_before = Pt(4)
    if report.records is not None:
        _docx_records(doc, report)

    doc.add_heading(report.text("h.data"), level=1)
    doc.add_heading(report.text("h.freshness"), level=2)
    doc.add_paragraph(report.freshness_intro)
    _docx_table(doc, report.freshness)
    doc.add_heading(report.text("h.rejected"), level=2)
    doc.add_paragraph(report.rejected_summary)
    if report.rejected is not None:
        _docx_table(doc, report.rejected, numeric_from=1)
    for line in report.reasons:
        doc.add_paragraph(line, style="List Bullet")
    if report.rejected_note:
        doc.add_paragraph(report.rejected_note)
    if report.rejected_columns is not None:
        _docx_table(doc, report.rejected_columns, numeric_from=2)
    closing = doc.add_paragraph()
    closing.paragraph_format.space_before = Pt(12)
    for i, line in enumerate(report.caption.lines()):
        run = closing.add_run(line)
        run.font.size = Pt(TABLE_FONT_PT)
        if i == 0:
            run.add_break()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_records(doc, report: Report) -> None:
    """The project's own records: classification, open actions, risks and their matrix, change requests, budget."""
    part = report.records
    doc.add_heading(report.text("h.records"), level=1)
    doc.add_paragraph(part.intro)
    sections = (("h.records_classification", (part.classification,), part.classifications, None),
                ("h.records_actions", (part.actions_summary,), part.actions, None),
                ("h.records_risks", (part.risks_summary,), part.risks, None),
                ("h.records_changes", (part.changes_summary,), part.changes, 3),
                ("h.records_budget", part.budget_lines, part.budget, 1))
    for key, lines, data, numeric_from in sections:
        doc.add_heading(report.text(key), level=2)
        for line in lines:
            doc.add_paragraph(line)
        if key == "h.records_risks":
            doc.add_paragraph(report.text("records_matrix"))
            _docx_table(doc, part.risk_matrix)
            doc.add_paragraph()
        if data is not None:
            _docx_table(doc, data, numeric_from=numeric_from)


def _docx_setup(doc, report: Report) -> None:
    """The document's language (spelling and hyphenation in Word), body font size and properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), DOC_LANGS[report.lang])
    doc.styles["Normal"].font.size = Pt(DOCX_FONT_PT)
    properties = doc.core_properties
    properties.title, properties.author, properties.language = (_property(report.title), "Lägesbild",
                                                                 DOC_LANGS[report.lang])
    properties.subject, properties.created = _property(report.filters), report.caption.made_at
    properties.comments = _property(" · ".join(report.caption.lines()))


def _property(text: str) -> str:
    """A document property as Word takes it: at most 255 characters (a long month name and a few places exceed it
    in the comments), shortened with '…'; the document itself says it all."""
    return text if len(text) <= DOCX_PROPERTY_MAX else text[: DOCX_PROPERTY_MAX - 1] + "…"


def _docx_footer(section, report: Report) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{report.title} · {report.text('page')} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {report.text('of')} ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (SEQ, PAGE, NUMPAGES) with its current result, which Word updates itself."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    code = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    code._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _alt_text(run, text: str) -> None:
    """Alternative text on an inline picture, read out by screen readers and shown in Word's Alt Text pane."""
    for properties in run._r.xpath(".//wp:docPr"):
        properties.set("descr", text)
        properties.set("title", text)


def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    properties.append(shading)


def _shade_run(run, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    run._r.get_or_add_rPr().append(shading)


def _header_row(row) -> None:
    """Bold, shaded, repeated at the top of each page, never split."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)
    for cell in row.cells:
        _shade(cell, HEADER_FILL)
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def _no_split(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _fill(cell, main: str, note: str = "", *, right: bool = False, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(main)
    run.font.size, run.bold = Pt(TABLE_FONT_PT), bold
    if note:
        run.add_break()
        small = paragraph.add_run(note)
        small.font.size = Pt(TABLE_FONT_PT - 1.5)
        small.font.color.rgb = RGBColor(0x44, 0x44, 0x44)


def _docx_kpi_table(doc, report: Report) -> None:
    from docx.shared import Mm, RGBColor

    table = doc.add_table(rows=1, cols=len(report.kpi_header), style="Table Grid")
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, report.kpi_header, strict=True):
        _fill(cell, text)
    _header_row(table.rows[0])
    for row in report.kpis:
        cells = table.add_row().cells
        _fill(cells[0], row.indicator.text, row.indicator.note)
        _fill(cells[1], row.value.text, row.value.note, right=True, bold=True)
        _fill(cells[2], row.window.text, row.window.note, right=True)
        _fill(cells[3], row.baseline.text, row.baseline.note, right=True)
        _fill(cells[4], row.target.text, right=True)
        _fill(cells[5], row.status_text, bold=True)
        for run in cells[5].paragraphs[0].runs:
            run.font.color.rgb = RGBColor.from_string(STATUS_INK)
        _shade(cells[5], row.colour)
    for row in list(table.rows)[1:]:
        _no_split(row)
    for column, width in zip(table.columns, KPI_WIDTHS_MM, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Mm(width)  # each cell, which Word reads


def _docx_table(doc, data: Table, numeric_from: int | None = None) -> None:
    table = doc.add_table(rows=1, cols=len(data.header), style="Table Grid")
    for cell, text in zip(table.rows[0].cells, data.header, strict=True):
        _fill(cell, text)
    _header_row(table.rows[0])
    for i, values in enumerate(data.rows):
        cells = table.add_row().cells
        flagged = bool(data.flagged and data.flagged[i])
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _fill(cell, text, right=numeric_from is not None and j >= numeric_from, bold=flagged and j == 0)
