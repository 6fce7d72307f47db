"""Data: what is loaded, from which sources, and what was rejected and why.

For a user whose small counts are hidden (the partner role, dashboard/disclosure.py):
- sources and load history stay as they are: operational metadata (files, loads, rows per file, times);
- rejected rows are counted per file and column, those counts protected; the reasons are not shown, as they quote the
  rejected cell's value (raw data of a single record);
- coverage shows only whether a source has rows in a place and month, not how many (rows per cell are counts of
  incidents, shifts, activities);
- the rows without a specific place: the count and its share are hidden when either the unplaced or the placed
  rows are 1–4 (one gives the other away through the kind's total);
- the audit log is for admins only, as for everyone else who is not one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html

from dashboard import accounts_view, auth, intake_view
from dashboard import app_context as context
from dashboard.export.figure_download import exportable_graph
from dashboard.page_parts import empty_state, page_header, page_state, protection_note
from lagesbild import disclosure
from lagesbild.accounts import recent_audit
from lagesbild.captions import export_filename, source_label
from lagesbild.charts.theme import figure_dict, iso_days, json_values
from lagesbild.dates import months_between
from lagesbild.filters import FilterState
from lagesbild.i18n import lang_or_default, nt, t
from lagesbild.i18n.formats import MISSING, fmt_int, fmt_month, fmt_pct
from lagesbild.reads import REJECTED_HIDDEN, Reads, hidden_of
from lagesbild.render.csv_table import MEDIA_TYPE, download_button, to_csv_bytes

dash.register_page(__name__, path="/data", name="Data", title="Data · Lägesbild", order=7)

COVERAGE_COLOURS = [[0.0, "#c6dbef"], [0.5, "#4a90c2"], [1.0, "#08306b"]]  # light to dark blue: more rows
PRESENT_COLOUR = "#4a90c2"  # coverage as present/absent only (small counts hidden): one colour for "has rows"
ROW_HEIGHT = 34
LOAD_STATUSES = ("loaded", "partial", "unchanged", "undone")
REJECTIONS = "data-rejections"  # the table is f"{REJECTIONS}-table"; its CSV download f"{REJECTIONS}-csv"
FEED_STALE = timedelta(days=1)  # the police feed keeps only its latest ~500 events: a day without a fetch loses some
SOURCES_BODY, HISTORY_BODY = "data-sources-body", "data-history-body"  # drawn again after a load or an undo


def layout(lang: str = "sv", **query):
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    header = page_header("data", lang, state, options)
    app = context.current()
    reads = app.reads()
    summary = reads.load_summary()
    intake = [*intake_view.upload_section(lang), *intake_view.undo_area()]
    if summary.empty:
        return html.Div([header, *intake, empty_state(lang), html.Div(id=SOURCES_BODY), html.Div(id=HISTORY_BODY),
                         *accounts_view.accounts_section(lang)], className="page page-data")
    coverage = reads.coverage(place_ids=state.places, month_from=state.month_from, month_to=state.month_to)
    places = [(pid, name) for pid, name in options.places if not state.places or pid in state.places]
    presence = reads.viewer.protected  # rows per cell are counts: only present or absent
    return html.Div([
        header,
        *intake,
        section("sources", lang, [*feed_note(reads.feed_status(), lang),
                                  html.Div(sources_table(source_rows(summary, reads.freshness()), lang),
                                           id=SOURCES_BODY)]),
        dbc.Row([
            dbc.Col(section("rejections", lang, rejections_section(reads, lang), False), xl=7),
            dbc.Col(section("unplaced", lang, unplaced_table(reads.unplaced_share(), lang)), xl=5),
        ], className="g-4"),
        section("coverage", lang, [html.P(t("data.filter_scope", lang), className="fw-semibold"),
                                   *coverage_graphs(coverage, places, state, lang, presence=presence)],
                intro_key="coverage_presence_intro" if presence else None),
        section("history", lang, html.Div(history_table(reads.load_history(), lang), id=HISTORY_BODY)),
        *audit_section(app.engine(), lang),
        *accounts_view.accounts_section(lang),
        *protection_note(lang),
    ], className="page page-data")


def feed_note(status: dict | None, lang: str, now: datetime | None = None) -> list:
    """The police feed's last fetch and its result; a warning when nothing has been fetched for a day."""
    if status is None:
        return []
    now = now or datetime.now()
    result = t(f"data.feed.result.{status['result']}", lang)
    text = t("data.feed.last", lang, at=fmt_datetime(status["at"], lang), result=result,
             message=status["message"] or "")
    stale = status["last_success"] is None or now - pd.Timestamp(status["last_success"]).to_pydatetime() > FEED_STALE
    if stale:
        since = fmt_datetime(status["last_success"], lang)
        return [dbc.Alert([html.Strong(t("data.feed.stale", lang, since=since)), html.Br(), text], color="warning",
                          id="data-feed-status")]
    return [html.P(text, className="small text-muted", id="data-feed-status")]


