"""The lägesrapport's part on the project's records, read back from the Word and PDF files: the classification at
the month's end, open and overdue actions, the risk matrix's cells, the budget against direct SQL; and a
partner's report with the shared records only."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from sqlalchemy import text

from lagesbild.i18n.formats import fmt_int
from lagesbild.records.access import Actor
from lagesbild.records.report import open_actions, risk_matrix
from lagesbild.render.report import report_bytes
from lagesbild.settings import load_settings
from tests.dashboard.roles import report_for

MONTH = date(2023, 6, 1)  # the summer of the change request, both plan risks open
END = date(2023, 6, 30)
ADMIN = Actor("test", "admin")


@pytest.fixture(scope="module")
def settings(dashboard_store_url):
    return load_settings({}).with_db(dashboard_store_url)


@pytest.fixture(scope="module")
def report(sample_engine, settings):
    return report_for(None, sample_engine, settings, MONTH, lang="sv", charts=False)


@pytest.fixture(scope="module")
def docx(report):
    return Document(io.BytesIO(report_bytes(report, "docx")))


def section_text(document) -> list[str]:
    """The paragraphs from the records' heading to the next top-level heading."""
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    start = texts.index(("Heading 1", "Projektets register"))
    end = next(i for i, (style, _) in enumerate(texts) if style == "Heading 1" and i > start)
    return [t for _, t in texts[start:end]]


def table_after(document, first_header: str, second_header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header
                and t.rows[0].cells[1].text == second_header)


def booked_sql(engine, first: date, last: date) -> float:
    query = text("""SELECT COALESCE(SUM(b.amount_sek), 0) FROM record_budget_entries b
        JOIN (SELECT record_id, MAX(version) AS v FROM record_budget_entries GROUP BY record_id) l
          ON l.record_id = b.record_id AND l.v = b.version
        WHERE b.status = 'booked' AND b.month BETWEEN :first AND :last""")
    with engine.connect() as conn:
        return float(conn.execute(query, {"first": first, "last": last}).scalar())


def test_the_word_report_carries_the_records_as_they_stood_at_the_months_end(docx, sample_engine):
    lines = section_text(docx)
    assert lines[1] == ("Registret som det såg ut vid dagens slut 30 juni 2023: senare ändringar och poster "
                        "daterade senare är inte med.")
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 2" and p.text in lines]
    assert headings == ["Polisens klassning", "Beslut och åtgärder", "Risker", "Ändringsbegäran", "Budget"]
    assert "Polisens senaste bedömning (4 oktober 2022, Polisen, LPO Södermalm): Klassad som öppen drogscen" in lines
    actions = open_actions(sample_engine, ADMIN, END)
    table = table_after(docx, "ID", "Beslut/åtgärd")
    assert [row.cells[0].text for row in table.rows[1:]] == [a.record_id for a in actions]


def test_the_word_reports_risk_matrix_matches_the_register(docx, sample_engine):
    matrix = risk_matrix(sample_engine, ADMIN, END)
    assert {"R-001", "R-002"} <= {r.record_id for r in matrix.risks}  # the project plan's two risks
    table = table_after(docx, "S \\ K", "1")
    for row in table.rows[1:]:
        probability = int(row.cells[0].text)
        for consequence, cell in enumerate(row.cells[1:], start=1):
            assert cell.text == ", ".join(matrix.cells[(probability, consequence)]), (probability, consequence)


def test_the_word_reports_budget_matches_direct_sql(docx, sample_engine):
    lines = " ".join(section_text(docx)).replace("\xa0", " ")
    year, june = booked_sql(sample_engine, date(2023, 1, 1), MONTH), booked_sql(sample_engine, MONTH, MONTH)
    assert year > 0
    assert f"Utfall juni 2023: {fmt_int(june)} kr; 2023 hittills {fmt_int(year)} kr av högst 2 000 000 kr".replace(
        "\xa0", " ") in lines
    assert "Föreningsbidrag 2023:" in lines and "av högst 275 000 kr" in lines
    table = table_after(docx, "Kategori", "juni 2023")
    assert table.rows[-1].cells[2].text.replace("\xa0", " ") == fmt_int(year).replace("\xa0", " ")


def test_the_pdf_carries_the_records_part(report):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(report_bytes(report, "pdf")))
    words = " ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    for expected in ("Projektets register", "Polisens klassning", "Riskmatris", "R-001", "R-002",
                     "Klassad som öppen drogscen", "av högst 2 000 000 kr"):
        assert expected in words, expected


def test_a_partners_report_has_the_shared_records_only(sample_engine, settings):
    part = report_for("partner", sample_engine, settings, MONTH, lang="sv", charts=False).records
    assert part.budget is None and part.budget_lines == ("Budgeten delas inte med partner.",)
    assert part.risks is None  # the sample's risks are internal
    assert "Partner ser bara de poster som styrgruppen delar" in part.intro
    shared = [a.record_id for a in open_actions(sample_engine, ADMIN, END) if a.shared]
    assert [row[0] for row in (part.actions.rows if part.actions else ())] == shared


def test_the_english_report_names_the_records_in_english(sample_engine, settings):
    part = report_for(None, sample_engine, settings, MONTH, lang="en", charts=False).records
    assert part.classification.startswith("The police's latest assessment (4 October 2022")
    assert part.risk_matrix.header[0] == "P \\ C"
