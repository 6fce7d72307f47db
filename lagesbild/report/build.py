"""The lägesrapport: the project leader's status report for a steering-group meeting, for one month, read from the
store once as the viewer may see it (lagesbild.reads) into the model of lagesbild.report.model. The renderers in
lagesbild.render make the files from it (Word, and HTML printed to PDF).

    report = build_report(Reads(engine, viewer), load_config(settings), date(2024, 6, 1), lang="sv")
    Path(report_filename(report, "docx")).write_bytes(report_bytes(report, "docx"))  # lagesbild.render.report
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

import pandas as pd

from lagesbild import disclosure
from lagesbild.captions import PAGE_KINDS, Caption, source_label
from lagesbild.charts.figures import annotate_measures, category_time_series
from lagesbild.charts.survey import indicator_figure
from lagesbild.charts.theme import STATUS_COLOURS
from lagesbild.config import Config, Goal
from lagesbild.config.indicators import Indicator, IndicatorConfig
from lagesbild.dates import as_date, month_end
from lagesbild.disclosure import HIDDEN
from lagesbild.filters import FilterState, describe
from lagesbild.i18n import lang_or_default, nt, t
from lagesbild.i18n.formats import (
    MISSING,
    NBSP,
    fmt_date,
    fmt_dec,
    fmt_int,
    fmt_month,
    fmt_month_range,
    fmt_pct,
)
from lagesbild.indicators.effect import effect_indicators, effect_windows, evaluable, measure_zones
from lagesbild.indicators.effect_wording import verdict, wdq_line, zone_header, zone_rows
from lagesbild.indicators.readings import (
    HIDDEN_STATUS,
    TOO_FEW_STATUS,
    Point,
    Reading,
    add_months,
    latest_complete_month,
)
from lagesbild.indicators.wording import (
    format_change,
    format_count,
    format_point,
    format_point_change,
    goal_sentence,
    outcome_sentence,
    ratio_change,
    status_label,
    target_state,
)
from lagesbild.reads import REJECTED_HIDDEN, Reads
from lagesbild.records.config import budget_caps
from lagesbild.report.model import STATUS_ORDER, Cell, Chart, EffectSection, KpiRow, Report, ReportError, Table
from lagesbild.report.records import records_part

MONTHLY_KINDS = ("incidents", "outreach", "events")
CHART_WIDTH_PX = 1000  # drawn at 18 px type, printed 160 mm wide: about 8 pt on paper, like the body text
MONTHLY_CHART_HEIGHT = 560
SURVEY_CHART_HEIGHT = 440
CHART_MONTHS = 13  # the month and the twelve before it: the same month a year ago is on the chart
MAX_ACTIVITIES = 14
# The report's charts: the drug-related reports, outreach contacts and the two survey shares. Each is drawn only
# when the indicator of that id is configured (another district may not have it) and has data.
CHART_INDICATORS = ("narkotika_rapporter", "kontakter", "otrygghet", "problem_narkotika")


def latest_report_month(reads: Reads, state: FilterState, today: date | None = None) -> date | None:
    """The latest complete month with data inside the filter: the month the Översikt button reports on."""
    today = today or date.today()
    spans = [reads.kind_month_span(kind, today.replace(day=1)) for kind in MONTHLY_KINDS]
    ends = [span[1] for span in spans if span]
    return latest_complete_month(max(ends) if ends else None, today, state.month_from, state.month_to)


def build_report(reads: Reads, configuration: Config, month: date, places: Sequence[str] = (), lang: str = "sv",
                 now: datetime | None = None, charts: bool = True,
                 chart_ids: Sequence[str] = CHART_INDICATORS) -> Report:
    """Everything the report says for `month` (the first day of it), read from the store once, as `reads`' viewer
    may see it (small counts hidden as on the pages for a partner; every number for Viewer.unrestricted).

    The month plays the part of "today" in the indicators: the report for June 2024 shows June 2024 against
    May 2024 and June of the baseline year, however late it is made, and later data is never looked at.
    """
    lang = lang_or_default(lang)
    month = month.replace(day=1)
    now = now or datetime.now().replace(microsecond=0)
    names = {row["id"]: row["name"] for row in reads.places()}
    unknown = [place for place in places if place not in names]
    if unknown:
        raise ReportError(f"unknown place(s): {', '.join(unknown)}; known: {', '.join(names)}")
    state = FilterState(tuple(dict.fromkeys(places)), month, month)
    goal, config = configuration.area.goal, configuration.indicators
    as_of = add_months(month, 1)  # the indicators' "today": the month is complete, the next one not begun
    readings = reads.indicator_readings(config, goal, state, as_of)  # small counts hidden as on Översikt
    protection = reads.viewer.note(lang)  # None for a viewer who sees every number
    sources = reads.freshness_until(month_end(month), state.places)  # no single record's date for a partner
    caption = _caption(reads, state, names, sources, lang, now, month)
    area = configuration.area.name
    title = " ".join(part for part in (t("report.name", lang), area) if part) + f" – {fmt_month(month, lang)}"
    caption = replace(caption, title=title)
    activity_summary, measures, activities, others = _activities(reads, configuration, state, lang)
    freshness_intro, freshness = _freshness(sources, config, month, lang)
    if protection is not None:
        freshness_intro += " " + t("report.freshness_protected", lang)
    rejected_summary, rejected, reasons, rejected_note, rejected_columns = _rejections(reads, lang)
    report = Report(
        lang=lang, month=month, places=state.places, title=title, filters=describe(state, names, lang),
        caption=caption, goal_text=goal.text.get(lang) or goal.text.get("sv", ""),
        goal_date=f"{goal_sentence(goal.date, month_end(month), lang)} "
                  f"({t('report.goal_as_of', lang, date=fmt_date(month_end(month), lang))})",
        goal_outcome=outcome_sentence(goal, readings, lang) if as_of >= goal.date else None,
        status_counts=tuple((status, sum(r.status == status for r in readings.values())) for status in STATUS_ORDER),
        kpi_intro=t("report.kpi_intro", lang, month=fmt_month(month, lang), year=_baseline_year(config, goal)),
        kpi_header=_kpi_header(config, goal, lang),
        kpis=tuple(kpi_row(readings[i.id], lang) for i in config.indicators),
        rules=rule_lines(config, goal, lang, hidden=protection is not None), notes=kpi_notes(readings, lang),
        charts=(), activity_summary=activity_summary, measures=measures, activities=activities,
        other_events=others, freshness_intro=freshness_intro, freshness=freshness,
        rejected_summary=rejected_summary, rejected=rejected, reasons=reasons, protection=protection,
        rejected_note=rejected_note, rejected_columns=rejected_columns,
        effect=effect_section(reads, configuration, month, names, lang),
        records=records_part(reads.engine, reads.viewer, month, lang, budget_caps(configuration)),
    )
    if charts:
        report = replace(report, charts=tuple(_charts(reads, configuration, state, lang, chart_ids)))
    return report


def _caption(reads: Reads, state: FilterState, names: dict[str, str], sources: pd.DataFrame, lang: str,
             now: datetime, month: date) -> Caption:
    # 'Data t.o.m.' is the latest fact in the places up to the month's end; for a viewer whose small counts are hidden
    # never a single record's day (lagesbild.reads data_through: the month's end, or the area's freshness date).
    through, _ = reads.data_through(PAGE_KINDS["oversikt"], place_ids=state.places, month_to=month_end(month))
    through = min(through, month_end(month)) if through else None
    used = sorted({source_label(s, lang) for s, rows in zip(sources["source"], sources["rows"], strict=True) if rows})
    return Caption("", describe(state, names, lang), through, tuple(used), now, lang, reads.snapshot)


def _baseline_year(config: IndicatorConfig, goal: Goal) -> int:
    years = {indicator.baseline_year for indicator in config.indicators}
    return years.pop() if len(years) == 1 else goal.baseline_year


def _kpi_header(config: IndicatorConfig, goal: Goal, lang: str) -> tuple[str, ...]:
    year = _baseline_year(config, goal)
    return tuple(t(f"report.col.{name}", lang, year=year) if name in ("baseline", "target", "window")
                 else t(f"report.col.{name}", lang)
                 for name in ("indicator", "value", "window", "baseline", "target", "status"))


def kpi_row(reading: Reading, lang: str) -> KpiRow:
    """One row of the KPI table: the value and its unit (or wave and n), the two changes with the values they
    are measured against, the target and the status in words."""
    indicator = reading.indicator
    latest = reading.latest
    if latest is None:
        value = Cell(MISSING, t(f"oversikt.reason.{reading.reason}", lang))
    elif indicator.is_survey:
        n = f" · n{NBSP}={NBSP}{fmt_int(reading.n, lang)}" if reading.n else ""
        value = Cell(format_point(indicator, latest, lang), t("oversikt.wave", lang, wave=latest.label) + n)
    else:
        value = Cell(format_point(indicator, latest, lang), indicator.unit[lang])
    return KpiRow(
        id=indicator.id, indicator=Cell(indicator.label[lang]), value=value,
        window=_window_cell(reading, lang), baseline=_versus(reading, reading.baseline, lang),
        target=Cell(format_change(indicator, indicator.target_change, lang), _target_note(reading, lang)),
        status=reading.status, status_text=status_label(reading.status, lang), colour=STATUS_COLOURS[reading.status],
    )


def _window_cell(reading: Reading, lang: str) -> Cell:
    """The status window's change with its interval ('−26 % (−42 till −7 %)') over its counts ('118 mot 160'); a
    survey's wave against the baseline wave in points, with the numbers of answers."""
    indicator = reading.indicator
    if indicator.is_survey:
        rated = reading.share_status
        if rated is None or rated.comparison is None:
            return Cell(MISSING)
        c = rated.comparison
        note = t("report.window.answers", lang, n=fmt_int(c.n_a, lang), base_n=fmt_int(c.n_b, lang))
        if rated.case == "too_few":
            return Cell(status_label(TOO_FEW_STATUS, lang), note)
        return Cell(t("report.window.interval", lang, change=format_change(indicator, c.difference, lang),
                      low=fmt_dec(c.low * 100, 0, lang), high=fmt_dec(c.high * 100, 0, lang)), note)
    window = reading.status_window
    if window is None or window.status == HIDDEN_STATUS:
        return Cell(MISSING, t("oversikt.window.hidden", lang, label="").lstrip(": ") if window else "")
    if window.comparison is None:
        return Cell(MISSING, t(f"oversikt.window.{window.reason or 'no_data'}", lang, year=indicator.baseline_year))
    c = window.comparison.comparison
    note = t("report.window.counts", lang, count=fmt_int(window.count, lang), base=fmt_int(window.baseline_count, lang))
    if window.comparison.case == "too_few":
        return Cell(status_label(TOO_FEW_STATUS, lang), note)
    return Cell(t("report.window.interval", lang, change=ratio_change(c.ratio, lang),
                  low=ratio_change(c.low, lang), high=ratio_change(c.high, lang)), note)


