"""The project register's pieces (lagesbild.records in, layout out): forms built from each kind's fields, the
lists of records, a record's history, the 5×5 risk matrix, the budget against its caps and the classification.

No callbacks and no store access here: the page (dashboard/pages/projektregister.py) reads through
lagesbild.records with the session's actor and hands the records to these functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from lagesbild.i18n import nt, t
from lagesbild.i18n.formats import fmt_date, fmt_int, fmt_month
from lagesbild.records.budget import BudgetSummary
from lagesbild.records.config import KnownIds
from lagesbild.records.errors import Problem
from lagesbild.records.kinds import KINDS, FieldSpec, Kind
from lagesbild.records.register import Record
from lagesbild.records.report import MATRIX_SIZE, ClassificationItem, RiskMatrix, RiskPosition, is_overdue
from lagesbild.records.words import CHOICES, OPERATION_LABELS, choice_label, label, options

FIELD, GROUP, ERROR = "rec-field", "rec-group", "rec-error"
NEW = "rec-new"
PAGE_PATH = "/projektregister"
# The columns each kind's list shows (the form shows every field).
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "actions": ("title", "meeting_on", "owner", "due_on", "status"),
    "risks": ("title", "owner", "identified_on", "status"),
    "risk_reviews": ("risk_id", "month", "probability", "consequence", "note"),
    "change_requests": ("title", "change_kinds", "amount_sek", "submitted_on", "status", "decided_on"),
    "budget": ("month", "category", "amount_sek", "description", "status"),
    "classifications": ("assessed_on", "assessed_by", "outcome", "reference", "status"),
}
MOVEMENT_MARKS = {"worse": "↑", "better": "↓", "moved": "↔", "same": "=", "new": "•", "unreviewed": "?"}


# --- values as the viewer reads them ------------------------------------------------------------------------


def shown_value(spec: FieldSpec, value: Any, lang: str, ids: KnownIds | None = None) -> str:
    """A stored value in words: allowed values by their label, lists joined, dates and amounts formatted."""
    if value is None or value == []:
        return "–"
    if spec.type == "boolean":
        return choice_label("yes_no", "yes" if value else "no", lang)
    if spec.is_list:
        return ", ".join(_item(spec, item, lang, ids) for item in value)
    if spec.choices:
        return choice_label(spec.choices, value, lang) if value in CHOICES[spec.choices] else str(value)
    if spec.type == "month":
        return fmt_month(_as_date(value), lang)
    if spec.type == "date":
        return fmt_date(_as_date(value), lang)
    if spec.type == "number":
        return fmt_int(value, lang) if float(value).is_integer() else str(value)
    return str(value)


def _item(spec: FieldSpec, item: str, lang: str, ids: KnownIds | None) -> str:
    if spec.choices and item in CHOICES[spec.choices]:
        return choice_label(spec.choices, item, lang)
    if spec.ids and ids is not None:
        return ids.of(spec.ids).get(item, item)
    return str(item)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def form_value(spec: FieldSpec, value: Any) -> Any:
    """A stored value as the form's control holds it."""
    if value is None:
        return [] if spec.is_list else False if spec.type == "boolean" else None
    if spec.type == "month":
        return _as_date(value).strftime("%Y-%m")
    if spec.type == "date":
        return _as_date(value).isoformat()
    if spec.range:
        return str(value)
    if spec.type == "number":
        return f"{value:g}" if isinstance(value, float) else str(value)
    return value


# --- the form ---------------------------------------------------------------------------------------------------


def form_fields(kind: Kind) -> tuple[FieldSpec, ...]:
    """The fields a form asks for: a review's risk and month are its id, fixed once it exists (see form)."""
    return kind.fields


def record_form(kind: Kind, values: Mapping[str, Any], lang: str, ids: KnownIds, risks: Sequence[Record] = (),
                fixed: Sequence[str] = (), read_only: bool = False) -> html.Div:
    """One labelled control per field, each with room for its error; `fixed` fields (a review's key once it
    exists) and every field of a read-only form are disabled."""
    groups = [field_group(spec, values.get(spec.name), lang, ids, risks, read_only or spec.name in fixed, kind)
              for spec in form_fields(kind)]
    return html.Div(dbc.Row(groups, className="g-3"), className="record-form")


