"""Projektregister: the project's own records (decisions and actions, risks and their monthly reviews, change
requests, the budget, the police's classification), one tab per kind, with forms, history and the Excel import.

Every read and every write goes through lagesbild.records with this session's actor: the register decides what a
partner sees (shared records) and refuses any write but styrgrupp's and admin's, however the request was made.
"""

from __future__ import annotations

import base64
import io
import logging
import secrets
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard import app_context as context
from dashboard import auth
from dashboard import records_parts as parts
from dashboard.shell_ids import LANG, URL
from lagesbild.i18n import lang_or_default, nt, t
from lagesbild.i18n.formats import fmt_month
from lagesbild.records.access import Actor
from lagesbild.records.budget import budget_summary
from lagesbild.records.config import budget_caps, known_ids
from lagesbild.records.errors import ImportRefused, InvalidRecord, NoSuchRecord, NotAllowed, RecordsError, StaleVersion
from lagesbild.records.importer import export_workbook, import_workbook
from lagesbild.records.kinds import KINDS, kind_of
from lagesbild.records.register import (
    close_record,
    create_record,
    edit_record,
    get_record,
    list_records,
    record_history,
)
from lagesbild.records.report import classifications, open_actions, risk_matrix
from lagesbild.records.workbook import write_workbook

dash.register_page(__name__, path=parts.PAGE_PATH, name="Projektregister", title="Projektregister · Lägesbild",
                   order=8)

log = logging.getLogger(__name__)
TABS = ("actions", "risks", "change_requests", "budget", "classifications")
BODY, NOTICE, RELOAD = "rec-body", "rec-notice", "rec-reload"
# What a change leaves in the URL of the page it loads afresh (and so says what was saved or imported).
OWN_PARAMS = ("tab", "saved", "version", "imported", "counts", "n", "open")
MODAL, MODAL_TITLE, FORM, EDITING, FEEDBACK = "rec-modal", "rec-modal-title", "rec-form", "rec-editing", "rec-feedback"
SAVE, CLOSE, CANCEL = "rec-save", "rec-close", "rec-cancel"
UPLOAD, IMPORT_RESULT, TEMPLATE, EXPORT, DOWNLOAD = ("rec-upload", "rec-import-result", "rec-template", "rec-export",
                                                    "rec-download")
BUDGET_MONTH, BUDGET_VIEW = "rec-budget-month", "rec-budget-view"


def layout(lang: str = "sv", tab: str | None = None, saved: str | None = None, version: str | None = None,
           imported: str | None = None, counts: str | None = None, n: str | None = None, open: str | None = None,
           **_query):
    """The page; after a change the save or import callback sends the browser here again with what it did in the
    URL (saved=ID&version=N, or imported=FILE&counts=kind:new:changed:same,…), and a fresh nonce `n`."""
    lang = lang_or_default(lang)
    actor = context.current().actor()
    header = html.Header([html.H1(t("page.projektregister", lang), className="page-title"),
                          html.P(t("intro.projektregister", lang), className="page-intro")], className="page-header")
    active = tab if tab in TABS else TABS[0]
    return html.Div(
        [header, *access_note(actor, lang), *import_bar(actor, lang, imported, counts),
         dbc.Alert(t("records.saved", lang, id=saved, version=version) if saved and version else None, id=NOTICE,
                   is_open=bool(saved and version), color="success", dismissable=True, fade=False, className="mt-2"),
         html.Div(body(actor, lang, active, n or ""), id=BODY), editor_modal(lang, actor, open),
         dcc.Location(id=RELOAD, refresh=True)],
        className="page page-projektregister",
    )


def access_note(actor: Actor, lang: str) -> list:
    if actor.may_edit:
        return []
    return [dbc.Alert(read_only_text(actor, lang), color="info", id="rec-read-only", className="py-2")]


def read_only_text(actor: Actor, lang: str) -> str:
    """Why there is no form: a partner reads the shared records; the open demo reads all of them."""
    return t("records.read_only_demo" if actor.sees_all else "records.read_only", lang)


