"""Översikt: the indicators against baseline and target, and how far it is to the effect goal."""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import app_context as context
from dashboard import auth, records_parts
from dashboard.page_parts import empty_state, page_header, page_state, protection_note
from lagesbild.captions import source_label
from lagesbild.charts.theme import BASELINE_COLOUR, STATUS_COLOURS, figure_dict, graph_config
from lagesbild.config import Goal
from lagesbild.config.indicators import Indicator, IndicatorConfig
from lagesbild.filters import FilterState, month_key, parse_month
from lagesbild.i18n import lang_or_default, nt, t
from lagesbild.i18n.formats import fmt_date, fmt_dec, fmt_int, fmt_month, fmt_pct
from lagesbild.indicators.readings import HIDDEN_STATUS, TOO_FEW_STATUS, Point, Reading
from lagesbild.indicators.wording import (
    STATUS_ICONS,
    change_hidden_title,
    format_comparison,
    format_count,
    format_point,
    format_point_change,
    format_value,
    goal_sentence,
    hidden_title,
    months_label,
    outcome_sentence,
    period_label,
    rule_parts,
    status_label,
    target_sentence,
    target_short,
    target_state,
    wave_sentence,
    window_sentence,
)
from lagesbild.reads import Reads
from lagesbild.records.access import Actor
from lagesbild.records.report import classifications, open_actions
from lagesbild.render.gate import RendererBusy
from lagesbild.render.report import report_bytes
from lagesbild.report.build import build_report, latest_report_month
from lagesbild.report.model import ReportError, check_month, report_filename

dash.register_page(__name__, path="/", name="Översikt", title="Översikt · Lägesbild", order=0)

log = logging.getLogger(__name__)
STATUSES = ("good", "watch", "bad", TOO_FEW_STATUS, "unknown", HIDDEN_STATUS)
INK = "#1f2328"
SPARK_HEIGHT = 84


def layout(lang: str = "sv", **query):
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    app = context.current()
    reads = app.reads()
    header = page_header("oversikt", lang, state, options)
    sources = reads.freshness()
    if sources.empty:
        return html.Div([header, empty_state(lang)], className="page page-oversikt")
    configuration = app.config()
    goal, config = configuration.area.goal, configuration.indicators
    today = date.today()
    readings = reads.indicator_readings(config, goal, state, today)
    stale = stale_sources(sources, config, today)
    return html.Div(
        [header, report_bar(reads, state, today, lang),
         goal_panel(goal, readings, today, lang, stale_note(stale, len(sources), lang),
                    classification_part(app.engine(), app.actor(), today, lang)),
         overdue_part(app.engine(), app.actor(), today, lang),
         indicator_sections(config, readings, lang), freshness_strip(sources, config, today, stale, lang),
         *protection_note(lang)],
        className="page page-oversikt",
    )


# ---- the lägesrapport: Word or PDF for the latest complete month in the filter ----

REPORT_DOCX, REPORT_PDF = "report-docx", "report-pdf"
REPORT_DOWNLOAD, REPORT_STATE, REPORT_STATUS = "report-download", "report-state", "report-status"


def report_bar(reads: Reads, state: FilterState, today: date, lang: str) -> html.Div:
    """Two buttons that download the lägesrapport (lagesbild.report.build) for the filter's places and its
    latest complete month, and a line saying which month that is."""
    month = latest_report_month(reads, state, today)
    if month is None:
        return html.Div(html.P(t("report.download_none", lang), className="mb-0 text-body-secondary"),
                        className="report-bar d-print-none mb-3", id="report-bar")
    data = {"places": list(state.places), "month": month_key(month), "lang": lang}
    buttons = [dbc.Button(t(f"report.download_{fmt}", lang), id=button, color="primary", outline=True)
               for fmt, button in (("docx", REPORT_DOCX), ("pdf", REPORT_PDF))]
    return html.Div(
        [*buttons, html.Span(t("report.download_for", lang, month=fmt_month(month, lang)), className="report-for"),
         dcc.Loading(html.Div(id=REPORT_STATUS), type="dot"), dcc.Download(id=REPORT_DOWNLOAD),
         dcc.Store(id=REPORT_STATE, data=data)],
        className="report-bar d-print-none d-flex flex-wrap align-items-center gap-2 mb-3", id="report-bar",
    )


