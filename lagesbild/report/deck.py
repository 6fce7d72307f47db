"""The steering group's deck: the agenda of meeting.yaml as slides, from a snapshot of the store as of a day.

The figures come from the lägesrapport's model (build_report on the same snapshot, `Reads.as_of`), so the report sent
before the meeting and the slides shown in it say the same; the project's records (actions, risks, change requests,
the classification) as of the same day (lagesbild.records.report). The presenter page (/mote), the PPTX and the PDF
(lagesbild.render.deck_*) draw this model; none of them reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from lagesbild.captions import snapshot_words
from lagesbild.config import Config
from lagesbild.config.meeting import Agenda
from lagesbild.filters import FilterState
from lagesbild.i18n import lang_or_default, t
from lagesbild.i18n.formats import MISSING, fmt_date, fmt_int, fmt_month
from lagesbild.indicators.wording import status_label
from lagesbild.reads import Reads
from lagesbild.records.access import Actor
from lagesbild.records.report import RecordsSection, records_section
from lagesbild.records.words import choice_label
from lagesbild.report.build import build_report as build_lagesrapport
from lagesbild.report.build import latest_report_month
from lagesbild.report.model import Chart, KpiRow, Report, ReportError

MAX_LINES = 9  # a slide's list stays readable from the back of the room; the rest is counted
MATRIX = 5


@dataclass(frozen=True)
class Slide:
    key: str  # goal | indicators | chart | activities | actions | risks | change_requests
    title: str
    caption: str  # the snapshot, data through, sources: on every slide
    notes: str  # the sources and caveats (the PPTX's speaker notes)
    lead: str = ""  # one large statement (the goal)
    lines: tuple[str, ...] = ()
    flagged: tuple[bool, ...] = ()  # lines to mark (an overdue action)
    kpis: tuple[KpiRow, ...] = ()
    chart: Chart | None = field(default=None, compare=False)
    summary: str = ""  # a chart's one sentence: what it shows (its alt text everywhere)
    matrix: tuple[tuple[tuple[str, ...], ...], ...] = ()  # risks: rows probability 5..1, columns consequence 1..5


@dataclass(frozen=True)
class Deck:
    title: str
    as_of: date
    month: date
    lang: str
    slides: tuple[Slide, ...]
    report: Report = field(compare=False, repr=False)

    def filename(self, fmt: str) -> str:
        """'styrgruppsmote_2025-06-30.pptx' / 'steering-group-meeting_2025-06-30.pdf'."""
        stem = "steering-group-meeting" if self.lang == "en" else "styrgruppsmote"
        return f"{stem}_{self.as_of.isoformat()}.{fmt}"


def deck_month(reads: Reads, as_of: date) -> date | None:
    """The month the deck reports on: the latest month with data that was over by the end of `as_of`."""
    return latest_report_month(reads, FilterState(), as_of + timedelta(days=1))


def build_deck(reads: Reads, configuration: Config, agenda: Agenda, actor: Actor, as_of: date | datetime,
               lang: str = "sv",
               now: datetime | None = None, charts: bool = True) -> Deck:
    """The deck as of the end of `as_of` (or as of a moment), as `reads`' viewer may see the store (and `actor` the
    records, as of that day)."""
    lang = lang_or_default(lang)
    snapshot = reads.as_of(as_of)
    as_of = as_of.date() if isinstance(as_of, datetime) else as_of  # the records and the month: by the day
    month = deck_month(snapshot, as_of)
    if month is None:
        raise ReportError(t("deck.no_data", lang, date=fmt_date(as_of, lang)))
    report = build_lagesrapport(snapshot, configuration, month, lang=lang, now=now, charts=charts,
                                chart_ids=agenda.charts)
    records = records_section(reads.engine, actor, as_of)
    caption = f"{snapshot_words(as_of, lang)} · {report.caption.lines()[1]}"
    notes = " ".join(part for part in (*report.notes, report.protection or "") if part)
    makers = {
        "goal": lambda: [_goal(report, records, lang)],
        "indicators": lambda: [_indicators(report, month, lang)],
        "charts": lambda: [_chart(report, chart, lang) for chart in report.charts],
        "activities": lambda: [_activities(report, month, lang)],
        "actions": lambda: [_actions(records, as_of, agenda.actions_due_within_days, lang)],
        "risks": lambda: [_risks(records, lang)],
        "change_requests": lambda: [_change_requests(records, lang)],
    }
    slides = [replace_caption(slide, caption, notes) for key in agenda.slides for slide in makers[key]()]
    area = configuration.area.name
    return Deck(t("deck.title", lang, area=area, month=fmt_month(month, lang)), as_of, month, lang, tuple(slides),
                report)


def replace_caption(slide: Slide, caption: str, notes: str) -> Slide:
    own = slide.notes
    return replace(slide, caption=caption, notes=" ".join(part for part in (own, notes) if part))


def _goal(report: Report, records: RecordsSection, lang: str) -> Slide:
    found = records.classification
    if found is None:
        classification = t("deck.classification_none", lang)
    else:
        outcome = choice_label("classification_outcome", found.outcome, lang)
        classification = t("deck.classification", lang, date=fmt_date(found.assessed_on, lang), by=found.assessed_by,
                           outcome=outcome[:1].lower() + outcome[1:])
    counts = ", ".join(f"{status_label(status, lang)} {n}" for status, n in report.status_counts if n)
    lines = [report.goal_date, classification, t("deck.status_counts", lang, counts=counts)]
    if report.goal_outcome:
        lines.insert(1, report.goal_outcome)
    notes = found.basis or "" if found else ""
    return Slide("goal", t("deck.slide.goal", lang), "", notes, lead=report.goal_text, lines=tuple(lines))


def _indicators(report: Report, month: date, lang: str) -> Slide:
    return Slide("indicators", t("deck.slide.indicators", lang, month=fmt_month(month, lang)), "",
                 " ".join(report.rules), kpis=report.kpis)


def chart_summary(chart: Chart, kpi: KpiRow | None, month: date, lang: str) -> str:
    """One sentence saying what the chart shows: the indicator's latest value, its status, and the value it is
    measured against (the same month of the baseline year); the chart's title when its indicator has no row."""
    if kpi is None or kpi.value.text in (MISSING, ""):
        return chart.title + "."
    value = f"{kpi.value.text} {kpi.value.note}".strip()
    if chart.survey:  # waves, not months: the latest wave with its n
        return t("deck.chart_summary_survey", lang, label=kpi.indicator.text, value=value, status=kpi.status_text)
    return t("deck.chart_summary", lang, label=kpi.indicator.text, period=fmt_month(month, lang), value=value,
             status=kpi.status_text, versus=kpi.baseline.note or "–")