def import_bar(actor: Actor, lang: str, imported: str | None = None, counts: str | None = None) -> list:
    """The template, the records as a workbook, and an upload of a filled one (editors only)."""
    downloads = [dbc.Button(t("records.import.template", lang), id=TEMPLATE, color="secondary", outline=True,
                            size="sm"),
                 dbc.Button(t("records.import.export", lang), id=EXPORT, color="secondary", outline=True, size="sm"),
                 dcc.Download(id=DOWNLOAD)]
    upload = [dcc.Upload(dbc.Button(t("records.import.upload", lang), color="primary", size="sm"), id=UPLOAD,
                         accept=".xlsx", multiple=False, className="d-inline-block")] if actor.may_edit else []
    return [html.Section([html.Div([*upload, *downloads], className="d-flex flex-wrap gap-2 align-items-center"),
                          html.Div(imported_note(imported, counts, lang), id=IMPORT_RESULT, className="mt-2",
                                   role="status")],
                         className="record-import mb-3", id="rec-import")]


def body(actor: Actor, lang: str, active: str, drawn: str) -> list:
    """The tabs; `drawn` is the nonce of the change they were drawn after (a hidden mark for tests and tools)."""
    engine, today = context.current().engine(), date.today()
    ids = known_ids(context.current().config())
    tabs = [dbc.Tab(tab_content(name, actor, lang, ids, engine, today), label=kind_of(name).label(lang),
                    tab_id=name, id=f"rec-tab-{name}") for name in TABS]
    return [dbc.Tabs(tabs, id="rec-tabs", active_tab=active, className="record-tabs mb-3"),
            html.Span(id="rec-drawn", hidden=True, **{"data-drawn": str(drawn)})]


def tab_content(name: str, actor: Actor, lang: str, ids, engine, today: date) -> html.Div:
    kind = kind_of(name)
    records = list_records(engine, name, actor)
    top: list = []
    if name == "actions":
        late = [a for a in open_actions(engine, actor, today) if a.overdue]
        top = [html.H2(nt("records.overdue.title", len(late), lang, count=len(late)), className="h5"),
               parts.overdue_list(late, lang, "rec-overdue"), html.Hr()]
    elif name == "risks":
        top = risk_part(engine, actor, lang, today)
    elif name == "budget":
        top = [budget_part(engine, actor, lang, records)]
    elif name == "classifications":
        top = [html.P(parts.classification_line((classifications(engine, actor, today) or [None])[-1], lang),
                      className="fw-semibold", id="rec-classification-latest")]
    new = [parts.new_button(kind, lang)] if actor.may_edit else []
    content = [*top, html.Div([html.H2(kind.label(lang), className="h5 mb-0"), *new],
                              className="d-flex flex-wrap gap-2 align-items-center justify-content-between mb-2"),
               parts.record_table(kind, records, lang, ids, today, f"rec-table-{name}")]
    if name == "risks":
        reviews = KINDS["risk_reviews"]
        content += [html.Div([html.H2(reviews.label(lang), className="h5 mb-0"),
                              *([parts.new_button(reviews, lang)] if actor.may_edit else [])],
                             className="d-flex flex-wrap gap-2 align-items-center justify-content-between mt-4 mb-2"),
                    parts.record_table(reviews, list_records(engine, "risk_reviews", actor), lang, ids, today,
                                       "rec-table-risk_reviews")]
    return html.Div(content, className="pt-3")


def risk_part(engine, actor: Actor, lang: str, today: date) -> list:
    matrix = risk_matrix(engine, actor, today)
    return [html.H2(t("records.matrix.heading", lang), className="h5"),
            html.P(t("records.matrix.legend", lang), className="small text-body-secondary"),
            dbc.Row([dbc.Col(parts.risk_matrix_table(matrix, lang), xs=12, lg=5),
                     dbc.Col(parts.risk_positions(matrix, lang), xs=12, lg=7)], className="g-3"), html.Hr()]


def budget_months(records) -> list[date]:
    return sorted({r["month"] for r in records}, reverse=True)


