"""The steering group's deck as files, from the command line: `lagesbild deck --asof D --out mote.pptx|.pdf`, read
back (python-pptx, pypdf): one slide per agenda item, the key charts as pictures with their summary as alt text,
notes with the sources, the snapshot named on every slide."""

from __future__ import annotations

from datetime import date

import pypdf
import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from lagesbild.cli import main
from lagesbild.config import load_config
from lagesbild.config.meeting import read_agenda
from lagesbild.disclosure import Viewer
from lagesbild.reads import Reads
from lagesbild.records.access import Actor
from lagesbild.report.deck import build_deck
from lagesbild.settings import load_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def expected(sample_engine, dashboard_store_url):
    settings = load_settings({}).with_db(dashboard_store_url)
    return build_deck(Reads(sample_engine, Viewer.unrestricted("test")), load_config(settings), read_agenda(),
                      Actor("test", "styrgrupp"), date.today())


def run_deck(dashboard_store_url, out, *extra) -> None:
    result = CliRunner().invoke(main, ["deck", "--db", dashboard_store_url, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    assert "slides, snapshot" in result.output


def test_the_pptx_has_one_slide_per_agenda_item_with_pictures_alt_texts_and_notes(dashboard_store_url, tmp_path,
                                                                                   expected):
    out = tmp_path / "mote.pptx"
    run_deck(dashboard_store_url, out, "--asof", date.today().isoformat())
    deck = Presentation(str(out))
    slides = list(deck.slides)
    assert [s.shapes.title.text for s in slides] == [s.title for s in expected.slides]
    keys = [s.key for s in expected.slides]
    assert keys[:2] == ["goal", "indicators"] and keys[-4:] == ["activities", "actions", "risks", "change_requests"]
    assert 1 <= keys.count("chart") <= 4
    for slide, model in zip(slides, expected.slides, strict=True):
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        texts = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        notes = slide.notes_slide.notes_text_frame.text
        assert "Ögonblicksbild per" in texts and "Källor:" in notes  # the snapshot and the sources on each
        if model.key == "chart":
            assert len(pictures) == 1 and pictures[0]._element.nvPicPr.cNvPr.get("descr") == model.summary
            assert model.summary in notes and model.summary.endswith(".")
        else:
            assert pictures == []
    indicators = slides[1].shapes
    table = next(shape.table for shape in indicators if shape.has_table)
    assert [table.cell(i, 0).text for i in range(len(expected.slides[1].kpis))] == \
        [row.indicator.text for row in expected.slides[1].kpis]


def test_the_pdf_is_one_16_9_page_per_slide(dashboard_store_url, tmp_path, expected):
    out = tmp_path / "mote.pdf"
    run_deck(dashboard_store_url, out, "--lang", "en")
    pages = pypdf.PdfReader(str(out)).pages
    assert len(pages) == len(expected.slides)
    box = pages[0].mediabox
    assert round(float(box.width) / float(box.height), 2) == round(16 / 9, 2)
    assert all("Snapshot as of" in page.extract_text() for page in pages)


def test_a_day_that_is_no_date_or_without_data_is_refused(dashboard_store_url, tmp_path):
    result = CliRunner().invoke(main, ["deck", "--db", dashboard_store_url, "--out", str(tmp_path / "x.pptx"),
                                       "--asof", "2025-02-30"])
    assert result.exit_code == 2 and "not a date" in result.output
    result = CliRunner().invoke(main, ["deck", "--db", dashboard_store_url, "--out", str(tmp_path / "x.pptx"),
                                       "--asof", "2020-01-01"])
    assert result.exit_code == 2 and "inga data per 1 januari 2020" in result.output
    assert not (tmp_path / "x.pptx").exists()


def test_the_report_takes_the_same_snapshot(dashboard_store_url, tmp_path, expected):
    out = tmp_path / "rapport.docx"
    result = CliRunner().invoke(main, ["report", "--db", dashboard_store_url, "--asof", date.today().isoformat(),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    import docx

    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert f"Ögonblicksbild per {date.today().day}" in text
