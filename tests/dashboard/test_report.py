"""The lägesrapport for June 2024 on the sample store: Word structure and values against direct SQL, the PDF,
the `lagesbild report` command, and the download button on Översikt."""

from __future__ import annotations

import io
from datetime import date

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import text

from lagesbild.charts.theme import STATUS_COLOURS
from lagesbild.cli import main
from lagesbild.config import load_config
from lagesbild.dates import add_months
from lagesbild.filters import FilterState
from lagesbild.i18n.formats import fmt_int, fmt_pct
from lagesbild.render.report import report_bytes
from lagesbild.render.report_html import render_html
from lagesbild.report.build import latest_report_month
from lagesbild.report.model import report_filename
from lagesbild.settings import load_settings
from tests.dashboard.roles import reads_for, report_for

JUNE = date(2024, 6, 1)
TITLE = "Lägesrapport Västra Södermalm – juni 2024"
DRUGS = "'narkotikaforsaljning', 'narkotikabruk'"
HEADINGS_SV = ["Effektmål", "Indikatorer", "Utvecklingen i diagram", "Aktiviteter och åtgärder juni 2024",
               "Effekt av senaste åtgärden", "Projektets register", "Data och källor"]
HEADINGS_EN = ["Effect goal", "Indicators", "Trends in charts", "Activities and measures, June 2024",
               "Effect of the latest measure", "The project's records", "Data and sources"]


# ---- the numbers, counted without the query layer ----

def count_drug_reports(engine, month: str) -> int:
    query = (f"SELECT count(*) FROM incidents WHERE category IN ({DRUGS}) AND strftime('%Y-%m', date) = :m "
             "AND place_id IN (SELECT id FROM places WHERE zone = 'area')")  # not the comparison area's
    with engine.connect() as conn:
        return conn.execute(text(query), {"m": month}).scalar_one()


def sum_contacts(engine, month: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT sum(contacts) FROM outreach_shifts WHERE strftime('%Y-%m', date) = :m"),
                            {"m": month}).scalar_one()


def unsafe_share(engine, wave: str) -> float:
    query = ("SELECT sum(count) * 1.0 / max(n) FROM survey_results WHERE survey = 'Polisens trygghetsmätning' "
             "AND question_code = 'otrygg_kvall' AND wave = :wave AND answer IN ('Ganska otrygg', 'Mycket otrygg')")
    with engine.connect() as conn:
        return conn.execute(text(query), {"wave": wave}).scalar_one()


def public_activities(engine, month: str) -> tuple[int, int]:
    query = ("SELECT count(*), coalesce(sum(attendance), 0) FROM events WHERE strftime('%Y-%m', date) = :m "
             "AND is_measure = 0 AND category IN ('sport', 'kultur', 'foreningsaktivitet', 'staddag')")
    with engine.connect() as conn:
        return tuple(conn.execute(text(query), {"m": month}).one())


# ---- fixtures: each report is built once ----

@pytest.fixture(scope="module")
def settings(dashboard_store_url):
    return load_settings({}).with_db(dashboard_store_url)


@pytest.fixture(scope="module")
def report_sv(sample_engine, settings):
    return report_for(None, sample_engine, settings, JUNE, lang="sv")


@pytest.fixture(scope="module")
def docx_sv(report_sv):
    return Document(io.BytesIO(report_bytes(report_sv, "docx")))


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def kpi_rows(document) -> dict[str, list[str]]:
    """The KPI table by indicator label: each cell's first line."""
    table = document.tables[0]
    return {row.cells[0].text: [cell.text.split("\n")[0] for cell in row.cells] for row in table.rows[1:]}


# ---- Word ----