def budget_part(engine, actor: Actor, lang: str, records) -> html.Div:
    months = budget_months(records)
    if not months:
        return html.P(t("records.budget.none", lang), className="text-body-secondary")
    choice = dbc.Select(id=BUDGET_MONTH, options=[{"label": fmt_month(m, lang), "value": m.isoformat()}
                                                  for m in months], value=months[0].isoformat(), size="sm",
                        className="w-auto")
    return html.Div([html.Div([dbc.Label(t("records.budget.choose", lang), html_for=BUDGET_MONTH, className="mb-0"),
                               choice], className="d-flex gap-2 align-items-center mb-2"),
                     html.Div(budget_view(engine, actor, months[0], lang), id=BUDGET_VIEW), html.Hr()])


def budget_view(engine, actor: Actor, month: date, lang: str) -> list:
    summary = budget_summary(engine, actor, month, caps=budget_caps(context.current().config()))
    return [parts.budget_strip(summary, lang), html.P(parts.grants_note(summary, lang), className="small"),
            parts.budget_table(summary, lang)]


@dash.callback(Output(BUDGET_VIEW, "children"), Input(BUDGET_MONTH, "value"), State(LANG, "value"),
               prevent_initial_call=True)
def show_budget_month(month, lang):
    lang = lang_or_default(lang)
    return budget_view(context.current().engine(), context.current().actor(), date.fromisoformat(month), lang)


# --- the editor ----------------------------------------------------------------------------------------------------


def editor_modal(lang: str, actor: Actor, opened: str | None = None) -> dbc.Modal:
    """The form in a dialog; open at once when the URL names a record (?open=kind:id), as its link does."""
    kind_name, _, record_id = (opened or "").partition(":")
    content = editor(kind_of(kind_name), record_id, actor, lang) if kind_name in KINDS and record_id else None
    title, form, editing, feedback, save_style, close_style = content or (None, None, None, None, {}, {})
    footer = [dbc.Button(t("records.form.close", lang), id=CLOSE, color="warning", outline=True, style=close_style),
              dbc.Button(t("records.form.cancel", lang), id=CANCEL, color="secondary", outline=True),
              dbc.Button(t("records.form.save", lang), id=SAVE, color="primary", style=save_style)]
    return dbc.Modal([dbc.ModalHeader(dbc.ModalTitle(title, id=MODAL_TITLE)),
                      dbc.ModalBody([html.Div(feedback, id=FEEDBACK), html.Div(form, id=FORM)]),
                      dbc.ModalFooter(footer), dcc.Store(id=EDITING, data=editing)],
                     id=MODAL, is_open=content is not None, size="lg", fullscreen="sm-down", scrollable=True)


@dash.callback(
    Output(MODAL, "is_open"), Output(MODAL_TITLE, "children"), Output(FORM, "children"), Output(EDITING, "data"),
    Output(FEEDBACK, "children"), Output(SAVE, "style"), Output(CLOSE, "style"),
    Input({"type": parts.NEW, "kind": ALL}, "n_clicks"),
    Input(CANCEL, "n_clicks"),
    State(LANG, "value"),
    prevent_initial_call=True,
)
def open_editor(_new, _cancel, lang):
    """An empty form (a new-button clicked), or the form closed. A record is opened by its link (?open=kind:id)."""
    trigger = ctx.triggered_id
    if trigger == CANCEL:
        return False, no_update, no_update, None, None, no_update, no_update
    if not trigger or not any(item.get("value") for item in ctx.triggered):
        return (no_update,) * 7  # the page drawn: its buttons are new, nobody clicked
    return (True, *editor(kind_of(trigger["kind"]), None, context.current().actor(), lang_or_default(lang)))


