"""Uppsökande arbete: outreach shifts, contacts, new persons met and referrals (aggregates only).

Contacts, new persons and referrals are counts of people: for the roles the disclosure rule names, they are
protected in every chart, table and total (1–4 shown as '<5', complementary cells 'dolt'). Shifts and staff
hours are not counts of people and stay as they are."""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import html

from dashboard import app_context as context
from dashboard.filter_options import ShellOptions
from dashboard.page_parts import chart, kind_page, no_match, number_strip, protection_note, section_row, table
from lagesbild import disclosure
from lagesbild.charts.figures import annotate_measures, category_time_series, colours_in_order, monthly_series
from lagesbild.filters import FilterState
from lagesbild.i18n import t
from lagesbild.i18n.formats import fmt_int
from lagesbild.reads import OUTREACH_SUMS, PEOPLE, REFERRAL_KINDS, Reads

dash.register_page(
    __name__, path="/uppsokande", name="Uppsökande arbete", title="Uppsökande arbete · Lägesbild", order=2
)

KIND = "outreach"
TABLE_MEASURES = OUTREACH_SUMS  # shifts, contacts, new persons, referrals, hours
HEIGHT = 600  # half-width charts: room for the measures' key under the plot


def layout(lang: str = "sv", **query):
    return kind_page("uppsokande", KIND, lang, query, content)


def content(state: FilterState, lang: str, options: ShellOptions) -> list:
    app = context.current()
    reads = app.reads()
    where = dict(place_ids=state.places, month_from=state.month_from, month_to=state.month_to)
    if reads.monthly(KIND, **where).empty:
        return [no_match(t("uppsokande.what", lang), state, options, lang, "uppsokande-no-match")]
    year = app.config().area.baseline_year
    base_where = dict(place_ids=state.places, month_from=date(year, 1, 1), month_to=date(year, 12, 1))
    markers = reads.measure_markers(month_from=state.month_from, month_to=state.month_to)
    labels = app.config().vocabulary.labels(KIND, lang)

    def by_shift_type(measure: str) -> dict:
        frame = reads.monthly(KIND, measure, by="category", **where)
        reference = reads.monthly(KIND, measure, **base_where)
        figure = category_time_series(frame, KIND, lang, labels=labels, baseline=reference,
                                      baseline_year=year, y_title=t(f"uppsokande.unit.{measure}", lang),
                                      height=HEIGHT)
        return annotate_measures(figure, markers, lang)

    referrals = annotate_measures(referral_figure(reads, where, base_where, year, lang), markers, lang)
    caption = t("uppsokande.by_type_caption", lang, year=year)
    return [
        summary(reads.outreach_sums(**where), lang),
        section_row(
            (chart("uppsokande-contacts", t("uppsokande.contacts", lang), by_shift_type("contacts"), lang,
                   caption=caption, state=state), 6),
            (chart("uppsokande-new-persons", t("uppsokande.new_persons", lang), by_shift_type("new_persons"), lang,
                   caption=caption, state=state), 6),
            breakpoint="xxl",
        ),
        section_row(
            (chart("uppsokande-referrals", t("uppsokande.referrals", lang), referrals, lang,
                   caption=t("uppsokande.referrals_caption", lang, year=year), state=state), 6),
            (chart("uppsokande-hours", t("uppsokande.hours", lang), by_shift_type("hours"), lang,
                   caption=caption, state=state), 6),
            breakpoint="xxl",
        ),
        section_row(
            (breakdown(*reads.outreach_by("team", **where), "team", lang, lambda v: v), 6),
            (breakdown(*reads.outreach_by("place_id", **where), "place_id", lang,
                       lambda v: options.place_names.get(v, v)), 6),
        ),
        html.P(t("uppsokande.privacy", lang), className="chart-note"),
        *protection_note(lang),
    ]


def summary(sums: dict, lang: str):
    """The filter's totals (lagesbild.reads outreach_sums: those of people '<5' when 1–4)."""

    def shown(name: str) -> str:
        value, reason = sums[name]
        return disclosure.cell_text(value, reason, lang) if name in PEOPLE else fmt_int(value, lang)

    return number_strip([(f"uppsokande-total-{name.replace('_', '-')}", t(f"uppsokande.col.{name}", lang),
                          shown(name)) for name in TABLE_MEASURES])


def referral_figure(reads: Reads, where: dict, base_where: dict, year: int, lang: str):
    """Referrals per month stacked by kind, with the baseline year's total referrals as the reference (both
    protected, month × kind and per month, for the roles the disclosure rule names)."""
    long = reads.referrals_by_kind(**where)
    labels = {kind: t(f"uppsokande.referral.{kind}", lang) for kind in REFERRAL_KINDS}
    total = reads.referrals_per_month(**base_where)
    return monthly_series(long, lang, group="kind", colours=colours_in_order(list(REFERRAL_KINDS)), labels=labels,
                          baseline=total, baseline_year=year, y_title=t("uppsokande.unit.referrals", lang),
                          height=HEIGHT)


def breakdown(data: pd.DataFrame, reasons: pd.DataFrame, key: str, lang: str, name) -> html.Section:
    """Totals per team or place as a table, largest number of contacts first.

    For the roles the disclosure rule names, each count of people (contacts, new persons, referrals) is protected
    down its column (a cell of 1–4 says '<5', its complement 'dolt'), and rows whose contacts are hidden come last
    in the order of their key, so their place in the table does not hint at their size."""
    order = data.sort_values("contacts", ascending=False, kind="stable", na_position="last").index
    data, reasons = data.loc[order], reasons.loc[order]
    columns = [(t(f"uppsokande.col.{key}", lang), "text")] + [(t(f"uppsokande.col.{m}", lang), "num")
                                                              for m in TABLE_MEASURES]

    def cell(index, measure: str) -> str:
        if measure in PEOPLE:
            return disclosure.cell_text(data.at[index, measure], reasons.at[index, measure], lang)
        return fmt_int(data.at[index, measure], lang)

    rows = [[name(data.at[index, key])] + [cell(index, m) for m in TABLE_MEASURES] for index in data.index]
    return html.Section([html.H2(t(f"uppsokande.by.{key}", lang), className="chart-title"),
                         table(columns, rows, f"uppsokande-by-{key.replace('_', '-')}")], className="chart-section")