@dash.callback(Output(REPORT_DOWNLOAD, "data"), Output(REPORT_STATUS, "children"), Input(REPORT_DOCX, "n_clicks"),
               Input(REPORT_PDF, "n_clicks"), State(REPORT_STATE, "data"), prevent_initial_call=True)
def download_report(_docx, _pdf, data):
    data = data or {}
    lang = lang_or_default(data.get("lang"))
    fmt = "pdf" if ctx.triggered_id == REPORT_PDF else "docx"
    app = context.current()
    try:
        month = parse_month(data.get("month"))
        if month is None:
            raise ReportError(f"not a month: {data.get('month')!r}")
        check_month(month)
        made = build_report(app.reads(), app.config(), month, tuple(data.get("places") or ()), lang)
        content = report_bytes(made, fmt, owner=auth.requester_key())
    except RendererBusy:
        return no_update, dbc.Alert(t("figure.busy", lang), color="warning", className="py-1 px-2 mb-0",
                                    id="report-error")
    except Exception:  # the page stays usable; the exception's text, which may name internals, goes to the log only
        reference = secrets.token_hex(4)
        log.exception("the lägesrapport could not be made (reference %s)", reference)
        logged = {"en": "the error is logged with reference {}"}.get(lang, "felet är loggat med referens {}")
        return no_update, dbc.Alert(t("report.download_failed", lang, error=logged.format(reference)),
                                    color="danger", className="py-1 px-2 mb-0", id="report-error")
    auth.audit("export", f"report {fmt.upper()} {data.get('month')}: {','.join(data.get('places') or []) or 'all'}")
    return dcc.send_bytes(content, report_filename(made, fmt)), None


# ---- numbers: the query layer in, readings out ----

# ---- the goal ----

def goal_panel(goal: Goal, readings: dict[str, Reading], today: date, lang: str,
               sources_note: html.P | None = None, classification: html.Div | None = None) -> html.Section:
    """The goal and its date on the left, with the police's classification decisions; the outcome, today's
    statuses and stale sources on the right."""
    passed = today >= goal.date
    follow = t("oversikt.goal.followup", lang) if passed else t("oversikt.goal.before", lang,
                                                                 year=goal.baseline_year)
    left = [
        html.H2(t("oversikt.goal.heading", lang), className="goal-heading", id="goal-heading"),
        html.P(goal.text.get(lang) or goal.text.get("sv", ""), className="goal-text"),
        html.P(goal_sentence(goal.date, today, lang), className="goal-date", id="goal-date"),
        html.P(f"{follow} {t('oversikt.goal.classification', lang)}", className="goal-note"),
        *([classification] if classification else []),
    ]
    outcome = [html.P(outcome_sentence(goal, readings, lang), className="goal-outcome", id="goal-outcome")]
    right = [*(outcome if passed else []), status_summary(readings, lang), *([sources_note] if sources_note else [])]
    return html.Section(dbc.Row([dbc.Col(left, lg=7), dbc.Col(right, lg=5, className="goal-side")], className="g-3"),
                        className="goal-panel", **{"aria-labelledby": "goal-heading"})


def classification_part(engine, actor: Actor, today: date, lang: str) -> html.Div:
    """The police's assessments of the area as dated records (lagesbild.records), the latest first in words."""
    items = classifications(engine, actor, today)
    return html.Div([html.P(records_parts.classification_line(items[-1] if items else None, lang),
                            className="goal-classification fw-semibold mb-1", id="goal-classification"),
                     *([records_parts.classification_history(items, lang, "goal-classifications")] if items else [])],
                    className="goal-records mb-2")


def overdue_part(engine, actor: Actor, today: date, lang: str) -> html.Section:
    """The open actions past their due date, as the viewer may see them (partners: the shared ones)."""
    late = [a for a in open_actions(engine, actor, today) if a.overdue]
    return html.Section(
        [html.H2(nt("records.overdue.title", len(late), lang, count=len(late)), className="h5", id="overdue-heading"),
         records_parts.overdue_list(late, lang, "oversikt-overdue"),
         html.A(t("oversikt.records.link", lang), href="/projektregister", className="small")],
        className="overdue-panel kpi-card mb-4", id="oversikt-overdue-section",
        **{"aria-labelledby": "overdue-heading"})


