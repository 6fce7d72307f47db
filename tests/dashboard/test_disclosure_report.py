"""The lägesrapport made for a partner (the Översikt button, issue 5): what the Word and PDF files say about rejected
rows and dates.

- Rejected rows: the reasons quote the rejected cell's value (raw data of a single record), so a partner gets the
  rejected rows per file and column instead, those counts protected ('<5', the others rounded), with a sentence
  saying why.
- 'Data t.o.m.' and each source's latest date: for one place and month they may be the day of the only incident. A
  partner gets the end of the month instead, or the area's own freshness date when that is earlier (the rule of every
  page export, dashboard.export.page.protected_through).
- Styrgrupp sees the report as before; the CLI (`lagesbild report`) runs outside a request and shows everything.
"""

from __future__ import annotations

import base64
import calendar
import html
import importlib
import io
import sqlite3
from datetime import date, datetime

import pandas as pd
import pytest
from click.testing import CliRunner
from docx import Document
from sqlalchemy.engine import make_url

from lagesbild import queries
from lagesbild.captions import source_label
from lagesbild.cli import main
from lagesbild.i18n.formats import fmt_date
from lagesbild.render.report import report_bytes
from lagesbild.render.report_html import render_html
from lagesbild.settings import load_settings, sqlite_url
from lagesbild.store.db import make_engine
from loaders.load import load_file
from tests.conftest import DATA_DIR
from tests.dashboard.rejected_rows import RAW_VALUES as REJECTED_RAW
from tests.dashboard.rejected_rows import store_with_rejections
from tests.dashboard.roles import as_role, on_store, report_for

JUNE = date(2024, 6, 1)
NOW = datetime(2026, 11, 27, 14, 5)
KINDS = ("incidents", "outreach", "events", "surveys")  # what the report (Översikt's) dates its data by
BAD_DATES = DATA_DIR / "broken" / "est_bad_dates.csv"  # row 3 has Datum '2023-05-32', row 4 has Tid 'kväll'
RAW_VALUES = ("'2023-05-32'", "'kväll'", "not a date", "not a time")  # as quoted ('kvällen' is a survey's word)
NOTE_SV = "För din roll visas tal från 1 till 4 som ”<5”"
WITHHELD_SV = "Skälen visas inte för din roll: de citerar värdet i den avvisade raden."
BY_COLUMN_HEADER = ["Fil", "Kolumn", "Avvisade"]


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def docx_of(report) -> Document:
    return Document(io.BytesIO(report_bytes(report, "docx")))


def all_text(document) -> str:
    """Every paragraph and table cell of the document, and its properties (the caption is written there too)."""
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    properties = document.core_properties
    return "\n".join([*(p.text for p in document.paragraphs), *cells, properties.comments or "",
                      properties.subject or ""])


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def by_column_tables(document) -> list[list[list[str]]]:
    return [table_rows(table) for table in document.tables if table_rows(table)[0] == BY_COLUMN_HEADER]


def freshness_dates(document) -> dict[str, str]:
    """The freshness table (the one headed 'Källa'): source label -> its latest date."""
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Källa")
    return {row[0][2:]: row[2] for row in table_rows(table)[1:]}


@pytest.fixture(scope="module")
def settings(dashboard_store_url):
    return load_settings({}).with_db(dashboard_store_url)


# ---- rejected rows ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rejected_store(dashboard_store_url, tmp_path_factory):
    """The sample store copied, with est_bad_dates.csv loaded with --skip-invalid: two rows rejected, whose reasons
    quote the cells '2023-05-32' and 'kväll'."""
    target = tmp_path_factory.mktemp("report-rejections") / "store.sqlite"
    source, copy = sqlite3.connect(make_url(dashboard_store_url).database), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    url = sqlite_url(target)
    settings = load_settings({}).with_db(url)
    engine = make_engine(url)
    load_file(engine, BAD_DATES, settings, skip_invalid=True)
    reasons = queries.rejection_reasons(engine)
    assert all(any(raw in reason for reason in reasons["reason"]) for raw in RAW_VALUES)  # the leak to close
    return url, engine, settings


@pytest.fixture(scope="module")
def rejected_reports(dash_app, rejected_store):
    _, engine, settings = rejected_store
    made = {}
    for role in ("styrgrupp", "partner"):
        made[role] = report_for(role, engine, settings, JUNE, lang="sv", now=NOW, charts=False)
    return made


def test_a_partners_report_quotes_no_rejected_value(rejected_reports):
    full, partner = rejected_reports["styrgrupp"], rejected_reports["partner"]
    theirs, mine = all_text(docx_of(full)), all_text(docx_of(partner))
    assert all(raw in theirs for raw in RAW_VALUES)  # the styrgrupp's report lists the reasons, as before
    assert not any(raw in mine for raw in RAW_VALUES)
    assert partner.reasons == ()
    printed = html.unescape(render_html(partner))  # what the PDF prints
    assert all(raw in html.unescape(render_html(full)) for raw in RAW_VALUES)
    assert not any(raw in printed for raw in RAW_VALUES)