def field_group(spec: FieldSpec, value: Any, lang: str, ids: KnownIds, risks: Sequence[Record], disabled: bool,
                kind: Kind) -> dbc.Col:
    control_id = {"type": FIELD, "name": spec.name}
    control = _control(spec, form_value(spec, value), lang, ids, risks, disabled, control_id, kind)
    wide = spec.type == "text" and spec.max_length is None or spec.is_list  # free text: a text area
    required = " *" if spec.required else ""
    parts = [dbc.Label(spec.label(lang) + required, html_for=_dom_id(spec.name), className="form-label")]
    if spec.type == "boolean":
        parts = []
    parts += [control, html.Div(id={"type": ERROR, "name": spec.name}, className="invalid-feedback d-block")]
    return dbc.Col(html.Div(parts, id={"type": GROUP, "name": spec.name}, className="record-field"),
                   xs=12, md=12 if wide else 6)


def _dom_id(name: str) -> str:
    return f"rec-input-{name}"


def _control(spec: FieldSpec, value: Any, lang: str, ids: KnownIds, risks: Sequence[Record], disabled: bool,
             control_id: dict, kind: Kind):
    if spec.refers:
        choices = [(r.record_id, f"{r.record_id} {r['title']}") for r in risks]
        return _select(control_id, choices, value, disabled, spec.required, lang)
    if spec.is_list and spec.choices:
        return dbc.Checklist(id=control_id, options=[{"label": text, "value": code}
                                                     for code, text in options(spec.choices, lang)],
                             value=value or [], inline=True, inputClassName="me-1", labelClassName="me-3",
                             input_checked_class_name="", className="record-checklist",
                             **({"style": {"pointerEvents": "none", "opacity": 0.6}} if disabled else {}))
    if spec.is_list:
        known = ids.of(spec.ids) if spec.ids else {}
        return dcc.Dropdown(id=control_id, options=[{"label": name, "value": code} for code, name in known.items()],
                            value=value or [], multi=True, disabled=disabled,
                            placeholder=t("records.form.choose", lang))
    if spec.choices:
        return _select(control_id, options(spec.choices, lang), value, disabled, spec.required, lang)
    if spec.range:
        low, high = spec.range
        return _select(control_id, [(str(n), str(n)) for n in range(low, high + 1)], value, disabled, True, lang)
    if spec.type == "boolean":
        return dbc.Switch(id=control_id, value=bool(value) if value is not None else bool(kind.shared_default),
                          label=spec.label(lang), disabled=disabled, className="mt-2")
    if spec.type == "text" and spec.max_length is None:
        return dbc.Textarea(id=control_id, value=value or "", disabled=disabled, rows=3,
                            maxLength=spec.max_length, className="form-control")
    input_type = {"date": "date", "month": "month"}.get(spec.type, "text")
    extra = {"inputMode": "decimal"} if spec.type in ("number", "integer") else {}
    return dbc.Input(id=control_id, type=input_type, value=value, disabled=disabled,
                     maxLength=spec.max_length if spec.type == "text" else None, **extra)


def _select(control_id: dict, choices: Sequence[tuple[str, str]], value: Any, disabled: bool, required: bool,
            lang: str) -> dbc.Select:
    items = [] if required else [{"label": "–", "value": ""}]
    items += [{"label": text, "value": code} for code, text in choices]
    return dbc.Select(id=control_id, options=items, value=value if value is not None else ("" if not required
                      else None), disabled=disabled, placeholder=t("records.form.choose", lang))


def values_from_form(kind: Kind, names: Sequence[str], given: Sequence[Any]) -> dict[str, Any]:
    """The form's controls back into raw values for lagesbild.records.values (which checks them)."""
    values = {}
    for name, value in zip(names, given, strict=True):
        spec = kind.field(name)
        values[name] = bool(value) if spec.type == "boolean" else value
    return values


def field_errors(problems: Sequence[Problem], names: Sequence[str], lang: str) -> tuple[list, list, list[str]]:
    """Per field of the form: its messages and its group's class; and the problems that name no field of it."""
    by_field: dict[str, list[str]] = {}
    general = []
    for problem in problems:
        if problem.field in names:
            by_field.setdefault(problem.field, []).append(problem.message(lang))
        else:
            general.append(problem.text(lang))
    messages = ["; ".join(by_field[name]) if name in by_field else None for name in names]
    classes = ["record-field has-error" if name in by_field else "record-field" for name in names]
    return messages, classes, general


