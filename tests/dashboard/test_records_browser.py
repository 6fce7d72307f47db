"""Projektregister in headless Chromium, logged in as the steering group and as a partner, on a copy of the sample
store: every kind created, edited (history with both versions and who) and closed; stale edits and bad values
refused; a partner reads the shared records and is refused on edit through the page and by a direct request; the
risk matrix, overdue actions and budget totals against the store; the Excel import round trip and a broken file."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from lagesbild import accounts
from lagesbild.i18n.formats import fmt_int
from lagesbild.records.access import Actor
from lagesbild.records.kinds import KINDS
from lagesbild.records.register import get_record, list_records, record_history
from lagesbild.records.report import open_actions, risk_matrix
from lagesbild.store.db import make_engine
from tests.dashboard.closed_app import closed_app
from tests.dashboard.conftest import Browsing, _is_local
from tests.dashboard.login import TEST_PASSWORD, log_in
from tests.dashboard.roles import copy_store, on_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAIR, PARTNER = "ordforande", "polisen"
ADMIN = Actor("test", "admin")
PAGE = "/projektregister"


@pytest.fixture(scope="module")
def store(dash_app, dashboard_store_url, sample_engine, tmp_path_factory):
    """The session's app closed, with a steering-group and a partner account (in the sample store, where the login
    looks), its pages reading and writing a copy of the sample store."""
    url = copy_store(dashboard_store_url, tmp_path_factory.mktemp("records") / "store.sqlite")
    for name, role in ((CHAIR, "styrgrupp"), (PARTNER, "partner")):
        accounts.add_user(sample_engine, name, TEST_PASSWORD, role)
    try:
        with closed_app(dash_app), on_store(dash_app, url):
            yield url
    finally:
        for name in (CHAIR, PARTNER):
            accounts.remove_user(sample_engine, name)


@pytest.fixture(scope="module")
def engine(store):
    engine = make_engine(store)
    yield engine
    engine.dispose()


def browse(chromium, base: str, username: str, size=(1920, 1080), path: str = PAGE) -> Browsing:
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]}, locale="sv-SE",
                                   accept_downloads=True)
    page = context.new_page()
    seen = Browsing(page, base)
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    page.on("request", lambda req: None if _is_local(req.url) else seen.external.append(req.url))
    log_in(page, base, path, username, TEST_PASSWORD)
    page.wait_for_selector(".page-title")
    return seen


@pytest.fixture
def chair(chromium, live_server, store):
    seen = browse(chromium, live_server, CHAIR)
    yield seen
    seen.page.context.close()


@pytest.fixture
def partner(chromium, live_server, store):
    seen = browse(chromium, live_server, PARTNER)
    yield seen
    seen.page.context.close()


# ---- driving the form ----

def field(name: str) -> str:
    return f"[id='{json.dumps({'name': name, 'type': 'rec-field'}, separators=(',', ':'))}']"


def error_of(page, name: str) -> str:
    return page.inner_text(f"[id='{json.dumps({'name': name, 'type': 'rec-error'}, separators=(',', ':'))}']")


def tab(page, kind: str) -> None:
    page.click(f"#rec-tabs a:text-is('{KINDS[kind].label('sv')}')" if kind != "risk_reviews" else
               f"#rec-tabs a:text-is('{KINDS['risks'].label('sv')}')")


def fill(page, values: dict[str, str | list[str]]) -> None:
    for name, value in values.items():
        selector = field(name)
        tag = page.eval_on_selector(selector, "e => e.tagName")
        if isinstance(value, list):  # a checklist: click each option's label
            for option in value:
                page.click(f"{selector} label:text-is('{option}')")
        elif tag == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def new_record(page, kind: str, values: dict) -> str:
    """Create a record through its form; returns the id the notice names."""
    tab(page, kind)
    page.click(f"[id='{json.dumps({'kind': kind, 'type': 'rec-new'}, separators=(',', ':'))}']")
    page.wait_for_selector("#rec-modal .record-form")
    fill(page, values)
    return save(page)


def save(page, button: str = "#rec-save") -> str:
    """Click Save (or Close the record) and wait for the page's notice to name the new version."""
    before = page.evaluate("() => (document.querySelector('#rec-notice') || {}).innerText || ''")
    drawn = page.get_attribute("#rec-drawn", "data-drawn")
    page.click(button)
    page.wait_for_selector("#rec-feedback .alert, #rec-notice.alert-success")
    assert page.query_selector("#rec-feedback .alert") is None, page.inner_text("#rec-feedback")
    page.wait_for_function("""before => { const n = document.querySelector('#rec-notice.alert-success');
        return n && n.innerText && n.innerText !== before; }""", arg=before)
    page.wait_for_selector("#rec-modal .record-form", state="hidden")
    page.wait_for_function("""drawn => { const mark = document.querySelector('#rec-drawn');
        return mark && mark.dataset.drawn !== drawn; }""", arg=drawn)  # the lists drawn again, with the change
    return page.inner_text("#rec-notice").split(" ")[0]