def test_the_effect_section_is_the_latest_measure_whose_window_after_is_over(docx_sv, report_sv, sample_engine):
    # June 2024, six months: the latest measure at a place with a buffer done by the end of 2023 (its six whole
    # months after end by June 2024); its drug reports in the target before and after, by direct SQL.
    with sample_engine.connect() as conn:
        day, title, place = conn.execute(text(
            "SELECT date, title, place_id FROM events WHERE is_measure AND date < '2024-01-01' AND place_id IN "
            "('tantolunden', 'drakenbergsparken') ORDER BY date DESC, id DESC LIMIT 1")).one()
        done = date.fromisoformat(str(day)[:10])
        first = done if done.day == 1 else add_months(done.replace(day=1), 1)  # the first whole month after
        after = conn.execute(text(
            f"SELECT count(*) FROM incidents WHERE category IN ({DRUGS}) AND place_id = :p "
            "AND date >= :a AND date < :b"), {"p": place, "a": first.isoformat(),
                                              "b": add_months(first, 6).isoformat()}).scalar_one()
    effect = report_sv.effect
    assert title in effect.heading
    target = effect.table.rows[0]
    assert target[0] == "Målområdet" and target[3] == fmt_int(after)
    assert any("KI" in line for line in effect.lines) and any("Korta perioder" in line for line in effect.lines)
    paragraphs = [p.text for p in docx_sv.paragraphs]
    assert effect.heading in paragraphs and effect.lines[1] in paragraphs

def test_the_word_document_has_real_headings_in_order(docx_sv):
    assert styled(docx_sv, "Title") == [TITLE]
    assert styled(docx_sv, "Heading 1") == HEADINGS_SV
    assert {"Så bedöms statusen", "Datakällornas aktualitet", "Avvisade rader"} <= set(styled(docx_sv, "Heading 2"))
    assert styled(docx_sv, "Subtitle")[0] == "Hela området · jun 2024"
    goal = docx_sv.paragraphs[[p.text for p in docx_sv.paragraphs].index("Effektmål") + 2].text
    assert goal == "Måldatum 1 januari 2025 · om 185 dagar (räknat från 30 juni 2024)"


def test_the_kpi_table_has_a_row_per_indicator_and_the_values_of_direct_sql(docx_sv, sample_engine, settings):
    config = load_config(settings).indicators
    table = docx_sv.tables[0]
    assert table.style.name == "Table Grid"
    assert len(table.rows) == len(config.indicators) + 1
    assert [cell.text for cell in table.rows[0].cells] == ["Indikator", "Värde", "12 mån mot 2022 (95 % KI)",
                                                          "Mot 2022", "Mål mot 2022", "Status"]
    rows = kpi_rows(docx_sv)
    assert list(rows) == [indicator.label["sv"] for indicator in config.indicators]
    drugs = rows["Narkotikaförsäljning och -bruk"]
    assert drugs[1] == fmt_int(count_drug_reports(sample_engine, "2024-06"))
    base = count_drug_reports(sample_engine, "2022-06")
    assert f"jun 2022: {fmt_int(base)}" in table.rows[1].cells[3].text
    # The status window: July 2023 to June 2024 against the whole of 2022, counted here by direct SQL.
    window = sum(count_drug_reports(sample_engine, f"{y}-{m:02d}") for y, m in
                 [(2023, m) for m in range(7, 13)] + [(2024, m) for m in range(1, 7)])
    baseline_year = sum(count_drug_reports(sample_engine, f"2022-{m:02d}") for m in range(1, 13))
    assert f"{fmt_int(window)} mot {fmt_int(baseline_year)}" in table.rows[1].cells[2].text
    assert "till" in table.rows[1].cells[2].text  # the interval
    assert rows["Kontakter i uppsökande arbete"][1] == fmt_int(sum_contacts(sample_engine, "2024-06"))
    # the survey: the latest wave that ended by June 2024, not a value spread over months
    assert rows["Känner sig otrygga ute sent på kvällen"][1] == fmt_pct(unsafe_share(sample_engine, "2023"), 0)
    assert "omgång 2023" in table.rows[12].cells[1].text


def test_status_cells_are_shaded_and_say_the_status_in_words(docx_sv, report_sv):
    for row, kpi in zip(docx_sv.tables[0].rows[1:], report_sv.kpis, strict=True):
        cell = row.cells[5]
        fill = cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        assert fill == STATUS_COLOURS[kpi.status].lstrip("#").upper()
        assert cell.text == kpi.status_text and cell.text.split(" ", 1)[1]  # a symbol and a word
    assert {kpi.status for kpi in report_sv.kpis} >= {"good", "watch"}


