"""Aktiviteter: activities and urban-environment measures in the parks, attendance and cost.

Attendance is a count of people: for the roles the disclosure rule names, it is protected by category, by place
and in its total (1–4 shown as '<5', complementary cells 'dolt'). Activities and measures themselves (how many,
titles, dates, places), costs and grants are public facts about the work and stay as they are."""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import html

from dashboard import app_context as context
from dashboard.filter_options import ShellOptions
from dashboard.page_parts import chart, kind_page, no_match, number_strip, protection_note, section_row
from lagesbild import disclosure
from lagesbild.charts.figures import (
    annotate_measures,
    bar_by_place,
    category_time_series,
    grants_against_cap,
    measure_timeline,
    ranked_bars,
)
from lagesbild.charts.theme import category_colour_map
from lagesbild.filters import FilterState
from lagesbild.i18n import t
from lagesbild.i18n.formats import fmt_int
from lagesbild.reads import Reads

dash.register_page(
    __name__, path="/aktiviteter", name="Aktiviteter", title="Aktiviteter · Lägesbild", order=3
)

KIND = "events"


def layout(lang: str = "sv", **query):
    return kind_page("aktiviteter", KIND, lang, query, content)


def content(state: FilterState, lang: str, options: ShellOptions) -> list:
    app = context.current()
    reads = app.reads()
    where = dict(place_ids=state.places, month_from=state.month_from, month_to=state.month_to)
    monthly = reads.monthly(KIND, by="category", **where)
    if monthly.empty:
        return [no_match(t("aktiviteter.what", lang), state, options, lang, "aktiviteter-no-match")]
    area = app.config().area
    grants = grants_section(reads.grants_by_year(), area.grant_cap_sek, lang)
    labels = app.config().vocabulary.labels(KIND, lang)
    colours = category_colour_map(KIND)
    year = area.baseline_year
    baseline = reads.monthly(KIND, place_ids=state.places, month_from=date(year, 1, 1), month_to=date(year, 12, 1))
    markers = reads.measure_markers(month_from=state.month_from, month_to=state.month_to)
    over_time = annotate_measures(category_time_series(monthly, KIND, lang, labels=labels, baseline=baseline,
                                                       baseline_year=year, height=540), markers, lang)
    measures = reads.event_list(measures_only=True, **where)
    attendance = {by: reads.totals(KIND, by, "attendance", drop_zeros=True, **where) for by in ("category", "place_id")}
    parts = [
        summary(reads, where, lang),
        chart("aktiviteter-monthly", t("aktiviteter.monthly", lang), over_time, lang,
              caption=t("aktiviteter.monthly_caption", lang, year=year), state=state),
    ]
    if not measures.empty:
        timeline = measure_timeline(measures, lang, colours=colours, labels=labels)
        parts.append(chart("aktiviteter-timeline", t("aktiviteter.timeline", lang), timeline, lang,
                           caption=t("aktiviteter.timeline_caption", lang), state=state))
    parts.append(section_row(
        (attendance_by_category(attendance["category"], labels, colours, lang, state), 6),
        (chart("aktiviteter-attendance-place", t("aktiviteter.attendance_place", lang),
               bar_by_place(attendance["place_id"], options.place_names, lang), lang, state=state), 6),
    ))
    return parts + grants + protection_note(lang)


def summary(reads: Reads, where: dict, lang: str):
    by_measure = reads.totals(KIND, by="is_measure", **where)
    counts = {bool(flag): int(value) for flag, value in by_measure[["is_measure", "value"]].itertuples(index=False)}
    money = {m: reads.total(KIND, m, **where)[0] for m in ("cost_sek", "grant_sek")}
    return number_strip([
        ("aktiviteter-total-activities", t("aktiviteter.activities", lang), fmt_int(counts.get(False, 0), lang)),
        ("aktiviteter-total-measures", t("aktiviteter.measures", lang), fmt_int(counts.get(True, 0), lang)),
        ("aktiviteter-total-attendance", t("aktiviteter.attendance", lang),
         disclosure.cell_text(*reads.total(KIND, "attendance", **where), lang)),
        ("aktiviteter-total-cost", t("aktiviteter.cost", lang), fmt_int(money["cost_sek"], lang)),
        ("aktiviteter-total-grants", t("aktiviteter.grants", lang), fmt_int(money["grant_sek"], lang)),
    ])


def attendance_by_category(frame: pd.DataFrame, labels: dict[str, str], colours: dict[str, str],
                           lang: str, state: FilterState | None = None) -> html.Section:
    """Attendance per category as ranked bars (a frame that went through disclosure.protect draws its hidden
    cells as '<5' or 'dolt', last)."""
    data = _positive(frame)
    data = data.assign(label=[labels.get(code, code) for code in data["category"]])
    by_label = {labels.get(code, code): colour for code, colour in colours.items()}
    return chart("aktiviteter-attendance-category", t("aktiviteter.attendance_category", lang),
                 ranked_bars(data, lang, colours=by_label), lang, state=state)


def grants_section(frame: pd.DataFrame, cap_sek: float | None, lang: str) -> list:
    """Grants per year against the cap; for the whole area and whole years, whatever the filter says."""
    if frame.empty or not (frame["grant_sek"] > 0).any():
        return []
    figure = grants_against_cap(frame[frame["grant_sek"] > 0], cap_sek, lang)
    note = t("aktiviteter.grants_note", lang, cap=fmt_int(cap_sek, lang)) if cap_sek else None
    return [section_row((chart("aktiviteter-grants", t("aktiviteter.grants_title", lang), figure, lang,
                               caption=t("aktiviteter.grants_caption", lang), note=note, filtered=False), 8))]


def _positive(frame: pd.DataFrame) -> pd.DataFrame:
    """The groups with some attendance (a hidden count, NaN, is kept: it is one)."""
    values = frame["value"].astype(float)
    return frame[(values > 0) | values.isna()]