def audit_section(engine, lang: str) -> list:
    """The latest 200 entries of the audit log, for admins only (and in open demo mode, labelled so)."""
    if not auth.sees_audit():
        return []
    head = [(t("data.col.audit_at", lang), False), (t("data.col.audit_who", lang), False),
            (t("data.col.audit_what", lang), False), (t("data.col.audit_detail", lang), False)]
    rows = [[nowrap(fmt_datetime(r["at"], lang)), r["username"] or MISSING, r["action"], r["detail"] or ""]
            for r in recent_audit(engine, 200)]
    body = [html.P(t("data.audit_demo", lang), className="fw-semibold")] if auth.is_open() else []
    return [section("audit", lang, [*body, table(head, rows, "data-audit-table")])]


def section(key: str, lang: str, body, intro: bool = True, intro_key: str | None = None) -> html.Section:
    lead = [html.P(t(f"data.{intro_key or key + '_intro'}", lang), className="page-intro")] if intro else []
    return html.Section([html.H2(t(f"data.{key}", lang), className="h3 mt-4"), *lead,
                         *(body if isinstance(body, list) else [body])], id=f"data-{key}", className="mb-4")


def fmt_day(value, lang: str) -> str:
    """'27 nov 2026': short enough that a table row stays on one line."""
    day = pd.Timestamp(value).date()
    return f"{day.day} {fmt_month(day, lang, short=True)}"


def fmt_datetime(value, lang: str) -> str:
    """'27 nov 2026 13:42', or '–' when there is none."""
    if value is None or pd.isna(value):
        return MISSING
    return f"{fmt_day(value, lang)} {pd.Timestamp(value).strftime('%H:%M')}"


def fmt_period(first, last, lang: str) -> str:
    if first is None or pd.isna(first):
        return MISSING
    return f"{fmt_day(first, lang)} – {fmt_day(last, lang)}"


def source_rows(summary: pd.DataFrame, freshness: pd.DataFrame) -> pd.DataFrame:
    """Load counts per source beside what the store holds from it (rows, first and last date)."""
    facts = freshness[["kind", "source", "rows", "first_date", "last_date"]].dropna(subset=["kind"])
    return summary.merge(facts, on=["kind", "source"], how="left").sort_values(["kind", "source"], ignore_index=True)


def table(head: Sequence[tuple[str, bool]], rows: Sequence[Sequence], table_id: str) -> dbc.Table:
    """A plain table; the bool beside each heading marks a number column (right-aligned)."""
    header = html.Thead(html.Tr([html.Th(text, className="num" if num else None) for text, num in head]))
    body = html.Tbody([html.Tr([html.Td(cell, className="num" if num else None)
                                for cell, (_, num) in zip(row, head, strict=True)]) for row in rows])
    return dbc.Table([header, body], striped=True, hover=True, responsive=True, id=table_id, className="align-middle")


def sources_table(frame: pd.DataFrame, lang: str) -> dbc.Table:
    head = [(t("data.col.kind", lang), False), (t("data.col.source", lang), False),
            (t("data.col.last_load", lang), False), (t("data.col.loads", lang), True),
            (t("data.col.read", lang), True), (t("data.col.inserted", lang), True),
            (t("data.col.updated", lang), True), (t("data.col.duplicate", lang), True),
            (t("data.col.rejected", lang), True), (t("data.col.skipped", lang), True),
            (t("data.col.rows", lang), True), (t("data.col.period", lang), False)]
    rows = [[t(f"data.kind.{r.kind}", lang), source_code(r.source, lang), nowrap(fmt_datetime(r.last_load, lang)),
             fmt_int(r.loads, lang), count_cell(r, "rows_read", lang), count_cell(r, "rows_inserted", lang),
             count_cell(r, "rows_updated", lang), count_cell(r, "rows_duplicate", lang), rejected_cell(r, lang),
             count_cell(r, "rows_skipped", lang), count_cell(r, "rows", lang),
             fmt_period(r.first_date, r.last_date, lang)]
            for r in frame.itertuples()]
    return table(head, rows, "data-sources-table")