def editor(kind, record_id: str | None, actor: Actor, lang: str) -> tuple:
    """(title, form, editing, feedback, Save's style, Close's style): a record's form and history, or a new one's."""
    engine, ids = context.current().engine(), known_ids(context.current().config())
    risks = list_records(engine, "risks", actor) if kind.parent else []
    hidden, shown = {"display": "none"}, {}
    if record_id is None:
        defaults = {"status": kind.open_statuses[0]} if kind.open_statuses else {}
        form = parts.record_form(kind, defaults, lang, ids, risks, read_only=not actor.may_edit)
        editing = {"kind": kind.name, "record_id": None, "version": None}
        return (t(f"records.new.{kind.name}", lang), form, editing, _refusal(actor, lang),
                shown if actor.may_edit else hidden, hidden)
    try:
        record = get_record(engine, kind.name, record_id, actor)
        versions = record_history(engine, kind.name, record_id, actor)
    except NoSuchRecord:
        return record_id, None, None, _alert(t("records.form.gone", lang), "warning"), hidden, hidden
    form = [parts.record_form(kind, record.values, lang, ids, risks, fixed=kind.key_fields,
                              read_only=not actor.may_edit), parts.history(kind, versions, lang, ids)]
    editing = {"kind": kind.name, "record_id": record.record_id, "version": record.version}
    closable = actor.may_edit and kind.close_status is not None and record.values.get("status") in kind.open_statuses
    title = t("records.form.title", lang, kind=kind.label(lang), id=record.record_id, version=record.version)
    return (title, form, editing, _refusal(actor, lang), shown if actor.may_edit else hidden,
            shown if closable else hidden)


def _refusal(actor: Actor, lang: str):
    return None if actor.may_edit else _alert(read_only_text(actor, lang), "info", "rec-form-read-only")


def _alert(text, colour: str, element_id: str = "rec-form-alert") -> dbc.Alert:
    return dbc.Alert(text, color=colour, className="py-2", id=element_id)


@dash.callback(
    Output(FEEDBACK, "children", allow_duplicate=True),
    Output({"type": parts.ERROR, "name": ALL}, "children"),
    Output({"type": parts.GROUP, "name": ALL}, "className"),
    Output(MODAL, "is_open", allow_duplicate=True),
    Output(RELOAD, "href"),
    Input(SAVE, "n_clicks"), Input(CLOSE, "n_clicks"),
    State({"type": parts.FIELD, "name": ALL}, "value"),
    State(EDITING, "data"), State(URL, "search"), State("rec-tabs", "active_tab"), State(LANG, "value"),
    prevent_initial_call=True,
)
def save(_save, _close, values, editing, search, active, lang):
    """Create, edit (based on the version the form was opened at) or close, as this session's actor: the register
    refuses a partner, a stale version or a bad value, and the form says which and why."""
    lang = lang_or_default(lang)
    names = [item["id"]["name"] for item in ctx.states_list[0]]
    keep = ([no_update] * len(names), [no_update] * len(names))
    if not editing:
        return (_alert(t("records.form.nothing", lang), "warning"), *keep, no_update, no_update)
    actor, engine = context.current().actor(), context.current().engine()
    kind = kind_of(editing["kind"])
    given = parts.values_from_form(kind, names, values)
    try:
        record = _write(engine, kind, editing, given, actor, closing=ctx.triggered_id == CLOSE)
    except NotAllowed:
        log.warning("records: %s (%s) refused a write to %s", actor.username, actor.role, kind.name)
        return _alert(t("records.refused", lang), "danger", "rec-refused"), *keep, no_update, no_update
    except StaleVersion as stale:
        text = t("records.stale", lang, id=stale.record_id, based_on=stale.based_on, current=stale.current)
        return _alert(text, "danger", "rec-stale"), *keep, no_update, no_update
    except InvalidRecord as invalid:
        messages, classes, general = parts.field_errors(invalid.problems, names, lang)
        text = [html.Div(t("records.invalid", lang))] + [html.Div(line) for line in general]
        return _alert(text, "danger", "rec-invalid"), messages, classes, no_update, no_update
    except RecordsError as refused:
        return _alert(str(refused), "danger"), *keep, no_update, no_update
    query = changed_query(search, tab=active or TABS[0], saved=record.record_id, version=str(record.version))
    return None, [None] * len(names), ["record-field"] * len(names), False, query


def changed_query(search: str | None, **params: str) -> str:
    """The page again, loaded afresh (its lists with the change), with the page's own parameters replaced by
    `params` and a fresh nonce, the filter's places and months kept."""
    kept = [(key, value) for key, value in parse_qsl((search or "").lstrip("?")) if key not in OWN_PARAMS]
    return parts.PAGE_PATH + "?" + urlencode([*kept, *params.items(), ("n", secrets.token_hex(4))])


