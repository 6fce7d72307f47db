"""Effekt: a measure before and after in its target places, their buffer and a comparison area, with the weighted
displacement quotient, and an indicator's trend and break. The view is the URL: /effekt?measure=…&months=6."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from dashboard import app_context as context
from dashboard import shell
from dashboard.export.page import PAGE_PARAMS
from dashboard.page_parts import chart, empty_state, page_header, page_state, protection_note, table
from lagesbild.charts.effect import its_figure
from lagesbild.config import Config
from lagesbild.config.indicators import Indicator
from lagesbild.filters import parse_month
from lagesbild.i18n import lang_or_default, t
from lagesbild.i18n.formats import fmt_date, fmt_month
from lagesbild.indicators.effect import (
    MAX_MONTHS,
    MIN_MONTHS,
    Effect,
    effect_indicators,
    effect_windows,
    evaluable,
    measure_zones,
    trend_and_break,
)
from lagesbild.indicators.effect import measure_slug as _slug
from lagesbild.indicators.effect_wording import trend_sentence, verdict, wdq_line, zone_header, zone_rows
from lagesbild.indicators.readings import latest_complete_month
from lagesbild.reads import Reads
from lagesbild.stats.its import SegmentedFit

PARAMS = ("measure", "months", "indicator", "break")  # the page's own query parameters, besides the filter's
# PAGE_PARAMS: the measure, window, indicator and break reach the page's PDF export too (dashboard/export/page.py)
dash.register_page(__name__, path="/effekt", name="Effekt", title="Effekt · Lägesbild", order=6,
                   **{PAGE_PARAMS: PARAMS})

MEASURE, MONTHS, INDICATOR, BREAK = "effekt-measure", "effekt-months", "effekt-indicator", "effekt-break"
DRAWN = "effekt-drawn"


class Choice(NamedTuple):  # not a dataclass: Dash imports a page without registering its module
    """What the URL asks for, checked against what the store and configuration have."""

    measure: str | None  # the measure's slug
    months: int
    indicator: str
    break_month: date | None


def measure_slug(day, title: str) -> str:
    return _slug(pd.Timestamp(day).date(), title)


def measure_options(measures: pd.DataFrame, names: dict[str, str], lang: str) -> list[dict]:
    return [{"label": f"{fmt_date(row.date, lang)} · {row.title} · {names.get(row.place_id, row.place)}",
             "value": measure_slug(row.date, row.title)} for row in measures.itertuples(index=False)]


def read_choice(query: dict, measures: pd.DataFrame, indicators: list[Indicator], config: Config,
                latest: date | None) -> Choice:
    """The URL's choice, with defaults: the latest measure at a place with a buffer whose window after is over, the
    configured window, the first indicator, the break at interventions_from; anything unknown is its default."""
    try:
        months = int(query.get("months") or config.area.evaluation.window)
    except (TypeError, ValueError):
        months = config.area.evaluation.window
    months = min(MAX_MONTHS, max(MIN_MONTHS, months))
    slugs = [measure_slug(row.date, row.title) for row in measures.itertuples(index=False)]
    over = [s for s, place, day in zip(slugs, measures["place_id"], measures["date"], strict=True)
            if evaluable(config, place, pd.Timestamp(day).date(), months, latest)]
    measure = query.get("measure")
    measure = measure if measure in slugs else (over[-1] if over else (slugs[-1] if slugs else None))
    ids = [i.id for i in indicators]
    indicator = query.get("indicator") if query.get("indicator") in ids else ids[0]
    chosen_break = parse_month(query.get("break")) if isinstance(query.get("break"), str) else None
    return Choice(measure, months, indicator, chosen_break or config.area.interventions_from)


def layout(lang: str = "sv", **query):
    lang = lang_or_default(lang)
    own = {key: query.pop(key) for key in PARAMS if key in query}
    state, options = page_state(query, lang)
    header = page_header("effekt", lang, state, options)
    app = context.current()
    reads = app.reads()
    if not reads.has_rows("incidents"):
        return html.Div([header, empty_state(lang)], className="page page-effekt")
    config = app.config()
    measures = reads.event_list(measures_only=True).sort_values("date", kind="stable", ignore_index=True)
    indicators = effect_indicators(config)
    today = date.today()
    span = reads.kind_month_span("incidents", today.replace(day=1))
    latest = latest_complete_month(span[1] if span else None, today)
    choice = read_choice(own, measures, indicators, config, latest)
    names = config.places.names()
    controls = control_bar(measures, indicators, choice, names, lang)
    body = content(reads, config, measures, indicators, choice, names, span, latest, lang)
    return html.Div([header, dcc.Store(id=DRAWN, data=choice_query(choice)), controls, *body,
                     html.P(t("effekt.method_note", lang), className="chart-note", id="effekt-method-note"),
                     *protection_note(lang)], className="page page-effekt")


def choice_query(choice: Choice) -> dict:
    return {"measure": choice.measure or "", "months": str(choice.months), "indicator": choice.indicator,
            "break": f"{choice.break_month:%Y-%m}" if choice.break_month else ""}


def control_bar(measures: pd.DataFrame, indicators: list[Indicator], choice: Choice, names: dict[str, str],
                lang: str) -> html.Div:
    def control(label: str, component, width: str) -> html.Div:
        return html.Div([html.Label(label, htmlFor=component.id, className="form-label"), component],
                        className=f"page-control {width}")
    breaks = [{"label": fmt_month(m, lang), "value": f"{m:%Y-%m}"} for m in pd.date_range(
        "2022-01-01", "2025-12-01", freq="MS").date]
    return html.Div([
        control(t("effekt.measure", lang), dcc.Dropdown(
            id=MEASURE, options=measure_options(measures, names, lang), value=choice.measure, clearable=False,
            placeholder=t("effekt.measure_none", lang), labels=shell.dropdown_labels(lang)), "effekt-control-wide"),
        control(t("effekt.months", lang), dcc.Dropdown(
            id=MONTHS, options=[{"label": str(m), "value": str(m)} for m in range(MIN_MONTHS, MAX_MONTHS + 1)],
            value=str(choice.months), clearable=False, labels=shell.dropdown_labels(lang)), "effekt-control"),
        control(t("effekt.indicator", lang), dcc.Dropdown(
            id=INDICATOR, options=[{"label": i.label[lang], "value": i.id} for i in indicators],
            value=choice.indicator, clearable=False, labels=shell.dropdown_labels(lang)), "effekt-control"),
        control(t("effekt.break", lang), dcc.Dropdown(
            id=BREAK, options=breaks, value=f"{choice.break_month:%Y-%m}" if choice.break_month else None,
            clearable=False, labels=shell.dropdown_labels(lang)), "effekt-control"),
    ], className="effekt-controls mb-3")


@dash.callback(Output(shell.URL, "search", allow_duplicate=True),
               Input(MEASURE, "value"), Input(MONTHS, "value"), Input(INDICATOR, "value"), Input(BREAK, "value"),
               State(shell.URL, "search"), State(DRAWN, "data"), prevent_initial_call=True)
def choice_to_url(measure, months, indicator, break_month, search, drawn=None):
    """A change in a control goes to the URL (the filter bar's place and months kept); the page is drawn from it.
    Nothing is written while the controls hold what the page was drawn with (Dash calls this on every draw)."""
    chosen = {"measure": measure or "", "months": str(months or ""), "indicator": indicator or "",
              "break": break_month or ""}
    if drawn is not None and chosen == drawn:
        return no_update
    return effect_query(search, chosen)


def effect_query(search: str | None, chosen: dict) -> str:
    """`search` with the page's own parameters replaced by `chosen` (empty ones left out), its filter kept."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k not in PARAMS]
    pairs += [(k, chosen[k]) for k in PARAMS if chosen.get(k)]
    return "?" + urlencode(pairs)


def content(reads: Reads, config: Config, measures: pd.DataFrame, indicators: list[Indicator], choice: Choice,
            names: dict[str, str], span, latest: date | None, lang: str) -> list:
    indicator = next(i for i in indicators if i.id == choice.indicator)
    parts = []
    if choice.measure is None:
        parts.append(html.P(t("effekt.no_measures", lang), className="empty-state-text", id="effekt-no-measures"))
    else:
        row = next(r for r in measures.itertuples(index=False) if measure_slug(r.date, r.title) == choice.measure)
        windows = effect_windows(pd.Timestamp(row.date).date(), choice.months)
        effect = reads.measure_effect(indicator, measure_zones(config, row.place_id), windows, latest,
                                      police_effort=indicator.effort is not None)
        parts += [verdict_section(effect, names, lang), counts_section(effect, names, lang)]
    parts.append(trend_section(reads, indicator, choice, span, latest, lang))
    return parts


def verdict_section(effect: Effect, names: dict[str, str], lang: str) -> html.Section:
    sentences = verdict(effect, names, lang)
    return html.Section([html.H2(t("effekt.verdict_title", lang), className="chart-title"),
                         html.Div([html.P(s, className="effekt-verdict-line") for s in sentences],
                                  id="effekt-verdict")], className="chart-section effekt-verdict")


def counts_section(effect: Effect, names: dict[str, str], lang: str) -> html.Section:
    header = zone_header(effect, lang)
    columns = list(zip(header, ("text", "text", "num", "num", "num", "text"), strict=True))
    children = [html.H2(t("effekt.table_title", lang, indicator=effect.indicator.label[lang]), className="chart-title"),
                table(columns, zone_rows(effect, names, lang), "effekt-table")]
    line = wdq_line(effect, lang)
    if line:
        children += [html.H3(t("effekt.wdq_title", lang), className="h5 mt-3"), html.P(line, id="effekt-wdq")]
    return html.Section(children, className="chart-section", id="effekt-counts")


def trend_section(reads: Reads, indicator: Indicator, choice: Choice, span, latest: date | None,
                  lang: str) -> html.Section:
    fit, note = None, []
    if span and latest and choice.break_month:
        series = reads.effect_series(indicator, before=latest.replace(day=28))
        first, covariate = span[0], None
        effort = indicator.effort
        effort_span = reads.kind_month_span(effort.measure.kind, latest.replace(day=28)) if effort else None
        if effort is not None and effort_span:
            frame = reads.monthly(effort.measure.kind, "count", categories=effort.measure.categories or None,
                                  counts=effort.is_count)
            covariate = {m: float(v) for m, v in zip(frame["month"], frame["value"], strict=True)
                         if effort_span[0] <= m <= latest and not pd.isna(v)}
            covariate |= {m.date(): covariate.get(m.date(), 0.0)
                          for m in pd.date_range(effort_span[0], effort_span[1], freq="MS")}
            first = max(first, effort_span[0])
            note = [t("effekt.its.covariate", lang, label=effort.label[lang])]
        fit = trend_and_break(series, first, latest, choice.break_month.replace(day=1), covariate)
    text = " ".join([trend_sentence(fit, lang), *(note if isinstance(fit, SegmentedFit) else [])])
    title = t("effekt.its_title", lang, indicator=indicator.label[lang])
    children = []
    if isinstance(fit, SegmentedFit):
        children.append(chart("effekt-its", title, its_figure(fit, lang, indicator.unit[lang]), lang,
                              caption=t("effekt.its_caption", lang, month=fmt_month(fit.break_month, lang)),
                              filtered=False))
    else:
        children.append(html.H2(title, className="chart-title"))
    children.append(html.P(text, id="effekt-its-text", className="chart-note"))
    return html.Section(children, className="chart-section", id="effekt-trend")