# --- lists -------------------------------------------------------------------------------------------------------


def record_table(kind: Kind, records: Sequence[Record], lang: str, ids: KnownIds, today: date,
                 table_id: str) -> html.Div:
    """The kind's records, newest dated first, each with a button that opens it (its form and history)."""
    names = LIST_FIELDS[kind.name]
    head = [html.Th(t("records.list.open", lang), scope="col", className="visually-hidden")]
    head += [html.Th(kind.field(name).label(lang), scope="col") for name in names]
    rows = [_row(kind, record, names, lang, ids, today) for record in sorted(records, key=_newest_first)]
    if not rows:
        return html.P(t("records.list.empty", lang), className="text-body-secondary", id=table_id)
    return html.Div(dbc.Table([html.Thead(html.Tr(head)), html.Tbody(rows)], id=table_id, striped=True, hover=True,
                              size="sm", className="record-table align-middle mb-0"),
                    className="table-responsive")


def _newest_first(record: Record) -> tuple:
    kind = KINDS[record.kind]
    return (-_as_date(record[kind.starts_on]).toordinal(), record.record_id)


def _row(kind: Kind, record: Record, names: Sequence[str], lang: str, ids: KnownIds, today: date) -> html.Tr:
    # A plain link, loading the page afresh with the form open: Dash redrawing lists of a hundred rows in place (a
    # callback per button, or the router) kept the browser busy for 10-40 s; a fresh load takes 2-4.
    opener = html.A(record.record_id, href=record_link(kind, record.record_id), className="record-open text-nowrap")
    cells = [html.Td(opener)]
    late = kind.name == "actions" and is_overdue(record["status"], record["due_on"], today)
    for name in names:
        text = shown_value(kind.field(name), record[name], lang, ids)
        children: list = [text]
        if late and name == "due_on":
            days = (today - record["due_on"]).days
            children.append(dbc.Badge(nt("records.overdue.days", days, lang, days=fmt_int(days, lang)),
                                      color="danger", className="ms-2 overdue-badge"))
        cells.append(html.Td(children, className="record-title" if name == "title" else None))
    return html.Tr(cells, className="record-row overdue" if late else "record-row",
                   id=f"rec-row-{kind.name}-{record.record_id}")


def record_link(kind: Kind, record_id: str) -> str:
    """The page with the record's form open: '?tab=risks&open=risk_reviews:R-002:2025-01'."""
    return PAGE_PATH + "?" + urlencode({"tab": kind.parent or kind.name, "open": f"{kind.name}:{record_id}"})


def new_button(kind: Kind, lang: str) -> dbc.Button:
    return dbc.Button(t(f"records.new.{kind.name}", lang), id={"type": NEW, "kind": kind.name}, color="primary",
                      size="sm", className="record-new")


# --- history -----------------------------------------------------------------------------------------------------


def history(kind: Kind, versions: Sequence[Record], lang: str, ids: KnownIds) -> html.Section:
    """Every version, newest first: which, what was done, by whom, when, and each field before → after."""
    items = []
    for record in reversed(versions):
        when = _when(record.recorded_at, lang)
        title = t("records.history.version", lang, version=record.version,
                  operation=label(OPERATION_LABELS[record.operation], lang), who=record.recorded_by, when=when)
        changes = [html.Li(_change(kind, name, before, after, lang, ids, record.operation))
                   for name, (before, after) in record.changes.items() if name in {f.name for f in kind.fields}]
        items.append(html.Li([html.Div(title, className="history-title fw-semibold"),
                              html.Ul(changes, className="history-changes small mb-0")],
                             className="list-group-item history-version", id=f"history-v{record.version}"))
    return html.Section([html.H3(t("records.history.title", lang), className="h6 mt-3"),
                         html.Ol(items, className="list-group record-history", id="rec-history")])


def _when(moment: datetime, lang: str) -> str:
    return f"{fmt_date(moment.date(), lang)} {moment:%H:%M}"


def _change(kind: Kind, name: str, before: Any, after: Any, lang: str, ids: KnownIds, operation: str) -> str:
    spec = kind.field(name)
    if operation == "created" or before is None:
        return f"{spec.label(lang)}: {shown_value(spec, after, lang, ids)}"
    return f"{spec.label(lang)}: {shown_value(spec, before, lang, ids)} → {shown_value(spec, after, lang, ids)}"


# --- overdue actions ---------------------------------------------------------------------------------------------


