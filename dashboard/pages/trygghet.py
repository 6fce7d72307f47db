"""Trygghet: safety-survey results with respondents and uncertainty intervals."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import app_context as context
from dashboard.export.figure_download import exportable_graph, figure_names
from dashboard.page_parts import empty_state, page_header, page_state, protection_note
from lagesbild.charts.survey import (
    answers_figure,
    indicator_figure,
    ntu_figure,
    ntu_table,
    ntu_unit,
    series_name,
    series_order,
    small_n_waves,
)
from lagesbild.dates import month_end
from lagesbild.filters import FilterState
from lagesbild.i18n import lang_or_default, t
from lagesbild.reads import Reads
from lagesbild.surveys import INDICATORS, NTU_AREA, NTU_CITY, NTU_TABLES

dash.register_page(__name__, path="/trygghet", name="Trygghet", title="Trygghet · Lägesbild", order=4)

INDICATOR_TITLES = {"otrygghet": ("trygghet.unsafe_title", "trygghet.unsafe_answers"),
                    "problem_narkotika": ("trygghet.drugs_title", "trygghet.drugs_answers")}


def layout(lang: str = "sv", **query):
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    header = page_header("trygghet", lang, state, options)
    if not options.places:
        return html.Div([header, empty_state(lang)], className="page page-trygghet")
    reads = context.current().reads()
    # the project's own surveys: a share that gives away 1-4 respondents is hidden for the roles the rule names;
    # BRÅ's NTU is published statistics, with BRÅ's own suppression codes
    answers = reads.survey_answers(**survey_filter(state))
    own, ntu = answers.own, answers.published
    scope = html.P(t("trygghet.scope", lang), className="text-body-secondary", id="trygghet-scope")
    if not answers.any:
        return html.Div([header, no_waves(lang), scope], className="page page-trygghet")
    sections = [indicator_section(reads, state, lang), scope] if not own.empty else [scope]
    sections += [details_section(own, lang, state)] if not own.empty else []
    sections.append(ntu_section(ntu, lang, state))
    return html.Div([header, *sections, *protection_note(lang)], className="page page-trygghet")


def survey_filter(state: FilterState) -> dict:
    """The filter bar as survey terms: places, and the waves whose period ends within the chosen months."""
    return {"place_ids": state.places, "period_from": state.month_from,
            "period_to": month_end(state.month_to) if state.month_to else None}


def no_waves(lang: str) -> dbc.Alert:
    return dbc.Alert([html.H2(t("trygghet.empty_title", lang), className="alert-heading h4"),
                      html.P(t("trygghet.empty_body", lang), className="mb-0")],
                     color="info", className="empty-state", id="trygghet-empty")


def graph(figure, graph_id: str, lang: str, state: FilterState, names: tuple[str, str], title: str) -> html.Div:
    """The graph with its PNG/SVG export (dashboard.export.figure_download)."""
    return exportable_graph(names, figure, graph_id, title=title, lang=lang, state=state)


def small_n_note(frame: pd.DataFrame, lang: str) -> list:
    waves = small_n_waves(frame, lang)
    if not waves:
        return []
    return [dbc.Alert(t("trygghet.small_n_list", lang, waves="; ".join(waves)), color="warning",
                      className="small-n-note py-2 mb-0 mt-2")]


def indicator_section(reads: Reads, state: FilterState, lang: str) -> html.Section:
    cards = []
    for category, answers in INDICATORS.items():
        frame = reads.survey_answer_share(answers, categories=[category], **survey_filter(state))
        if frame.empty:
            continue
        title, answers_text = INDICATOR_TITLES[category]
        body = [html.H3(t(title, lang), className="h4 mb-1"), html.P(t(answers_text, lang), className="mb-1"),
                graph(indicator_figure(frame, category, lang), f"trygghet-{category}", lang, state,
                      figure_names(f"figure.trygghet-{category}"), t(title, lang)),
                *small_n_note(frame, lang)]
        cards.append(dbc.Col(html.Div(body, className="kpi-card"), xs=12, className="mb-2"))
    return html.Section([html.H2(t("trygghet.indicators", lang), className="h3"),
                         html.P([t("trygghet.how_to_read", lang), " ", t("trygghet.small_n", lang)],
                                className="page-intro"),
                         dbc.Row(cards, className="g-4")], id="trygghet-indicators", className="mb-4")


def details_section(frame: pd.DataFrame, lang: str, state: FilterState) -> html.Section:
    """Every survey's full answer distribution, question by question."""
    blocks = []
    frame = series_order(frame)
    keys = frame[["survey", "place", "is_unspecified"]].drop_duplicates()
    for index, key in enumerate(keys.itertuples()):
        survey = frame[(frame["survey"] == key.survey) & (frame["place"] == key.place)]
        columns = []
        series = series_name(key.survey, key.place, key.is_unspecified)
        for number, (code, question) in enumerate(survey.groupby("question_code", sort=False)):
            asked = t("trygghet.question", lang, question=question["question"].iloc[0])
            names = figure_names("figure.trygghet-answers", survey=series, question=code)
            columns.append(dbc.Col([
                html.P(asked, className="fw-semibold"),
                graph(answers_figure(question, lang), f"trygghet-answers-{index}-{number}", lang, state, names,
                      f"{series} · {asked}"),
                *small_n_note(question, lang),
            ], xl=6, className="mb-3"))
        blocks.append(html.Div([html.H3(series, className="h4"),
                                dbc.Row(columns, className="g-4")], className="kpi-card mb-4"))
    return html.Section([html.H2(t("trygghet.details", lang), className="h3 mt-4"),
                         html.P(t("trygghet.details_intro", lang), className="page-intro"), *blocks],
                        id="trygghet-details", className="mb-4")