def status_summary(readings: dict[str, Reading], lang: str) -> html.Div:
    counts = {status: sum(r.status == status for r in readings.values()) for status in STATUSES}
    badges = [status_badge(status, lang, f": {counts[status]}", id=f"summary-{status}")
              for status in STATUSES if counts[status]]
    return html.Div([html.Span(t("oversikt.summary.label", lang) + ":", className="summary-label"), *badges],
                    className="status-summary")


def status_badge(status: str, lang: str, suffix: str = "", **props) -> html.Span:
    return html.Span(status_label(status, lang) + suffix, className=f"status-badge status-{status}",
                     style={"backgroundColor": STATUS_COLOURS[status]}, **props)


# ---- the cards ----

def indicator_sections(config: IndicatorConfig, readings: dict[str, Reading], lang: str) -> html.Div:
    """One section per group; small groups share a row (each group is as wide as its cards need)."""
    sections = [group_section(group, config.in_group(group.id), readings, lang) for group in config.groups
                if config.in_group(group.id)]
    return html.Div(sections, className="kpi-groups")


def group_section(group, indicators: list[Indicator], readings: dict[str, Reading], lang: str) -> html.Section:
    return html.Section(
        [html.H2(group.label[lang], className="group-heading"),
         html.Div([kpi_card(readings[i.id], lang) for i in indicators], className="kpi-grid")],
        className="kpi-group", id=f"group-{group.id}", style={"--cards": str(len(indicators))},
    )


def kpi_card(reading: Reading, lang: str) -> html.Article:
    indicator = reading.indicator
    return html.Article(
        [
            html.H3(indicator.label[lang], className="kpi-label"),
            html.Div([html.Span(period_label(reading, lang) or "\u00a0", className="kpi-period"),
                      badge_button(reading, lang)], className="kpi-status-row"),
            headline(reading, lang),
            *window_lines(reading, lang),
            *comparisons(reading, lang),
            sparkline(reading, lang),
            html.P(target_line(reading, lang), className="kpi-target", title=target_sentence(indicator, lang)),
            *outcome_line(reading, lang),
            *effort_line(reading, lang),
            *([html.P(indicator.note[lang], className="kpi-note")] if indicator.note else []),
            rule_popover(reading, lang),
        ],
        className=f"kpi-card kpi-{reading.status}", id=f"kpi-{indicator.id}",
        style={"borderLeftColor": STATUS_COLOURS[reading.status]},
    )


def headline(reading: Reading, lang: str) -> html.Div:
    indicator = reading.indicator
    latest = reading.latest
    if latest is None:
        return html.Div(className="kpi-headline")
    unit = [html.Span(indicator.unit[lang], className="kpi-unit")]
    if latest.hidden:  # '<5' (or 'dold' for a share, without 'av de svarande'), saying why on hover
        value = html.Span(format_point(indicator, latest, lang), className="kpi-value kpi-value-hidden",
                          title=hidden_title(indicator, latest.hidden, lang))
        unit = [] if indicator.is_survey else unit
    else:
        value = html.Span(format_value(indicator, latest.value, lang), className="kpi-value")
    return html.Div([value, *unit], className="kpi-headline")


def badge_button(reading: Reading, lang: str) -> html.Button:
    """The status as symbol and word; the rule shows on hover (title) and on click (the popover)."""
    return html.Button(status_label(reading.status, lang), id=f"kpi-status-{reading.indicator.id}", type="button",
                       className=f"status-badge status-{reading.status}", title=rule_text(reading, lang),
                       style={"backgroundColor": STATUS_COLOURS[reading.status]},
                       **{"aria-label": f"{status_label(reading.status, lang)}: {t('oversikt.rule.title', lang)}"})


def window_lines(reading: Reading, lang: str) -> list[html.P]:
    """The windows against the same months of the baseline year, each with its case of the rule in words; the one
    the status rests on first and strong. A survey: its wave against the baseline wave, with the interval."""
    indicator = reading.indicator
    if indicator.is_survey:
        text = wave_sentence(reading, lang)
        return [html.P(text, className="kpi-window kpi-window-status", id=f"kpi-window-{indicator.id}")] if text else []
    ordered = sorted(reading.windows, key=lambda w: w.length != indicator.status_window)
    return [html.P(window_sentence(w, indicator, lang), id=f"kpi-window-{indicator.id}-{w.length}",
                   className="kpi-window" + (" kpi-window-status" if w.length == indicator.status_window else ""))
            for w in ordered]