def _write(engine, kind, editing: dict, given: dict, actor: Actor, closing: bool):
    if editing.get("record_id") is None:
        return create_record(engine, kind.name, given, actor)
    if closing:
        return close_record(engine, kind.name, editing["record_id"], editing["version"], actor)
    changes = {name: value for name, value in given.items() if name not in kind.key_fields}
    return edit_record(engine, kind.name, editing["record_id"], editing["version"], changes, actor)


# --- the workbook: template, export, import ----------------------------------------------------------------------


@dash.callback(Output(DOWNLOAD, "data"), Input(TEMPLATE, "n_clicks"), Input(EXPORT, "n_clicks"),
               prevent_initial_call=True)
def download_workbook(_template, _export):
    app = context.current()
    ids = known_ids(app.config())
    if ctx.triggered_id == EXPORT:
        workbook, name = export_workbook(app.engine(), app.actor(), ids=ids), f"projektregister_{date.today()}.xlsx"
        auth.audit("export", "records workbook")
    else:
        workbook, name = write_workbook({}, ids), "projektregister_mall.xlsx"
    out = io.BytesIO()
    workbook.save(out)
    return dcc.send_bytes(out.getvalue(), name)


@dash.callback(
    Output(IMPORT_RESULT, "children"), Output(RELOAD, "href", allow_duplicate=True),
    Input(UPLOAD, "contents"), State(UPLOAD, "filename"), State(URL, "search"), State("rec-tabs", "active_tab"),
    State(LANG, "value"),
    prevent_initial_call=True,
)
def import_upload(contents, filename, search, active, lang):
    """A filled template imported all or nothing; a refused one lists every problem with sheet, row and column."""
    lang = lang_or_default(lang)
    if not contents:
        return no_update, no_update
    name = Path(filename or "projektregister.xlsx").name
    app = context.current()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(base64.b64decode(contents.split(",", 1)[-1]))
        try:
            report = import_workbook(app.engine(), path, app.actor(), ids=known_ids(app.config()))
        except NotAllowed:
            return _alert(t("records.refused", lang), "danger", "rec-refused"), no_update
        except ImportRefused as refused:
            return import_problems(refused, lang), no_update
    counts = ",".join(f"{kind}:{report.created[kind]}:{report.edited[kind]}:{report.unchanged[kind]}" for kind in KINDS
                      if report.created[kind] + report.edited[kind] + report.unchanged[kind])
    return no_update, changed_query(search, tab=active or TABS[0], imported=name, counts=counts)


def import_problems(refused: ImportRefused, lang: str) -> dbc.Alert:
    rows = [html.Tr([html.Td(p.sheet or ""), html.Td("" if p.row is None else str(p.row)),
                     html.Td(" ".join(x for x in (p.column_letter, f"({p.column})" if p.column else None) if x)),
                     html.Td(p.message(lang))]) for p in refused.problems]
    head = html.Thead(html.Tr([html.Th(t(f"records.import.{key}", lang)) for key in ("sheet", "row", "column",
                                                                                     "reason")]))
    return dbc.Alert([html.Div(nt("records.import.refused", len(refused.problems), lang, file=refused.file,
                                 count=len(refused.problems)), className="fw-semibold"),
                      html.Div(dbc.Table([head, html.Tbody(rows)], size="sm", className="mb-0 mt-2",
                                         id="rec-import-problems"), className="table-responsive")],
                     color="danger", id="rec-import-refused")


def imported_note(imported: str | None, counts: str | None, lang: str) -> dbc.Alert | None:
    """What the import did, from the URL it left: 'FILE importerad: Risker: 1 nya, 0 ändrade, 3 oförändrade; …'."""
    if not imported:
        return None
    lines = []
    for item in (counts or "").split(","):
        kind, *numbers = item.split(":")
        if kind in KINDS and len(numbers) == 3 and all(x.isdigit() for x in numbers):
            lines.append(t("records.import.counts", lang, kind=KINDS[kind].label(lang), created=numbers[0],
                           edited=numbers[1], unchanged=numbers[2]))
    summary = "; ".join(lines) or t("records.import.no_rows", lang)
    return _alert(t("records.import.done", lang, file=imported, summary=summary), "success", "rec-import-done")
