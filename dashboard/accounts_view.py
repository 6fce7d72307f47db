"""Accounts in the browser, for admins (on the Data page): add, remove, change role and upload rights, set a new
password, unlock; the same functions as `lagesbild user ...` (lagesbild.accounts), each change audited with the
admin's name. Every callback checks again that an admin asks: a callback can be called without the page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html

from dashboard import auth, intake
from lagesbild import accounts
from lagesbild.accounts import ROLES, AccountError
from lagesbild.i18n import lang_or_default, t
from loaders.registry import SOURCES

TABLE, RESULT = "accounts-table", "accounts-result"
NEW = {key: f"accounts-new-{key}" for key in ("name", "role", "password", "organisation", "sources")}
EDIT = {key: f"accounts-edit-{key}" for key in ("user", "role", "password", "organisation", "sources")}
ACTIONS = ("add", "save", "password", "unlock", "remove")
BUTTON = {key: f"accounts-{key}" for key in ACTIONS}
LOADABLE = sorted({s.name for s in SOURCES})


def is_admin() -> bool:
    return not auth.is_open() and auth.current_role() == "admin"


def accounts_section(lang: str) -> list:
    if not is_admin():
        return []
    roles = [{"label": role, "value": role} for role in ROLES]
    sources = [{"label": name, "value": name} for name in LOADABLE]
    users = accounts.list_users(intake._engine())
    add = dbc.Row([
        dbc.Col(dbc.Input(id=NEW["name"], placeholder=t("accounts.name", lang), maxLength=64), md=2),
        dbc.Col(dcc.Dropdown(id=NEW["role"], options=roles, value="partner", clearable=False), md=2),
        dbc.Col(dbc.Input(id=NEW["password"], type="password", placeholder=t("accounts.password", lang),
                          autoComplete="new-password"), md=2),
        dbc.Col(dbc.Input(id=NEW["organisation"], placeholder=t("accounts.organisation", lang), maxLength=200),
                md=2),
        dbc.Col(dcc.Dropdown(id=NEW["sources"], options=sources, multi=True,
                             placeholder=t("accounts.sources", lang)), md=3),
        dbc.Col(dbc.Button(t("accounts.add", lang), id=BUTTON["add"], color="primary"), md=1),
    ], className="g-2 mb-3")
    edit = dbc.Row([
        dbc.Col(dcc.Dropdown(id=EDIT["user"], options=[u["username"] for u in users],
                             placeholder=t("accounts.choose", lang)), md=2),
        dbc.Col(dcc.Dropdown(id=EDIT["role"], options=roles, placeholder=t("accounts.role", lang)), md=2),
        dbc.Col(dbc.Input(id=EDIT["organisation"], placeholder=t("accounts.organisation", lang), maxLength=200),
                md=2),
        dbc.Col(dcc.Dropdown(id=EDIT["sources"], options=sources, multi=True,
                             placeholder=t("accounts.sources", lang)), md=3),
        dbc.Col(dbc.Input(id=EDIT["password"], type="password", placeholder=t("accounts.new_password", lang),
                          autoComplete="new-password"), md=3),
    ], className="g-2 mb-2")
    buttons = html.Div([dbc.Button(t(f"accounts.button.{key}", lang), id=BUTTON[key], className="me-2", size="sm",
                                   color="danger" if key == "remove" else "secondary", outline=key != "save")
                        for key in ACTIONS[1:]])
    return [html.Section([
        html.H2(t("accounts.title", lang), className="h3 mt-4"),
        html.P(t("accounts.intro", lang), className="page-intro"),
        html.Div(users_table(users, lang), id=TABLE),
        html.H3(t("accounts.add_title", lang), className="h5 mt-3"), add,
        html.H3(t("accounts.edit_title", lang), className="h5 mt-3"), edit, buttons,
        html.Div(id=RESULT, className="mt-2", role="status"),
    ], id="data-accounts", className="mb-4")]


def users_table(users: list[dict], lang: str) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(t(f"accounts.col.{key}", lang)) for key in
                               ("name", "role", "organisation", "sources", "last_login")]))
    rows = [html.Tr([html.Td(u["username"]), html.Td(u["role"]), html.Td(u["organisation"] or "–"),
                     html.Td(", ".join(u["upload_sources"] or []) or "–"),
                     html.Td(f"{u['last_login_at']:%Y-%m-%d %H:%M}" if u["last_login_at"] else "–")])
            for u in users]
    return dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, id="accounts-users")


@dash.callback(
    Output(EDIT["role"], "value"), Output(EDIT["organisation"], "value"), Output(EDIT["sources"], "value"),
    Input(EDIT["user"], "value"), prevent_initial_call=True,
)
def choose(username):
    """The chosen account's role and rights, to be changed."""
    if not is_admin() or not username:
        raise dash.exceptions.PreventUpdate
    found = next((u for u in accounts.list_users(intake._engine()) if u["username"] == username), None)
    if found is None:
        raise dash.exceptions.PreventUpdate
    return found["role"], found["organisation"], found["upload_sources"] or []