def target_line(reading: Reading, lang: str) -> str:
    """'Mål: −40 % mot samma månad 2022 · Målet är inte nått.' from the status window (or wave)."""
    state = target_state(reading.rated, lang)
    return target_short(reading.indicator, lang) + (f" · {state}" if state else "")


def comparisons(reading: Reading, lang: str) -> list[html.P]:
    indicator = reading.indicator
    if reading.latest is None:
        return [html.P(t(f"oversikt.reason.{reading.reason}", lang), className="kpi-reason")]
    lines = []
    if reading.baseline:
        lines.append(vs_line(indicator, reading, reading.baseline, lang, "kpi-change kpi-vs-baseline"))
    else:
        lines.append(html.P(t("oversikt.reason.no_baseline", lang, year=indicator.baseline_year),
                            className="kpi-reason"))
    if reading.previous:
        lines.append(vs_line(indicator, reading, reading.previous, lang, "kpi-change-small kpi-vs-previous"))
    if reading.n:
        lines.append(html.P(survey_text(reading, lang), className="kpi-survey"))
    return lines


def vs_line(indicator: Indicator, reading: Reading, point: Point, lang: str, class_name: str) -> html.P:
    """vs_text as a line of the card; with a hidden side, the change is '–' and the line says why on hover."""
    hidden = bool(reading.latest.hidden or point.hidden)
    title = {"title": change_hidden_title(_minimum(), lang)} if hidden else {}
    return html.P(vs_text(indicator, reading, point, lang), className=class_name + (" kpi-change-hidden" * hidden),
                  **title)


def vs_text(indicator: Indicator, reading: Reading, point: Point, lang: str) -> str:
    """'−65 % mot dec 2022 (20)': the change, against which period, and that period's value ('–' and '<5' when
    small counts are hidden)."""
    period = point.label if indicator.is_survey else fmt_month(point.period, lang, short=True)
    return t("oversikt.card.vs", lang, change=format_point_change(indicator, reading.latest, point, lang),
             period=period, value=format_point(indicator, point, lang))


def survey_text(reading: Reading, lang: str) -> str:
    """'n = 123 · osäkerhet (95 %) 25–34 %'; only n when the share is hidden (its interval would give it away)."""
    if reading.interval is None:
        return f"n = {fmt_int(reading.n, lang)}"
    low, high = reading.interval
    return t("oversikt.card.survey", lang, n=fmt_int(reading.n, lang), low=fmt_dec(low * 100, 0, lang),
             high=fmt_pct(high, 0, lang))


def outcome_line(reading: Reading, lang: str) -> list[html.P]:
    outcome = reading.outcome
    if outcome is None:
        return []
    indicator = reading.indicator
    period = outcome.wave if indicator.is_survey else months_label(*outcome.period, lang)
    hidden = outcome.status == HIDDEN_STATUS  # no change: with the months shown, it would give a small one away
    change = "–" if hidden else format_comparison(indicator, outcome.value, outcome.baseline, lang)
    text = t("oversikt.card.outcome", lang, period=period, change=change, status=status_label(outcome.status, lang))
    title = {"title": change_hidden_title(_minimum(), lang)} if hidden else {}
    return [html.P(text, className="kpi-outcome", **title)]


def effort_line(reading: Reading, lang: str) -> list[html.P]:
    effort = reading.effort
    if effort is None or reading.baseline is None:
        return []
    period = fmt_month(reading.baseline.period, lang, short=True)
    return [html.P(t("oversikt.card.effort", lang, label=effort.label[lang],
                     value=format_count(effort.value, effort.value_hidden, lang), period=period,
                     base=format_count(effort.baseline, effort.baseline_hidden, lang)), className="kpi-effort")]


def rule_text(reading: Reading, lang: str) -> str:
    return " ".join(status_rules(reading, lang).values())