def overdue_list(items: Sequence, lang: str, element_id: str) -> html.Div:
    """The open actions past their due date (lagesbild.records.report.ActionItem), longest overdue first."""
    if not items:
        return html.P(t("records.overdue.none", lang), className="mb-0 text-body-secondary", id=element_id)
    rows = [html.Li([html.Strong(f"{a.record_id} "), a.title, " · ", t("records.overdue.owner", lang, owner=a.owner),
                     " · ", dbc.Badge(nt("records.overdue.days", a.days_overdue, lang,
                                         days=fmt_int(a.days_overdue, lang)), color="danger", className="ms-1")],
                    className="overdue-item", id=f"overdue-{a.record_id}") for a in items]
    return html.Ul(rows, className="overdue-list mb-0", id=element_id)


# --- the risk matrix ------------------------------------------------------------------------------------------


def risk_matrix_table(matrix: RiskMatrix, lang: str) -> html.Div:
    """Probability (rows, 5 at the top) against consequence (columns): each open risk in the cell of its latest
    review, marked with its movement since the review before (↑ worse, ↓ better, ↔ moved, = same, • first)."""
    by_id = {risk.record_id: risk for risk in matrix.risks}
    header = [html.Th(t("records.matrix.corner", lang), scope="col", className="matrix-corner")]
    header += [html.Th(str(c), scope="col", className="text-center") for c in range(1, MATRIX_SIZE + 1)]
    rows = []
    for probability in range(MATRIX_SIZE, 0, -1):
        cells = [html.Th(str(probability), scope="row", className="text-center")]
        for consequence in range(1, MATRIX_SIZE + 1):
            ids = matrix.cells[(probability, consequence)]
            cells.append(html.Td([_risk_mark(by_id[rid], lang) for rid in ids],
                                 className=f"matrix-cell matrix-{_band(probability * consequence)}",
                                 id=f"matrix-{probability}-{consequence}"))
        rows.append(html.Tr(cells))
    table = html.Table([html.Caption(t("records.matrix.caption", lang), className="caption-top"),
                        html.Thead(html.Tr(header)), html.Tbody(rows)], className="risk-matrix", id="rec-risk-matrix")
    return html.Div(table, className="risk-matrix-wrap")


def _band(score: int) -> str:
    return "high" if score >= 15 else "medium" if score >= 8 else "low"


def _risk_mark(risk: RiskPosition, lang: str) -> html.Span:
    return html.Span(f"{risk.record_id} {MOVEMENT_MARKS[risk.movement]}", className=f"risk-mark move-{risk.movement}",
                     title=movement_text(risk, lang))


def movement_text(risk: RiskPosition, lang: str) -> str:
    """'Sämre: från 2×4 (januari 2024) till 3×4 (maj 2024)' and the like."""
    word = t(f"records.movement.{risk.movement}", lang)
    if risk.cell is None:
        return word
    now = f"{risk.probability}×{risk.consequence} ({fmt_month(risk.month, lang)})"
    if risk.previous_cell is None:
        return f"{word}: {now}"
    before = f"{risk.previous_probability}×{risk.previous_consequence} ({fmt_month(risk.previous_month, lang)})"
    return t("records.movement.from_to", lang, word=word, before=before, now=now)


def risk_positions(matrix: RiskMatrix, lang: str) -> html.Div:
    """The open risks beside the matrix: score, cell and movement in words (the matrix's marks spelled out)."""
    if not matrix.risks:
        return html.P(t("records.matrix.none", lang), className="text-body-secondary")
    rows = [html.Tr([html.Td(r.record_id), html.Td(r.title, className="record-title"),
                     html.Td("–" if r.score is None else str(r.score), className="num"),
                     html.Td(movement_text(r, lang))], id=f"position-{r.record_id}") for r in matrix.risks]
    head = html.Thead(html.Tr([html.Th(t(f"records.matrix.{key}", lang), scope="col")
                               for key in ("risk", "title", "score", "movement")]))
    return html.Div(dbc.Table([head, html.Tbody(rows)], size="sm", className="mb-0", id="rec-risk-positions"),
                    className="table-responsive")


# --- the budget ----------------------------------------------------------------------------------------------------


