"""The lägesrapport's part on the project's own records: lagesbild.records' section as of the month's end, in words
and tables of the report model (lagesbild.report.model.RecordsPart)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from lagesbild.dates import month_end
from lagesbild.disclosure import Viewer
from lagesbild.i18n import nt, t
from lagesbild.i18n.formats import fmt_date, fmt_int, fmt_month
from lagesbild.records.access import Actor
from lagesbild.records.budget import BudgetSummary
from lagesbild.records.config import BudgetCaps
from lagesbild.records.kinds import READER_ROLES
from lagesbild.records.report import (
    MATRIX_SIZE,
    ClassificationItem,
    RecordsSection,
    RiskPosition,
    classifications,
    records_section,
)
from lagesbild.records.words import CHOICES, choice_label
from lagesbild.report.model import RecordsPart, Table

MISSING = "–"


def report_actor(viewer: Viewer) -> Actor:
    """Whom the records are read as: the viewer's role; a reader of every number (the command line) sees every
    record, any other role only what is shared."""
    if viewer.role in READER_ROLES:
        return Actor(str(viewer.role), str(viewer.role))
    return Actor(str(viewer.role or "report"), "admin" if not viewer.protected else "partner")


def records_part(engine: Engine, viewer: Viewer, month: date, lang: str, caps: BudgetCaps) -> RecordsPart:
    """The records as they stood at the end of `month`, as `viewer` may read them."""
    as_of = month_end(month)
    actor = report_actor(viewer)
    section = records_section(engine, actor, as_of, month=month, caps=caps)
    intro = t("report.records.intro", lang, date=fmt_date(as_of, lang))
    if not actor.sees_all:
        intro += " " + t("report.records.shared_only", lang)
    return RecordsPart(
        intro=intro,
        classification=_classification(section, lang),
        classifications=_classifications(classifications(engine, actor, as_of), lang),
        actions_summary=_actions_summary(section, lang),
        actions=_actions(section, lang),
        risks_summary=nt("report.records.risks_summary", len(section.risks.risks), lang,
                         count=len(section.risks.risks), month=fmt_month(month, lang)),
        risk_matrix=risk_matrix_table(section, lang),
        risks=_risks(section, lang),
        changes_summary=nt("report.records.changes_summary", len(section.change_requests), lang,
                           count=len(section.change_requests)),
        changes=_changes(section, lang),
        budget_lines=budget_lines(section.budget, lang) if actor.sees_all else (t("report.records.budget_withheld",
                                                                                     lang),),
        budget=_budget(section.budget, lang) if actor.sees_all else None,
    )


def _classification(section: RecordsSection, lang: str) -> str:
    item = section.classification
    if item is None:
        return t("records.classification.none", lang)
    return t("records.classification.latest", lang, date=fmt_date(item.assessed_on, lang), by=item.assessed_by,
             outcome=choice_label("classification_outcome", item.outcome, lang))


def _classifications(items: list[ClassificationItem], lang: str) -> Table | None:
    """Every assessment in force by the date, oldest first: the dated decisions the effect goal rests on."""
    if not items:
        return None
    header = tuple(t(f"report.records.classifications.{key}", lang) for key in ("date", "by", "outcome", "reference"))
    return Table(header, tuple((fmt_date(i.assessed_on, lang), i.assessed_by,
                                choice_label("classification_outcome", i.outcome, lang), i.reference or MISSING)
                               for i in items))


def _actions_summary(section: RecordsSection, lang: str) -> str:
    return nt("report.records.actions_summary", len(section.actions), lang, count=len(section.actions),
              overdue=len(section.overdue))


def _actions(section: RecordsSection, lang: str) -> Table | None:
    if not section.actions:
        return None
    header = tuple(t(f"report.records.actions.{key}", lang) for key in ("id", "action", "owner", "due", "late"))
    rows = tuple((a.record_id, a.title, a.owner, fmt_date(a.due_on, lang) if a.due_on else MISSING,
                  nt("records.overdue.days", a.days_overdue, lang, days=fmt_int(a.days_overdue, lang))
                  if a.overdue else MISSING) for a in section.actions)
    return Table(header, rows, tuple(a.overdue for a in section.actions))


def risk_matrix_table(section: RecordsSection, lang: str) -> Table:
    """The 5×5 matrix as a table: a row per probability (5 first), a column per consequence, the ids in the cells."""
    cells = section.risks.cells
    header = (t("records.matrix.corner", lang), *(str(c) for c in range(1, MATRIX_SIZE + 1)))
    rows = tuple((str(p), *(", ".join(cells[(p, c)]) for c in range(1, MATRIX_SIZE + 1)))
                 for p in range(MATRIX_SIZE, 0, -1))
    return Table(header, rows)


def _risks(section: RecordsSection, lang: str) -> Table | None:
    if not section.risks.risks:
        return None
    header = tuple(t(f"report.records.risks.{key}", lang) for key in ("id", "risk", "owner", "cell", "movement"))
    rows = tuple((r.record_id, r.title, r.owner, _cell(r), t(f"records.movement.{r.movement}", lang)
                  + (f" ({r.previous_probability}×{r.previous_consequence})" if r.previous_cell else ""))
                 for r in section.risks.risks)
    return Table(header, rows, tuple(r.movement == "worse" for r in section.risks.risks))


def _cell(risk: RiskPosition) -> str:
    return MISSING if risk.cell is None else f"{risk.probability}×{risk.consequence} = {risk.score}"


def _changes(section: RecordsSection, lang: str) -> Table | None:
    if not section.change_requests:
        return None
    header = tuple(t(f"report.records.changes.{key}", lang) for key in ("id", "title", "kinds", "amount", "submitted"))
    rows = tuple((c.record_id, c.title, ", ".join(choice_label("change_kind", k, lang) for k in c.change_kinds),
                  MISSING if c.amount_sek is None else fmt_int(c.amount_sek, lang),
                  fmt_date(c.submitted_on, lang)) for c in section.change_requests)
    return Table(header, rows)


def budget_lines(summary: BudgetSummary, lang: str) -> tuple[str, ...]:
    money = {name: MISSING if value is None else fmt_int(value, lang) for name, value in (
        ("month_total", summary.month_total_sek), ("ytd", summary.year_to_date_sek), ("cap", summary.budget_cap_sek),
        ("left", summary.remaining_sek), ("grants", summary.grants_year_to_date_sek),
        ("grant_cap", summary.grant_cap_sek), ("grants_left", summary.grants_remaining_sek),
        ("forecast", summary.forecast_year_end_sek), ("monthly", summary.forecast_monthly_sek))}
    year, month = summary.month.year, fmt_month(summary.month, lang)
    lines = [t("report.records.budget.spend", lang, month=month, year=year, **money),
             t("report.records.budget.grants", lang, year=year, **money),
             t("report.records.budget.forecast", lang, year=year, months=summary.months_left, **money)]
    if summary.forecast_over_cap:
        lines.append(t("records.budget.over_cap", lang))
    lines.append(t(f"records.budget.grants_source.{summary.grants_source}", lang))
    return tuple(lines)


def _budget(summary: BudgetSummary, lang: str) -> Table | None:
    categories = [c for c in CHOICES["budget_category"] if c in summary.year_by_category]
    if not categories:
        return None
    header = (t("report.records.budget.category", lang), fmt_month(summary.month, lang),
              t("report.records.budget.year", lang, year=summary.month.year))
    rows = [(choice_label("budget_category", c, lang), fmt_int(summary.month_by_category.get(c, 0), lang),
             fmt_int(summary.year_by_category[c], lang)) for c in categories]
    rows.append((t("records.budget.total", lang), fmt_int(summary.month_total_sek, lang),
                 fmt_int(summary.year_to_date_sek, lang)))
    return Table(header, tuple(rows))