@dash.callback(
    Output(RESULT, "children"), Output(TABLE, "children"), Output(EDIT["user"], "options"),
    *(Input(BUTTON[key], "n_clicks") for key in ACTIONS),
    *(State(NEW[key], "value") for key in NEW), *(State(EDIT[key], "value") for key in EDIT),
    State("shell-lang", "value"), prevent_initial_call=True,
)
def change(*values):
    """Do what the admin asked; a refusal says why (a weak password, a name in use, an admin's own account)."""
    lang = lang_or_default(values[-1])
    if not is_admin():
        auth.audit("user_change_refused", "not an admin")
        raise dash.exceptions.PreventUpdate
    new = dict(zip(NEW, values[len(ACTIONS):len(ACTIONS) + len(NEW)], strict=True))
    edit = dict(zip(EDIT, values[len(ACTIONS) + len(NEW):-1], strict=True))
    action = next((key for key in ACTIONS if ctx.triggered_id == BUTTON[key]), None)
    if action is None:
        raise dash.exceptions.PreventUpdate
    try:
        message = _do(action, new, edit, lang)
        alert = dbc.Alert(message, color="success", id="accounts-done")
    except AccountError as exc:
        alert = dbc.Alert(str(exc), color="danger", id="accounts-refused")
    users = accounts.list_users(intake._engine())
    return alert, users_table(users, lang), [u["username"] for u in users]


def _do(action: str, new: dict, edit: dict, lang: str) -> str:
    engine, me = intake._engine(), auth.current_username()
    if action == "add":
        name = (new["name"] or "").strip().lower()
        accounts.add_user(engine, name, new["password"] or "", new["role"] or "partner", by=me)
        if new["organisation"] or new["sources"]:
            accounts.set_upload_rights(engine, name, new["organisation"], new["sources"] or [], by=me)
        return t("accounts.added", lang, name=name)
    name = edit["user"]
    if not name:
        raise AccountError(t("accounts.choose_first", lang))
    if name == me and action in {"save", "remove"} and (action == "remove" or edit["role"] != "admin"):
        raise AccountError(t("accounts.not_yourself", lang))
    if action == "save":
        current = next(u for u in accounts.list_users(engine) if u["username"] == name)
        if edit["role"] and edit["role"] != current["role"]:
            accounts.set_role(engine, name, edit["role"], by=me)
        accounts.set_upload_rights(engine, name, edit["organisation"], edit["sources"] or [], by=me)
    elif action == "password":
        accounts.set_password(engine, name, edit["password"] or "", by=me)
    elif action == "unlock":
        accounts.unlock(engine, name, by=me)
    elif action == "remove":
        accounts.remove_user(engine, name, by=me)
    return t(f"accounts.done.{action}", lang, name=name)