def test_charts_are_inline_pictures_with_numbered_word_captions(docx_sv):
    assert len(docx_sv.inline_shapes) >= 2
    captions = [p for p in docx_sv.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(docx_sv.inline_shapes)
    assert captions[0].text.startswith("Figur 1: Narkotikaförsäljning och -bruk per månad, jun 2023–jun 2024")
    assert [c.text.split(":")[0] for c in captions] == [f"Figur {n}" for n in range(1, len(captions) + 1)]
    assert all("SEQ Figur" in "".join(c._p.itertext()) for c in captions)  # Word renumbers them itself
    width = docx_sv.inline_shapes[0].width.inches
    assert width == pytest.approx(6.3, abs=0.01)


def test_the_document_is_a4_swedish_with_bullets_for_the_month(docx_sv, sample_engine):
    section = docx_sv.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    lang = docx_sv.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    bullets = styled(docx_sv, "List Bullet")
    assert any(b.startswith("Mötesplats i Tantolunden öppnar för säsongen") for b in bullets)
    count, attendance = public_activities(sample_engine, "2024-06")
    summary = f"Aktiviteter för allmänheten: {fmt_int(count)}, med sammanlagt {fmt_int(attendance)} deltagare"
    assert any(p.text.startswith(summary) for p in docx_sv.paragraphs)
    rows = kpi_rows(docx_sv)  # the list agrees with the table
    assert (rows["Aktiviteter i parkerna"][1], rows["Deltagare i aktiviteterna"][1]) == (fmt_int(count),
                                                                                         fmt_int(attendance))


def test_data_freshness_and_rejections_are_reported(report_sv, docx_sv):
    freshness = next(t for t in docx_sv.tables if t.rows[0].cells[0].text == "Källa")
    assert len(freshness.rows) - 1 == len(report_sv.freshness.rows) >= 4
    latest = {row.cells[0].text: row.cells[2].text for row in freshness.rows[1:]}
    assert latest["✓ Händelselogg (polis, EST)"] == "30 juni 2024"  # never a date after the month
    assert report_sv.rejected_summary.startswith("Inga rader har avvisats")
    assert docx_sv.paragraphs[-1].text.startswith(f"{TITLE} · Hela området · jun 2024\nData t.o.m. 30 juni 2024")


def test_the_report_reads_the_indicators_as_the_overview_does(dash_app, sample_engine, settings):
    """One reading (lagesbild.reads indicator_readings): the report's table is the Översikt page's cards."""
    goal, config = load_config(settings).area.goal, load_config(settings).indicators
    month = date(2024, 6, 1)
    for role in ("styrgrupp", "partner"):
        made = report_for(role, sample_engine, settings, month, ("tantolunden",), lang="sv", charts=False)
        readings = reads_for(role, sample_engine).indicator_readings(config, goal, FilterState(("tantolunden",),
                                                                     month, month), date(2024, 7, 1))
        assert [row.status for row in made.kpis] == [readings[i.id].status for i in config.indicators]


def test_the_latest_complete_month_follows_the_filter(sample_engine):
    today = date(2026, 11, 27)
    assert latest_report_month(reads_for(None, sample_engine), FilterState(), today) == date(2025, 12, 1)
    assert latest_report_month(reads_for(None, sample_engine), FilterState(month_to=JUNE), today) == JUNE
    assert latest_report_month(reads_for(None, sample_engine), FilterState(), date(2024, 7, 15)) == JUNE


def test_english_report_and_file_names(sample_engine, settings, report_sv):
    report = report_for(None, sample_engine, settings, JUNE, ("tantolunden",), lang="en")
    document = Document(io.BytesIO(report_bytes(report, "docx")))
    assert styled(document, "Title") == ["Status report Västra Södermalm – June 2024"]
    assert styled(document, "Heading 1") == HEADINGS_EN
    assert document.tables[0].rows[0].cells[0].text == "Indicator"
    assert styled(document, "Caption")[0].startswith("Figure 1: Drug dealing and drug use per month, Jun 2023–Jun 2024")
    assert report_filename(report, "pdf") == "status-report_tantolunden_2024-06--2024-06.pdf"
    assert report_filename(report_sv, "docx") == "lagesrapport_hela-omradet_2024-06--2024-06.docx"


def test_the_html_for_the_pdf_fetches_nothing(report_sv):
    html = render_html(report_sv)
    assert html.count('src="data:image/png;base64,') == len(report_sv.charts)
    assert "http://" not in html and "https://" not in html and "<script" not in html


# ---- PDF ----

@pytest.mark.browser
@pytest.mark.slow
def test_the_pdf_is_a4_with_the_title(report_sv):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(report_bytes(report_sv, "pdf")))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((595, 842), abs=2)
    first = reader.pages[0].extract_text()
    assert TITLE in first and "Effektmål" in first and "Sida 1 av" in first