def wait_error(page, name: str, message: str) -> None:
    selector = f"[id='{json.dumps({'name': name, 'type': 'rec-error'}, separators=(',', ':'))}']"
    page.wait_for_function("([s, m]) => { const e = document.querySelector(s); return e && e.innerText === m; }",
                           arg=[selector, message])


def open_record(page, kind: str, record_id: str) -> None:
    tab(page, kind)
    page.click(f"#rec-table-{kind} a.record-open:text-is('{record_id}')")
    page.wait_for_selector("#rec-history")


NEW = {
    "actions": {"title": "Ny belysning vid Ringvägen", "meeting_on": "2026-11-17", "owner": "Projektledare",
                "due_on": "2026-12-15"},
    "risks": {"title": "Vintermörker gör parkerna otrygga", "owner": "Trygghetssamordnare",
              "identified_on": "2026-11-17"},
    "change_requests": {"title": "Mer pengar till belysning", "change_kinds": ["Budget"],
                        "description": "50 000 kr till belysning", "reason": "Mörkt", "requested_by": "Projektledare",
                        "submitted_on": "2026-11-17"},
    "budget": {"month": "2026-11", "category": "urban_environment", "amount_sek": "12 500"},
    "classifications": {"assessed_on": "2026-11-20", "assessed_by": "Polisen, LPO Södermalm",
                        "outcome": "not_classified"},
}
EDIT = {"actions": ("owner", "Trygghetssamordnare"), "risks": ("owner", "Projektledare"),
        "change_requests": ("reason", "Mörkt kvällstid"), "budget": ("amount_sek", "13 000"),
        "classifications": ("reference", "A-123/2026")}
CLOSED = {"actions": "done", "risks": "closed", "change_requests": "approved", "budget": "voided",
          "classifications": "withdrawn"}


@pytest.mark.parametrize("kind", list(NEW))
def test_each_kind_is_created_edited_with_its_history_and_closed(chair, engine, kind):
    page = chair.page
    record_id = new_record(page, kind, NEW[kind])
    assert get_record(engine, kind, record_id, ADMIN).version == 1

    name, value = EDIT[kind]
    open_record(page, kind, record_id)
    fill(page, {name: value})
    assert save(page) == record_id
    open_record(page, kind, record_id)
    history = page.inner_text("#rec-history")
    assert "Version 2 · Ändrad av ordforande" in history and "Version 1 · Skapad av ordforande" in history
    assert value.replace(" ", "") in page.inner_text("#history-v2").replace("\xa0", "").replace(" ", "")

    if kind == "change_requests":  # a change request is closed by its decision: status and date in the form
        fill(page, {"status": "approved", "decided_on": "2026-11-24", "decided_how": "Styrgruppsmöte § 4"})
        save(page)
    else:
        save(page, "#rec-close")
    record = get_record(engine, kind, record_id, ADMIN)
    assert (record.version, record["status"], record.operation, record.recorded_by) == (3, CLOSED[kind], "closed",
                                                                                        CHAIR)
    assert [v.version for v in record_history(engine, kind, record_id, ADMIN)] == [1, 2, 3]
    chair.assert_clean()


def test_a_risk_review_is_created_and_its_key_stays_fixed(chair, engine):
    page = chair.page
    record_id = new_record(page, "risk_reviews", {"risk_id": "R-002", "month": "2026-11", "probability": "4",
                                                   "consequence": "4"})
    assert record_id == "R-002:2026-11"
    open_record(page, "risk_reviews", record_id)
    assert page.is_disabled(field("month")) and page.is_disabled(field("risk_id"))
    fill(page, {"probability": "3"})
    save(page)
    assert get_record(engine, "risk_reviews", record_id, ADMIN)["probability"] == 3