def _target_note(reading: Reading, lang: str) -> str:
    return target_state(reading.rated, lang) or ""


def _versus(reading: Reading, point: Point | None, lang: str) -> Cell:
    if reading.latest is None or point is None:
        return Cell(MISSING)
    indicator = reading.indicator
    period = t("oversikt.wave", lang, wave=point.label) if indicator.is_survey else \
        fmt_month(point.period, lang, short=True)
    return Cell(format_point_change(indicator, reading.latest, point, lang),
                f"{period}: {format_point(indicator, point, lang)}")


def rule_lines(config: IndicatorConfig, goal: Goal, lang: str, hidden: bool = False) -> tuple[str, ...]:
    """How the status is decided, one line per status, each with its symbol and word (`hidden` only for a reader
    whose small counts are hidden)."""
    year = _baseline_year(config, goal)
    return tuple(f"{status_label(status, lang)}: {t(f'report.rule.{status}', lang, year=year)}"
                 for status in STATUS_ORDER if hidden or status != HIDDEN_STATUS)


def kpi_notes(readings: dict[str, Reading], lang: str) -> tuple[str, ...]:
    """What to read beside the table: the effort behind police-recorded offences, a rule that is not the plain
    one, and each survey value's uncertainty."""
    notes = []
    for reading in readings.values():
        indicator = reading.indicator
        label = indicator.label[lang]
        if indicator.effort and reading.effort and reading.baseline:
            effort = reading.effort
            line = t("oversikt.card.effort", lang, label=effort.label[lang],
                     value=format_count(effort.value, effort.value_hidden, lang),
                     period=fmt_month(reading.baseline.period, lang, short=True),
                     base=format_count(effort.baseline, effort.baseline_hidden, lang))
            notes.append(f"{label}: {indicator.note[lang] if indicator.note else ''} {line}.".replace("  ", " "))
        if indicator.is_survey and reading.interval and reading.latest:
            low, high = reading.interval
            notes.append(t("report.survey_note", lang, label=label, wave=reading.latest.label,
                           n=fmt_int(reading.n, lang), low=fmt_dec(low * 100, 0, lang), high=fmt_pct(high, 0, lang)))
    return tuple(notes)