# ---- the command ----

def test_cli_writes_the_word_report(dashboard_store_url, tmp_path):
    out = tmp_path / "rapport.docx"
    result = CliRunner().invoke(main, ["report", "--month", "2024-06", "--out", str(out), "--db", dashboard_store_url])
    assert result.exit_code == 0, result.output
    assert styled(Document(out), "Title") == [TITLE]


@pytest.mark.browser
@pytest.mark.slow
def test_cli_writes_the_pdf_report_in_english_for_a_place(dashboard_store_url, tmp_path):
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", "--month", "2024-06", "--out", str(out), "--place", "tantolunden",
                                       "--lang", "en", "--db", dashboard_store_url])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2024-13", "--out", "x.docx"], "is not a month; write YYYY-MM"),
    (["--month", "2024-06", "--out", "x.txt"], "must end in .docx or .pdf"),
    (["--month", "2099-01", "--out", "x.pdf"], "is not over yet"),
    (["--month", "2024-06", "--out", "x.docx", "--place", "atlantis"], "unknown place(s): atlantis"),
])
def test_cli_usage_errors_exit_2(dashboard_store_url, tmp_path, args, message):
    args = [a if a not in ("x.docx", "x.txt", "x.pdf") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(main, ["report", *args, "--db", dashboard_store_url])
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_never_creates_a_store(tmp_path):
    missing = tmp_path / "none.sqlite"
    result = CliRunner().invoke(main, ["report", "--month", "2024-06", "--out", str(tmp_path / "r.docx"),
                                       "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 1 and "no store at" in result.output
    assert not missing.exists()


# ---- the button on Översikt ----

def download(browsing, tmp_path):
    page = browsing.page
    with page.expect_download(timeout=90_000) as info:
        page.click("#report-docx")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


@pytest.mark.browser
@pytest.mark.slow
def test_the_overview_button_downloads_the_word_report(browsing, tmp_path):
    browsing.open("/?from=2024-01&to=2024-06")
    page = browsing.page
    assert "juni 2024" in page.inner_text("#report-bar")
    target = download(browsing, tmp_path)
    assert target.name == "lagesrapport_hela-omradet_2024-06--2024-06.docx"
    document = Document(target)
    assert styled(document, "Title") == [TITLE]
    assert styled(document, "Heading 1") == HEADINGS_SV
    browsing.assert_clean()


@pytest.mark.browser
@pytest.mark.slow
def test_the_english_ui_downloads_an_english_report(browsing, tmp_path):
    browsing.open("/?place=tantolunden&from=2024-01&to=2024-06")
    page = browsing.page
    page.click(".lang-switch >> text=English")
    page.wait_for_function("() => document.querySelector('#report-docx')?.innerText"
                           " === 'Download status report (Word)'")
    target = download(browsing, tmp_path)
    assert target.name == "status-report_tantolunden_2024-06--2024-06.docx"
    assert styled(Document(target), "Heading 1") == HEADINGS_EN
    browsing.assert_clean()
