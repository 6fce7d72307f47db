"""Karta: where incidents, shifts and activities happen, on an offline folium map."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import app_context as context
from dashboard import map_frames
from dashboard.page_parts import empty_state, page_header, page_state, protection_note
from lagesbild import disclosure
from lagesbild.i18n import lang_or_default, t
from lagesbild.i18n.formats import fmt_int
from lagesbild.reads import MapData
from lagesbild.render.map_html import map_html

dash.register_page(__name__, path="/karta", name="Karta", title="Karta · Lägesbild", order=5)

MAP_ID = "karta-map"


def layout(lang: str = "sv", **query):
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    app = context.current()
    header = page_header("karta", lang, state, options)
    data = app.reads().map_data(place_ids=state.places, month_from=state.month_from, month_to=state.month_to,
                                labels=app.config().vocabulary.labels_by_kind(lang))
    if not any(place["geometry"] for place in data.places):
        body = [empty_state(lang) if not options.places else dbc.Alert(t("karta.no_places", lang), color="info")]
        return html.Div([header, *body], className="page page-karta")
    how = "karta.how_to_read_protected" if data.protected else "karta.how_to_read"
    side = [summary_panel(data, lang), html.P(t(how, lang), className="karta-how-to-read mt-3",
                                               id="karta-how-to-read"), *protection_note(lang)]
    return html.Div([header, *no_facts_note(data, lang), *points_capped_note(data, lang),
                     dbc.Row([dbc.Col(map_frame(data, lang), xl=9, lg=8), dbc.Col(side, xl=3, lg=4)], className="g-4")],
                    className="page page-karta")


def counts(data: MapData) -> dict[str, tuple[float | None, str]]:
    """The totals the map draws, each with the reason it is hidden ('' when shown): for a viewer whose small counts
    are hidden every incident is counted per place (and no points)."""
    activities = data.events[~data.events["is_measure"].astype(bool)] if not data.events.empty else data.events
    common = {"shifts": (int(data.outreach_shifts), ""),
              "activities": (int(activities["events"].sum()) if not activities.empty else 0, ""),
              "measures": (len(data.measures), "")}
    if data.protected:
        return {"incidents": data.incidents, **common}
    unplaced = int(data.unplaced["value"].sum()) if not data.unplaced.empty else 0
    points = data.points_total if data.points_total is not None else len(data.points)
    return {"points": (points, ""), "unplaced": (unplaced, ""), **common}


def summary_panel(data: MapData, lang: str) -> html.Div:
    """The totals the map draws, as numbers that read from across the room."""
    items = [html.Div([html.Div(disclosure.cell_text(value, reason, lang), className="kpi-value fs-1 lh-1"),
                       html.Div(t(f"karta.kpi.{key}", lang), className="kpi-label mb-0")],
                      className="mb-3", id=f"karta-count-{key}")
             for key, (value, reason) in counts(data).items()]
    return html.Div(items, className="kpi-card", id="karta-counts", style={"height": "auto"})


def points_capped_note(data: MapData, lang: str) -> list:
    """Say so when the map draws only the newest incidents; the totals beside it still count them all."""
    if not data.points_total or data.points_total <= len(data.points):
        return []
    return [dbc.Alert(t("karta.points_capped", lang, shown=fmt_int(len(data.points), lang),
                        total=fmt_int(data.points_total, lang)), color="info", id="karta-points-capped")]


def no_facts_note(data: MapData, lang: str) -> list:
    if any(value or reason for value, reason in [*counts(data).values(), *data.area.values()]):
        return []
    return [dbc.Alert(t("karta.no_facts", lang), color="info", id="karta-no-facts")]


def map_frame(data: MapData, lang: str) -> html.Iframe:
    return html.Iframe(src=map_frames.store(map_html(data, lang)), id=MAP_ID, title=t("karta.frame_title", lang),
                       style={"width": "100%", "height": "calc(100vh - 390px)", "minHeight": "560px",
                              "border": "1px solid #c9d0d8", "borderRadius": "6px", "display": "block"})
