"""The lägesrapport: the project leader's status report for a steering-group meeting, for one month.

One model (`build_report`) is read from the store once; two renderers make the files from it:
`to_docx` (python-docx, real Word styles so staff can edit it) and `to_pdf` (the same model as HTML,
printed to A4 by headless Chromium). The charts are PNGs made server-side with kaleido and embedded in
both, so nothing is fetched from the network and the user installs nothing.

    report = build_report(engine, settings, date(2024, 6, 1), lang="sv")
    Path(report_filename(report, "docx")).write_bytes(report_bytes(report, "docx"))
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine

from dashboard.export.page import protected_through
from lagesbild import disclosure, queries
from lagesbild.captions import Caption, export_filename, source_label
from lagesbild.charts.figures import annotate_measures, category_time_series
from lagesbild.charts.survey import NTU_SURVEY, indicator_figure, with_interval
from lagesbild.charts.theme import STATUS_COLOURS
from lagesbild.config import Goal, load_config
from lagesbild.config.indicators import Indicator, IndicatorConfig, Measure
from lagesbild.filters import FilterState, describe
from lagesbild.i18n import lang_or_default, nt, t
from lagesbild.i18n.formats import MISSING, NBSP, fmt_date, fmt_dec, fmt_int, fmt_month, fmt_month_range, fmt_pct
from lagesbild.indicators.readings import (
    HIDDEN_STATUS,
    Point,
    Reading,
    add_months,
    latest_complete_month,
    monthly_outcome,
    read_monthly,
    read_survey,
    survey_outcome,
    waves,
    with_effort,
)
from lagesbild.indicators.wording import (
    format_change,
    format_count,
    format_point,
    format_point_change,
    goal_sentence,
    rule_sentence,
    status_label,
)
from lagesbild.rejections import rejections_by_column
from lagesbild.settings import Settings

FORMATS = ("docx", "pdf")
MONTHLY_KINDS = ("incidents", "outreach", "events")
CHART_WIDTH_PX = 1000  # drawn at 18 px type, printed 160 mm wide: about 8 pt on paper, like the body text
CHART_SCALE = 2  # twice the pixels, so the pictures stay sharp when printed or zoomed in Word
MONTHLY_CHART_HEIGHT = 560
SURVEY_CHART_HEIGHT = 440
CHART_MONTHS = 13  # the month and the twelve before it: the same month a year ago is on the chart
MAX_ACTIVITIES = 14
STATUS_ORDER = ("good", "watch", "bad", "unknown", HIDDEN_STATUS)
# The report's charts: the drug-related reports, outreach contacts and the two survey shares. Each is drawn only
# when the indicator of that id is configured (another district may not have it) and has data.
CHART_INDICATORS = ("narkotika_rapporter", "kontakter", "otrygghet", "problem_narkotika")


class ReportError(ValueError):
    """A report that cannot be made as asked (unknown place, a month that is not over, an empty store)."""


# ---- the model ----

@dataclass(frozen=True)
class Cell:
    text: str
    note: str = ""  # a second, smaller line under the text


@dataclass(frozen=True)
class KpiRow:
    id: str
    indicator: Cell
    value: Cell
    previous: Cell
    baseline: Cell
    target: Cell
    status: str  # good | watch | bad | unknown
    status_text: str  # '✓ Mål nått': never the colour alone
    colour: str  # '#009E73'


@dataclass(frozen=True)
class Chart:
    number: int
    title: str  # the caption after 'Figur 1: '
    note: str  # how to read it, and its source
    png: bytes
    width_px: int
    height_px: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    flagged: tuple[bool, ...] = ()  # rows to mark (a stale source)


@dataclass(frozen=True)
class Report:
    lang: str
    month: date
    places: tuple[str, ...]
    title: str
    filters: str  # 'Hela området · jun 2024'
    caption: Caption
    goal_text: str
    goal_date: str  # 'Måldatum 1 januari 2025 · om 185 dagar (räknat från 30 juni 2024)'
    goal_outcome: str | None
    status_counts: tuple[tuple[str, int], ...]
    kpi_intro: str
    kpi_header: tuple[str, ...]
    kpis: tuple[KpiRow, ...]
    rules: tuple[str, ...]
    notes: tuple[str, ...]
    charts: tuple[Chart, ...]
    activity_summary: str
    measures: tuple[str, ...]
    activities: tuple[str, ...]
    other_events: tuple[str, ...]
    freshness_intro: str
    freshness: Table
    rejected_summary: str
    rejected: Table | None
    reasons: tuple[str, ...] = field(default=())
    protection: str | None = None  # why '<5', 'dolt' and '–' appear, when small counts are hidden from the reader
    # For a reader whose small counts are hidden, instead of the reasons (they quote rejected cells' values): why
    # not, and the rejected rows per file and column, protected.
    rejected_note: str = ""
    rejected_columns: Table | None = None

    @property
    def subtitle(self) -> tuple[str, str]:
        """Under the title: what the report covers, then where its numbers come from and when it was made."""
        return self.filters, self.caption.lines()[1]

    def text(self, key: str, **params: object) -> str:
        """A heading or label of the report in its language (the 'report.' keys of lagesbild.i18n)."""
        return t(f"report.{key}", self.lang, **params)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def check_month(month: date, today: date | None = None) -> None:
    """A report is for a month that is over: the current or a later month is refused."""
    today = today or date.today()
    if month >= today.replace(day=1):
        raise ReportError(f"{month:%Y-%m} is not over yet; the latest complete month is "
                          f"{add_months(today.replace(day=1), -1):%Y-%m}")


def latest_report_month(engine: Engine, state: FilterState, today: date | None = None) -> date | None:
    """The latest complete month with data inside the filter: the month the Översikt button reports on."""
    today = today or date.today()
    spans = [queries.kind_month_span(engine, kind, today.replace(day=1)) for kind in MONTHLY_KINDS]
    ends = [span[1] for span in spans if span]
    return latest_complete_month(max(ends) if ends else None, today, state.month_from, state.month_to)


def build_report(engine: Engine, settings: Settings, month: date, places: Sequence[str] = (), lang: str = "sv",
                 now: datetime | None = None, charts: bool = True) -> Report:
    """Everything the report says for `month` (the first day of it), read from the store once.

    The month plays the part of "today" in the indicators: the report for June 2024 shows June 2024 against
    May 2024 and June of the baseline year, however late it is made, and later data is never looked at.
    """
    lang = lang_or_default(lang)
    month = month.replace(day=1)
    now = now or datetime.now().replace(microsecond=0)
    names = {row["id"]: row["name"] for row in queries.list_places(engine)}
    unknown = [place for place in places if place not in names]
    if unknown:
        raise ReportError(f"unknown place(s): {', '.join(unknown)}; known: {', '.join(names)}")
    state = FilterState(tuple(dict.fromkeys(places)), month, month)
    configuration = load_config(settings)
    goal, config = configuration.area.goal, configuration.indicators
    as_of = add_months(month, 1)  # the indicators' "today": the month is complete, the next one not begun
    readings = read_indicators(engine, config, goal, state, as_of)  # small counts hidden as on Översikt
    protection = disclosure.note(lang)  # None outside a request (the CLI) and for roles that see every number
    sources = queries.freshness_until(engine, month_end(month), state.places)
    caption = _caption(engine, state, names, sources, lang, now, month)
    sources = protected_freshness(engine, sources)  # for whom small counts are hidden, no date of a single record
    area = configuration.area.name
    title = " ".join(part for part in (t("report.name", lang), area) if part) + f" – {fmt_month(month, lang)}"
    caption = replace(caption, title=title)
    activity_summary, measures, activities, others = _activities(engine, settings, config, state, lang)
    freshness_intro, freshness = _freshness(sources, config, month, lang)
    if protection is not None:
        freshness_intro += " " + t("report.freshness_protected", lang)
    rejected_summary, rejected, reasons, rejected_note, rejected_columns = _rejections(engine, lang)
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
    )
    if charts:
        report = replace(report, charts=tuple(_charts(engine, settings, config, state, readings, lang)))
    return report


def _caption(engine: Engine, state: FilterState, names: dict[str, str], sources: pd.DataFrame, lang: str,
             now: datetime, month: date) -> Caption:
    through, _ = queries.data_through(engine, ("incidents", "outreach", "events", "surveys"), state.places,
                                      None, month_end(month))
    through = min(through, month_end(month)) if through else None
    used = sorted({source_label(s, lang) for s, rows in zip(sources["source"], sources["rows"], strict=True) if rows})
    # 'Data t.o.m.' is the latest fact in the places up to the month's end: for one place and month it may be the day
    # of the only incident there. For a reader whose small counts are hidden it is the rule of every page export
    # (the month's end, or the area's freshness date when earlier); the report is Översikt's, over Översikt's kinds.
    return protected_through(Caption("", describe(state, names, lang), through, tuple(used), now, lang),
                             "oversikt", state)


def _baseline_year(config: IndicatorConfig, goal: Goal) -> int:
    years = {indicator.baseline_year for indicator in config.indicators}
    return years.pop() if len(years) == 1 else goal.baseline_year


# ---- the indicators: the same readings as the Översikt page, with the report's month as "today" ----

def read_indicators(engine: Engine, config: IndicatorConfig, goal: Goal, state: FilterState,
                    today: date) -> dict[str, Reading]:
    """Every indicator's reading for the filter: the one reading that Översikt and the lägesrapport share.

    Small counts are hidden here, by the rule of the request's user (lagesbild.disclosure), so the cards, the
    report's table and its notes all show the same '<5' and '–'. Outside a request (the CLI) nothing is hidden.
    """
    rule = disclosure.current_rule()
    kinds = {i.kind for i in config.indicators} | {i.effort.measure.kind for i in config.indicators if i.effort}
    spans = {kind: queries.kind_month_span(engine, kind, today.replace(day=1)) for kind in kinds}
    return {indicator.id: _read_one(engine, indicator, goal, state, today, spans, rule)
            for indicator in config.indicators}


def _read_one(engine: Engine, indicator: Indicator, goal: Goal, state: FilterState, today: date,
              spans: dict, rule: disclosure.Rule | None = None) -> Reading:
    if indicator.is_survey:
        frame = queries.survey_answer_shares(engine, indicator.survey, indicator.answers, place_ids=state.places,
                                             categories=indicator.measure.categories or None,
                                             question_codes=indicator.question_codes or None)
        points, sizes = waves(frame, rule if indicator.is_count else None)
        reading = read_survey(indicator, points, sizes, today, state.month_to)
        return replace(reading, outcome=survey_outcome(indicator, points, goal.date, today))
    series = _monthly(engine, indicator.measure, state, today)
    span = spans[indicator.kind]
    reading = read_monthly(indicator, series, span, today, state.month_from, state.month_to, rule)
    if indicator.effort:
        effort = indicator.effort
        reading = with_effort(reading, effort, _monthly(engine, effort.measure, state, today),
                              spans[effort.measure.kind], rule)
    outcome = monthly_outcome(indicator, series, span, goal.date, today, rule) if today >= goal.date else None
    return replace(reading, outcome=outcome)


def _monthly(engine: Engine, measure: Measure, state: FilterState, today: date) -> dict[date, float]:
    frame = queries.indicator_monthly(engine, measure.kind, measure.columns, place_ids=state.places,
                                      categories=measure.categories or None, is_measure=measure.is_measure,
                                      before=today.replace(day=1))
    return dict(zip(frame["month"], frame["value"].astype(float), strict=True))


def outcome_sentence(goal: Goal, readings: dict[str, Reading], lang: str) -> str:
    """'Utfall vid måldatum (2024 mot 2022): 10 av 13 indikatorer nådde målet.' and, when some outcomes rest on
    small counts the reader does not see, how many are hidden (they are not counted as reached either way)."""
    outcomes = [r.outcome for r in readings.values() if r.outcome and r.outcome.status != "unknown"]
    window = next((r.outcome.period for r in readings.values() if r.outcome and not r.indicator.is_survey), None)
    if not outcomes or window is None:
        return t("oversikt.goal.no_outcome", lang)
    first, last = window
    period = str(first.year) if (first.year, first.month, last.month) == (last.year, 1, 12) else \
        fmt_month_range(first, last, lang)
    return nt("oversikt.goal.outcome", len(readings), lang, period=period, year=goal.baseline_year,
             good=sum(o.status == "good" for o in outcomes), total=len(readings)) + hidden_outcomes(outcomes, lang)


def hidden_outcomes(outcomes, lang: str) -> str:
    """' För 2 av dem är utfallet dolt: det vilar på små tal.' or nothing."""
    hidden = sum(outcome.status == HIDDEN_STATUS for outcome in outcomes)
    return " " + t("oversikt.goal.outcome_hidden", lang, hidden=fmt_int(hidden, lang)) if hidden else ""


def _kpi_header(config: IndicatorConfig, goal: Goal, lang: str) -> tuple[str, ...]:
    year = _baseline_year(config, goal)
    return tuple(t(f"report.col.{name}", lang, year=year) if name in ("baseline", "target")
                 else t(f"report.col.{name}", lang)
                 for name in ("indicator", "value", "previous", "baseline", "target", "status"))


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
        previous=_versus(reading, reading.previous, lang), baseline=_versus(reading, reading.baseline, lang),
        target=Cell(format_change(indicator, indicator.target_change, lang)),
        status=reading.status, status_text=status_label(reading.status, lang), colour=STATUS_COLOURS[reading.status],
    )


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
        if indicator.green != indicator.target_change or indicator.red != 0:
            notes.append(f"{label}: {rule_sentence(indicator, lang)}")
        if indicator.is_survey and reading.interval and reading.latest:
            low, high = reading.interval
            notes.append(t("report.survey_note", lang, label=label, wave=reading.latest.label,
                           n=fmt_int(reading.n, lang), low=fmt_dec(low * 100, 0, lang), high=fmt_pct(high, 0, lang)))
    return tuple(notes)


# ---- activities and measures of the month ----

def _activities(engine: Engine, settings: Settings, config: IndicatorConfig, state: FilterState,
                lang: str) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The month's events in three lists: measures, activities for the public (what the activity indicator
    counts, so the numbers agree with the table) and the rest (coordination meetings and the like)."""
    frame = queries.event_list(engine, place_ids=state.places, month_from=state.month_from, month_to=state.month_to)
    month = fmt_month(state.month_from, lang)
    if frame.empty:
        return t("report.activities_none", lang, month=month), (), (), ()
    labels = load_config(settings).vocabulary.labels("events", lang)
    frame = frame.assign(date=pd.to_datetime(frame["date"]).dt.date, is_measure=frame["is_measure"].astype(bool))
    public = _public_categories(config)
    is_public = ~frame["is_measure"] & (frame["category"].isin(public) if public else True)
    measures, activities = frame[frame["is_measure"]], frame[is_public]
    others = frame[~frame["is_measure"] & ~is_public]
    attendance = int(activities["attendance"].fillna(0).sum())  # people: '<5' for a reader who sees no small count
    summary = t("report.activities_summary", lang, activities=fmt_int(len(activities), lang),
                attendance=disclosure.cell_text(*disclosure.protect_total(attendance), lang),
                measures=fmt_int(len(measures), lang), others=fmt_int(len(others), lang))
    grants = float(frame["grant_sek"].fillna(0).sum())
    if grants:
        summary += " " + t("report.activities_grants", lang, amount=fmt_int(grants, lang))
    items = _grouped(activities, labels, lang)
    if len(items) > MAX_ACTIVITIES:
        rest = len(items) - (MAX_ACTIVITIES - 1)
        items = items[: MAX_ACTIVITIES - 1] + [t("report.activities_more", lang, count=fmt_int(rest, lang))]
    return (summary, tuple(_grouped(measures, labels, lang)), tuple(items),
            tuple(_grouped(others, labels, lang)))


