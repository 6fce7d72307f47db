"""Möte: the steering group's meeting on a projector, one slide at a time, from a snapshot of the store (?asof=).

The slides are the deck of lagesbild.report.deck (the agenda of meeting.yaml, the lägesrapport's figures, the
project's records as of the same day); assets/mote.js moves between them (→ / ← / space / PageDown / PageUp, Home,
End, F full screen, Esc out). The same deck downloads as PPTX or PDF, and the lägesrapport of the same snapshot as
Word or PDF, so the report sent before the meeting and the slides shown in it agree.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import app_context as context
from dashboard import auth
from lagesbild.charts.theme import graph_config
from lagesbild.filters import parse_asof
from lagesbild.i18n import lang_or_default, t
from lagesbild.render.deck import deck_bytes
from lagesbild.render.report import report_bytes
from lagesbild.report.deck import Deck, Slide, build_deck
from lagesbild.report.model import KpiRow, ReportError, report_filename

dash.register_page(__name__, path="/mote", name="Möte", title="Möte · Lägesbild", order=7)

log = logging.getLogger(__name__)
DECK = "mote-deck"
DOWNLOAD, STATUS, STATE = "mote-download", "mote-status", "mote-state"
BUTTONS = {"mote-pptx": ("deck", "pptx"), "mote-pdf": ("deck", "pdf"), "mote-report-docx": ("report", "docx"),
           "mote-report-pdf": ("report", "pdf")}


def layout(lang: str = "sv", asof: str | None = None, **_query):
    lang = lang_or_default(lang)
    day = parse_asof(asof)
    notices = [dbc.Alert(t("deck.bad_asof", lang, value=str(asof)[:40]), color="warning", id="mote-bad-asof")] \
        if asof and day is None else []
    day = day or date.today()
    header = html.Header([html.H1(t("page.mote", lang), className="page-title"),
                          html.P(t("intro.mote", lang), className="page-intro")], className="page-header")
    app = context.current()
    try:
        deck = build_deck(app.reads(), app.config(), app.agenda(), app.records_actor(), day, lang)
    except ReportError as exc:
        return html.Div([header, *notices, controls(day, lang, None),
                         dbc.Alert(str(exc), color="info", className="empty-state")], className="page page-mote")
    return html.Div([header, *notices, controls(day, lang, deck), deck_view(deck)], className="page page-mote")


def controls(day: date, lang: str, deck: Deck | None) -> html.Div:
    """The snapshot's date (a plain GET form: the link is the view), the start button and the downloads."""
    form = html.Form(
        [html.Label(t("deck.asof", lang), htmlFor="mote-asof", className="form-label mb-0 me-2"),
         dcc.Input(id="mote-asof", name="asof", type="date", value=day.isoformat(), className="form-control",
                   style={"width": "11rem"}),
         dcc.Input(type="hidden", name="lang", value=lang),
         html.Button(t("deck.asof_apply", lang), type="submit", className="btn btn-outline-primary")],
        method="GET", action="/mote", className="d-flex align-items-center gap-2 flex-wrap", id="mote-asof-form")
    parts = [form]
    if deck is not None:
        downloads = [html.Button(t(key, lang), id=button, n_clicks=0, type="button",
                                 className="btn btn-outline-primary")
                     for button, key in (("mote-pptx", "deck.download_pptx"), ("mote-pdf", "deck.download_pdf"))]
        report = [html.Button(t(f"report.download_{fmt}", lang), id=f"mote-report-{fmt}", n_clicks=0, type="button",
                              className="btn btn-outline-secondary") for fmt in ("docx", "pdf")]
        parts += [html.Button(t("deck.start", lang), id="deck-start", type="button", className="btn btn-primary"),
                  html.Span(t("deck.download", lang) + ":", className="fw-semibold"), *downloads, *report,
                  dcc.Loading(html.Div(id=STATUS), type="dot"), dcc.Download(id=DOWNLOAD),
                  dcc.Store(id=STATE, data={"asof": day.isoformat(), "lang": lang})]
    return html.Div(parts, className="mote-controls d-print-none d-flex flex-wrap align-items-center gap-2 mb-3")


def deck_view(deck: Deck) -> html.Div:
    total = len(deck.slides)
    slides = [slide_section(slide, number, total, deck.lang) for number, slide in enumerate(deck.slides, start=1)]
    return html.Div([
        html.Div(html.Div(slides, className="deck-stage"), id=DECK, className="deck", tabIndex="0", role="region",
                 **{"aria-label": deck.title, "aria-describedby": "deck-keys", "data-current": "0"}),
        html.P(t("deck.keys", deck.lang), className="deck-keys", id="deck-keys")])


def slide_section(slide: Slide, number: int, total: int, lang: str) -> html.Section:
    body = BODIES[slide.key](slide, lang)
    counter = t("deck.counter", lang, n=number, total=total)
    return html.Section(
        [html.H2(slide.title, className="slide-title"),
         html.Div(body, className="slide-body"),
         html.Footer([html.P(slide.caption, className="slide-caption"),
                      html.Span(counter, className="slide-counter", **{"aria-live": "polite"})],
                     className="slide-footer")],
        className=f"slide slide-{slide.key}", hidden=number > 1, id=f"slide-{number}",
        **{"aria-roledescription": "slide", "aria-label": f"{counter}: {slide.title}", "data-key": slide.key},
    )


