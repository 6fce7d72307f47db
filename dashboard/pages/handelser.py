"""Händelser: incidents from the police and reporters by category, place and time.

The categories chosen are part of the URL (`?category=sprutfynd&category=narkotikaforsaljning`, vocabulary order), as
place and months are: the dropdown only writes the URL, and the page is drawn from it by Dash's routing (once per
change), so a link, a reload, back/forward and the exports all show the same view.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from dashboard import app_context as context
from dashboard import shell
from dashboard.export.page import CATEGORY_KIND
from dashboard.filter_options import ShellOptions
from dashboard.page_parts import (
    chart,
    empty_state,
    no_match,
    number_strip,
    page_header,
    protection_note,
    section_row,
    table,
    withheld,
)
from lagesbild import disclosure
from lagesbild.captions import export_filename
from lagesbild.charts.figures import annotate_measures, bar_by_place, category_time_series, weekday_hour_heatmap
from lagesbild.filters import (
    FilterState,
    from_values,
    month_key,
    ordered_categories,
    parse_kwargs,
    parse_query,
    to_query,
)
from lagesbild.i18n import lang_or_default, nt, t
from lagesbild.i18n.formats import MISSING, fmt_date, fmt_int
from lagesbild.reads import Reads
from lagesbild.render.csv_table import MEDIA_TYPE, download_button, to_csv_bytes

KIND = "incidents"
# CATEGORY_KIND: this page takes `category` from the URL, codes of the incidents vocabulary (see dashboard/shell.py)
dash.register_page(__name__, path="/handelser", name="Händelser", title="Händelser · Lägesbild", order=1,
                   **{CATEGORY_KIND: KIND})

CATEGORIES = "handelser-categories"
CONTENT = "handelser-content"
FILTER = "handelser-filter"  # the filter the page was drawn with (categories included), for its callbacks
DRUG_OFFENCES = "narkotikabrott"  # police-recorded: they measure police effort too (DOMAIN.md)
DRUG_REPORTS = ("narkotikaforsaljning", "narkotikabruk")  # suspected dealing and use, seen by reporters
SYRINGES = "sprutfynd"
LATEST = 50
LATEST_KEY = "handelser-latest"  # the table and its CSV download
COLUMNS = (("date", "nowrap"), ("time", "nowrap"), ("place", "text"), ("category", "text"),
           ("source_category", "text"), ("organisation", "text"), ("summary", "text"))


def layout(lang: str = "sv", **query):
    """The page for the filter and the categories in the URL (unknown categories: the shell's notice says so)."""
    lang = lang_or_default(lang)
    app = context.current()
    options = app.options()
    labels = app.config().vocabulary.labels(KIND, lang)
    state = parse_kwargs(query, options.known_places, lang, known_categories=labels)[0]
    present = app.reads().categories_present(KIND)
    header = page_header("handelser", lang, state, options, labels)
    if not present:
        return html.Div([header, empty_state(lang)], className="page page-handelser")
    stored = {"places": list(state.places), "lang": lang, "categories": list(state.categories),
              "from": month_key(state.month_from) if state.month_from else None,
              "to": month_key(state.month_to) if state.month_to else None}
    return html.Div(
        [header, dcc.Store(id=FILTER, data=stored),
         category_selector(labels, present, state.categories, lang),
         html.Div(content(state, lang, options), id=CONTENT)],
        className="page page-handelser",
    )


def category_selector(labels: dict[str, str], present: set[str], chosen: tuple[str, ...], lang: str) -> html.Div:
    """The categories in the store (and any the URL chose that has no incidents yet), the URL's preselected."""
    options = [{"label": label, "value": code} for code, label in labels.items() if code in present or code in chosen]
    return html.Div(
        [html.Label(t("handelser.categories", lang), htmlFor=CATEGORIES, className="form-label"),
         dcc.Dropdown(id=CATEGORIES, options=options, value=list(chosen), multi=True, search_order="original",
                      placeholder=t("handelser.categories_all", lang), labels=shell.dropdown_labels(lang))],
        className="page-control mb-3",
    )


@dash.callback(Output(shell.URL, "search", allow_duplicate=True), Input(CATEGORIES, "value"),
               State(shell.URL, "search"), State(FILTER, "data"), prevent_initial_call=True)
def categories_to_url(categories, search, stored=None):
    """A change in the dropdown goes to the URL only (place and months kept); Dash's routing callback then draws the
    page from it, once.

    Dash calls this also each time the page is drawn, prevent_initial_call or not: the dropdown is new in the layout and
    the output (the shell's URL) is outside the page. The dropdown then holds the categories the page was drawn with
    (`stored`), so nothing is written; nor when the URL already says the same. The URL and the dropdown never chase
    each other, and a page drawn for an older URL never writes its categories into a newer one."""
    known = list(labels_for("sv"))
    if stored is not None and tuple(stored.get("categories") or ()) == ordered_categories(categories, known):
        return no_update
    query = categories_query(categories, search, context.current().options().known_places, known)
    return no_update if query is None else query


def categories_query(categories: list[str] | None, search: str | None, known_places: set[str],
                     known_categories: list[str]) -> str | None:
    """The query string for `search` with `categories` chosen instead of its own; None when that is what it says.
    Unknown places and categories in `search` are dropped (as a change in the filter bar drops them)."""
    url_state = parse_query(search, known_places, known_categories=known_categories)[0]
    chosen = replace(url_state, categories=ordered_categories(categories, known_categories))
    return None if chosen == url_state else to_query(chosen)


def content(state: FilterState, lang: str, options: ShellOptions) -> list:
    """Everything under the page header for the filter and its chosen categories (none chosen: all)."""
    categories = state.categories
    app = context.current()
    reads = app.reads()
    where = dict(place_ids=state.places, month_from=state.month_from, month_to=state.month_to,
                 categories=categories or None)
    monthly = reads.monthly(KIND, by="category", **where)
    if monthly.empty:
        return [no_match(t("handelser.what", lang), state, options, lang, "handelser-no-match")]
    labels = app.config().vocabulary.labels(KIND, lang)
    year = app.config().area.baseline_year
    baseline = reads.monthly(KIND, place_ids=state.places, month_from=date(year, 1, 1), month_to=date(year, 12, 1),
                             categories=categories or None)
    markers = reads.measure_markers(month_from=state.month_from, month_to=state.month_to)
    over_time = annotate_measures(category_time_series(monthly, KIND, lang, labels=labels, baseline=baseline,
                                                       baseline_year=year, height=520), markers, lang)
    parts = [summary(reads, where, labels, lang),
             chart("handelser-monthly", t("handelser.monthly", lang), over_time, lang,
                   caption=t("handelser.monthly_caption", lang, year=year), state=state)]
    if DRUG_OFFENCES in set(monthly["category"]):
        parts.append(drug_offences_note(labels, lang))
    by_place = reads.totals(KIND, by="place_id", **where)
    heat = reads.weekday_hour(**where)
    without_time = reads.incidents_without_time(**where)  # (count or None, reason)
    parts.append(section_row(
        (chart("handelser-places", t("handelser.places", lang), bar_by_place(by_place, options.place_names, lang),
               lang, state=state), 5),
        (chart("handelser-heatmap", t("handelser.heatmap", lang), weekday_hour_heatmap(heat, lang), lang,
               note=nt("handelser.heatmap_note", without_time[0], lang,
                       unknown=disclosure.cell_text(*without_time, lang)), state=state), 7),
    ))
    if reads.sees_single_records:
        parts.append(latest_table(reads.latest_incidents(LATEST, **where), labels, lang))
    else:  # single incidents are not aggregates
        parts.append(withheld(t("handelser.latest_title", lang), lang, "handelser-latest-withheld"))
    return parts + protection_note(lang)


def summary(reads: Reads, where: dict, labels: dict[str, str], lang: str):
    """The total, and the categories the classification rests on, when the vocabulary has them (within the chosen
    categories; small counts hidden for the roles the disclosure rule names)."""
    chosen = where.get("categories") or ()

    def shown(codes: tuple[str, ...] | None = None) -> str:
        within = None if codes is None else [code for code in codes if not chosen or code in chosen]
        if within == []:
            return disclosure.cell_text(0, "", lang)
        return disclosure.cell_text(*reads.total(KIND, **{**where, "categories": within or where.get("categories")}),
                                    lang)

    items = [("handelser-total", t("handelser.total", lang), shown())]
    if all(code in labels for code in DRUG_REPORTS):
        items.append(("handelser-drug", t("handelser.drug_reports", lang), shown(DRUG_REPORTS)))
    if SYRINGES in labels:
        items.append((f"handelser-{SYRINGES}", labels[SYRINGES], shown((SYRINGES,))))
    if DRUG_OFFENCES in labels:
        items.append((f"handelser-{DRUG_OFFENCES}", labels[DRUG_OFFENCES], shown((DRUG_OFFENCES,)),
                      t("handelser.effort_short", lang)))
    return number_strip(items)


def drug_offences_note(labels: dict[str, str], lang: str) -> html.Aside:
    label = labels.get(DRUG_OFFENCES, DRUG_OFFENCES)
    return html.Aside(
        [html.Strong(t("handelser.effort_title", lang, label=label)), " ", t("handelser.effort_body", lang)],
        className="effort-note mb-4", id="handelser-effort-note",
    )


def latest_table(frame: pd.DataFrame, labels: dict[str, str], lang: str) -> html.Section:
    columns = [(t(f"handelser.col.{name}", lang), how) for name, how in COLUMNS]
    rows = [[fmt_date(_as_date(row.date), lang), _time(row.occurred_at), row.place,
             labels.get(row.category, row.category), _text(row.source_category), _text(row.organisation),
             _text(row.summary)]
            for row in frame.itertuples(index=False)]
    return html.Section(
        [html.H2(nt("handelser.latest", len(rows), lang, n=fmt_int(len(rows), lang)), className="chart-title"),
         html.P(t("handelser.latest_note", lang), className="chart-caption"),
         download_button(LATEST_KEY, lang), table(columns, rows, LATEST_KEY)],
        className="chart-section",
    )


@dash.callback(Output(f"{LATEST_KEY}-csv-download", "data"), Input(f"{LATEST_KEY}-csv", "n_clicks"),
               State(CATEGORIES, "value"), State(FILTER, "data"), prevent_initial_call=True)
def download_latest(clicks, categories, stored):
    """The latest-incidents table as CSV, for the same filter and categories as on screen."""
    reads = context.current().reads()
    if not clicks or not reads.sees_single_records:
        raise dash.exceptions.PreventUpdate
    stored = stored or {}
    lang = lang_or_default(stored.get("lang"))
    state = from_values(stored.get("places"), stored.get("from"), stored.get("to"))
    frame = reads.latest_incidents(LATEST, place_ids=state.places, month_from=state.month_from,
                                   month_to=state.month_to, categories=tuple(categories or ()) or None)
    name = export_filename(nt("handelser.latest", len(frame), lang, n=len(frame)), state, "csv", lang)
    return dash.dcc.send_bytes(to_csv_bytes(latest_csv_frame(frame, labels_for(lang), lang), lang), name,
                               type=MEDIA_TYPE)


def labels_for(lang: str) -> dict[str, str]:
    return context.current().config().vocabulary.labels(KIND, lang)


def latest_csv_frame(frame: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """The table's columns and headings, with plain values: ISO dates, 24-hour times, empty for missing."""
    rows = [[_as_date(row.date), None if _time(row.occurred_at) == MISSING else _time(row.occurred_at), row.place,
             labels.get(row.category, row.category), row.source_category, row.organisation, row.summary]
            for row in frame.itertuples(index=False)]
    return pd.DataFrame(rows, columns=[t(f"handelser.col.{name}", lang) for name, _ in COLUMNS])


def _as_date(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _time(value) -> str:
    return MISSING if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%H:%M")


def _text(value) -> str:
    return MISSING if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
