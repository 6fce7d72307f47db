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
from lagesbild import disclosure, queries
from lagesbild.charts.figures import annotate_measures, category_time_series, colours_in_order, monthly_series
from lagesbild.filters import FilterState
from lagesbild.i18n import t
from lagesbild.i18n.formats import fmt_int
from lagesbild.store.schema import REFERRAL_KINDS

dash.register_page(
    __name__, path="/uppsokande", name="Uppsökande arbete", title="Uppsökande arbete · Lägesbild", order=2
)

KIND = "outreach"
REFERRALS = [f"referrals_{kind}" for kind in REFERRAL_KINDS]
TABLE_MEASURES = ("shifts", "contacts", "new_persons", "referrals", "hours")
PEOPLE = ("contacts", "new_persons", "referrals")  # counts of people: protected; shifts and hours are not
HEIGHT = 600  # half-width charts: room for the measures' key under the plot


def layout(lang: str = "sv", **query):
    return kind_page("uppsokande", KIND, lang, query, content)


def content(state: FilterState, lang: str, options: ShellOptions) -> list:
    app = context.current()
    engine = app.engine()
    where = dict(place_ids=state.places, month_from=state.month_from, month_to=state.month_to)
    months = queries.outreach_totals(engine, **where)
    if months.empty:
        return [no_match(t("uppsokande.what", lang), state, options, lang, "uppsokande-no-match")]
    year = app.config().area.baseline_year
    base_where = dict(place_ids=state.places, month_from=date(year, 1, 1), month_to=date(year, 12, 1))
    baseline = queries.outreach_totals(engine, **base_where)
    markers = queries.measure_markers(engine, month_from=state.month_from, month_to=state.month_to)
    labels = app.config().vocabulary.labels(KIND, lang)

    def by_shift_type(measure: str) -> dict:
        frame = queries.monthly(engine, KIND, measure, by="category", **where)
        reference = _column(baseline, measure)
        if measure in PEOPLE:
            frame = disclosure.protect(frame, ("month", "category"))
            reference = disclosure.protect(reference, ("month",))
        figure = category_time_series(frame, KIND, lang, labels=labels, baseline=reference,
                                      baseline_year=year, y_title=t(f"uppsokande.unit.{measure}", lang),
                                      height=HEIGHT)
        return annotate_measures(figure, markers, lang)

    referrals = annotate_measures(referral_figure(months, baseline, year, lang), markers, lang)
    caption = t("uppsokande.by_type_caption", lang, year=year)
    return [
        summary(months, lang),
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
            (breakdown(queries.outreach_totals(engine, by="team", **where), "team", lang, lambda v: v), 6),
            (breakdown(queries.outreach_totals(engine, by="place_id", **where), "place_id", lang,
                       lambda v: options.place_names.get(v, v)), 6),
        ),
        html.P(t("uppsokande.privacy", lang), className="chart-note"),
        *protection_note(lang),
    ]


def summary(months: pd.DataFrame, lang: str):
    """The filter's totals; those of people go through the disclosure rule (a total of 1–4 is '<5')."""
    sums = with_referrals(months)[list(TABLE_MEASURES)].sum()

    def shown(name: str) -> str:
        if name in PEOPLE:
            return disclosure.cell_text(*disclosure.protect_total(sums[name]), lang)
        return fmt_int(sums[name], lang)

    return number_strip([(f"uppsokande-total-{name.replace('_', '-')}", t(f"uppsokande.col.{name}", lang),
                          shown(name)) for name in TABLE_MEASURES])


def with_referrals(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with `referrals`, the sum of every kind of referral."""
    return frame.assign(referrals=frame[REFERRALS].sum(axis=1))


def _column(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    return frame[["month", measure]].rename(columns={measure: "value"})


def referral_figure(months: pd.DataFrame, baseline: pd.DataFrame, year: int, lang: str):
    """Referrals per month stacked by kind, with the baseline year's total referrals as the reference (both
    protected, month × kind and per month, for the roles the disclosure rule names)."""
    long = months.melt(id_vars="month", value_vars=REFERRALS, var_name="kind", value_name="value")
    long["kind"] = long["kind"].str.removeprefix("referrals_")
    long = disclosure.protect(long, ("month", "kind"))
    labels = {kind: t(f"uppsokande.referral.{kind}", lang) for kind in REFERRAL_KINDS}
    total = with_referrals(baseline)[["month", "referrals"]].rename(columns={"referrals": "value"})
    total = disclosure.protect(total, ("month",))
    return monthly_series(long, lang, group="kind", colours=colours_in_order(list(REFERRAL_KINDS)), labels=labels,
                          baseline=total, baseline_year=year, y_title=t("uppsokande.unit.referrals", lang),
                          height=HEIGHT)


def breakdown(frame: pd.DataFrame, key: str, lang: str, name) -> html.Section:
    """Totals per team or place as a table, largest number of contacts first.

    For the roles the disclosure rule names, each count of people (contacts, new persons, referrals) is protected
    down its column (a cell of 1–4 says '<5', its complement 'dolt'), and rows whose contacts are hidden come last
    in the order of their key, so their place in the table does not hint at their size."""
    data, reasons = disclosure.protect_columns(with_referrals(frame).reset_index(drop=True), (key,), PEOPLE)
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