def nowrap(text: str) -> html.Span:
    return html.Span(text, className="text-nowrap")




def source_code(source: str, lang: str = "sv") -> html.Span:
    """The source's name in words, with its code small beside it for whoever reads the load reports."""
    return html.Span([source_label(source, lang), " ", html.Code(source, className="text-nowrap small text-muted")])


def count_cell(row, column: str, lang: str) -> str:
    """A count of rows of a load or a source: as lagesbild.reads protected it ('<5', or rounded, for a user whose
    small counts are hidden: a load of 3 rows is 3 records); a source loaded without facts has 0 rows."""
    value, reason = getattr(row, column), getattr(row, hidden_of(column), "") or ""
    return disclosure.cell_text(0 if value is None or pd.isna(value) and not reason else value, reason, lang)


def rejected_cell(row, lang: str):
    """Rejected rows of a load or a source ('<5' for a user whose small counts are hidden: with the counts per file
    and column, a small total would give those away; lagesbild.reads protects them)."""
    count, reason = row.rows_rejected, getattr(row, REJECTED_HIDDEN)
    text = disclosure.cell_text(count, reason, lang)
    return html.Strong(text, className="text-danger") if reason or count else text


def rejections(frame: pd.DataFrame, lang: str):
    if frame.empty:
        return dbc.Alert(t("data.no_rejections", lang), color="success", id="data-no-rejections")
    head = [(t("data.col.file", lang), False), (t("data.col.column", lang), False),
            (t("data.col.reason", lang), False), (t("data.col.rejected", lang), True)]
    rows = [[r.file_name, r.column or MISSING, r.reason, fmt_int(r.rows, lang)] for r in frame.itertuples()]
    return table(head, rows, f"{REJECTIONS}-table")


def rejections_section(reads: Reads, lang: str) -> list:
    """The table with its CSV download above it (nothing to download when nothing was rejected). For a user whose
    small counts are hidden: rejected rows per file and column, without the reasons (`rejections_by_column`)."""
    if reads.sees_single_records:
        frame = reads.rejections()
        return [rejections(frame, lang)] if frame.empty else [download_button(REJECTIONS, lang),
                                                              rejections(frame, lang)]
    counted = reads.rejections_by_column()
    if counted.empty:
        return [rejections(counted, lang)]
    return [html.P(t("data.rejections_protected", lang), className="page-intro", id=f"{REJECTIONS}-protected"),
            download_button(REJECTIONS, lang), protected_rejections(counted, lang)]


def protected_rejections(frame: pd.DataFrame, lang: str) -> dbc.Table:
    head = [(t("data.col.file", lang), False), (t("data.col.column", lang), False),
            (t("data.col.rejected", lang), True)]
    reasons = frame[disclosure.HIDDEN] if disclosure.HIDDEN in frame else pd.Series("", index=frame.index)
    rows = [[r.file_name, r.column or MISSING, disclosure.cell_text(r.rows, reason, lang)]
            for r, reason in zip(frame.itertuples(), reasons, strict=True)]
    return table(head, rows, f"{REJECTIONS}-table")


def rejections_csv_frame(reads: Reads, lang: str) -> pd.DataFrame:
    """The CSV of the rejections table as this user's page shows it (per file and column, protected, for a user
    whose small counts are hidden: the CSV writes '<5' and 'dolt' where the page does)."""
    if not reads.sees_single_records:
        counted = reads.rejections_by_column()
        names = {"file_name": t("data.col.file", lang), "column": t("data.col.column", lang),
                 "rows": t("data.col.rejected", lang)}
        return counted.assign(column=counted["column"].where(counted["column"] != "", None)).rename(columns=names)
    names = [t(f"data.col.{key}", lang) for key in ("file", "column", "reason", "rejected")]
    frame = reads.rejections()
    return pd.DataFrame([[r.file_name, r.column, r.reason, int(r.rows)] for r in frame.itertuples()], columns=names)


@dash.callback(Output(f"{REJECTIONS}-csv-download", "data"), Input(f"{REJECTIONS}-csv", "n_clicks"),
               State("shell-lang", "value"), prevent_initial_call=True)