def _public_categories(config: IndicatorConfig) -> tuple[str, ...]:
    """The categories the activity indicator counts (events, not measures); empty: every non-measure."""
    for indicator in config.indicators:
        measure = indicator.measure
        if measure.kind == "events" and measure.is_measure is False and measure.categories:
            return measure.categories
    return ()


def _grouped(frame: pd.DataFrame, labels: dict[str, str], lang: str) -> list[str]:
    """One line per title and place: 'Fotboll för unga (sport) – Drakenbergsparken: 5, 12, 19 och 26 juni ·
    105 deltagare', in the order of the first date. Attendance is a count of people: for a reader who sees no
    small count, 1 to 4 says '<5', and one more line says 'dolt' so the total in the summary cannot give it away."""
    lines, attendances = [], []
    for (title, place), rows in frame.groupby(["title", "place"], sort=False):
        rows = rows.sort_values("date")
        where = "" if str(place) in str(title) else f" – {place}"
        category = _lower_first(labels.get(rows["category"].iloc[0], rows["category"].iloc[0]))
        lines.append((rows["date"].iloc[0], f"{title} ({category}){where}: {_days(list(rows['date']), lang)}"))
        attendance = rows["attendance"].dropna()
        attendances.append(float(attendance.sum()) if len(attendance) else None)
    counted = disclosure.protect(pd.DataFrame({"line": range(len(lines)), "value": attendances}, dtype=float),
                                 ("line",))
    reasons = counted[disclosure.HIDDEN] if disclosure.HIDDEN in counted.columns else [""] * len(lines)
    for i, (value, reason) in enumerate(zip(attendances, reasons, strict=True)):
        if value is not None:
            count = nt("report.attendance", None if reason else value, lang,
                       count=disclosure.cell_text(value, reason, lang))
            lines[i] = (lines[i][0], lines[i][1] + " · " + count)
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