# ---- the latest measure's effect ----

def effect_section(reads: Reads, configuration: Config, month: date, names: dict[str, str],
                   lang: str) -> EffectSection | None:
    """The latest measure (by the month) at a place with a buffer whose window after (area.yaml's evaluation.window)
    is over, on the first count indicator of incidents, as the Effekt page shows it; None when there is none."""
    indicators = effect_indicators(configuration)
    if not indicators:
        return None
    months = configuration.area.evaluation.window
    measures = reads.event_list(measures_only=True, month_to=month)
    found = [row for row in measures.itertuples(index=False)
             if evaluable(configuration, row.place_id, as_date(row.date), months, month)]
    if not found:
        return None
    row = max(found, key=lambda r: as_date(r.date))
    indicator = indicators[0]
    names = {**configuration.places.names(), **names}
    effect = reads.measure_effect(indicator, measure_zones(configuration, row.place_id),
                                  effect_windows(as_date(row.date), months), month,
                                  police_effort=indicator.effort is not None)
    heading = f"{fmt_date(as_date(row.date), lang)} · {row.title} · {names.get(row.place_id, row.place_id)}"
    return EffectSection(heading, tuple(verdict(effect, names, lang)),
                         Table(zone_header(effect, lang), tuple(zone_rows(effect, names, lang))),
                         wdq_line(effect, lang))


