"""Small counts on the Data page and in every export path, for the partner role (issue 5).

Data page: coverage as present/absent only, rejected rows per file and column without the reasons (they quote raw
values), the unplaced share hidden when it rests on 1–4 rows, sources and load history unchanged (operational
metadata), the audit log for admins only. Exports: the CSV helper writes '<5'/'dolt' (never an empty cell), a
figure's image carries the protected figure and the rule's sentence, and the page PDF is drawn by a browser that
the server sees as the requesting user with the requester's role (never an admin or service identity).
"""

from __future__ import annotations

import base64
import html
import importlib
import io
import re
from datetime import date, datetime
from pathlib import Path

import flask
import pandas as pd
import pytest
from flask_login import login_user
from sqlalchemy import insert

from dashboard import app_context, auth
from dashboard.export import figure_download as export_graph
from dashboard.export import page as page_export
from lagesbild import disclosure
from lagesbild.accounts import add_user
from lagesbild.captions import Caption
from lagesbild.charts.figures import bar_by_place
from lagesbild.disclosure import COMPLEMENT, HIDDEN, Rule, protect, protect_columns
from lagesbild.reads.store import protect_unplaced
from lagesbild.render.csv_table import protected_columns_frame, protected_frame, to_csv_bytes
from lagesbild.store.db import make_engine
from lagesbild.store.schema import loads
from tests.dashboard.figure_check import validated
from tests.dashboard.layout_tree import figure, find
from tests.dashboard.login import log_in
from tests.dashboard.rejected_rows import RAW_VALUES, REJECTED, store_with_rejections
from tests.dashboard.roles import as_role, copy_store, on_store

RULE = Rule(salt=1_234_567)
QUERY = dict(place="tantolunden", **{"from": "2024-01", "to": "2024-06"})
PASSWORD = "a long disclosure test password 5"
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"drawn with {CHROMIUM}")
NOTE_SV = "För din roll visas tal från 1 till 4 som ”<5”"

SMALL = Rule().token  # a small count's reason: "<5"


@pytest.fixture(scope="module")
def data():
    return importlib.import_module("dashboard.pages.data")


@pytest.fixture(scope="module")
def rejected_url(dashboard_store_url, tmp_path_factory) -> str:
    """The sample store plus loads whose rejected rows quote raw values (tests/dashboard/rejected_rows.py)."""
    return store_with_rejections(dashboard_store_url, tmp_path_factory.mktemp("rejected"))


def texts(component) -> str:
    return str(component.to_plotly_json() if hasattr(component, "to_plotly_json") else component)


def table_cells(table) -> list[list]:
    return [[cell.children for cell in row.children] for row in table.children[1].children]


def csv_rows(sent: dict) -> list[list[str]]:
    content = base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()
    return [line.split(";") for line in content.decode("utf-8-sig").splitlines()]


# ---- the Data page ------------------------------------------------------------------------------------------------


def test_partner_sees_coverage_as_present_or_absent_without_a_single_count(dash_app, data):
    with as_role(dash_app, "styrgrupp"):
        full = data.layout(lang="sv", **QUERY)
    with as_role(dash_app, "partner"):
        partner = data.layout(lang="sv", **QUERY)
    index = 0
    while find(full, f"data-coverage-{index}") is not None:
        shown = figure(partner, f"data-coverage-{index}").data[0]
        counted = figure(full, f"data-coverage-{index}").data[0]
        assert {v for row in shown.z for v in row} <= {1, None}
        assert [[v is not None for v in row] for row in shown.z] == \
            [[not pd.isna(v) and v > 0 for v in row] for row in counted.z]  # the same cells have rows
        assert shown.showscale is False and "colorbar" not in shown.to_plotly_json()
        assert all(re.fullmatch(r"[^:]+: (rader finns|inga rader)", text) for row in shown.hovertext for text in row)
        index += 1
    assert index >= 3  # every source of the sample store has a grid
    assert any(v > 1 for row in figure(full, "data-coverage-0").data[0].z for v in row if not pd.isna(v))
    assert "hur många visas inte för din roll" in texts(find(partner, "data-coverage"))
    assert "hur många visas inte" not in texts(find(full, "data-coverage"))