def protected_freshness(engine: Engine, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources (queries.freshness_until) with each one's latest date never a single record's day, for a reader
    whose small counts are hidden; as they were for everyone else (and outside a request: the CLI).

    In the report's places the latest date of a source may be the day of the one incident there. Such a reader gets
    the end of that date's month instead, or the source's latest date over the whole area when that is earlier (how
    fresh the source is, shown on Översikt and Data anyway): the same rule as the caption's 'Data t.o.m.'
    (dashboard.export.page.protected_through). Which months a source has rows in a place is no secret to them (the
    Data page's coverage shows it), so a stale source is still flagged, give or take the days of its last month."""
    if disclosure.current_rule() is None or sources.empty:
        return sources
    area = queries.freshness(engine)
    latest = {(kind, source): _day(day) for kind, source, day in zip(area["kind"], area["source"], area["last_date"],
                                                                      strict=True)}
    shown = []
    for kind, source, day in zip(sources["kind"], sources["source"], sources["last_date"], strict=True):
        day, area_latest = _day(day), latest.get((kind, source))
        if day is None:
            shown.append(None)  # no fact here by the month's end: '–', as for everyone
        else:
            shown.append(min(month_end(day), area_latest) if area_latest else month_end(day))
    return sources.assign(last_date=shown)


def _day(value) -> date | None:
    """A fact date as the store gives it back (a date, a timestamp or ISO text, None or NaN when there is none)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def _load_time(value, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    stamp = pd.Timestamp(str(value))
    return f"{fmt_date(stamp.date(), lang)} {stamp:%H:%M}"


def _rejections(engine: Engine, lang: str) -> tuple[str, Table | None, tuple[str, ...], str, Table | None]:
    """The summary sentence, the loads per source, and the most common reasons; for a reader whose small counts are
    hidden, no reasons (they quote the rejected cells' values: raw data of single records) but a sentence saying so
    and the rejected rows per file and column, protected, as on the Data page."""
    summary = queries.load_summary(engine)
    if summary.empty:
        return t("report.rejected_none", lang), None, (), "", None
    total = int(summary["rows_rejected"].sum())
    reasons = queries.rejection_reasons(engine)
    note, by_column = "", None
    if disclosure.current_rule() is None:
        lines = tuple(nt("report.reason", row.rows, lang, file=row.file_name, column=row.column or MISSING,
                         reason=row.reason, rows=fmt_int(row.rows, lang)) for row in reasons.head(5).itertuples())
    else:
        lines = ()
        if not reasons.empty:
            note, by_column = _rejections_note(lang), rejections_table(rejections_by_column(reasons), lang)
    columns = ("loads", "rows_read", "rows_inserted", "rows_updated", "rows_duplicate", "rows_skipped",
               "rows_rejected")
    header = tuple(t(f"data.col.{name}", lang) for name in ("source", "loads", "read", "inserted", "updated",
                                                              "duplicate", "skipped", "rejected"))
    def count(row, name: str) -> str:  # rejected rows: protected like the table per file and column
        value = getattr(row, name)
        return disclosure.cell_text(*disclosure.protect_total(value), lang) if name == "rows_rejected" \
            else fmt_int(value, lang)

    rows = tuple((source_label(row.source, lang), *(count(row, name) for name in columns))
                 for row in summary.itertuples())
    shown, reason = disclosure.protect_total(total)
    text = nt("report.rejected_total", shown, lang, rows=disclosure.cell_text(shown, reason, lang)) if total else \
        t("report.rejected_none", lang)
    return text, Table(header, rows), lines, note, by_column


def _rejections_note(lang: str) -> str:
    """'Avvisade rader per fil och kolumn. Skälen visas inte för din roll: …' and what '<5' and 'dolt' mean."""
    protection = disclosure.note(lang)
    return t("data.rejections_protected", lang) + (f" {protection}" if protection else "")


def rejections_table(counted: pd.DataFrame, lang: str) -> Table:
    """Rejected rows per file and column (lagesbild.rejections.rejections_by_column): '<5' and 'dolt' where hidden."""
    header = tuple(t(f"data.col.{name}", lang) for name in ("file", "column", "rejected"))
    hidden = counted[disclosure.HIDDEN] if disclosure.HIDDEN in counted else pd.Series("", index=counted.index)
    rows = tuple((row.file_name, row.column or MISSING, disclosure.cell_text(row.rows, reason, lang))
                 for row, reason in zip(counted.itertuples(), hidden, strict=True))
    return Table(header, rows)


# ---- charts ----

def _charts(engine: Engine, settings: Settings, config: IndicatorConfig, state: FilterState,
            readings: dict[str, Reading], lang: str) -> list[Chart]:
    by_id = {indicator.id: indicator for indicator in config.indicators}
    month = state.month_to
    first = add_months(month, 1 - CHART_MONTHS)
    markers = queries.measure_markers(engine, month_from=first, month_to=month)
    protection = disclosure.note(lang)  # under each chart too, for a reader whose small counts are hidden
    charts: list[Chart] = []
    for ident in CHART_INDICATORS:
        indicator = by_id.get(ident)
        if indicator is None:
            continue
        made = (_survey_chart(engine, indicator, state, lang) if indicator.is_survey
                else _monthly_chart(engine, settings, indicator, state, first, markers, lang))
        if made is not None:
            fig, title, note, height = made
            note = f"{note} {protection}" if protection else note
            charts.append(Chart(len(charts) + 1, title, note, chart_png(fig, CHART_WIDTH_PX, height, lang),
                                CHART_WIDTH_PX, height))
    return charts


def _monthly_chart(engine: Engine, settings: Settings, indicator: Indicator, state: FilterState, first: date,
                   markers: pd.DataFrame, lang: str):
    """The indicator per month for the last 13 months, stacked by category, against the baseline year's month,
    with the measures numbered and the summer shaded."""
    measure = indicator.measure
    column = measure.columns[0] if len(measure.columns) == 1 else "count"
    if len(measure.columns) > 1:
        return None  # a sum of several columns has no one stacked chart; the table has its number
    where = dict(place_ids=state.places, categories=measure.categories or None)
    frame = queries.monthly(engine, measure.kind, column, by="category", month_from=first, month_to=state.month_to,
                            measures_only=measure.is_measure, **where)
    if frame.empty:
        return None
    year = indicator.baseline_year
    baseline = queries.monthly(engine, measure.kind, column, month_from=date(year, 1, 1), month_to=date(year, 12, 1),
                               measures_only=measure.is_measure, **where)
    # small counts hidden as on Händelser, for a reader of a role that does not see them (apply: a count at all)
    frame = disclosure.protect(frame, ("month", "category"), apply=indicator.is_count)
    baseline = disclosure.protect(baseline, ("month",), apply=indicator.is_count)
    labels = load_config(settings).vocabulary.labels(measure.kind, lang)
    fig = category_time_series(frame, measure.kind, lang, labels=labels, baseline=baseline, baseline_year=year,
                               y_title=indicator.unit[lang].capitalize(), height=MONTHLY_CHART_HEIGHT)
    fig = annotate_measures(fig, markers, lang)
    # every month labelled under its bar on two lines ('jun' over '2024'): at print width the one-line labels
    # would be turned on their side, and the last one, the report's month, dropped
    fig["layout"]["xaxis"] |= dict(tickformat="%b\n%Y", tickangle=0)
    title = t("report.chart_monthly", lang, label=indicator.label[lang],
              period=fmt_month_range(first, state.month_to, lang))
    sources = sorted({source_label(s, lang) for s in _sources(engine, measure.kind, state, first)})
    note = t("report.chart_monthly_note", lang, year=year) + " " + t("report.source", lang, sources=", ".join(sources))
    return fig, title, note, MONTHLY_CHART_HEIGHT


def _survey_chart(engine: Engine, indicator: Indicator, state: FilterState, lang: str):
    """The indicator's share per survey wave up to the month, with its 95 % interval and n; never a line."""
    frame = queries.survey_answer_share(engine, indicator.answers, categories=list(indicator.measure.categories),
                                        place_ids=state.places, period_to=month_end(state.month_to),
                                        exclude_surveys=[NTU_SURVEY])
    if frame.empty:
        return None
    category = indicator.measure.categories[0] if indicator.measure.categories else "ovrigt"
    frame = with_interval(frame)
    if indicator.is_count:
        frame = disclosure.protect_shares(frame)  # the current reader's rule, as on Trygghet
    fig = indicator_figure(frame, category, lang)
    fig["layout"]["height"] = SURVEY_CHART_HEIGHT
    title = t("report.chart_survey", lang, label=indicator.label[lang], answers=", ".join(indicator.answers))
    surveys = ", ".join(dict.fromkeys(frame["survey"]))
    note = t("trygghet.how_to_read", lang) + " " + t("report.source", lang, sources=surveys)
    return fig, title, note, SURVEY_CHART_HEIGHT


def _sources(engine: Engine, kind: str, state: FilterState, first: date) -> list[str]:
    return queries.data_through(engine, (kind,), state.places, first, state.month_to)[1]


def chart_png(fig: dict, width: int, height: int, lang: str = "sv") -> bytes:
    """The figure as a PNG on the process's one kaleido server (lagesbild.render.figure_image: the system Chromium,
    started once and reused), drawn as the dashboard draws it (its template, month names in `lang`). No caption
    is burned in: the document puts a real caption under the picture."""
    from lagesbild.render.figure_image import plot_spec, render

    return render(plot_spec(fig, lang, width, height), {"format": "png", "scale": CHART_SCALE})


# ---- files ----

def report_filename(report: Report, fmt: str) -> str:
    """'lagesrapport_hela-omradet_2024-06--2024-06.docx' (sv), 'status-report_whole-area_….pdf' (en): the same
    what_where_when as every other export (lagesbild.captions)."""
    return export_filename(t("report.name", report.lang), FilterState(report.places, report.month, report.month),
                           fmt, report.lang)


def report_bytes(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(report)
    if fmt == "pdf":
        return to_pdf(report)
    raise ReportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


# ---- DOCX ----

DOCX_FONT_PT = 10
TABLE_FONT_PT = 9
PICTURE_WIDTH_IN = 6.3
KPI_WIDTHS_MM = (50, 24, 27, 27, 17, 25)  # 170 mm: A4 less two 20 mm margins
STATUS_INK = "111111"  # dark text on every status colour, as on the Översikt page
HEADER_FILL = "E7E9EC"
DOC_LANGS = {"sv": "sv-SE", "en": "en-GB"}
DOCX_PROPERTY_MAX = 255  # characters in a core property (python-docx refuses more)


def to_docx(report: Report) -> bytes:
    """The report as a Word document in Word's own styles (Title, Subtitle, Heading 1/2, Table Grid with a
    repeated header row, Caption with a SEQ field, List Bullet), A4, in the report's language, so staff can
    restyle it, renumber the figures, and paste parts of it into their own documents."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Mm, Pt

    doc = Document()
    _docx_setup(doc, report)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    _docx_footer(section, report)

    doc.add_paragraph(report.title, style="Title")
    for line in report.subtitle:
        doc.add_paragraph(line, style="Subtitle")

    doc.add_heading(report.text("h.goal"), level=1)
    doc.add_paragraph(report.goal_text)
    paragraph = doc.add_paragraph()
    paragraph.add_run(report.goal_date).bold = True
    if report.goal_outcome:
        doc.add_paragraph(report.goal_outcome)
    paragraph = doc.add_paragraph(report.text("status_summary", month=fmt_month(report.month, report.lang)) + " ")
    for i, (status, count) in enumerate((s, c) for s, c in report.status_counts if c):
        run = paragraph.add_run(f"{status_label(status, report.lang)}: {count}")
        run.bold = True
        _shade_run(run, STATUS_COLOURS[status])
        if i < sum(1 for _, c in report.status_counts if c) - 1:
            paragraph.add_run("  ")

    doc.add_heading(report.text("h.kpis"), level=1)
    doc.add_paragraph(report.kpi_intro)
    _docx_kpi_table(doc, report)
    if report.protection:  # what '<5', 'dolt' and '–' mean, right under the table that shows them
        doc.add_paragraph(report.protection).paragraph_format.space_before = Pt(4)
    doc.add_heading(report.text("h.rules"), level=2)
    for line in report.rules:
        doc.add_paragraph(line, style="List Bullet")
    if report.notes:
        doc.add_heading(report.text("h.notes"), level=2)
        for line in report.notes:
            doc.add_paragraph(line, style="List Bullet")

    if report.charts:
        doc.add_heading(report.text("h.charts"), level=1)
    for chart in report.charts:
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        run = picture.add_run()
        run.add_picture(io.BytesIO(chart.png), width=Inches(PICTURE_WIDTH_IN))
        _alt_text(run, f"{report.text('figure')} {chart.number}: {chart.title}")
        caption = doc.add_paragraph(style="Caption")
        caption.paragraph_format.keep_with_next = True
        caption.add_run(f"{report.text('figure')} ")
        _field(caption, f"SEQ {report.text('figure')} \\* ARABIC", str(chart.number))
        caption.add_run(f": {chart.title}")
        note = doc.add_paragraph(chart.note)
        note.paragraph_format.space_after = Pt(12)
        for run in note.runs:
            run.font.size = Pt(TABLE_FONT_PT)

    doc.add_heading(report.text("h.activities", month=fmt_month(report.month, report.lang)), level=1)
    doc.add_paragraph(report.activity_summary)
    for key, items in (("h.measures", report.measures), ("h.activity_list", report.activities),
                       ("h.other_events", report.other_events)):
        if items:
            doc.add_heading(report.text(key), level=2)
            for item in items:
                doc.add_paragraph(item, style="List Bullet")

    doc.add_heading(report.text("h.data"), level=1)
    doc.add_heading(report.text("h.freshness"), level=2)
    doc.add_paragraph(report.freshness_intro)
    _docx_table(doc, report.freshness)
    doc.add_heading(report.text("h.rejected"), level=2)
    doc.add_paragraph(report.rejected_summary)
    if report.rejected is not None:
        _docx_table(doc, report.rejected, numeric_from=1)
    for line in report.reasons:
        doc.add_paragraph(line, style="List Bullet")
    if report.rejected_note:
        doc.add_paragraph(report.rejected_note)
    if report.rejected_columns is not None:
        _docx_table(doc, report.rejected_columns, numeric_from=2)
    closing = doc.add_paragraph()
    closing.paragraph_format.space_before = Pt(12)
    for i, line in enumerate(report.caption.lines()):
        run = closing.add_run(line)
        run.font.size = Pt(TABLE_FONT_PT)
        if i == 0:
            run.add_break()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_setup(doc, report: Report) -> None:
    """The document's language (spelling and hyphenation in Word), body font size and properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), DOC_LANGS[report.lang])
    doc.styles["Normal"].font.size = Pt(DOCX_FONT_PT)
    properties = doc.core_properties
    properties.title, properties.author, properties.language = (_property(report.title), "Lägesbild",
                                                                 DOC_LANGS[report.lang])
    properties.subject, properties.created = _property(report.filters), report.caption.made_at
    properties.comments = _property(" · ".join(report.caption.lines()))


def _property(text: str) -> str:
    """A document property as Word takes it: at most 255 characters (a long month name and a few places exceed it
    in the comments), shortened with '…'; the document itself says it all."""
    return text if len(text) <= DOCX_PROPERTY_MAX else text[: DOCX_PROPERTY_MAX - 1] + "…"


def _docx_footer(section, report: Report) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{report.title} · {report.text('page')} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {report.text('of')} ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (SEQ, PAGE, NUMPAGES) with its current result, which Word updates itself."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    code = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    code._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _alt_text(run, text: str) -> None:
    """Alternative text on an inline picture, read out by screen readers and shown in Word's Alt Text pane."""
    for properties in run._r.xpath(".//wp:docPr"):
        properties.set("descr", text)
        properties.set("title", text)


def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    properties.append(shading)


def _shade_run(run, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    run._r.get_or_add_rPr().append(shading)


def _header_row(row) -> None:
    """Bold, shaded, repeated at the top of each page, never split."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)
    for cell in row.cells:
        _shade(cell, HEADER_FILL)
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def _no_split(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _fill(cell, main: str, note: str = "", *, right: bool = False, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(main)
    run.font.size, run.bold = Pt(TABLE_FONT_PT), bold
    if note:
        run.add_break()
        small = paragraph.add_run(note)
        small.font.size = Pt(TABLE_FONT_PT - 1.5)
        small.font.color.rgb = RGBColor(0x44, 0x44, 0x44)


def _docx_kpi_table(doc, report: Report) -> None:
    from docx.shared import Mm, RGBColor

    table = doc.add_table(rows=1, cols=len(report.kpi_header), style="Table Grid")
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, report.kpi_header, strict=True):
        _fill(cell, text)
    _header_row(table.rows[0])
    for row in report.kpis:
        cells = table.add_row().cells
        _fill(cells[0], row.indicator.text, row.indicator.note)
        _fill(cells[1], row.value.text, row.value.note, right=True, bold=True)
        _fill(cells[2], row.previous.text, row.previous.note, right=True)
        _fill(cells[3], row.baseline.text, row.baseline.note, right=True)
        _fill(cells[4], row.target.text, right=True)
        _fill(cells[5], row.status_text, bold=True)
        for run in cells[5].paragraphs[0].runs:
            run.font.color.rgb = RGBColor.from_string(STATUS_INK)
        _shade(cells[5], row.colour)
    for row in list(table.rows)[1:]:
        _no_split(row)
    for column, width in zip(table.columns, KPI_WIDTHS_MM, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Mm(width)  # each cell, which Word reads


def _docx_table(doc, data: Table, numeric_from: int | None = None) -> None:
    table = doc.add_table(rows=1, cols=len(data.header), style="Table Grid")
    for cell, text in zip(table.rows[0].cells, data.header, strict=True):
        _fill(cell, text)
    _header_row(table.rows[0])
    for i, values in enumerate(data.rows):
        cells = table.add_row().cells
        flagged = bool(data.flagged and data.flagged[i])
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _fill(cell, text, right=numeric_from is not None and j >= numeric_from, bold=flagged and j == 0)


# ---- PDF: the same model as HTML, printed by the process's one headless Chromium ----

PDF_TIMEOUT_S = 90
PDF_MARGINS = {"top": "16mm", "bottom": "18mm", "left": "18mm", "right": "18mm"}


def to_pdf(report: Report, timeout: float = PDF_TIMEOUT_S) -> bytes:
    """The report's HTML (report_html) printed to A4 portrait by the shared Chromium of dashboard.export.page
    (Playwright, the system browser, started on first use and reused). Every request the page would make is
    refused: the charts are data: URIs, so the PDF is made without a network."""
    from dashboard.export.page import BrowserMissing, renderer
    from lagesbild.render.report_html import footer_template, render_html

    html, footer = render_html(report), footer_template(report)
    try:
        return renderer().run(lambda browser: _print_pdf(browser, html, footer), timeout)
    except BrowserMissing as exc:
        raise ReportError(f"a PDF needs Chromium at {exc} (apt-get install chromium)") from exc


async def _print_pdf(browser, html: str, footer: str) -> bytes:
    context = await browser.new_context(offline=True, service_workers="block")
    try:
        page = await context.new_page()
        await page.route("**/*", _refuse)
        await page.set_content(html, wait_until="load")
        await page.emulate_media(media="print")
        return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                              display_header_footer=True, header_template="<span></span>",
                              footer_template=footer, margin=PDF_MARGINS)
    finally:
        await context.close()


async def _refuse(route) -> None:
    await route.abort()