def _lines(slide: Slide) -> html.Ul:
    flagged = slide.flagged or (False,) * len(slide.lines)
    return html.Ul([html.Li(line, className="flagged" if flag else None) for line, flag in
                    zip(slide.lines, flagged, strict=False)], className="slide-lines")


def goal_body(slide: Slide, lang: str) -> list:
    return [html.P(slide.lead, className="slide-lead"), _lines(slide)]


def kpi_tile(row: KpiRow, lang: str) -> html.Div:
    return html.Div(
        [html.Div(row.indicator.text, className="deck-kpi-label"),
         html.Div([html.Span(row.value.text, className="deck-kpi-value"),
                   html.Span(row.value.note, className="deck-kpi-unit")]),
         html.Div(row.status_text, className=f"deck-kpi-status status-{row.status}",
                  style={"backgroundColor": row.colour})],
        className="deck-kpi", **{"data-kpi": row.id},
    )


def indicators_body(slide: Slide, lang: str) -> html.Div:
    return html.Div([kpi_tile(row, lang) for row in slide.kpis], className="deck-kpis",
                    style={"--tiles": str(len(slide.kpis))})


def chart_body(slide: Slide, lang: str) -> list:
    figure = dict(slide.chart.figure)
    figure["layout"] = {key: value for key, value in figure.get("layout", {}).items() if key not in ("height", "width")}
    figure["layout"]["autosize"] = True
    # type for the back of the room: the report's 18 px print size stays, the legend and ticks no smaller than it
    font = dict(figure["layout"].get("font") or {})
    figure["layout"]["font"] = font | {"size": max(18, int(font.get("size") or 0))}
    config = graph_config(lang) | {"displayModeBar": False, "staticPlot": True, "responsive": True}
    graph = dcc.Graph(figure=figure, config=config, className="slide-graph", responsive=True,
                      style={"height": "100%", "width": "100%"})
    return [html.Div(graph, className="slide-chart", role="img", **{"aria-label": slide.summary}),
            html.P(slide.summary, className="slide-summary")]


def activities_body(slide: Slide, lang: str) -> list:
    return [html.P(slide.lead, className="slide-text"), _lines(slide)]


def lines_body(slide: Slide, lang: str) -> list:
    return [_lines(slide)]


def risks_body(slide: Slide, lang: str) -> html.Div:
    head = html.Tr([html.Th(f"{t('deck.risk_probability', lang)} ↓ / {t('deck.risk_consequence', lang)} →",
                            scope="col", className="axis")]
                   + [html.Th(str(c), scope="col") for c in range(1, 6)])
    rows = [html.Tr([html.Th(str(5 - i), scope="row")]
                    + [html.Td(" ".join(ids), className=f"risk-cell risk-{_level(5 - i, c + 1)}")
                       for c, ids in enumerate(row)]) for i, row in enumerate(slide.matrix)]
    table = html.Table([html.Caption(slide.notes, className="visually-hidden"), html.Thead(head), html.Tbody(rows)],
                       className="risk-matrix")
    return html.Div([table, _lines(slide)], className="slide-risks")


def _level(probability: int, consequence: int) -> str:
    score = probability * consequence
    return "high" if score >= 15 else "medium" if score >= 8 else "low"


BODIES = {"goal": goal_body, "indicators": indicators_body, "chart": chart_body, "activities": activities_body,
          "actions": lines_body, "risks": risks_body, "change_requests": lines_body}


@dash.callback(Output(DOWNLOAD, "data"), Output(STATUS, "children"),
               *(Input(button, "n_clicks") for button in BUTTONS), State(STATE, "data"), prevent_initial_call=True)
def download(*args):
    """The deck (PPTX, PDF) or the lägesrapport (Word, PDF) of the page's snapshot."""
    data = args[-1] or {}
    what, fmt = BUTTONS.get(ctx.triggered_id, ("deck", "pptx"))
    lang = lang_or_default(data.get("lang"))
    day = parse_asof(data.get("asof")) or date.today()
    app = context.current()
    try:
        deck = build_deck(app.reads(), app.config(), app.agenda(), app.records_actor(), day, lang)
        if what == "deck":
            content, name = deck_bytes(deck, fmt), deck.filename(fmt)
        else:
            content, name = report_bytes(deck.report, fmt), report_filename(deck.report, fmt)
    except Exception:  # the page stays usable; the exception's text goes to the log only
        reference = secrets.token_hex(4)
        log.exception("the meeting's %s could not be made (reference %s)", what, reference)
        return no_update, dbc.Alert(t("report.download_failed", lang, error=reference), color="danger",
                                    className="py-1 px-2 mb-0")
    auth.audit("export", f"meeting {what} {fmt.upper()} as of {day.isoformat()}")
    return dcc.send_bytes(content, name), None