def download_rejections(clicks, lang):
    """The rejected-rows table as CSV (the whole store: the table is not filtered either)."""
    if not clicks:
        raise dash.exceptions.PreventUpdate
    lang = lang_or_default(lang)
    frame = rejections_csv_frame(context.current().reads(), lang)
    name = export_filename(t("data.rejections", lang), FilterState(), "csv", lang)
    return dash.dcc.send_bytes(to_csv_bytes(frame, lang), name, type=MEDIA_TYPE)


def unplaced_table(frame: pd.DataFrame, lang: str) -> dbc.Table:
    """Per kind: rows, those placed only on the area as a whole, and their share (lagesbild.reads unplaced_share)."""
    head = [(t("data.col.kind", lang), False), (t("data.col.rows", lang), True),
            (t("data.col.unplaced", lang), True), (t("data.col.share", lang), True)]
    hidden = disclosure.cell_text(None, disclosure.COMPLEMENT, lang)
    rows = [[t(f"data.kind.{r.kind}", lang), disclosure.cell_text(r.rows, r.rows_hidden, lang),
             disclosure.cell_text(r.unplaced, r.unplaced_hidden, lang),
             hidden if r.unplaced_hidden else fmt_pct(r.share, 1, lang)] for r in frame.itertuples()]
    return table(head, rows, "data-unplaced-table")


@dash.callback(Output(SOURCES_BODY, "children"), Output(HISTORY_BODY, "children"),
               Input(intake_view.CHANGED, "data"), State("shell-lang", "value"), prevent_initial_call=True)
def redraw_after_change(_changed, lang):
    """After a load or an undo made on the page: its sources and load history as the store holds them now."""
    lang = lang_or_default(lang)
    reads = context.current().reads()
    return sources_table(source_rows(reads.load_summary(), reads.freshness()), lang), \
        history_table(reads.load_history(), lang)


def history_table(frame: pd.DataFrame, lang: str) -> dbc.Table:
    who = intake_view.current_uploader()
    undo = [(t("intake.col.undo", lang), False)] if who is not None and who.may_upload else []
    head = [(t("data.col.id", lang), True), (t("data.col.last_load", lang), False), (t("data.col.kind", lang), False),
            (t("data.col.source", lang), False), (t("data.col.file", lang), False),
            (t("data.col.status", lang), False), (t("data.col.read", lang), True),
            (t("data.col.inserted", lang), True), (t("data.col.updated", lang), True),
            (t("data.col.duplicate", lang), True), (t("data.col.rejected", lang), True),
            (t("data.col.skipped", lang), True), (t("intake.col.by", lang), False), *undo]
    rows = [[fmt_int(r.id, lang), nowrap(fmt_datetime(r.finished_at, lang)), t(f"data.kind.{r.kind}", lang),
             source_code(r.source, lang), r.file_name, status_cell(r, lang), count_cell(r, "rows_read", lang),
             count_cell(r, "rows_inserted", lang), count_cell(r, "rows_updated", lang),
             count_cell(r, "rows_duplicate", lang), rejected_cell(r, lang), count_cell(r, "rows_skipped", lang),
             loaded_by(r), *([intake_view.undo_cell(r._asdict(), who, lang)] if undo else [])]
            for r in frame.itertuples()]
    return table(head, rows, "data-history-table")


def loaded_by(row) -> str:
    """Who loaded it, and for which organisation: 'anna (Stadsmissionen)'; a partner, who is not shown staff
    accounts' names, sees the organisation alone: 'Stadsmissionen'."""
    who, org = _text(getattr(row, "loaded_by", None)), _text(getattr(row, "organisation", None))
    if not who:
        return org or MISSING
    return f"{who}{f' ({org})' if org else ''}"


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def status_cell(row, lang: str):
    """The load's status; an undone one says when and by whom."""
    text = status_text(row.status, lang)
    if row.status != "undone":
        return text
    return html.Span([text, html.Br(),
                      html.Small(f"{fmt_datetime(row.undone_at, lang)} {_text(row.undone_by)}",
                                 className="text-muted")], className="text-danger")


def status_text(status: str, lang: str) -> str:
    return t(f"data.status.{status}", lang) if status in LOAD_STATUSES else status


def _as_dates(values) -> list[date]:
    return [pd.Timestamp(v).date() for v in values]


def coverage_months(frame: pd.DataFrame, state: FilterState) -> list[date]:
    """Every month from the filter's first to its last (else the data's), so months without rows show as gaps.
    Survey waves are months apart by nature: they set the span only when there is nothing else."""
    monthly = frame[frame["kind"] != "surveys"]
    months = _as_dates((monthly if not monthly.empty else frame)["month"])
    return months_between(state.month_from or min(months), state.month_to or max(months))


