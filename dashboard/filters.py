"""The filter state (places, month range) and its two faces: a URL query string and a human sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode

from dashboard.fmt import fmt_month, fmt_month_range
from dashboard.i18n import t

PLACE, FROM, TO = "place", "from", "to"
MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
YEARS = range(1900, 2101)
MAX_SHOWN = 40  # a hostile or pasted value is shown in a notice only this long
MAX_PLACE_ID = 64  # places.id is String(64)


@dataclass(frozen=True)
class FilterState:
    places: tuple[str, ...] = ()
    month_from: date | None = None
    month_to: date | None = None

    @property
    def is_empty(self) -> bool:
        return not self.places and self.month_from is None and self.month_to is None


def month_key(month: date) -> str:
    """date(2024, 5, 1) -> '2024-05', the form months take in URLs and dropdown values."""
    return f"{month.year:04d}-{month.month:02d}"


def parse_month(value: str | None) -> date | None:
    """'2024-05' -> date(2024, 5, 1); anything else (2024-13, abc, 2024-5) -> None."""
    match = MONTH_RE.fullmatch((value or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1) if year in YEARS and 1 <= month <= 12 else None


def months_between(first: date, last: date) -> list[date]:
    """Every first-of-month from `first` to `last`, both included."""
    index, stop = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index, stop + 1)]


def _shown(value: str) -> str:
    """A URL value made safe and short enough to quote back in a notice."""
    clean = "".join(ch for ch in value if ch.isprintable())
    return clean if len(clean) <= MAX_SHOWN else clean[: MAX_SHOWN - 1] + "…"


def _places(values: list[str], known: set[str], lang: str) -> tuple[tuple[str, ...], list[str]]:
    kept: list[str] = []
    notices: list[str] = []
    for value in values:
        slug = value.strip().lower()
        if len(slug) <= MAX_PLACE_ID and slug in known:
            if slug not in kept:
                kept.append(slug)
        elif slug:
            notices.append(t("notice.unknown_place", lang, value=_shown(value)))
    return tuple(kept), notices


def _month(param: str, values: list[str], lang: str) -> tuple[date | None, list[str]]:
    if not values:
        return None, []
    notices = [t("notice.repeated", lang, param=param)] if len(values) > 1 else []
    month = parse_month(values[0])
    if month is None and values[0].strip():
        notices.append(t("notice.bad_month", lang, param=param, value=_shown(values[0])))
    return month, notices


def _ordered(state: FilterState, lang: str) -> tuple[FilterState, list[str]]:
    """The state with from <= to; a reversed range is swapped rather than thrown away."""
    first, last = state.month_from, state.month_to
    if first and last and first > last:
        return FilterState(state.places, last, first), [t("notice.swapped", lang)]
    return state, []


def parse_query(
    search: str | None, known_places: Iterable[str], lang: str = "sv"
) -> tuple[FilterState, list[str]]:
    """A query string (with or without '?') as a FilterState, plus a notice for each part that was ignored.

    Unknown places and malformed months are dropped, never raised: a link someone sent must always open.
    Parameters other than place/from/to are ignored silently (e.g. tracking tags added by mail clients).
    """
    pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=True)
    values = {key: [v for k, v in pairs if k == key] for key in (PLACE, FROM, TO)}
    places, notices = _places(values[PLACE], set(known_places), lang)
    month_from, from_notices = _month(FROM, values[FROM], lang)
    month_to, to_notices = _month(TO, values[TO], lang)
    state, order_notices = _ordered(FilterState(places, month_from, month_to), lang)
    return state, notices + from_notices + to_notices + order_notices


def parse_kwargs(
    query: Mapping[str, object], known_places: Iterable[str], lang: str = "sv"
) -> tuple[FilterState, list[str]]:
    """The same as parse_query for the keyword arguments Dash pages pass to `layout(**query)`."""
    pairs = [(k, v) for k in (PLACE, FROM, TO) for v in _as_list(query.get(k))]
    return parse_query(urlencode(pairs), known_places, lang)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def from_values(places: list[str] | None, month_from: str | None, month_to: str | None) -> FilterState:
    """The state the filter bar's dropdowns show (their values are place ids and 'YYYY-MM')."""
    state = FilterState(tuple(dict.fromkeys(places or ())), parse_month(month_from), parse_month(month_to))
    return _ordered(state, "sv")[0]


def to_query(state: FilterState) -> str:
    """'?place=tantolunden&place=drakenbergsparken&from=2024-01&to=2024-06', or '' for no filter."""
    pairs = [(PLACE, place) for place in state.places]
    pairs += [(FROM, month_key(state.month_from))] if state.month_from else []
    pairs += [(TO, month_key(state.month_to))] if state.month_to else []
    return "?" + urlencode(pairs) if pairs else ""


def describe(state: FilterState, place_names: Mapping[str, str], lang: str = "sv") -> str:
    """'Tantolunden, Drakenbergsparken · jan–jun 2024', or 'Hela området · alla månader'."""
    places = ", ".join(place_names.get(p, p) for p in state.places) or t("describe.all_places", lang)
    return f"{places} · {_describe_months(state, lang)}"


def _describe_months(state: FilterState, lang: str) -> str:
    first, last = state.month_from, state.month_to
    if first and last:
        return fmt_month_range(first, last, lang)
    if first:
        return t("describe.from", lang, month=fmt_month(first, lang, short=True))
    if last:
        return t("describe.to", lang, month=fmt_month(last, lang, short=True))
    return t("describe.all_months", lang)