def budget_strip(summary: BudgetSummary, lang: str) -> dbc.Row:
    """The year to date against the cap, the grants against theirs, the forecast; each a big number."""
    kr = t("records.budget.kr", lang)

    def money(value: float | None) -> str:
        return "–" if value is None else f"{fmt_int(value, lang)} {kr}"

    year = summary.month.year
    items = [
        ("budget-month", t("records.budget.month", lang, month=fmt_month(summary.month, lang)),
         money(summary.month_total_sek), None),
        ("budget-ytd", t("records.budget.ytd", lang, year=year), money(summary.year_to_date_sek),
         t("records.budget.of_cap", lang, cap=money(summary.budget_cap_sek), left=money(summary.remaining_sek))),
        ("budget-grants", t("records.budget.grants", lang, year=year), money(summary.grants_year_to_date_sek),
         t("records.budget.of_cap", lang, cap=money(summary.grant_cap_sek), left=money(summary.grants_remaining_sek))),
        ("budget-forecast", t("records.budget.forecast", lang, year=year), money(summary.forecast_year_end_sek),
         t("records.budget.forecast_basis", lang, monthly=money(summary.forecast_monthly_sek),
           months=summary.months_left)),
    ]
    cols = []
    for item_id, title, value, note in items:
        over = item_id == "budget-forecast" and summary.forecast_over_cap
        card = [html.Div(title, className="kpi-label"), html.Div(value, className="kpi-value", id=item_id)]
        card += [html.Div(note, className="kpi-note")] if note else []
        card += [dbc.Badge(t("records.budget.over_cap", lang), color="danger", id="budget-over-cap")] if over else []
        cols.append(dbc.Col(html.Div(card, className="kpi-card"), xs=12, sm=6, xl=3))
    return dbc.Row(cols, className="g-3 mb-3 number-strip budget-strip")


def budget_table(summary: BudgetSummary, lang: str) -> html.Div:
    """Spend per month (rows) and category (columns), January to the month, with the year's totals."""
    categories = [code for code in CHOICES["budget_category"] if code in summary.year_by_category]
    head = [html.Th(t("records.budget.month_col", lang), scope="col")]
    head += [html.Th(choice_label("budget_category", c, lang), scope="col", className="num") for c in categories]
    head += [html.Th(t("records.budget.total", lang), scope="col", className="num")]
    rows = [html.Tr([html.Td(fmt_month(m.month, lang, short=True), className="text-nowrap")]
                    + [html.Td(fmt_int(m.by_category.get(c, 0), lang), className="num") for c in categories]
                    + [html.Td(fmt_int(m.total_sek, lang), className="num fw-semibold")],
                    id=f"budget-row-{m.month:%Y-%m}") for m in summary.months]
    total = html.Tr([html.Th(t("records.budget.total", lang), scope="row")]
                    + [html.Td(fmt_int(summary.year_by_category[c], lang), className="num fw-semibold")
                       for c in categories]
                    + [html.Td(fmt_int(summary.year_to_date_sek, lang), className="num fw-bold", id="budget-total")])
    return html.Div(dbc.Table([html.Thead(html.Tr(head)), html.Tbody(rows), html.Tfoot(total)], size="sm",
                              striped=True, className="budget-table mb-0", id="rec-budget-table"),
                    className="table-responsive")


def grants_note(summary: BudgetSummary, lang: str) -> str:
    return t(f"records.budget.grants_source.{summary.grants_source}", lang)


# --- the classification -----------------------------------------------------------------------------------------


def classification_line(item: ClassificationItem | None, lang: str) -> str:
    """'Polisens senaste bedömning (18 februari 2025): Inte klassad som öppen drogscen' or that there is none."""
    if item is None:
        return t("records.classification.none", lang)
    return t("records.classification.latest", lang, date=fmt_date(item.assessed_on, lang), by=item.assessed_by,
             outcome=choice_label("classification_outcome", item.outcome, lang))


def classification_history(items: Sequence[ClassificationItem], lang: str, element_id: str) -> html.Ol:
    """Every assessment in force, oldest first: the dated decisions the goal rests on."""
    return html.Ol([html.Li([html.Span(fmt_date(i.assessed_on, lang), className="text-nowrap me-2"),
                             html.Strong(choice_label("classification_outcome", i.outcome, lang),
                                         className="classified" if i.classified else "not-classified"),
                             html.Span(f" · {i.assessed_by}", className="text-body-secondary")],
                            id=f"classification-{i.record_id}") for i in items],
                   className="classification-list small mb-0", id=element_id)
