"""The steering group's deck (lagesbild.report.deck) as files: PPTX (python-pptx: one slide per agenda item, charts as
pictures with their one-sentence summary as alt text, speaker notes with the sources and caveats) and PDF (the slides'
HTML, templates/deck.html.j2, printed 16:9 by the shared headless Chromium, without a network)."""

from __future__ import annotations

import base64
import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from lagesbild.render.browser import BrowserMissing, browser
from lagesbild.render.report_charts import chart_png
from lagesbild.render.report_html import FONT, environment
from lagesbild.report.deck import Deck, Slide
from lagesbild.report.model import ReportError

DECK_FORMATS = ("pptx", "pdf")
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
INK, MUTED, PRIMARY = RGBColor(0x1F, 0x23, 0x28), RGBColor(0x4A, 0x50, 0x58), RGBColor(0x0B, 0x4F, 0x8A)
PDF_SIZE = {"width": "1280px", "height": "720px"}
PDF_TIMEOUT_S = 120


def deck_bytes(deck: Deck, fmt: str) -> bytes:
    if fmt == "pptx":
        return to_pptx(deck)
    if fmt == "pdf":
        return to_pdf(deck)
    raise ReportError(f"unknown format {fmt!r}: use one of {', '.join(DECK_FORMATS)}")


# ---- PPTX ----

def to_pptx(deck: Deck) -> bytes:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    presentation.core_properties.title = deck.title
    layout = presentation.slide_layouts[5]  # title only
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        page = presentation.slides.add_slide(layout)
        page.shapes.title.text = slide.title
        _style_title(page.shapes.title)
        BODIES[slide.key](page, slide)
        _text(page, f"{slide.caption}", MARGIN, HEIGHT - Inches(0.6), WIDTH - 2 * MARGIN - Inches(1.2),
              Inches(0.5), 10, MUTED)
        _text(page, f"{number} / {total}", WIDTH - MARGIN - Inches(1.1), HEIGHT - Inches(0.6), Inches(1.1),
              Inches(0.5), 12, MUTED)
        notes = [slide.summary, slide.notes, slide.caption]
        page.notes_slide.notes_text_frame.text = "\n\n".join(part for part in notes if part)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def _style_title(shape) -> None:
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(1.0)
    for paragraph in shape.text_frame.paragraphs:
        paragraph.alignment = 1  # left
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(34), True, PRIMARY


def _text(page, text: str, left, top, width, height, size: int, colour=INK, bold: bool = False):
    box = page.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return box


def _bullets(page, lines, left, top, width, height, size: int = 18, flagged=()) -> None:
    box = page.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    flags = list(flagged) + [False] * (len(lines) - len(flagged))
    for index, (line, flag) in enumerate(zip(lines, flags, strict=False)):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"• {line}"
        run.font.size, run.font.bold = Pt(size), flag
        run.font.color.rgb = RGBColor(0xB0, 0x2A, 0x00) if flag else INK
        paragraph.space_after = Pt(6)


BODY_TOP = Inches(1.45)
BODY_HEIGHT = HEIGHT - BODY_TOP - Inches(0.8)
BODY_WIDTH = WIDTH - 2 * MARGIN


def _goal(page, slide: Slide) -> None:
    _text(page, slide.lead, MARGIN, BODY_TOP, BODY_WIDTH, Inches(1.6), 30, INK, bold=True)
    _bullets(page, slide.lines, MARGIN, BODY_TOP + Inches(1.8), BODY_WIDTH, BODY_HEIGHT - Inches(1.8), 20)


def _indicators(page, slide: Slide) -> None:
    rows = len(slide.kpis)
    table = page.shapes.add_table(rows, 3, MARGIN, BODY_TOP, BODY_WIDTH, Emu(int(BODY_HEIGHT))).table
    table.columns[0].width, table.columns[1].width = Inches(6.3), Inches(3.6)
    table.columns[2].width = Emu(int(BODY_WIDTH) - int(Inches(9.9)))
    size = Pt(14 if rows > 10 else 18)
    for index, row in enumerate(slide.kpis):
        texts = (row.indicator.text, f"{row.value.text} {row.value.note}".strip(), row.status_text)
        for column, text in enumerate(texts):
            cell = table.cell(index, column)
            cell.text = text
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size, run.font.bold = size, column == 1
        status = table.cell(index, 2)
        status.fill.solid()
        status.fill.fore_color.rgb = RGBColor.from_string(row.colour.lstrip("#"))
        for paragraph in status.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                run.font.bold = True