def ntu_section(frame: pd.DataFrame, lang: str, state: FilterState) -> html.Section:
    """BRÅ's NTU for the district and the city, with BRÅ's own codes for values it does not publish."""
    heading = [html.H2(t("trygghet.ntu_title", lang), className="h3 mt-4"),
               html.P(t("trygghet.ntu_intro", lang), className="page-intro")]
    frame = frame[frame["geography"].isin([NTU_AREA, NTU_CITY])]
    if frame.empty:
        missing = dbc.Alert(t("trygghet.ntu_missing", lang), color="info", id="trygghet-ntu-none")
        return html.Section([*heading, missing], id="trygghet-ntu")
    columns = []
    for code, category in NTU_TABLES.items():
        table = frame[frame["question_code"] == code]
        if table.empty:
            continue
        number = code.removeprefix("ntu-")
        heading = t(f"trygghet.ntu.{number}", lang)
        columns.append(dbc.Col([
            html.H3(heading, className="h5"),
            graph(ntu_figure(table, category, lang), f"trygghet-ntu-{number.replace('.', '-')}", lang, state,
                  figure_names("figure.trygghet-ntu", table=number), heading),
            html.P(ntu_unit(table["answer"].iloc[0]), className="text-body-secondary"),
        ], xl=4, lg=6, className="mb-3"))
    codes = dbc.Alert(t("trygghet.ntu_codes", lang), color="secondary", className="py-2", id="trygghet-ntu-codes")
    return html.Section([*heading, dbc.Row(columns, className="g-4"), codes, ntu_values(frame, lang)],
                        id="trygghet-ntu")


def ntu_values(frame: pd.DataFrame, lang: str) -> html.Details:
    table = ntu_table(frame, lang)
    head = [t("trygghet.ntu_col.table", lang), t("trygghet.ntu_col.wave", lang), t("trygghet.ntu_area", lang),
            t("trygghet.ntu_city", lang), t("trygghet.ntu_col.n", lang)]
    rows = [html.Tr([html.Td(row["table"]), html.Td(row["wave"]), html.Td(row[NTU_AREA], className="num"),
                     html.Td(row[NTU_CITY], className="num"), html.Td(row["n"], className="num")])
            for _, row in table.iterrows()]
    return html.Details([html.Summary(t("trygghet.ntu_table", lang), className="fw-semibold"),
                         dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
                                   striped=True, size="sm", className="mt-2", id="trygghet-ntu-table")],
                        className="mb-4")
