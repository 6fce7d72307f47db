"""What every export carries burned in (page, filters in words, data through, sources, when) and its file name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from lagesbild.filters import FilterState, describe, month_key
from lagesbild.i18n import has_message, t
from lagesbild.i18n.formats import fmt_date
from lagesbild.reads import Reads

# Which kinds of data each page shows: its "Data t.o.m." and its sources are taken from these.
PAGE_KINDS: dict[str, tuple[str, ...]] = {
    "oversikt": ("incidents", "outreach", "events", "surveys"),
    "handelser": ("incidents",),
    "uppsokande": ("outreach",),
    "aktiviteter": ("events",),
    "trygghet": ("surveys",),
    "karta": ("incidents", "outreach", "events"),
    "effekt": ("incidents", "events"),
    "data": ("incidents", "outreach", "events", "surveys"),
}
WORDS = {
    "sv": {"all_places": "hela-omradet", "all_months": "alla-manader", "through": "Data t.o.m.",
           "sources": "Källor", "made": "Skapad", "no_data": "ingen data", "snapshot": "Ögonblicksbild per"},
    "en": {"all_places": "whole-area", "all_months": "all-months", "through": "Data through",
           "sources": "Sources", "made": "Made", "no_data": "no data", "snapshot": "Snapshot as of"},
}


@dataclass(frozen=True)
class Caption:
    title: str  # page title, or page title · figure title
    filters: str  # "Tantolunden, Drakenbergsparken · jan–jun 2024", and " · Kategorier: …" when categories are chosen
    data_through: date | None
    sources: tuple[str, ...]
    made_at: datetime
    lang: str = "sv"
    snapshot: date | None = None  # the store as of the end of this day (?asof=): named in the first line

    def lines(self) -> list[str]:
        """Two lines: what it is (and the snapshot's day, when it is one), then where it comes from; short enough
        for a figure's foot."""
        words = WORDS[_lang(self.lang)]
        snapshot = f" · {snapshot_words(self.snapshot, self.lang)}" if self.snapshot else ""
        through = fmt_date(self.data_through, self.lang) if self.data_through else words["no_data"]
        stamp = f"{fmt_date(self.made_at.date(), self.lang)} {self.made_at:%H:%M}"
        return [
            f"{self.title} · {self.filters}{snapshot}",
            f"{words['through']} {through} · {words['sources']}: {', '.join(self.sources) or '–'}"
            f" · {words['made']} {stamp}",
        ]

    def text(self) -> str:
        return "\n".join(self.lines())


def snapshot_words(day: date | datetime, lang: str) -> str:
    """'Ögonblicksbild per 30 juni 2025' / 'Snapshot as of 30 June 2025'."""
    day = day.date() if isinstance(day, datetime) else day
    return f"{WORDS[_lang(lang)]['snapshot']} {fmt_date(day, lang)}"


def _lang(lang: str | None) -> str:
    return "en" if lang == "en" else "sv"


def source_label(source: str, lang: str) -> str:
    key = f"data.source.{source}"
    return t(key, lang) if has_message(key) else source


def page_caption(reads: Reads, page: str, state: FilterState, place_names: dict[str, str], lang: str = "sv",
                 figure_title: str | None = None, now: datetime | None = None,
                 category_names: Mapping[str, str] | None = None) -> Caption:
    """The caption of an export of `page` (or of one of its figures) with the filters the user has set.

    category_names: code -> label in `lang`, to name the categories the state has chosen in words. "Data t.o.m."
    is the latest date within the places, months and chosen categories (only Händelser chooses categories); for
    a viewer whose small counts are hidden never a single record's date (lagesbild.reads data_through).
    """
    kinds = PAGE_KINDS.get(page, PAGE_KINDS["data"])
    title = t(f"page.{page}", lang) + (f" · {figure_title}" if figure_title else "")
    through, sources = reads.data_through(kinds, place_ids=state.places, month_from=state.month_from,
                                          month_to=state.month_to, categories=state.categories or None)
    return Caption(title, describe(state, place_names, lang, category_names), through,
                   tuple(source_label(s, lang) for s in sources), now or datetime.now().replace(microsecond=0), lang,
                   reads.snapshot)


def slug(text: str) -> str:
    """'Händelser per månad' -> 'handelser-per-manad': ASCII, lower case, hyphens; safe in any file system."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:60] or "export"


def export_filename(what: str, state: FilterState, extension: str, lang: str = "sv") -> str:
    """`handelser-per-manad_tantolunden_2024-01--2024-06.png`: what, where and when, in the UI's language."""
    words = WORDS[_lang(lang)]
    places = "-".join(slug(p) for p in state.places) or words["all_places"]
    if state.month_from or state.month_to:
        first = month_key(state.month_from) if state.month_from else ""
        last = month_key(state.month_to) if state.month_to else ""
        months = f"{first}--{last}"
    else:
        months = words["all_months"]
    return f"{slug(what)}_{places[:80]}_{months}.{extension.lstrip('.')}"