# ---- activities and measures of the month ----

def _activities(reads: Reads, configuration: Config, state: FilterState,
                lang: str) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The month's events in three lists: measures, activities for the public (what the activity indicator
    counts, so the numbers agree with the table) and the rest (coordination meetings and the like)."""
    where = dict(place_ids=state.places, month_from=state.month_from, month_to=state.month_to)
    frame = reads.event_list(**where)
    month = fmt_month(state.month_from, lang)
    if frame.empty:
        return t("report.activities_none", lang, month=month), (), (), ()
    labels = configuration.vocabulary.labels("events", lang)
    frame = frame.assign(is_measure=frame["is_measure"].astype(bool))
    public = _public_categories(configuration.indicators)
    is_public = ~frame["is_measure"] & (frame["category"].isin(public) if public else True)
    measures, activities = frame[frame["is_measure"]], frame[is_public]
    others = frame[~frame["is_measure"] & ~is_public]
    attendance = reads.total("events", "attendance", categories=public or None, measures_only=False, **where)
    summary = t("report.activities_summary", lang, activities=fmt_int(len(activities), lang),
                attendance=disclosure.cell_text(*attendance, lang),
                measures=fmt_int(len(measures), lang), others=fmt_int(len(others), lang))
    grants = float(frame["grant_sek"].fillna(0).sum())
    if grants:
        summary += " " + t("report.activities_grants", lang, amount=fmt_int(grants, lang))
    items = _lines(reads.event_groups(measures=False, categories=public or None, **where), labels, lang)
    if len(items) > MAX_ACTIVITIES:
        rest = len(items) - (MAX_ACTIVITIES - 1)
        items = items[: MAX_ACTIVITIES - 1] + [t("report.activities_more", lang, count=fmt_int(rest, lang))]
    rest = _lines(reads.event_groups(measures=False, other_than=public, **where), labels, lang) if public else []
    return summary, tuple(_lines(reads.event_groups(measures=True, **where), labels, lang)), tuple(items), tuple(rest)


def _public_categories(config: IndicatorConfig) -> tuple[str, ...]:
    """The categories the activity indicator counts (events, not measures); empty: every non-measure."""
    for indicator in config.indicators:
        measure = indicator.measure
        if measure.kind == "events" and measure.is_measure is False and measure.categories:
            return measure.categories
    return ()


def _lines(groups: pd.DataFrame, labels: dict[str, str], lang: str) -> list[str]:
    """One line per title and place (lagesbild.reads event_groups): 'Fotboll för unga (sport) – Drakenbergsparken:
    5, 12, 19 och 26 juni · 105 deltagare', in the order of the first date. Attendance is a count of people: for a
    reader who sees no small count, 1 to 4 says '<5', and one more line says 'dolt' so the total in the summary
    cannot give it away."""
    lines = []
    reasons = groups[HIDDEN] if HIDDEN in groups.columns else [""] * len(groups)
    for row, reason in zip(groups.itertuples(index=False), reasons, strict=True):
        where = "" if str(row.place) in str(row.title) else f" – {row.place}"
        category = _lower_first(labels.get(row.category, row.category))
        line = f"{row.title} ({category}){where}: {_days(list(row.dates), lang)}"
        if reason or not pd.isna(row.value):
            line += " · " + nt("report.attendance", None if reason else row.value, lang,
                               count=disclosure.cell_text(row.value, reason, lang))
        lines.append((row.dates[0], line))
    return [line for _, line in sorted(lines, key=lambda item: item[0])]


def _lower_first(label: str) -> str:
    """'Sport' -> 'sport' inside parentheses; an acronym ('EST') is left as it is."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _days(days: list[date], lang: str) -> str:
    """'5, 12 och 19 juni' (sv) or '5, 12 and 19 June' (en): the days of one month."""
    numbers = [str(day.day) for day in dict.fromkeys(days)]
    joined = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} {t('report.and', lang)} {numbers[-1]}"
    return f"{joined} {fmt_month(days[0], lang).split(' ')[0]}"


