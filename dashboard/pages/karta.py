"""Karta: where incidents, shifts and activities happen, on an offline folium map."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from sqlalchemy import Engine

from dashboard import app_context as context
from dashboard import map_frames
from dashboard.page_parts import empty_state, page_header, page_state, protection_note
from lagesbild import disclosure, queries
from lagesbild.filters import FilterState
from lagesbild.i18n import lang_or_default, t
from lagesbild.i18n.formats import fmt_int
from lagesbild.render.map_html import MapData, area_totals, map_html

dash.register_page(__name__, path="/karta", name="Karta", title="Karta · Lägesbild", order=5)

MAP_ID = "karta-map"


def layout(lang: str = "sv", **query):
    lang = lang_or_default(lang)
    state, options = page_state(query, lang)
    app = context.current()
    header = page_header("karta", lang, state, options)
    data = map_data(app.engine(), state, app.config().vocabulary.labels_by_kind(lang))
    if not any(place["geometry"] for place in data.places):
        body = [empty_state(lang) if not options.places else dbc.Alert(t("karta.no_places", lang), color="info")]
        return html.Div([header, *body], className="page page-karta")
    how = "karta.how_to_read_protected" if data.rule is not None else "karta.how_to_read"
    side = [summary_panel(data, lang), html.P(t(how, lang), className="karta-how-to-read mt-3",
                                               id="karta-how-to-read"), *protection_note(lang)]
    return html.Div([header, *no_facts_note(data, lang), *points_capped_note(data, lang),
                     dbc.Row([dbc.Col(map_frame(data, lang), xl=9, lg=8), dbc.Col(side, xl=3, lg=4)], className="g-4")],
                    className="page page-karta")


MAX_POINTS = 3000  # more points make a map document of megabytes that takes seconds to build and draw


def map_data(engine: Engine, state: FilterState, labels: dict) -> MapData:
    """Everything the map draws for the filter, aggregated by the query layer (the newest points only). For a
    viewer under the small-count rule, no points (each is a single incident): every incident counted per place."""
    span = {"place_ids": state.places, "month_from": state.month_from, "month_to": state.month_to}
    rule = disclosure.current_rule()
    points = queries.incident_points(engine, limit=1 if rule else MAX_POINTS + 1, **span)
    if rule is not None:
        points, total = points.head(0), 0
    else:
        total = queries.count_incident_points(engine, **span) if len(points) > MAX_POINTS else len(points)
    return MapData(
        points_total=total,
        places=queries.place_geometries(engine),
        points=points.head(MAX_POINTS),
        unplaced=queries.incidents_without_coordinates(engine, every=rule is not None, **span),
        events=queries.event_place_totals(engine, **span),
        measures=queries.event_list(engine, measures_only=True, **span),
        outreach=queries.outreach_totals(engine, by="place_id", **span),
        selected=state.places,
        labels=labels,
        rule=rule,
    )


def counts(data: MapData) -> dict[str, int]:
    activities = data.events[~data.events["is_measure"].astype(bool)] if not data.events.empty else data.events
    incidents = int(data.unplaced["value"].sum()) if not data.unplaced.empty else 0
    if data.rule is not None:  # every incident is counted per place; no points
        return {"incidents": incidents, "shifts": int(data.outreach["shifts"].sum()) if not data.outreach.empty else 0,
                "activities": int(activities["events"].sum()) if not activities.empty else 0,
                "measures": len(data.measures)}
    return {
        "points": data.points_total if data.points_total is not None else len(data.points),
        "unplaced": incidents,
        "shifts": int(data.outreach["shifts"].sum()) if not data.outreach.empty else 0,
        "activities": int(activities["events"].sum()) if not activities.empty else 0,
        "measures": len(data.measures),
    }


def summary_panel(data: MapData, lang: str) -> html.Div:
    """The totals the map draws, as numbers that read from across the room."""
    def shown(key: str, value: int) -> str:  # the incidents through the rule, when it applies to the viewer
        return disclosure.cell_text(*disclosure.protect_total(value), lang) if key == "incidents" \
            else fmt_int(value, lang)

    items = [html.Div([html.Div(shown(key, value), className="kpi-value fs-1 lh-1"),
                       html.Div(t(f"karta.kpi.{key}", lang), className="kpi-label mb-0")],
                      className="mb-3", id=f"karta-count-{key}")
             for key, value in counts(data).items()]
    return html.Div(items, className="kpi-card", id="karta-counts", style={"height": "auto"})


def points_capped_note(data: MapData, lang: str) -> list:
    """Say so when the map draws only the newest incidents; the totals beside it still count them all."""
    if not data.points_total or data.points_total <= len(data.points):
        return []
    return [dbc.Alert(t("karta.points_capped", lang, shown=fmt_int(len(data.points), lang),
                        total=fmt_int(data.points_total, lang)), color="info", id="karta-points-capped")]


def no_facts_note(data: MapData, lang: str) -> list:
    if any(counts(data).values()) or any(area_totals(data).values()):
        return []
    return [dbc.Alert(t("karta.no_facts", lang), color="info", id="karta-no-facts")]


def map_frame(data: MapData, lang: str) -> html.Iframe:
    return html.Iframe(src=map_frames.store(map_html(data, lang)), id=MAP_ID, title=t("karta.frame_title", lang),
                       style={"width": "100%", "height": "calc(100vh - 390px)", "minHeight": "560px",
                              "border": "1px solid #c9d0d8", "borderRadius": "6px", "display": "block"})