def test_bad_values_are_refused_field_by_field_and_nothing_is_saved(chair, engine):
    page = chair.page
    before = len(list_records(engine, "actions", ADMIN))
    tab(page, "actions")
    page.click(f"[id='{json.dumps({'kind': 'actions', 'type': 'rec-new'}, separators=(',', ':'))}']")
    page.wait_for_selector("#rec-modal .record-form")
    fill(page, {"title": "Något", "meeting_on": "2026-11-17", "due_on": "2026-10-01"})
    page.click("#rec-save")
    page.wait_for_selector("#rec-invalid")
    assert error_of(page, "owner") == "måste fyllas i"
    page.fill(field("owner"), "Projektledare")
    page.click("#rec-save")
    wait_error(page, "due_on", "2026-10-01 ligger före Mötesdatum 2026-11-17")
    assert error_of(page, "owner") == ""
    assert len(list_records(engine, "actions", ADMIN)) == before


def test_an_edit_from_an_old_version_is_refused_and_says_what_to_do(chromium, live_server, chair, engine):
    other = browse(chromium, live_server, CHAIR)
    try:
        for browsing in (chair, other):
            open_record(browsing.page, "actions", "B-025")
        version = get_record(engine, "actions", "B-025", ADMIN).version
        fill(chair.page, {"note": "Först"})
        save(chair.page)
        fill(other.page, {"note": "Sedan"})
        other.page.click("#rec-save")
        refusal = other.page.wait_for_selector("#rec-stale").inner_text()
        assert f"du utgick från version {version}, nu finns version {version + 1}" in refusal
        assert get_record(engine, "actions", "B-025", ADMIN)["note"] == "Först"
    finally:
        other.page.context.close()


# ---- partners ----

def test_a_partner_reads_the_shared_records_and_gets_no_form_to_change_them(partner, engine):
    page = partner.page
    page.wait_for_selector("#rec-read-only")
    shown = set(page.eval_on_selector_all("#rec-table-actions .record-open", "es => es.map(e => e.innerText)"))
    shared = {r.record_id for r in list_records(engine, "actions", ADMIN) if r.shared}
    assert shown == shared and "B-003" not in shown  # B-003 is not shared
    assert page.query_selector(".record-new") is None
    tab(page, "risks")
    assert page.inner_text("#rec-table-risks") == "Inga poster ännu."  # no risk is shared in the sample
    open_record(page, "actions", "B-020")
    assert page.is_visible("#rec-form-read-only") and page.is_disabled(field("title"))
    assert not page.is_visible("#rec-save") and not page.is_visible("#rec-close")
    partner.assert_clean()


def test_a_partners_direct_request_to_save_is_refused_and_changes_nothing(chair, partner, engine, live_server):
    """The steering group's own save request, captured, replayed from the partner's session: the register refuses."""
    requests = []
    chair.page.on("request", lambda r: requests.append(r.post_data) if "_dash-update-component" in r.url
                  and "rec-error" in json.loads(r.post_data or "{}").get("output", "") else None)
    open_record(chair.page, "actions", "B-023")
    fill(chair.page, {"note": "Styrgruppens ändring"})
    save(chair.page)
    payload = json.loads(requests[-1])
    before = record_history(engine, "actions", "B-023", ADMIN)
    editing = next(s for s in payload["state"] if isinstance(s, dict) and s["id"] == "rec-editing")
    editing["value"]["version"] = before[-1].version  # the version the store has now: only the role stands in the way
    for states in payload["state"]:
        if isinstance(states, list):
            for item in states:
                if item["id"]["name"] == "note":
                    item["value"] = "Partnerns ändring"
    answer = partner.page.request.post(live_server + "/_dash-update-component", data=json.dumps(payload),
                                       headers={"Content-Type": "application/json", "Origin": live_server})
    assert answer.status == 200
    assert "din roll får läsa men inte ändra" in json.dumps(answer.json(), ensure_ascii=False)
    assert record_history(engine, "actions", "B-023", ADMIN) == before


# ---- what the page shows against the store ----

