"""The lägesrapport's model: what the report says, as plain typed data that the renderers (lagesbild.render: Word,
HTML printed to PDF) draw, and the rules every report follows (a month that is over, its file name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lagesbild.captions import Caption, export_filename
from lagesbild.dates import add_months
from lagesbild.filters import FilterState
from lagesbild.i18n import t
from lagesbild.indicators.readings import HIDDEN_STATUS

FORMATS = ("docx", "pdf")
STATUS_ORDER = ("good", "watch", "bad", "too_few", "unknown", HIDDEN_STATUS)


class ReportError(ValueError):
    """A report that cannot be made as asked (unknown place, a month that is not over, an empty store)."""


@dataclass(frozen=True)
class Cell:
    text: str
    note: str = ""  # a second, smaller line under the text


@dataclass(frozen=True)
class KpiRow:
    id: str
    indicator: Cell
    value: Cell
    window: Cell  # the window the status rests on against the same months of the baseline year, with its interval
    baseline: Cell
    target: Cell
    status: str  # good | watch | bad | too_few | unknown | hidden, by the interval rule
    status_text: str  # '✓ Bättre, ej slump': never the colour alone
    colour: str  # '#009E73'


@dataclass(frozen=True)
class Chart:
    number: int
    title: str  # the caption after 'Figur 1: '
    note: str  # how to read it, and its source
    figure: dict = field(compare=False, repr=False)  # a Plotly figure dict; the renderers draw it (as a PNG)
    width_px: int = 1000
    height_px: int = 560
    lang: str = "sv"
    indicator_id: str = ""  # the indicator it draws (the deck's one-sentence summary reads its row)
    survey: bool = False  # survey waves, not months


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    flagged: tuple[bool, ...] = ()  # rows to mark (a stale source)


@dataclass(frozen=True)
class EffectSection:
    """The latest measure whose window after is over: its before/after per zone and its verdict (the Effekt page's)."""

    heading: str  # '15 maj 2023 · Ny belysning Tantolunden'
    lines: tuple[str, ...]  # the verdict's sentences
    table: Table
    wdq: str | None = None


@dataclass(frozen=True)
class RecordsPart:
    """The project's own records as they stood at the end of the month (lagesbild.records): what the steering group
    decided and owes, its risks, open change requests, the budget and the police's classification."""

    intro: str
    classification: str  # the latest assessment in words
    classifications: Table | None
    actions_summary: str
    actions: Table | None  # open actions, the overdue ones flagged
    risks_summary: str
    risk_matrix: Table  # probability 5..1 (rows) × consequence 1..5 (columns), risk ids in the cells
    risks: Table | None
    changes_summary: str
    changes: Table | None
    budget_lines: tuple[str, ...]
    budget: Table | None  # per category: the month and the year to date


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
    effect: EffectSection | None = None  # None: no measure with a buffer whose window after is over by the month
    records: RecordsPart | None = None

    @property
    def subtitle(self) -> tuple[str, str]:
        """Under the title: what the report covers, then where its numbers come from and when it was made."""
        return self.filters, self.caption.lines()[1]

    def text(self, key: str, **params: object) -> str:
        """A heading or label of the report in its language (the 'report.' keys of lagesbild.i18n)."""
        return t(f"report.{key}", self.lang, **params)


def check_month(month: date, today: date | None = None) -> None:
    """A report is for a month that is over: the current or a later month is refused."""
    today = today or date.today()
    if month >= today.replace(day=1):
        raise ReportError(f"{month:%Y-%m} is not over yet; the latest complete month is "
                          f"{add_months(today.replace(day=1), -1):%Y-%m}")

def report_filename(report: Report, fmt: str) -> str:
    """'lagesrapport_hela-omradet_2024-06--2024-06.docx' (sv), 'status-report_whole-area_….pdf' (en): the same
    what_where_when as every other export (lagesbild.captions)."""
    return export_filename(t("report.name", report.lang), FilterState(report.places, report.month, report.month),
                           fmt, report.lang)