def test_a_partner_gets_the_rejected_rows_per_file_and_column_protected(rejected_reports):
    full, partner = rejected_reports["styrgrupp"], rejected_reports["partner"]
    document = docx_of(partner)
    # one row rejected in each column of the file: both are small counts
    assert by_column_tables(document) == [[BY_COLUMN_HEADER, ["est_bad_dates.csv", "Datum", "<5"],
                                           ["est_bad_dates.csv", "Tid", "<5"]]]
    said = [p.text for p in document.paragraphs if p.text.startswith("Avvisade rader per fil och kolumn.")]
    assert len(said) == 1 and WITHHELD_SV in said[0] and NOTE_SV in said[0]
    assert by_column_tables(docx_of(full)) == []  # the styrgrupp has the reasons instead
    assert full.rejected_columns is None and full.rejected_note == ""
    # the loads per source: operational metadata, but the rejected rows are protected, or their total (2) would
    # give the two cells above away
    assert partner.rejected.header == full.rejected.header
    rejected = full.rejected.header.index("Avvisade")
    assert [row[rejected] for row in partner.rejected.rows] == \
        ["<5" if 1 <= int(row[rejected].replace("\u00a0", "")) <= 4 else row[rejected] for row in full.rejected.rows]
    assert "<5" in [row[rejected] for row in partner.rejected.rows]
    assert "<5" in partner.rejected_summary and "2" in full.rejected_summary
    printed = render_html(partner)
    table = printed.split('<table id="rejections-by-column">', 1)[1].split("</table>", 1)[0]
    assert table.count("&lt;5") == 2 and "est_bad_dates.csv" in table
    assert 'id="rejections-protected"' in printed and 'id="rejections-by-column"' not in render_html(full)


def assert_rejections_shown_to_a_partner(table: list[list[str]]) -> None:
    """est.csv: the whole-row problems (7) and Tid (12) rounded, Datum (3 + 1) hidden; polis.json: Latitud 40."""
    assert [row[:2] for row in table] == [["est.csv", "–"], ["est.csv", "Datum"], ["est.csv", "Tid"],
                                          ["polis.json", "Latitud"]]
    assert table[0][2] in {"5", "10"} and table[1][2] == "<5" and table[2][2] in {"10", "15"} and table[3][2] == "40"


def test_the_rejections_table_shows_a_partner_every_count_as_the_rule_does(dashboard_store_url, tmp_path):
    url = store_with_rejections(dashboard_store_url, tmp_path)
    engine, settings = make_engine(url), load_settings({}).with_db(url)
    partner = report_for("partner", engine, settings, JUNE, lang="sv", now=NOW, charts=False)
    full = report_for("styrgrupp", engine, settings, JUNE, lang="sv", now=NOW, charts=False)
    document = docx_of(partner)
    tables = by_column_tables(document)
    assert len(tables) == 1 and tables[0][0] == BY_COLUMN_HEADER
    assert_rejections_shown_to_a_partner(tables[0][1:])
    again = report_for("partner", engine, settings, JUNE, lang="sv", now=NOW, charts=False)
    assert by_column_tables(docx_of(again)) == tables  # the same records, the same numbers
    assert not any(raw in all_text(document) for raw in REJECTED_RAW)
    assert len(full.reasons) == 5 and "'2024-13-45'" in " ".join(full.reasons)


def test_the_cli_report_runs_outside_a_request_and_keeps_the_reasons(rejected_store, tmp_path):
    """`lagesbild report` is run by whoever has the store: nothing is hidden, as before."""
    url, _, _ = rejected_store
    out = tmp_path / "rapport.docx"
    result = CliRunner().invoke(main, ["report", "--month", "2024-06", "--out", str(out), "--db", url])
    assert result.exit_code == 0, result.output
    document = Document(out)
    assert all(raw in all_text(document) for raw in RAW_VALUES)
    assert by_column_tables(document) == []


def test_the_styrgrupps_report_is_the_one_made_outside_a_request(dash_app, rejected_store, rejected_reports):
    _, engine, settings = rejected_store
    outside = report_for(None, engine, settings, JUNE, lang="sv", now=NOW, charts=False)
    assert rejected_reports["styrgrupp"] == outside


# ---- dates: 'Data t.o.m.' and the sources' latest dates -----------------------------------------------------------

@pytest.fixture(scope="module")
def january(dash_app, sample_engine, settings):
    """January 2024 in Tantolunden: its latest fact (an outreach shift) is from 25 January, and the police feed's
    latest there is one incident of 2 September 2023."""
    made = {}
    for role in ("styrgrupp", "partner"):
        made[role] = report_for(role, sample_engine, settings, date(2024, 1, 1), ("tantolunden",), lang="sv",
                                now=NOW, charts=False)
    return made