def _chart(page, slide: Slide) -> None:
    chart = slide.chart
    picture_height = BODY_HEIGHT - Inches(0.7)
    width = Emu(int(picture_height * chart.width_px / chart.height_px))
    width = min(width, BODY_WIDTH)
    height = Emu(int(width * chart.height_px / chart.width_px))
    left = Emu(int((WIDTH - width) / 2))
    picture = page.shapes.add_picture(io.BytesIO(chart_png(chart)), left, BODY_TOP, width, height)
    picture.name = chart.title[:60]
    picture._element.nvPicPr.cNvPr.set("descr", slide.summary)  # the alt text: python-pptx has no API for it
    _text(page, slide.summary, MARGIN, BODY_TOP + height + Inches(0.05), BODY_WIDTH, Inches(0.6), 16, INK)


def _activities(page, slide: Slide) -> None:
    _text(page, slide.lead, MARGIN, BODY_TOP, BODY_WIDTH, Inches(1.0), 18, INK)
    _bullets(page, slide.lines, MARGIN, BODY_TOP + Inches(1.1), BODY_WIDTH, BODY_HEIGHT - Inches(1.1), 16)


def _lines(page, slide: Slide) -> None:
    _bullets(page, slide.lines, MARGIN, BODY_TOP, BODY_WIDTH, BODY_HEIGHT, 20, slide.flagged)


def _risks(page, slide: Slide) -> None:
    side = Inches(4.6)
    table = page.shapes.add_table(6, 6, MARGIN, BODY_TOP, side, side).table
    table.cell(0, 0).text = "S \\ K"
    for c in range(1, 6):
        table.cell(0, c).text = str(c)
    for r, row in enumerate(slide.matrix, start=1):
        table.cell(r, 0).text = str(6 - r)
        for c, ids in enumerate(row, start=1):
            cell = table.cell(r, c)
            cell.text = "\n".join(ids)
            score = (6 - r) * c
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string("F4C7C3" if score >= 15 else "FCE8B2" if score >= 8
                                                             else "D9EAD3")
    for r in range(6):
        for c in range(6):
            for paragraph in table.cell(r, c).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)
                    run.font.color.rgb = INK
    left = MARGIN + side + Inches(0.4)
    _bullets(page, slide.lines, left, BODY_TOP, WIDTH - left - MARGIN, BODY_HEIGHT, 16)


BODIES = {"goal": _goal, "indicators": _indicators, "chart": _chart, "activities": _activities, "actions": _lines,
          "risks": _risks, "change_requests": _lines}


# ---- PDF ----

def deck_html(deck: Deck) -> str:
    pictures = {id(slide): base64.b64encode(chart_png(slide.chart)).decode("ascii")
                for slide in deck.slides if slide.chart is not None}
    return environment().get_template("deck.html.j2").render(
        deck=deck, slides=list(enumerate(deck.slides, start=1)), total=len(deck.slides), font=FONT,
        picture=lambda slide: pictures.get(id(slide)))


def to_pdf(deck: Deck, timeout: float = PDF_TIMEOUT_S) -> bytes:
    html = deck_html(deck)
    try:
        return browser().run(lambda shared: _print(shared, html), timeout)
    except BrowserMissing as exc:
        raise ReportError(f"a PDF needs Chromium at {exc} (apt-get install chromium)") from exc


async def _print(shared, html: str) -> bytes:
    context = await shared.new_context(offline=True, service_workers="block")
    try:
        page = await context.new_page()
        await page.route("**/*", _refuse)
        await page.set_content(html, wait_until="load")
        await page.emulate_media(media="screen")
        return await page.pdf(print_background=True, margin={"top": "0", "bottom": "0", "left": "0", "right": "0"},
                              **PDF_SIZE)
    finally:
        await context.close()


async def _refuse(route) -> None:
    await route.abort()