def _chart(report: Report, chart: Chart, lang: str) -> Slide:
    kpi = next((row for row in report.kpis if row.id == chart.indicator_id), None)
    return Slide("chart", chart.title, "", chart.note, chart=chart, summary=chart_summary(chart, kpi, report.month,
                                                                                            lang))


def _activities(report: Report, month: date, lang: str) -> Slide:
    lines = _capped([*report.measures, *report.activities], lang)
    return Slide("activities", t("deck.slide.activities", lang, month=fmt_month(month, lang)), "", "",
                 lead=report.activity_summary, lines=tuple(lines))


def _capped(lines: list[str], lang: str) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    rest = len(lines) - (MAX_LINES - 1)
    return lines[: MAX_LINES - 1] + [t("deck.more", lang, count=fmt_int(rest, lang))]


def _actions(records: RecordsSection, as_of: date, within_days: int, lang: str) -> Slide:
    horizon = as_of + timedelta(days=within_days)
    shown = [a for a in records.actions if a.overdue or (a.due_on is not None and a.due_on <= horizon)]
    lines = [t("deck.action_line", lang, id=a.record_id, title=a.title, owner=a.owner,
               due=fmt_date(a.due_on, lang) if a.due_on else "–")
             + (f" · {t('deck.action_overdue', lang)}" if a.overdue else "") for a in shown]
    flagged = [a.overdue for a in shown]
    if not lines:
        lines, flagged = [t("deck.actions_none", lang)], [False]
    capped = _capped(lines, lang)
    return Slide("actions", t("deck.slide.actions", lang), "", "", lines=tuple(capped),
                 flagged=tuple(flagged[: len(capped)]) + (False,) * (len(capped) - len(flagged[: len(capped)])))


def _risks(records: RecordsSection, lang: str) -> Slide:
    cells = records.risks.cells
    matrix = tuple(tuple(cells[(p, c)] for c in range(1, MATRIX + 1)) for p in range(MATRIX, 0, -1))
    lines = []
    for risk in records.risks.risks:
        if risk.cell is None:
            lines.append(t("deck.risk_unreviewed", lang, id=risk.record_id, title=risk.title.rstrip(".")))
        else:
            lines.append(t("deck.risk_line", lang, id=risk.record_id, title=risk.title.rstrip("."),
                           probability=risk.probability, consequence=risk.consequence, score=risk.score))
    return Slide("risks", t("deck.slide.risks", lang), "", t("deck.risk_matrix_label", lang),
                 lines=tuple(_capped(lines, lang) or [t("deck.risks_none", lang)]), matrix=matrix)


def _change_requests(records: RecordsSection, lang: str) -> Slide:
    lines = []
    for item in records.change_requests:
        kinds = ", ".join(choice_label("change_kind", kind, lang) for kind in item.change_kinds)
        amount = t("deck.kronor", lang, amount=fmt_int(item.amount_sek, lang)) if item.amount_sek is not None \
            else t("deck.no_amount", lang)
        lines.append(t("deck.cr_line", lang, id=item.record_id, title=item.title, kinds=kinds, amount=amount,
                       date=fmt_date(item.submitted_on, lang)))
    return Slide("change_requests", t("deck.slide.change_requests", lang), "", "",
                 lines=tuple(_capped(lines, lang) or [t("deck.cr_none", lang)]))