def status_rules(reading: Reading, lang: str) -> dict[str, str]:
    """The rule behind each colour, with grey for no data and, for a user whose small counts are hidden, light grey
    for a hidden status."""
    rules = {**rule_parts(reading.indicator, lang), "unknown": t("oversikt.rule.unknown", lang)}
    if reading.status == HIDDEN_STATUS or context.current().viewer().protected:
        rules[HIDDEN_STATUS] = t("oversikt.rule.hidden", lang)
    return rules


def rule_popover(reading: Reading, lang: str) -> dbc.Popover:
    indicator = reading.indicator
    rules = status_rules(reading, lang)
    body = [html.Ul([html.Li([html.Span(STATUS_ICONS[status], className=f"rule-icon status-{status}",
                                        style={"backgroundColor": STATUS_COLOURS[status]}), text])
                     for status, text in rules.items()], className="rule-list"),
            html.P(target_sentence(indicator, lang), className="mb-0")]
    if indicator.note:
        body.append(html.P(indicator.note[lang], className="mt-2 mb-0"))
    return dbc.Popover([dbc.PopoverHeader(t("oversikt.rule.title", lang)), dbc.PopoverBody(body)],
                       target=f"kpi-status-{indicator.id}", trigger="legacy", placement="bottom",
                       id=f"kpi-rule-{indicator.id}", className="kpi-rule")


# ---- the sparkline ----

def sparkline(reading: Reading, lang: str) -> html.Div:
    if len(reading.series) < 2:
        text = t("oversikt.card.spark_few", lang) if reading.latest else ""
        return html.Div(text, className="kpi-spark-empty")
    caption = (t("oversikt.card.spark_waves", lang) if reading.indicator.is_survey
               else t("oversikt.card.spark", lang, year=reading.indicator.baseline_year))
    if _marked(reading):
        caption += " · " + t("oversikt.card.spark_hidden", lang, minimum=_minimum())
    graph = dcc.Graph(figure=sparkline_figure(reading, lang), config={**graph_config(lang), "displayModeBar": False},
                      className="kpi-spark", style={"height": f"{SPARK_HEIGHT}px"},
                      id=f"kpi-spark-{reading.indicator.id}")
    return html.Div([graph, html.Div(caption, className="kpi-spark-caption")])


def sparkline_figure(reading: Reading, lang: str) -> dict:
    """The latest 13 months (or every survey wave) as a line, the baseline year dashed beneath; no axes.

    A hidden month (a small count the user does not see) is a gap in the line with a hollow ring low down, in the
    range of the small counts, saying '<5' on hover: never a point at its value, and never drawn as a zero. A
    hidden survey wave is a gap only (its share could be anywhere).
    """
    indicator = reading.indicator
    traces = [_line(reading.baseline_series, indicator, lang, BASELINE_COLOUR, "dot")] if reading.baseline_series \
        else []
    traces.append(_line(reading.series, indicator, lang, INK, "solid", dots=_marked(reading)))
    low = _minimum() / 2  # where a hidden count is marked: the middle of 1..4, whatever it is
    if _marked(reading):
        traces.append(_hidden_marks(reading, lang, low))
    last = reading.series[-1]
    marker = dict(size=11, color=STATUS_COLOURS[reading.status], line=dict(color=INK, width=1.5))
    if not last.hidden:
        traces.append(dict(type="scatter", x=[last.period], y=[last.value], mode="markers", hoverinfo="skip",
                           marker=marker))
    elif not indicator.is_survey:  # the hidden latest month: its status colour (grey), hollow inside
        marker |= dict(symbol="circle-open-dot", line=dict(color=INK, width=2.5))
        traces.append(dict(type="scatter", x=[last.period], y=[low], mode="markers", hoverinfo="skip",
                           marker=marker, cliponaxis=False))
    shown = [p.value for p in reading.series + reading.baseline_series if not p.hidden]
    top = max(shown + ([_minimum()] if _marked(reading) else []), default=0) or 1
    bottom = -top * 0.08 if _marked(reading) else 0  # room for the rings under the line
    layout = dict(margin=dict(l=4, r=8, t=6, b=6), showlegend=False,
                  xaxis=dict(visible=False), yaxis=dict(visible=False, range=[bottom, top * 1.12]),
                  hovermode="closest", dragmode=False)
    return figure_dict(traces, layout, lang, SPARK_HEIGHT)