# ---- data: freshness per source and rejected rows ----

def _freshness(sources: pd.DataFrame, config: IndicatorConfig, month: date, lang: str) -> tuple[str, Table]:
    end = month_end(month)
    rows, flagged = [], []
    for row in sources.itertuples():
        last = row.last_date
        stale = last is None or (end - last).days > config.stale_after(row.kind)
        age = fmt_int((end - last).days, lang) if last else "?"
        flag = t("oversikt.sources.stale", lang, age=age, days=config.stale_after(row.kind)) if stale else \
            t("oversikt.sources.fresh", lang)
        rows.append((("⚠ " if stale else "✓ ") + source_label(row.source, lang), t(f"data.kind.{row.kind}", lang),
                     fmt_date(last, lang), _load_time(row.last_load, lang), flag))
        flagged.append(stale)
    header = tuple(t(key, lang) for key in ("data.col.source", "data.col.kind", "report.col.latest",
                                            "data.col.last_load", "report.col.fresh"))
    intro = t("report.freshness_intro", lang, date=fmt_date(end, lang))
    return intro, Table(header, tuple(rows), tuple(flagged))


def _load_time(value, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    stamp = pd.Timestamp(str(value))
    return f"{fmt_date(stamp.date(), lang)} {stamp:%H:%M}"


def _rejections(reads: Reads, lang: str) -> tuple[str, Table | None, tuple[str, ...], str, Table | None]:
    """The summary sentence, the loads per source, and the most common reasons; for a reader whose small counts are
    hidden, no reasons (they quote the rejected cells' values: raw data of single records) but a sentence saying so
    and the rejected rows per file and column, protected, as on the Data page."""
    summary = reads.load_summary()
    if summary.empty:
        return t("report.rejected_none", lang), None, (), "", None
    total, total_hidden = reads.rejected_total()
    note, by_column = "", None
    if reads.sees_single_records:
        lines = tuple(nt("report.reason", row.rows, lang, file=row.file_name, column=row.column or MISSING,
                         reason=row.reason, rows=fmt_int(row.rows, lang))
                      for row in reads.rejections().head(5).itertuples())
    else:
        lines = ()
        counted = reads.rejections_by_column()
        if not counted.empty:
            note, by_column = _rejections_note(reads, lang), rejections_table(counted, lang)
    columns = ("loads", "rows_read", "rows_inserted", "rows_updated", "rows_duplicate", "rows_skipped",
               "rows_rejected")
    header = tuple(t(f"data.col.{name}", lang) for name in ("source", "loads", "read", "inserted", "updated",
                                                              "duplicate", "skipped", "rejected"))
    def count(row, name: str) -> str:  # rejected rows: protected like the table per file and column
        if name == "rows_rejected":
            return disclosure.cell_text(row.rows_rejected, getattr(row, REJECTED_HIDDEN), lang)
        return fmt_int(getattr(row, name), lang)

    rows = tuple((source_label(row.source, lang), *(count(row, name) for name in columns))
                 for row in summary.itertuples())
    shown = disclosure.cell_text(total, total_hidden, lang)
    text = nt("report.rejected_total", None if total_hidden else total, lang, rows=shown) if total or total_hidden \
        else t("report.rejected_none", lang)
    return text, Table(header, rows), lines, note, by_column


def _rejections_note(reads: Reads, lang: str) -> str:
    """'Avvisade rader per fil och kolumn. Skälen visas inte för din roll: …' and what '<5' and 'dolt' mean."""
    protection = reads.viewer.note(lang)
    return t("data.rejections_protected", lang) + (f" {protection}" if protection else "")


def rejections_table(counted: pd.DataFrame, lang: str) -> Table:
    """Rejected rows per file and column (lagesbild.reads rejections_by_column): '<5' and 'dolt' where hidden."""
    header = tuple(t(f"data.col.{name}", lang) for name in ("file", "column", "rejected"))
    hidden = counted[disclosure.HIDDEN] if disclosure.HIDDEN in counted else pd.Series("", index=counted.index)
    rows = tuple((row.file_name, row.column or MISSING, disclosure.cell_text(row.rows, reason, lang))
                 for row, reason in zip(counted.itertuples(), hidden, strict=True))
    return Table(header, rows)


# ---- charts ----

def _charts(reads: Reads, configuration: Config, state: FilterState, lang: str,
            chart_ids: Sequence[str] = CHART_INDICATORS) -> list[Chart]:
    by_id = {indicator.id: indicator for indicator in configuration.indicators.indicators}
    month = state.month_to
    first = add_months(month, 1 - CHART_MONTHS)
    markers = reads.measure_markers(month_from=first, month_to=month)
    protection = reads.viewer.note(lang)  # under each chart too, for a reader whose small counts are hidden
    charts: list[Chart] = []
    for ident in chart_ids:
        indicator = by_id.get(ident)
        if indicator is None:
            continue
        made = (_survey_chart(reads, indicator, state, lang) if indicator.is_survey
                else _monthly_chart(reads, configuration, indicator, state, first, markers, lang))
        if made is not None:
            fig, title, note, height = made
            note = f"{note} {protection}" if protection else note
            charts.append(Chart(len(charts) + 1, title, note, fig, CHART_WIDTH_PX, height, lang, ident,
                                indicator.is_survey))
    return charts


def _monthly_chart(reads: Reads, configuration: Config, indicator: Indicator, state: FilterState, first: date,
                   markers: pd.DataFrame, lang: str):
    """The indicator per month for the last 13 months, stacked by category, against the baseline year's month,
    with the measures numbered and the summer shaded."""
    measure = indicator.measure
    column = measure.columns[0] if len(measure.columns) == 1 else "count"
    if len(measure.columns) > 1:
        return None  # a sum of several columns has no one stacked chart; the table has its number
    where = dict(place_ids=state.places, categories=measure.categories or None)
    # small counts hidden as on Händelser, for a reader of a role that does not see them (when the indicator counts
    # anyone at all)
    frame = reads.monthly(measure.kind, column, by="category", month_from=first, month_to=state.month_to,
                          measures_only=measure.is_measure, counts=indicator.is_count, **where)
    if frame.empty:
        return None
    year = indicator.baseline_year
    baseline = reads.monthly(measure.kind, column, month_from=date(year, 1, 1), month_to=date(year, 12, 1),
                             measures_only=measure.is_measure, counts=indicator.is_count, **where)
    labels = configuration.vocabulary.labels(measure.kind, lang)
    fig = category_time_series(frame, measure.kind, lang, labels=labels, baseline=baseline, baseline_year=year,
                               y_title=indicator.unit[lang].capitalize(), height=MONTHLY_CHART_HEIGHT)
    fig = annotate_measures(fig, markers, lang)
    # every month labelled under its bar on two lines ('jun' over '2024'): at print width the one-line labels
    # would be turned on their side, and the last one, the report's month, dropped
    fig["layout"]["xaxis"] |= dict(tickformat="%b\n%Y", tickangle=0)
    title = t("report.chart_monthly", lang, label=indicator.label[lang],
              period=fmt_month_range(first, state.month_to, lang))
    sources = sorted({source_label(s, lang) for s in reads.data_through(
        (measure.kind,), place_ids=state.places, month_from=first, month_to=state.month_to)[1]})
    note = t("report.chart_monthly_note", lang, year=year) + " " + t("report.source", lang, sources=", ".join(sources))
    return fig, title, note, MONTHLY_CHART_HEIGHT


def _survey_chart(reads: Reads, indicator: Indicator, state: FilterState, lang: str):
    """The indicator's share per survey wave up to the month, with its 95 % interval and n; never a line (shares
    that give away 1–4 respondents hidden as on Trygghet, for a reader who sees no small count)."""
    frame = reads.survey_answer_share(indicator.answers, categories=list(indicator.measure.categories),
                                      place_ids=state.places, period_to=month_end(state.month_to),
                                      counts=indicator.is_count)
    if frame.empty:
        return None
    category = indicator.measure.categories[0] if indicator.measure.categories else "ovrigt"
    fig = indicator_figure(frame, category, lang)
    fig["layout"]["height"] = SURVEY_CHART_HEIGHT
    title = t("report.chart_survey", lang, label=indicator.label[lang], answers=", ".join(indicator.answers))
    surveys = ", ".join(dict.fromkeys(frame["survey"]))
    note = t("trygghet.how_to_read", lang) + " " + t("report.source", lang, sources=surveys)
    return fig, title, note, SURVEY_CHART_HEIGHT