def coverage_graphs(frame: pd.DataFrame, places: Sequence[tuple[str, str]], state: FilterState,
                    lang: str, presence: bool = False) -> list:
    if frame.empty:
        return [dbc.Alert(t("data.coverage_empty", lang), color="info", id="data-coverage-empty")]
    common = coverage_months(frame, state)
    graphs = []
    for index, ((kind, source), part) in enumerate(frame.groupby(["kind", "source"], sort=True)):
        months = common if kind != "surveys" else coverage_months(part, state)
        covered = sum(1 for m in set(_as_dates(part["month"])) if months[0] <= m <= months[-1])
        span = f"{fmt_month(months[0], lang, short=True)}–{fmt_month(months[-1], lang, short=True)}"
        count = nt("data.coverage_months", len(months), lang, covered=fmt_int(covered, lang),
                   total=fmt_int(len(months), lang))
        what = f"{t(f'data.kind.{kind}', lang)} · {source_label(source, lang)}"
        title = f"{what} — {count} ({span})"
        names = tuple(t("figure.data-coverage", code, kind=t(f"data.kind.{kind}", code), source=source)
                      for code in ("sv", "en"))
        graphs.append(html.Div([html.H3(title, className="h5 mb-0"),
                                exportable_graph(names, coverage_figure(part, months, places, lang, presence),
                                                 f"data-coverage-{index}", title=what, lang=lang, state=state)],
                               className="mb-3"))
    return graphs


def coverage_figure(frame: pd.DataFrame, months: Sequence[date], places: Sequence[tuple[str, str]],
                    lang: str, presence: bool = False) -> dict:
    """Months across, places down, rows per cell; a month with no rows stays white, so gaps stand out.

    presence: only whether a cell has rows, in one colour (for a user whose small counts are hidden); the figure
    then holds no count at all, neither in the cells nor in the hover texts or a colour bar."""
    names: Mapping[str, str] = dict(places)
    order = [pid for pid, _ in places] + sorted(set(frame["place_id"]) - set(names))
    grid = (frame.assign(month=pd.to_datetime(frame["month"]))
            .groupby(["place_id", "month"])["rows"].sum().unstack("month")  # pivot_table, 3× faster
            .reindex(index=order, columns=pd.to_datetime(list(months))))
    labels = [names.get(pid, pid) for pid in order]
    days = iso_days(grid.columns)
    month_names = [fmt_month(m, lang) for m in months]  # once per column, not per cell
    if presence:
        present = (grid.to_numpy() > 0).tolist()  # NaN (no rows) compares False
        words = (t("data.coverage_present", lang), t("data.coverage_absent", lang))
        hover = [[f"{label}, {month}: {words[0] if has else words[1]}" for month, has in zip(month_names, row,
                                                                                              strict=True)]
                 for label, row in zip(labels, present, strict=True)]
        trace = dict(type="heatmap", z=[[1 if has else None for has in row] for row in present], x=days,
                     y=labels, colorscale=[[0.0, PRESENT_COLOUR], [1.0, PRESENT_COLOUR]], xgap=1, ygap=1,
                     hovertext=hover, hoverinfo="text", zmin=0, zmax=1, showscale=False)
    else:
        counts = json_values(grid.to_numpy())
        numbers = {v: fmt_int(v, lang) for row in counts for v in row} | {None: "0"}  # each count formatted once
        hover = [[f"{label}, {month}: {numbers[v]}" for month, v in zip(month_names, row, strict=True)]
                 for label, row in zip(labels, counts, strict=True)]
        trace = dict(
            type="heatmap", z=counts, x=days, y=labels, colorscale=COVERAGE_COLOURS, xgap=1,
            ygap=1, hovertext=hover, hoverinfo="text", zmin=0,
            colorbar=dict(title=dict(text=t("data.rows_axis", lang)), thickness=14, tickformat=",d",
                          dtick=max(1, round(float(frame["rows"].max()) / 4))),
        )
    layout = dict(margin=dict(t=8, l=16, r=16, b=16), plot_bgcolor="white",
                  yaxis=dict(autorange="reversed", showgrid=False, ticks=""),
                  xaxis=dict(showgrid=False, ticks="outside", dtick="M3" if len(months) <= 36 else "M6",
                             tickformat="%b %Y"))
    return figure_dict([trace], layout, lang, 90 + ROW_HEIGHT * len(order))