def test_a_partners_data_through_is_the_months_end_not_a_records_day(january, sample_engine):
    exact, _ = queries.data_through(sample_engine, KINDS, ("tantolunden",), None, date(2024, 1, 31))
    assert exact == date(2024, 1, 25)  # the day of a record: what the styrgrupp's report says, as before
    assert january["styrgrupp"].caption.data_through == exact
    assert january["partner"].caption.data_through == date(2024, 1, 31)
    theirs, mine = docx_of(january["styrgrupp"]), docx_of(january["partner"])
    assert "Data t.o.m. 25 januari 2024" in all_text(theirs)
    text = all_text(mine)
    assert "Data t.o.m. 31 januari 2024" in text and "25 januari 2024" not in text
    assert mine.paragraphs[1].text == "Tantolunden · jan 2024"
    assert mine.paragraphs[2].text.startswith("Data t.o.m. 31 januari 2024 · ")  # the subtitle
    assert "Data t.o.m. 31 januari 2024" in render_html(january["partner"])


def source_dates(engine, month: date, places: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Each source's latest date in the places by the month's end, as the styrgrupp's table says it (the exact day)
    and as a partner's must: the end of that day's month, or the source's latest date in the area when earlier."""
    exact = queries.freshness_until(engine, month_end(month), places)
    area = queries.freshness(engine)
    area_latest = {source: pd.Timestamp(day).date() for source, day in zip(area["source"], area["last_date"],
                                                                          strict=True)}
    days = dict(zip(exact["source"], exact["last_date"], strict=True))
    protected = {source: min(month_end(day), area_latest[source]) if day else None for source, day in days.items()}
    return ({source_label(source, "sv"): fmt_date(day) for source, day in days.items()},
            {source_label(source, "sv"): fmt_date(day) for source, day in protected.items()})


def test_a_partners_source_dates_are_month_ends_or_the_areas_freshness(january, sample_engine):
    exact, protected = source_dates(sample_engine, date(2024, 1, 1), ("tantolunden",))
    assert exact[source_label("polisen-feed", "sv")] == "2 september 2023"  # the feed's one incident there
    assert freshness_dates(docx_of(january["styrgrupp"])) == exact
    mine = freshness_dates(docx_of(january["partner"]))
    assert mine == protected and mine[source_label("polisen-feed", "sv")] == "30 september 2023"
    assert all(day.startswith(("30 ", "31 ")) for day in mine.values())  # month ends here: the area runs later
    intro = january["partner"].freshness_intro
    assert "slutet av dess månad" in intro and "slutet av dess månad" not in january["styrgrupp"].freshness_intro


def test_a_partners_data_through_is_the_areas_freshness_when_that_is_earlier(dash_app, sample_engine, settings):
    """January 2026, after the sample's last facts (31 December 2025 over the area): the area's date, not the
    month's end; in Liljeholmsbron the latest fact is of 22 December 2025."""
    month = date(2026, 1, 1)
    area, _ = queries.data_through(sample_engine, KINDS)
    assert area == date(2025, 12, 31) < month_end(month)
    made = {}
    for role in ("styrgrupp", "partner"):
        made[role] = report_for(role, sample_engine, settings, month, ("liljeholmsbron",), lang="sv", now=NOW,
                                charts=False)
    assert made["styrgrupp"].caption.data_through == date(2025, 12, 22)
    assert made["partner"].caption.data_through == area
    exact, protected = source_dates(sample_engine, month, ("liljeholmsbron",))
    assert freshness_dates(docx_of(made["styrgrupp"])) == exact
    assert freshness_dates(docx_of(made["partner"])) == protected != exact


# ---- the button on Översikt ---------------------------------------------------------------------------------------

def test_the_download_button_gives_a_partner_the_counts_and_the_months_end(dash_app, dashboard_store_url, tmp_path):
    """The Översikt button's callback, in a request of a partner and of the styrgrupp, for Tantolunden in January."""
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    page = importlib.import_module("dashboard.pages.oversikt")
    url = store_with_rejections(dashboard_store_url, tmp_path)
    token = context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "report-docx.n_clicks", "value": 1}]))
    try:
        files = {}
        for role in ("styrgrupp", "partner"):
            with on_store(dash_app, url), as_role(dash_app, role):
                sent, error = page.download_report(1, None, {"places": ["tantolunden"], "month": "2024-01",
                                                             "lang": "sv"})
            assert error is None
            files[role] = Document(io.BytesIO(base64.b64decode(sent["content"])))
    finally:
        context_value.reset(token)
    theirs, mine = all_text(files["styrgrupp"]), all_text(files["partner"])
    assert "'2024-13-45'" in theirs and "Data t.o.m. 25 januari 2024" in theirs
    assert not any(raw in mine for raw in REJECTED_RAW)
    assert_rejections_shown_to_a_partner(by_column_tables(files["partner"])[0][1:])
    assert "Data t.o.m. 31 januari 2024" in mine and "25 januari 2024" not in mine