def test_the_risk_matrix_cells_match_the_register(chair, engine):
    tab(chair.page, "risks")
    chair.page.wait_for_selector("#rec-risk-matrix")
    matrix = risk_matrix(engine, ADMIN, date.today())
    assert matrix.risks, "the sample has open risks"
    for (probability, consequence), ids in matrix.cells.items():
        marks = chair.page.eval_on_selector_all(f"#matrix-{probability}-{consequence} .risk-mark",
                                                "es => es.map(e => e.innerText.split(' ')[0])")
        assert marks == list(ids), (probability, consequence)
    for risk in matrix.risks:
        assert chair.page.inner_text(f"#position-{risk.record_id}").split("\t")[-1].startswith(
            {"same": "Oförändrad", "worse": "Sämre", "better": "Bättre", "moved": "Flyttad", "new": "Första",
             "unreviewed": "Inte"}
            [risk.movement])


def overdue_by_sql(engine, shared_only: bool) -> set[str]:
    """Open actions past their due date, counted from the table without the register."""
    query = text("""
        SELECT a.record_id FROM record_actions a
        JOIN (SELECT record_id, MAX(version) AS v FROM record_actions GROUP BY record_id) l
          ON l.record_id = a.record_id AND l.v = a.version
        WHERE a.status = 'open' AND a.due_on < :today AND a.meeting_on <= :today""" +
                 (" AND a.shared" if shared_only else ""))
    with engine.connect() as conn:
        return set(conn.execute(query, {"today": date.today()}).scalars())


def test_overdue_actions_are_flagged_on_oversikt_for_each_role(chromium, live_server, engine):
    for username, shared_only in ((CHAIR, False), (PARTNER, True)):
        seen = browse(chromium, live_server, username, path="/")
        try:
            seen.page.wait_for_selector("#oversikt-overdue")
            shown = {e.split(" ")[0] for e in seen.page.eval_on_selector_all(
                "#oversikt-overdue .overdue-item", "es => es.map(e => e.innerText)")}
            assert shown == overdue_by_sql(engine, shared_only) and shown, username
            assert "dagar sen" in seen.page.inner_text("#oversikt-overdue")
            assert "Polisens senaste bedömning" in seen.page.inner_text("#goal-classification")
        finally:
            seen.page.context.close()
    viewer = Actor(CHAIR, "styrgrupp")
    assert {a.record_id for a in open_actions(engine, viewer, date.today()) if a.overdue} == \
        overdue_by_sql(engine, False)


def booked_by_sql(engine, first: date, last: date) -> float:
    table = KINDS["budget"].table
    latest = select(table.c.record_id, func.max(table.c.version).label("v")).group_by(table.c.record_id).subquery()
    query = (select(func.sum(table.c.amount_sek)).join(latest, (latest.c.record_id == table.c.record_id)
                                                      & (latest.c.v == table.c.version))
             .where(table.c.status == "booked", table.c.month >= first, table.c.month <= last))
    with engine.connect() as conn:
        return float(conn.execute(query).scalar() or 0)


def test_budget_totals_match_direct_sql(chair, engine):
    page = chair.page
    tab(page, "budget")
    page.select_option("#rec-budget-month", "2023-06-01")
    page.wait_for_function("() => document.querySelector('#rec-budget-view .kpi-label').innerText"
                           ".includes('juni 2023')")
    year = booked_by_sql(engine, date(2023, 1, 1), date(2023, 6, 1))
    june = booked_by_sql(engine, date(2023, 6, 1), date(2023, 6, 1))
    assert year > 0 and june > 0
    assert shown(page, "#budget-ytd") == plain(f"{fmt_int(year)} kr")
    assert shown(page, "#budget-month") == plain(f"{fmt_int(june)} kr")
    assert shown(page, "#budget-total") == plain(fmt_int(year))
    strip = shown(page, "#rec-budget-view .number-strip")
    assert "av högst 2 000 000 kr" in strip and "av högst 275 000 kr" in strip


def plain(value: str) -> str:
    return value.replace("\xa0", " ").replace("\u202f", " ")


def shown(page, selector: str) -> str:
    return plain(page.inner_text(selector))


# ---- the Excel import ----

def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {k: conn.execute(select(func.count()).select_from(kind.table)).scalar() for k, kind in KINDS.items()}


def exported(page, tmp_path):
    with page.expect_download() as download:
        page.click("#rec-export")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    return path


def upload(page, path, outcome: str = "#rec-import-done") -> str:
    """Upload a workbook and wait for the page to say how it went; the message's text."""
    page.set_input_files("#rec-upload input[type=file]", str(path))
    page.wait_for_function("s => { const e = document.querySelector(s); return e && e.innerText; }", arg=outcome)
    return page.inner_text(outcome)