def _minimum() -> int:
    """The smallest count this request's viewer is shown (the rule's minimum)."""
    return context.current().viewer().minimum


def _marked(reading: Reading) -> bool:
    """Whether the sparkline marks hidden months (counts only: a hidden survey wave is just a gap)."""
    return not reading.indicator.is_survey and any(p.hidden for p in reading.series)


def _hidden_marks(reading: Reading, lang: str, low: float) -> dict:
    points = [p for p in reading.series if p.hidden]
    hover = [f"{fmt_month(p.period, lang, short=True)}: {format_point(reading.indicator, p, lang)} – "
             f"{hidden_title(reading.indicator, p.hidden, lang)}" for p in points]
    return dict(type="scatter", x=[p.period for p in points], y=[low] * len(points), mode="markers",
                name=t("fig.hidden", lang), marker=dict(symbol="circle-open", size=9, color=INK, line=dict(width=2)),
                cliponaxis=False, customdata=hover, hovertemplate="%{customdata}<extra></extra>")


def _line(points, indicator: Indicator, lang: str, colour: str, dash_style: str, dots: bool = False) -> dict:
    """The points as a line; a hidden one is a gap (None), its hover saying '<5'. dots: each point a dot too (a
    month between two gaps would otherwise not be drawn)."""
    labels = [p.label or fmt_month(p.period, lang, short=True) for p in points]
    values = [format_point(indicator, p, lang) for p in points]
    mode = "lines+markers" if indicator.is_survey or dots else "lines"  # a few waves: each one a dot
    return dict(type="scatter", x=[p.period for p in points], y=[None if p.hidden else p.value for p in points],
                mode=mode, marker=dict(size=7 if indicator.is_survey else 5), connectgaps=False,
                line=dict(color=colour, width=3 if dash_style == "solid" else 2, dash=dash_style),
                customdata=list(zip(labels, values, strict=True)),
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>")


# ---- data sources ----

def stale_sources(sources: pd.DataFrame, config: IndicatorConfig, today: date) -> set[str]:
    """The sources whose latest record is older than their kind's limit in indicators.yaml."""
    return {row.source for row in sources.itertuples()
            if (last := _day(row.last_date)) is None or (today - last).days > config.stale_after(row.kind)}


def stale_note(stale: set[str], total: int, lang: str) -> html.P | None:
    if not stale:
        return None
    text = "⚠ " + nt("oversikt.sources.summary", total, lang, stale=len(stale), total=total)
    return html.P(html.A(text, href="#sources"), className="goal-sources", id="goal-sources")


def freshness_strip(sources: pd.DataFrame, config: IndicatorConfig, today: date, stale: set[str],
                    lang: str) -> html.Section:
    rows = sources.sort_values(["kind", "source"]).itertuples()
    items = [source_item(row, row.source in stale, config.stale_after(row.kind), today, lang) for row in rows]
    return html.Section([html.H2(t("oversikt.sources.heading", lang), className="group-heading"),
                         html.Ul(items, className="source-strip")], className="sources", id="sources")


def source_item(row, stale: bool, limit: int, today: date, lang: str) -> html.Li:
    last = _day(row.last_date)
    age = fmt_int((today - last).days, lang) if last else "?"
    flag = t("oversikt.sources.stale", lang, age=age, days=limit) if stale else t("oversikt.sources.fresh", lang)
    return html.Li(
        [html.Div(("⚠ " if stale else "✓ ") + source_label(row.source, lang), className="source-name"),
         html.Div(t("oversikt.sources.latest", lang, date=fmt_date(last, lang))),
         html.Div(t("oversikt.sources.loaded", lang, date=load_time(row.last_load, lang))),
         html.Div(flag, className="source-flag")],
        className="source-item" + (" source-stale" if stale else ""), **{"data-source": row.source},
    )


def load_time(value, lang: str) -> str:
    """'27 november 2026 13:42': when the source's newest file was loaded."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return fmt_date(None, lang)
    stamp = pd.Timestamp(str(value))
    return f"{fmt_date(stamp.date(), lang)} {stamp:%H:%M}"




def _day(value) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else pd.Timestamp(str(value)).date()
