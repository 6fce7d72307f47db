"""The Data page's "Läs in filer": drop files, see the preview (the loaders' dry run), map unknown columns, then
"Läs in" or "Avbryt"; and undo a load. The server side is dashboard/intake.py; the browser side assets/intake.js."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html
from flask_wtf.csrf import generate_csrf

from dashboard import intake
from dashboard.intake import IGNORE, KINDS, TEMPLATE_ROUTE, UPLOAD_ROUTE, UndoRefused, current_uploader, may_undo
from lagesbild.accounts import Uploader, UploadRefused
from lagesbild.i18n import lang_or_default, t
from lagesbild.i18n.formats import fmt_int

SETUP, UPLOAD, STAGED, STATUS = "intake-setup", "intake-upload", "intake-staged", "intake-status"
PREVIEW, PREVIEWS, RESULT = "intake-preview", "intake-previews", "intake-result"
APPLY, LOAD, CANCEL, ORGANISATION, SKIP = "intake-apply", "intake-load", "intake-cancel", "intake-organisation", \
    "intake-skip"
UNDO, UNDO_PENDING, UNDO_CONFIRM, UNDO_RESULT = "intake-undo", "intake-undo-pending", "intake-undo-confirm", \
    "intake-undo-result"
JOB, POLL = "intake-job", "intake-poll"  # the background load being followed, and the timer that asks after it
CHANGED = "intake-changed"  # a count of loads and undos made on this page: the page draws its tables again
COUNTS = ("read", "inserted", "updated", "duplicate", "outside", "rejected")
DETAILS = ("unplaced", "other_category", "redacted")
AUTO = "auto"
MESSAGES = ("too_large", "upload_failed", "uploading")


def upload_section(lang: str) -> list:
    """The section for whoever may load files (stewards, partners with rights); nothing for anyone else."""
    who = current_uploader()
    if who is None or not who.may_upload:
        return []
    settings = intake._settings()
    setup = {"url": f"{dash.get_relative_path(UPLOAD_ROUTE)}?lang={lang}", "csrf": generate_csrf(),
             "max": settings.max_upload_bytes,
             "messages": {key: t(f"intake.{key}", lang, name="{name}", mb=f"{settings.max_upload_bytes / 2**20:g}")
                          for key in MESSAGES}}
    templates = [html.A(t(f"data.kind.{kind}", lang), href=dash.get_relative_path(TEMPLATE_ROUTE.replace(
        "<kind>", kind)), download=f"mall-{kind}.xlsx", className="me-3", id=f"intake-template-{kind}")
        for kind in KINDS]
    sender = (dbc.Input(id=ORGANISATION, placeholder=t("intake.organisation_placeholder", lang), type="text",
                        maxLength=200, className="mb-2", style={"maxWidth": "24rem"}) if who.steward else
              html.Div([html.P(t("intake.partner_sources", lang, organisation=who.organisation,
                                 sources=", ".join(who.sources)), className="mb-2"),
                        dcc.Input(id=ORGANISATION, type="hidden", value=who.organisation)]))
    return [html.Section([
        html.H2(t("intake.title", lang), className="h3 mt-4"),
        html.P(t("intake.intro", lang, mb=f"{settings.max_upload_bytes / 2**20:g}"), className="page-intro"),
        dcc.Store(id=SETUP, data=setup), dcc.Store(id=STAGED), dcc.Store(id=PREVIEWS, data=[]),
        dcc.Store(id=JOB, data=(job := intake.current_job(who))),
        dcc.Interval(id=POLL, interval=1000, disabled=job is None),
        html.Div([html.Span(t("intake.templates", lang) + " ", className="fw-semibold"), *templates],
                 className="mb-3"),
        sender,
        dbc.Checklist(id=SKIP, options=[{"label": t("intake.skip_invalid", lang), "value": "skip"}], value=[],
                      className="mb-2"),
        dcc.Upload(html.Div([t("intake.drop", lang), " ", html.A(t("intake.pick", lang))]), id=UPLOAD,
                   multiple=True, className="intake-drop", accept=",".join(intake.SUFFIXES)),
        html.Div(id=STATUS, role="status", className="mt-2"),
        dcc.Loading(html.Div(id=PREVIEW, className="mt-3"), type="default"),
        html.Div([dbc.Button(t("intake.apply", lang), id=APPLY, color="secondary", outline=True, className="me-2"),
                  dbc.Button(t("intake.load", lang), id=LOAD, color="primary", className="me-2"),
                  dbc.Button(t("intake.cancel", lang), id=CANCEL, color="link")], className="mt-2"),
        dcc.Loading(html.Div(id=RESULT, className="mt-3", role="status"), type="default"),
    ], id="data-intake", className="mb-4")]


# ---- the preview --------------------------------------------------------------------------------------------------

def preview_cards(previews: list[dict], lang: str) -> list:
    return [file_card(index, entry, lang) for index, entry in enumerate(previews)]


def file_card(index: int, entry: dict, lang: str) -> dbc.Card:
    state = entry["state"]
    head = html.Div([html.Strong(entry["name"], className="me-2"),
                     dbc.Badge(t(f"intake.state.{state}", lang), color=STATE_COLOURS.get(state, "secondary"),
                               id=f"intake-{index}-state", className="me-2"),
                     html.Span(kind_text(entry, lang), className="text-muted small")])
    body: list = [head, kind_choice(index, entry, lang)]
    if entry.get("message"):
        body.append(dbc.Alert(entry["message"], color="warning" if state != "loaded" else "success",
                              className="mt-2 mb-0 small", id=f"intake-{index}-message"))
    if state == "unchanged":
        body.append(html.P(t("intake.already", lang, id=entry.get("previous_load_id")), className="mt-2 mb-0"))
    elif "counts" in entry:
        body.append(counts_table(index, entry["counts"], lang))
    if entry.get("errors"):
        body.append(rejected_table(index, entry, lang))
    if entry.get("unknown_categories"):
        body.append(html.P(t("intake.unknown_categories", lang) + " " + ", ".join(
            f"{k} ×{v}" for k, v in entry["unknown_categories"].items()), className="small mb-1"))
    if entry.get("unknown_places"):
        body.append(html.P(t("intake.unknown_places", lang) + " " + ", ".join(
            f"{k} ×{v}" for k, v in entry["unknown_places"].items()), className="small mb-1"))
    if entry.get("remembered"):
        body.append(mapping_note(entry, lang))
    if state == "columns":
        body.append(mapping_form(entry, lang))
    if state == "loaded":
        body.append(html.P(t("intake.loaded_as", lang, id=entry["load_id"]) if entry.get("load_id") else
                           t("intake.already", lang, id=entry.get("previous_load_id")), className="mb-0"))
    return dbc.Card(dbc.CardBody(body), className="mb-2", id=f"intake-file-{index}")


STATE_COLOURS = {"ready": "primary", "loaded": "success", "unchanged": "secondary", "rejected": "danger",
                 "columns": "warning", "error": "danger", "refused": "danger", "gone": "secondary"}


def kind_text(entry: dict, lang: str) -> str:
    if not entry.get("source"):
        return ""
    kind = t(f"data.kind.{entry['kind']}", lang)
    return f"{kind} · {entry['source']}" + (f" · {entry['detail']}" if entry.get("detail") else "")


def kind_choice(index: int, entry: dict, lang: str) -> html.Div:
    options = [{"label": t("intake.kind_auto", lang), "value": AUTO}] + [
        {"label": t(f"data.kind.{kind}", lang), "value": kind} for kind in KINDS]
    return html.Div([html.Label(t("intake.kind", lang), className="small me-2"),
                     dcc.Dropdown(id={"type": "intake-kind", "file": entry["id"]}, options=options,
                                  value=entry.get("chosen_kind") or AUTO, clearable=False,
                                  style={"minWidth": "14rem"})], className="d-flex align-items-center mt-2")


def counts_table(index: int, counts: dict, lang: str) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(t(f"intake.count.{key}", lang), className="num") for key in COUNTS]))
    row = html.Tr([html.Td(fmt_int(counts[key], lang), className="num", id=f"intake-{index}-{key}")
                   for key in COUNTS])
    details = ", ".join(f"{t(f'intake.count.{key}', lang)} {fmt_int(counts[key], lang)}" for key in DETAILS
                        if counts.get(key))
    return html.Div([dbc.Table([head, html.Tbody(row)], size="sm", className="mt-2 mb-1"),
                     html.P(details, className="small text-muted mb-1") if details else None])


def rejected_table(index: int, entry: dict, lang: str) -> html.Div:
    head = html.Thead(html.Tr([html.Th(t(f"intake.error.{key}", lang)) for key in ("row", "column", "value",
                                                                                      "reason")]))
    rows = [html.Tr([html.Td(e["row_number"]), html.Td(e["column"] or "–"),
                     html.Td("" if e["value"] is None else str(e["value"])[:80]), html.Td(e["reason"])])
            for e in entry["errors"]]
    more = entry["error_count"] - len(entry["errors"])
    return html.Div([html.P(t("intake.rejected_rows", lang, n=fmt_int(entry["error_count"], lang)),
                            className="small fw-semibold mb-1 mt-2"),
                     dbc.Table([head, html.Tbody(rows)], size="sm", id=f"intake-{index}-errors"),
                     html.P(t("intake.more_errors", lang, n=fmt_int(more, lang)), className="small") if more > 0
                     else None])


def mapping_note(entry: dict, lang: str) -> html.P:
    """Which mapping the preview used: one remembered before, or the one made here (remembered at 'Läs in')."""
    used = entry["remembered"]
    shown = ", ".join([*(f"{h} → {f}" for h, f in used["columns"].items()),
                       *(f"{f} = {v}" for f, v in used["constants"].items())])
    key = "intake.remembered" if used.get("id") else "intake.mapping_made"
    return html.P(t(key, lang, id=used.get("id"), mapping=shown, sender=entry.get("organisation") or
                    t("intake.any_sender", lang)), className="small mb-1", id=f"intake-{entry['id'][:8]}-mapping")


def mapping_form(entry: dict, lang: str) -> html.Div:
    """Each unknown column to a field or 'ignore'; each missing field filled with a constant (or left missing)."""
    options = [{"label": t("intake.ignore", lang), "value": IGNORE}] + [
        {"label": name, "value": name} for name in entry["fields"]]
    chosen = (entry.get("mapping") or {}).get("columns", {})
    rows = [html.Div([html.Code(column, className="me-2"),
                      dcc.Dropdown(id={"type": "intake-map", "file": entry["id"], "column": column}, options=options,
                                   value=chosen.get(column), placeholder=t("intake.map_placeholder", lang),
                                   style={"minWidth": "16rem"})], className="d-flex align-items-center mb-1")
            for column in entry["unknown"]]
    constants = (entry.get("mapping") or {}).get("constants", {})
    rows += [html.Div([html.Span(t("intake.missing", lang, field=name), className="me-2"),
                       dcc.Input(id={"type": "intake-const", "file": entry["id"], "field": name},
                                 value=constants.get(name), placeholder=t("intake.constant_placeholder", lang))],
                      className="d-flex align-items-center mb-1") for name in entry["missing"]]
    return html.Div([html.P(t("intake.map_intro", lang), className="small mb-1 mt-2"), *rows],
                    id=f"intake-mapping-{entry['id'][:8]}")


# ---- callbacks ----------------------------------------------------------------------------------------------------

dash.clientside_callback(
    dash.ClientsideFunction("lagesbild_intake", "upload"),
    Output(STAGED, "data"), Output(STATUS, "children"),
    Input(UPLOAD, "contents"), State(UPLOAD, "filename"), State(SETUP, "data"),
    prevent_initial_call=True,
)


def _by_file(values: list, ids: list[dict], key: str | None = None) -> dict:
    found: dict = {}
    for value, ident in zip(values or [], ids or [], strict=False):
        if key is None:
            found[ident["file"]] = value
        elif value not in (None, ""):
            found.setdefault(ident["file"], {})[ident[key]] = value
    return found


def _wanted(entry: dict, kinds: dict, maps: dict, consts: dict) -> tuple[str | None, dict | None]:
    kind = kinds.get(entry["id"], entry.get("chosen_kind") or AUTO)
    columns, constants = maps.get(entry["id"]), consts.get(entry["id"])
    mapping = {"columns": columns or {}, "constants": constants or {}} if columns or constants else \
        entry.get("mapping")
    return (None if kind == AUTO else kind), mapping


@dash.callback(
    Output(PREVIEW, "children"), Output(PREVIEWS, "data"),
    Input(STAGED, "data"), Input(APPLY, "n_clicks"),
    State({"type": "intake-kind", "file": ALL}, "value"), State({"type": "intake-kind", "file": ALL}, "id"),
    State({"type": "intake-map", "file": ALL, "column": ALL}, "value"),
    State({"type": "intake-map", "file": ALL, "column": ALL}, "id"),
    State({"type": "intake-const", "file": ALL, "field": ALL}, "value"),
    State({"type": "intake-const", "file": ALL, "field": ALL}, "id"),
    State(ORGANISATION, "value"), State(SKIP, "value"), State(PREVIEWS, "data"), State("shell-lang", "value"),
    prevent_initial_call=True,
)
def show_preview(staged, _apply, kinds, kind_ids, maps, map_ids, consts, const_ids, organisation, skip, previews,
                 lang):
    """Preview every staged file (again, with the kinds and mappings chosen): nothing is written."""
    lang = lang_or_default(lang)
    who = _uploader_or_stop()
    entries = [e for e in previews or [] if e["state"] != "loaded"]
    known = {e["id"] for e in entries}
    new = [s for s in staged or [] if s.get("id") and s["id"] not in known]
    failed = [s for s in staged or [] if not s.get("id")] if ctx.triggered_id == STAGED else []
    kinds, maps, consts = _by_file(kinds, kind_ids), _by_file(maps, map_ids, "column"), \
        _by_file(consts, const_ids, "field")
    result = []
    for entry in [*entries, *({"id": s["id"], "name": s["name"]} for s in new)]:
        kind, mapping = _wanted(entry, kinds, maps, consts)
        shown = intake.preview(who, entry["id"], kind, (organisation or "").strip() or None, bool(skip), mapping,
                               lang)
        result.append(shown | {"chosen_kind": kind or AUTO})
    result += [{"id": "", "name": s.get("name", "?"), "state": "error", "message": s["error"]} for s in failed]
    return preview_cards(result, lang), [e for e in result if e["id"]]


@dash.callback(
    Output(JOB, "data"), Output(POLL, "disabled"), Output(RESULT, "children"),
    Input(LOAD, "n_clicks"), State(PREVIEWS, "data"), State("shell-lang", "value"),
    prevent_initial_call=True,
)
def load_previewed(clicks, previews, lang):
    """Load what the previews showed (the files ready to load) in the background; the page follows its progress."""
    if not clicks or not any(e["state"] == "ready" for e in previews or []):
        raise dash.exceptions.PreventUpdate
    lang = lang_or_default(lang)
    job_id = intake.start_load(_uploader_or_stop(), previews, lang)
    return job_id, False, progress_bars({"files": [{"name": e["name"], "rows": 0, "total": 1,
                                                    "load": e["state"] == "ready"} for e in previews]}, lang)


@dash.callback(
    Output(PREVIEW, "children", allow_duplicate=True), Output(PREVIEWS, "data", allow_duplicate=True),
    Output(RESULT, "children", allow_duplicate=True), Output(CHANGED, "data"),
    Output(POLL, "disabled", allow_duplicate=True),
    Input(POLL, "n_intervals"), State(JOB, "data"), State("shell-lang", "value"),
    prevent_initial_call=True,
)
def follow_load(_tick, job_id, lang):
    """The background load's progress; once it is done, what came of each file (and the page's tables again)."""
    lang = lang_or_default(lang)
    who = _uploader_or_stop()
    job = intake.job_status(who, job_id)
    if job is None:
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update, True
    if job["state"] == "running":
        return dash.no_update, dash.no_update, progress_bars(job, lang), dash.no_update, False
    intake.mark_seen(who, job_id)
    done = job["results"]
    loaded = [e for e in done if e["state"] == "loaded"]
    waiting = [e for e in done if e["state"] != "loaded"]
    summary = dbc.Alert(t("intake.loaded_summary", lang, n=len(loaded), waiting=len(waiting)),
                        color="success" if loaded and not waiting else "warning", id="intake-loaded-summary")
    return preview_cards(done, lang), waiting, summary, job_id, True


def progress_bars(job: dict, lang: str) -> html.Div:
    """One bar per file being loaded: rows read so far of the rows its preview read."""
    bars = [html.Div([html.Small(f"{f['name']}: {fmt_int(f['rows'], lang)} / {fmt_int(f['total'], lang)}"),
                      dbc.Progress(value=min(100, round(100 * f["rows"] / max(f["total"], 1))), striped=True,
                                   animated=True, className="mb-2")])
            for f in job["files"] if f["load"]]
    return html.Div([html.P(t("intake.loading", lang), className="mb-1"), *bars], id="intake-progress")


@dash.callback(
    Output(PREVIEW, "children", allow_duplicate=True), Output(PREVIEWS, "data", allow_duplicate=True),
    Output(RESULT, "children", allow_duplicate=True),
    Input(CANCEL, "n_clicks"), State(PREVIEWS, "data"), State("shell-lang", "value"),
    prevent_initial_call=True,
)
def cancel(clicks, previews, lang):
    """Discard every staged file: the uploaded bytes are deleted, nothing was written."""
    if not clicks:
        raise dash.exceptions.PreventUpdate
    who = _uploader_or_stop()
    for entry in previews or []:
        intake.discard(who, entry["id"])
    return [], [], dbc.Alert(t("intake.cancelled", lang_or_default(lang)), color="info", id="intake-cancelled")


def _uploader_or_stop() -> Uploader:
    who = current_uploader()
    if who is None or not who.may_upload:
        raise dash.exceptions.PreventUpdate
    return who


# ---- undo ---------------------------------------------------------------------------------------------------------

def undo_cell(load: dict, who: Uploader | None, lang: str):
    """The history table's undo button for a load this user may undo, else nothing."""
    if not may_undo(who, load):
        return ""
    return dbc.Button(t("intake.undo", lang), id={"type": UNDO, "load": int(load["id"])}, size="sm",
                      color="danger", outline=True)