def test_the_excel_import_round_trips_a_filled_workbook(chair, engine, tmp_path):
    page = chair.page
    path = exported(page, tmp_path)
    before = counts(engine)
    assert "0 nya, 0 ändrade" in upload(page, path)  # the records as they are: nothing changes
    assert counts(engine) == before

    book = load_workbook(path)
    sheet = book["Beslut och åtgärder"]
    headers = [c.value for c in sheet[1]]
    row = {h: i for i, h in enumerate(headers)}
    for cells in sheet.iter_rows(min_row=2):
        if cells[row["ID"]].value == "B-025":
            cells[row["Ansvarig"]].value = "Kultursamordnare"
    new = [None] * len(headers)
    new[row["ID"]], new[row["Beslut/åtgärd"]], new[row["Mötesdatum"]] = "B-900", "Från kalkylbladet", "2026-11-17"
    new[row["Ansvarig"]], new[row["Status"]] = "Projektledare", "Öppen"
    sheet.append(new)
    filled = tmp_path / "ifylld.xlsx"
    book.save(filled)
    chair.open(PAGE)  # without the first import's note in the URL
    done = upload(page, filled)
    assert "Beslut och åtgärder: 1 nya, 1 ändrade" in done
    assert get_record(engine, "actions", "B-025", ADMIN)["owner"] == "Kultursamordnare"
    assert get_record(engine, "actions", "B-900", ADMIN).recorded_by == CHAIR
    page.wait_for_selector("#rec-table-actions [id*='B-900']")


def test_a_broken_workbook_is_refused_with_row_column_and_reason_and_nothing_written(chair, engine, tmp_path):
    page = chair.page
    path = exported(page, tmp_path)
    book = load_workbook(path)
    sheet = book["Riskuppföljning"]
    headers = [c.value for c in sheet[1]]
    column = headers.index("Sannolikhet (1–5)")
    sheet.cell(3, column + 1).value = 7
    sheet = book["Beslut och åtgärder"]
    sheet.cell(2, [c.value for c in sheet[1]].index("Ansvarig") + 1).value = "Projektledare"  # a good change too
    broken = tmp_path / "trasig.xlsx"
    book.save(broken)
    before = counts(engine)
    refused = upload(page, broken, "#rec-import-refused")
    assert "trasig.xlsx avvisades, inget sparades: 1 fel" in refused
    letter = chr(ord("A") + column)
    cells = page.eval_on_selector_all("#rec-import-problems tbody tr td", "es => es.map(e => e.innerText)")
    assert cells == ["Riskuppföljning", "3", f"{letter} (Sannolikhet (1–5))", "7 ligger inte mellan 1 och 5"]
    assert counts(engine) == before


# ---- phone and English ----

def test_the_form_works_on_a_phone(chromium, live_server, engine):
    seen = browse(chromium, live_server, CHAIR, size=(390, 844))
    try:
        page = seen.page
        record_id = new_record(page, "actions", {"title": "Från mobilen", "meeting_on": "2026-11-17",
                                                 "owner": "Projektledare"})
        assert get_record(engine, "actions", record_id, ADMIN)["title"] == "Från mobilen"
        open_record(page, "actions", record_id)
        width = page.evaluate("() => document.querySelector('.modal.show .modal-dialog').getBoundingClientRect().width")
        assert width <= 390
        assert page.evaluate("() => document.querySelector('#rec-save').getBoundingClientRect().right") <= 390
        seen.assert_clean()
    finally:
        page.context.close()


def test_the_page_speaks_english(chair):
    page = chair.page
    page.click("label:text-is('English')")
    page.wait_for_selector("#rec-tabs a:text-is('Decisions and actions')")
    page.click(f"[id='{json.dumps({'kind': 'actions', 'type': 'rec-new'}, separators=(',', ':'))}']")
    page.wait_for_selector("#rec-modal .record-form")
    page.click("#rec-save")
    page.wait_for_selector("#rec-invalid")
    assert error_of(page, "title") == "is required"
    assert page.inner_text("#rec-invalid").startswith("The record was not saved")
    page.click("#rec-cancel")
    page.wait_for_selector("#rec-modal .record-form", state="hidden")
    page.click("label:text-is('Svenska')")