def test_coverage_figure_presence_draws_one_colour_and_holds_no_count(data):
    frame = pd.DataFrame({"kind": "incidents", "source": "incident-log", "place_id": "park", "rows": [2, 57],
                          "month": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    months = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    fig = validated(data.coverage_figure(frame, months, [("park", "Parken"), ("torg", "Torget")], "en", presence=True))
    trace = fig.data[0]
    assert [list(row) for row in trace.z] == [[1, None, 1], [None, None, None]]
    assert list(trace.hovertext[0]) == ["Parken, January 2024: has rows", "Parken, February 2024: no rows",
                                  "Parken, March 2024: has rows"]
    plain = str(trace.to_plotly_json())
    assert "57" not in plain and ": 2" not in plain


def test_partner_gets_the_rule_sentence_and_no_audit_log(dash_app, data):
    pages = {}
    for role in ("admin", "styrgrupp", "partner"):
        with as_role(dash_app, role):
            pages[role] = data.layout(lang="sv", **QUERY)
    assert find(pages["partner"], "disclosure-note") is not None
    assert NOTE_SV in texts(find(pages["partner"], "disclosure-note"))
    assert find(pages["styrgrupp"], "disclosure-note") is None and find(pages["admin"], "disclosure-note") is None
    assert find(pages["admin"], "data-audit-table") is not None
    assert find(pages["styrgrupp"], "data-audit") is None and find(pages["partner"], "data-audit") is None


def test_sources_and_load_history_give_a_partner_row_counts_as_every_count(dash_app, data):
    """A load's or a source's rows are records: a partner sees them as every count (no 1–4, the rest rounded), the
    rest of the tables (kinds, sources, files, times, statuses) as everyone does."""
    with as_role(dash_app, "styrgrupp"):
        full = data.layout(lang="sv", **QUERY)
    with as_role(dash_app, "partner"):
        partner = data.layout(lang="sv", **QUERY)
    for table_id, counts in (("data-sources-table", range(4, 11)), ("data-history-table", range(6, 12))):
        exact, shown = table_cells(find(full, table_id)), table_cells(find(partner, table_id))
        assert len(exact) == len(shown) > 0
        for exact_row, shown_row in zip(exact, shown, strict=True):
            for column, (true, seen) in enumerate(zip(exact_row, shown_row, strict=True)):
                if column not in counts:
                    assert texts(seen) == texts(true)
                elif seen != "<5":
                    value, real = (int(text.replace("\u00a0", "")) for text in (seen, true))
                    assert value % 5 == 0 and abs(value - real) < 5 and (value == 0) == (real == 0)
                else:
                    assert 1 <= int(true.replace("\u00a0", "")) <= 4


def test_partner_sees_rejected_rows_per_file_and_column_without_the_reasons(dash_app, data, rejected_url):
    with on_store(dash_app, rejected_url):
        with as_role(dash_app, "styrgrupp"):
            full = html_of(data.rejections_section(app_context.current().reads(), "sv"))
        with as_role(dash_app, "partner"):
            section = data.rejections_section(app_context.current().reads(), "sv")
    assert all(raw in full for raw in RAW_VALUES)  # styrgrupp and admin: as before
    shown = html_of(section)
    assert not any(raw in shown for raw in RAW_VALUES)
    assert "Skälen visas inte för din roll: de citerar värdet" in shown
    table = next(part for part in section if getattr(part, "id", None) == "data-rejections-table")
    assert [cell.children for cell in table.children[0].children.children] == ["Fil", "Kolumn", "Avvisade"]
    # est.csv: Datum 3 + 1 = 4 is small; the whole-row problems (7) and Tid (12) rounded; rows in the order of file
    # and column, never of the counts.
    cells = table_cells(table)
    assert [row[:2] for row in cells] == [["est.csv", "–"], ["est.csv", "Datum"], ["est.csv", "Tid"],
                                          ["polis.json", "Latitud"]]
    assert cells[0][2] in {"5", "10"} and cells[1][2] == "<5" and cells[2][2] in {"10", "15"} and cells[3][2] == "40"


def html_of(parts: list) -> str:
    return " ".join(texts(part) for part in parts)


def test_partners_rejections_csv_is_the_protected_table(dash_app, data, rejected_url):
    with on_store(dash_app, rejected_url):
        with as_role(dash_app, "partner"):
            partner = csv_rows(data.download_rejections(1, "sv"))
        with as_role(dash_app, "styrgrupp"):
            full = csv_rows(data.download_rejections(1, "sv"))
    with on_store(dash_app, rejected_url), as_role(dash_app, "partner"):
        section = data.rejections_section(app_context.current().reads(), "sv")
    table = next(part for part in section if getattr(part, "id", None) == "data-rejections-table")
    shown = [[file, "" if column == "–" else column, count] for file, column, count in table_cells(table)]
    assert partner == [["Fil", "Kolumn", "Avvisade"], *shown]  # the CSV is the table as the page shows it
    assert full[0] == ["Fil", "Kolumn", "Skäl", "Avvisade"] and len(full) == 1 + len(REJECTED)
    assert any("2024-13-45" in cell for row in full for cell in row)


@pytest.mark.parametrize(("rows", "unplaced", "shown"), [
    (1000, 3, [{"1\u00a0000"}, {"<5"}, {"dolt"}]),  # the unplaced count is small: it and its share are hidden
    (500, 498, [{"500"}, {"495", "500"}, {"99,0\u00a0%", "100,0\u00a0%"}]),  # rounded: 2 placed cannot be told
    (300, 36, [{"300"}, {"35", "40"}, {"11,7\u00a0%", "13,3\u00a0%"}]),  # the share of the numbers shown
    (3, 0, [{"<5"}, {"0"}, {"0,0\u00a0%"}]),  # a small total; a real zero stays 0
])
def test_partners_unplaced_share_is_hidden_when_it_rests_on_a_small_count(data, rows, unplaced, shown):
    frame = pd.DataFrame({"kind": ["incidents"], "rows": [rows], "unplaced": [unplaced], "cell_key": [98_765],
                          "cell_records": [rows], "unplaced_cell_key": [4_321], "unplaced_cell_records": [unplaced]})
    cells = table_cells(data.unplaced_table(protect_unplaced(frame, RULE), "sv"))[0][1:]
    assert all(cell in allowed for cell, allowed in zip(cells, shown, strict=True)), cells
    everything = table_cells(data.unplaced_table(protect_unplaced(frame, None), "sv"))[0][1:]
    assert "<5" not in everything and "dolt" not in everything


def test_the_sample_stores_unplaced_table_is_rounded_for_partners(dash_app, data):
    """No kind of the sample store has 1–4 unplaced rows: nothing hidden there, the counts rounded."""
    with as_role(dash_app, "styrgrupp"):
        full = table_cells(find(data.layout(lang="sv"), "data-unplaced-table"))
    with as_role(dash_app, "partner"):
        partner = table_cells(find(data.layout(lang="sv"), "data-unplaced-table"))
    assert [row[0] for row in partner] == [row[0] for row in full]
    for exact, shown in zip(full, partner, strict=True):
        for true, seen in zip(exact[1:3], shown[1:3], strict=True):
            value, real = (int(text.replace("\u00a0", "")) for text in (seen, true))
            assert value % 5 == 0 and abs(value - real) < 5


# ---- CSV: every table download writes what the page shows ---------------------------------------------------------


def test_a_protected_frame_is_written_with_its_words_never_as_an_empty_cell():
    frame = protect(pd.DataFrame({"place_id": list("abcde"), "value": [0, 3, 10, 2, 40], "cell_key": range(5),
                                  "cell_records": [0, 3, 10, 2, 40]}), rule=RULE)
    assert list(frame[HIDDEN]) == ["", SMALL, "", SMALL, ""]
    rows = [line.split(";") for line in to_csv_bytes(frame).decode("utf-8-sig").splitlines()]
    assert rows == [["place_id", "value"], ["a", "0"], ["b", "<5"], ["c", "10"], ["d", "<5"], ["e", "40"]]
    survey = pd.DataFrame({"place_id": ["d"], "value": [float("nan")], HIDDEN: [COMPLEMENT]})
    assert to_csv_bytes(survey, "en").decode("utf-8-sig").splitlines()[1] == "d;hidden"
    assert list(protected_frame(frame, value="value").columns) == ["place_id", "value"]
    unprotected = pd.DataFrame({"place_id": ["a"], "value": [3]})
    assert protected_frame(unprotected) is unprotected  # a user who sees everything: untouched


def test_a_wide_protected_frame_is_written_with_its_words():
    frame = pd.DataFrame({"month": ["2024-01", "2024-02", "2024-03"], "contacts": [2, 30, 40],
                          "hours": [1.5, 2.0, 3.0], "cell_key": [1, 2, 3], "cell_records": [1, 6, 8]})
    shown, reasons = protect_columns(frame, ("contacts",), rule=RULE)
    out = protected_columns_frame(shown, reasons)
    assert list(out["contacts"]) == ["<5", 30, 40] and list(out["hours"]) == [1.5, 2.0, 3.0]
    assert "cell_key" not in out
    assert to_csv_bytes(out).decode("utf-8-sig").splitlines()[1] == "2024-01;<5;1,5"


# ---- a figure's image ---------------------------------------------------------------------------------------------


META = {"graph": "handelser-places", "names": {"sv": "Händelser per plats", "en": "Incidents by place"},
        "title": "Händelser per plats", "lang": "sv", "filtered": True}
SEARCH = "?place=tantolunden&from=2024-01&to=2024-06"


def partner_places_figure(dash_app):
    frame = pd.DataFrame({"place_id": ["tantolunden", "drakenbergsparken", "hornstull"], "value": [3, 40, 10],
                          "cell_key": [1, 2, 3], "cell_records": [3, 40, 10]})
    with as_role(dash_app, "partner"):
        return validated(bar_by_place(disclosure.protect(frame, rule=RULE),
                                      {"tantolunden": "Tantolunden", "drakenbergsparken": "Drakenbergsparken",
                                       "hornstull": "Hornstull"}, "sv"))


def test_a_partners_figure_export_carries_the_rule_in_its_caption(dash_app, monkeypatch):
    drawn = []
    monkeypatch.setattr(export_graph, "figure_image",
                        lambda fig, caption, fmt, **_: drawn.append((fig, caption)) or b"<svg/>")
    request = {"fmt": "svg", "figure": partner_places_figure(dash_app).to_plotly_json(), "at": 1}
    with as_role(dash_app, "partner"):
        sent, problem = export_graph.download_figure(request, META, "/handelser", SEARCH, "sv")
    assert problem == "" and sent["filename"].endswith(".svg")
    figure, caption = drawn[-1]
    assert caption.lines()[-1].startswith(NOTE_SV) and len(caption.lines()) == 3
    assert figure["data"][0]["text"] == request["figure"]["data"][0]["text"]  # the figure as the partner saw it
    with as_role(dash_app, "styrgrupp"):
        export_graph.download_figure(request, META, "/handelser", SEARCH, "en")
    assert len(drawn[-1][1].lines()) == 2  # who sees every number gets no sentence about hidden ones


def test_a_partners_caption_never_dates_a_single_record(dash_app, monkeypatch):
    """'Data t.o.m.' is the latest fact in the filter: for one place and month, maybe the day of its one incident."""
    drawn = []
    monkeypatch.setattr(export_graph, "figure_image",
                        lambda fig, caption, fmt, **_: drawn.append(caption) or b"<svg/>")
    request = {"fmt": "svg", "figure": partner_places_figure(dash_app).to_plotly_json(), "at": 1}
    search = "?place=tantolunden&from=2024-01&to=2024-01"
    with as_role(dash_app, "styrgrupp"):
        export_graph.download_figure(request, META, "/handelser", search, "sv")
    with as_role(dash_app, "partner"):
        export_graph.download_figure(request, META, "/handelser", search, "sv")
        view = page_export.page_view("/handelser", [("place", "tantolunden"), ("from", "2024-01"),
                                                    ("to", "2024-01")], "sv", {"tantolunden"})
        page_caption = page_export.view_caption(view)
        empty = page_export.view_caption(page_export.page_view("/handelser", [("from", "2030-01")], "sv", set()))
    exact, protected = drawn[-2].data_through, drawn[-1].data_through
    assert exact == date(2024, 1, 24)  # the day of the sample store's last incident there that month
    assert protected == page_caption.data_through == date(2024, 1, 31)  # the month's end, not a record's day
    assert empty.data_through is None  # no facts in the filter: still 'ingen data'
    with as_role(dash_app, "partner"):
        whole, _ = app_context.current().reads().data_through(("incidents",))
    assert whole >= date(2025, 6, 3)  # no month filter: as fresh as the sources are


@needs_chromium
def test_a_partners_figure_image_says_less_than_five_and_what_it_means(dash_app):
    from lagesbild.render.figure_image import figure_image

    figure = partner_places_figure(dash_app)
    assert list(figure.data[0].text) == ["40", "10", "<5"]  # multiples of 5 stay; the 3 is hidden
    plain = Caption("Händelser · Händelser per plats", "Tantolunden · jan–jun 2024", date(2024, 6, 29),
                    ("Händelselogg (polis, EST)",), datetime(2026, 11, 27, 14, 5))
    with as_role(dash_app, "partner"):
        caption = export_graph.protected_caption(plain)
    svg = figure_image(figure.to_plotly_json(), caption, "svg").decode()
    written = [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert {"40", "10", "<5"} <= set(written) and "3" not in written
    assert any(text.startswith(NOTE_SV) for text in written)  # the caption's last line


# ---- the page PDF: drawn as the requester, never as anyone else ---------------------------------------------------


def test_the_pdfs_browser_gets_the_session_this_request_ends_with(dash_app):
    """Single sign-on may log someone else in during the very request that asks for the PDF (the browser still
    holding an admin's cookie): the PDF's browser gets the session of the one who asked, not the old cookie."""
    server = dash_app.server
    serializer = server.session_interface.get_signing_serializer(server)
    with as_role(dash_app, "admin"):
        old = serializer.dumps(dict(flask.session))
    name = server.config["SESSION_COOKIE_NAME"]
    saved = server.config[auth.OPEN_KEY]
    server.config[auth.OPEN_KEY] = False
    try:
        with server.test_request_context("/export/page.pdf", headers={"Cookie": f"{name}={old}"}):
            assert flask.request.cookies[name] == old  # what the browser sent: an admin's session
            login_user(auth.User("test-partner", "partner"))  # what single sign-on did in this request
            cookies = page_export.session_cookies("http://127.0.0.1:8050")
            assert [serializer.loads(cookie["value"])["_user_id"] for cookie in cookies] == ["test-partner"]
            assert cookies[0]["url"] == "http://127.0.0.1:8050" and cookies[0]["name"] == name
            assert page_export.identity() == {"user": "test-partner", "role": "partner"}
    finally:
        server.config[auth.OPEN_KEY] = saved


def test_in_open_demo_mode_no_session_is_handed_on(dash_app):
    with dash_app.server.test_request_context("/"):
        assert page_export.session_cookies("http://127.0.0.1:8050") == []
        assert page_export.identity() == {"user": None, "role": auth.DEMO_ROLE}


def test_the_identity_route_says_who_asks(dash_app):
    response = dash_app.server.test_client().get(page_export.IDENTITY_ROUTE)
    assert response.get_json() == {"user": None, "role": auth.DEMO_ROLE}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture(scope="module")
def accounts(sample_engine):
    for name, role in (("disclosure-partner", "partner"), ("disclosure-admin", "admin")):
        add_user(sample_engine, name, PASSWORD, role)
    return sample_engine


@pytest.fixture
def closed_with_accounts(dash_app, accounts):
    """The session's app closed (login required) for this test, with a partner and an admin account."""
    config = dash_app.server.config
    saved = config[auth.OPEN_KEY]
    config[auth.OPEN_KEY] = False
    yield dash_app.server
    config[auth.OPEN_KEY] = saved


@pytest.fixture
def seen_roles(monkeypatch):
    """Every (user agent, path, role) the app's role checks saw while the test ran."""
    seen: list[tuple[str, str, str | None]] = []
    original = auth.current_role

    def recording() -> str | None:
        role = original()
        if flask.has_request_context():
            seen.append((flask.request.headers.get("User-Agent", ""), flask.request.path, role))
        return role

    monkeypatch.setattr(auth, "current_role", recording)
    return seen


def logged_in_client(server, username: str):
    client = server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                           "next": "/"})
    assert response.status_code == 302
    return client


def test_the_page_pngs_caption_for_a_partner_dates_no_single_record(closed_with_accounts):
    """The page PNG is drawn in the user's own browser from the page they see; only its caption comes from here."""
    view = "/export/caption?path=/handelser&place=tantolunden&from=2024-01&to=2024-01"
    partner = logged_in_client(closed_with_accounts, "disclosure-partner").get(view).get_json()
    admin = logged_in_client(closed_with_accounts, "disclosure-admin").get(view).get_json()
    assert "Data t.o.m. 31 januari 2024" in partner["lines"][1]
    assert "Data t.o.m. 24 januari 2024" in admin["lines"][1]


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("role", ["partner", "admin"])
def test_the_page_pdf_is_drawn_as_the_requesting_user_with_their_role(chromium, live_server, closed_with_accounts,
                                                                      seen_roles, role):
    context = chromium.new_context(user_agent="lagesbild-test-client")  # the renderer's browser says HeadlessChrome
    try:
        page = context.new_page()
        log_in(page, live_server, "/data", username=f"disclosure-{role}", password=PASSWORD)
        assert page.locator("#logout-form").inner_text().startswith(f"disclosure-{role} ({role})")
        seen_roles.clear()
        response = context.request.get(f"{live_server}/export/page.pdf?path=/data&place=tantolunden&from=2024-01"
                                       "&to=2024-06", timeout=120_000)
        assert response.status == 200, response.text()[:300]
        text = pdf_text(response.body())
    finally:
        context.close()
    renderer = [(path, seen) for agent, path, seen in seen_roles if "HeadlessChrome" in agent]
    assert any(path.startswith("/_dash") for path, _ in renderer)  # the page was drawn by the renderer's browser
    assert {seen for _, seen in renderer} == {role}  # and every request of it was the requester's role
    if role == "partner":
        assert NOTE_SV.replace("”", "") in text.replace("”", "")
        assert "hur många visas inte för din roll" in text and "Granskningslogg" not in text
    else:
        assert "Tal från 1 till 4" not in text and "Granskningslogg" in text


@pytest.mark.browser
@pytest.mark.slow
def test_the_pdfs_browser_draws_nothing_unless_the_server_sees_it_as_the_requester(chromium, live_server):
    url = f"{live_server}/data"
    someone = page_export.Requester(f"{live_server}{page_export.IDENTITY_ROUTE}", "disclosure-partner", "partner")
    with pytest.raises(page_export.RenderFailed, match="not the requester"):
        page_export.render_page(url, lang="sv", title="Data", footer="<span></span>", requester=someone)


def test_a_small_number_of_rejected_rows_per_load_is_hidden_from_a_partner(dash_app, data, dashboard_store_url,
                                                                             tmp_path):
    """With the rejected rows per file and column protected, a load's small total would give those cells away."""
    url = copy_store(dashboard_store_url, tmp_path / "two.sqlite")
    stamp = datetime(2026, 1, 20, 9, 0)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(loads).values(kind="incidents", source="incident-log", file_name="two.csv",
                                          sha256="2" * 64, loader_version="test", started_at=stamp,
                                          finished_at=stamp, status="partial", rows_read=14, rows_inserted=12,
                                          rows_rejected=2, report={}))
    engine.dispose()

    def cells() -> dict:
        frame = app_context.current().reads().load_history()
        return {row.file_name: data.rejected_cell(row, "sv") for row in frame.itertuples()}

    with on_store(dash_app, url):
        with as_role(dash_app, "partner"):
            partner = cells()
        with as_role(dash_app, "styrgrupp"):
            full = cells()
    assert partner["two.csv"].children == "<5" and full["two.csv"].children == "2"
    sample = next(name for name in partner if name != "two.csv")
    assert partner[sample] == full[sample] == "0"  # nothing rejected: a real zero