def undo_area() -> list:
    """Where an undo is asked for and answered, and the count the page redraws its tables on."""
    return [dcc.Store(id=UNDO_PENDING), dcc.Store(id=CHANGED), html.Div(id=UNDO_RESULT, role="status")]


@dash.callback(
    Output(UNDO_RESULT, "children"), Output(UNDO_PENDING, "data"),
    Input({"type": UNDO, "load": ALL}, "n_clicks"), State("shell-lang", "value"),
    prevent_initial_call=True,
)
def ask_undo(clicks, lang):
    if not any(clicks or []) or not isinstance(ctx.triggered_id, dict):
        raise dash.exceptions.PreventUpdate
    load_id = int(ctx.triggered_id["load"])
    lang = lang_or_default(lang)
    return dbc.Alert([t("intake.undo_ask", lang, id=load_id), " ",
                      dbc.Button(t("intake.undo_confirm", lang), id=UNDO_CONFIRM, color="danger", size="sm")],
                     color="warning", id="intake-undo-ask"), load_id


@dash.callback(
    Output(UNDO_RESULT, "children", allow_duplicate=True), Output(CHANGED, "data", allow_duplicate=True),
    Input(UNDO_CONFIRM, "n_clicks"), State(UNDO_PENDING, "data"), State("shell-lang", "value"),
    prevent_initial_call=True,
)
def confirm_undo(clicks, load_id, lang):
    if not clicks or load_id is None:
        raise dash.exceptions.PreventUpdate
    lang = lang_or_default(lang)
    who = current_uploader()
    if who is None:
        raise dash.exceptions.PreventUpdate
    try:
        done = intake.undo(who, int(load_id))
    except (UndoRefused, UploadRefused) as exc:
        return dbc.Alert(str(exc), color="danger", id="intake-undo-refused"), dash.no_update
    message = t("intake.undone", lang, id=done.load_id, file=done.file, deleted=fmt_int(done.deleted, lang),
                restored=fmt_int(done.restored, lang))
    return dbc.Alert(message, color="success", id="intake-undone"), -int(load_id)

