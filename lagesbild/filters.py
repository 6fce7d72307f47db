"""The filter state (places, month range; on pages that take them, categories) and its two faces: a URL query string
and a human sentence.

Categories (`?category=sprutfynd&category=narkotikaforsaljning`) are read only where the caller says which codes a
page knows (`known_categories`); elsewhere the parameter is ignored silently, like any other foreign parameter. Known
codes are kept in the vocabulary's order (the order of `known_categories`), not the URL's: one view, one link, and the
same order as the chart's legend and the caption."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode

from lagesbild.i18n import nt, t
from lagesbild.i18n.formats import fmt_month, fmt_month_range

PLACE, FROM, TO, CATEGORY = "place", "from", "to", "category"
MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
YEARS = range(1900, 2101)
MAX_SHOWN = 40  # a hostile or pasted value is shown in a notice only this long
MAX_PLACE_ID = 64  # places.id is String(64)
MAX_CATEGORY = 64  # a vocabulary code; anything longer cannot be one


@dataclass(frozen=True)
class FilterState:
    places: tuple[str, ...] = ()
    month_from: date | None = None
    month_to: date | None = None
    categories: tuple[str, ...] = ()  # vocabulary codes; () is every category (and pages without categories)

    @property
    def is_empty(self) -> bool:
        return not self.places and self.month_from is None and self.month_to is None and not self.categories


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


def _categories(values: list[str], known: list[str], lang: str) -> tuple[tuple[str, ...], list[str]]:
    """The known codes asked for, in the order of `known` (the vocabulary's), each once; a notice per unknown one."""
    asked: set[str] = set()
    notices: list[str] = []
    for value in values:
        code = value.strip().lower()
        if len(code) <= MAX_CATEGORY and code in known:
            asked.add(code)
        elif code:
            notices.append(t("notice.unknown_category", lang, value=_shown(value)))
    return tuple(code for code in known if code in asked), notices


def ordered_categories(chosen: Iterable[str] | None, known: Iterable[str]) -> tuple[str, ...]:
    """`chosen` (e.g. a dropdown's value, in the order clicked) as the state holds it: known codes only, in the order
    of `known`, each once."""
    wanted = set(chosen or ())
    return tuple(dict.fromkeys(code for code in known if code in wanted))


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
        return FilterState(state.places, last, first, state.categories), [t("notice.swapped", lang)]
    return state, []


def parse_query(
    search: str | None, known_places: Iterable[str], lang: str = "sv",
    known_categories: Iterable[str] | None = None,
) -> tuple[FilterState, list[str]]:
    """A query string (with or without '?') as a FilterState, plus a notice for each part that was ignored.

    Unknown places, unknown categories and malformed months are dropped, never raised: a link someone sent must
    always open. `known_categories`: the codes the page offers, in vocabulary order; None for a page without
    categories, where `category` is ignored silently as are all parameters other than place/from/to (e.g. tracking
    tags added by mail clients).
    """
    pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=True)
    values = {key: [v for k, v in pairs if k == key] for key in (PLACE, FROM, TO, CATEGORY)}
    places, notices = _places(values[PLACE], set(known_places), lang)
    month_from, from_notices = _month(FROM, values[FROM], lang)
    month_to, to_notices = _month(TO, values[TO], lang)
    categories, category_notices = ((), []) if known_categories is None else \
        _categories(values[CATEGORY], list(known_categories), lang)
    state, order_notices = _ordered(FilterState(places, month_from, month_to, categories), lang)
    return state, notices + from_notices + to_notices + order_notices + category_notices


def parse_kwargs(
    query: Mapping[str, object], known_places: Iterable[str], lang: str = "sv",
    known_categories: Iterable[str] | None = None,
) -> tuple[FilterState, list[str]]:
    """The same as parse_query for the keyword arguments Dash pages pass to `layout(**query)`."""
    pairs = [(k, v) for k in (PLACE, FROM, TO, CATEGORY) for v in _as_list(query.get(k))]
    return parse_query(urlencode(pairs), known_places, lang, known_categories)


def without_categories(search: str | None) -> str:
    """`search` without its `category` parameters (for links to pages that take none); unchanged when it has none."""
    pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=True)
    if all(key != CATEGORY for key, _ in pairs):
        return search or ""
    kept = [(key, value) for key, value in pairs if key != CATEGORY]
    return "?" + urlencode(kept) if kept else ""


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def from_values(places: list[str] | None, month_from: str | None, month_to: str | None) -> FilterState:
    """The state the filter bar's dropdowns show (their values are place ids and 'YYYY-MM')."""
    state = FilterState(tuple(dict.fromkeys(places or ())), parse_month(month_from), parse_month(month_to))
    return _ordered(state, "sv")[0]


def to_query(state: FilterState) -> str:
    """'?place=tantolunden&place=drakenbergsparken&from=2024-01&to=2024-06&category=sprutfynd', or '' for no
    filter."""
    pairs = [(PLACE, place) for place in state.places]
    pairs += [(FROM, month_key(state.month_from))] if state.month_from else []
    pairs += [(TO, month_key(state.month_to))] if state.month_to else []
    pairs += [(CATEGORY, category) for category in state.categories]
    return "?" + urlencode(pairs) if pairs else ""


def describe(state: FilterState, place_names: Mapping[str, str], lang: str = "sv",
             category_names: Mapping[str, str] | None = None) -> str:
    """'Tantolunden, Drakenbergsparken · jan–jun 2024', or 'Hela området · alla månader'; with categories chosen,
    '… · Kategorier: Sprutfynd, Misstänkt narkotikaförsäljning' (category_names: code -> label in `lang`)."""
    places = ", ".join(place_names.get(p, p) for p in state.places) or t("describe.all_places", lang)
    text = f"{places} · {_describe_months(state, lang)}"
    if state.categories:
        names = ", ".join((category_names or {}).get(code, code) for code in state.categories)
        text += " · " + nt("describe.categories", len(state.categories), lang, names=names)
    return text


def _describe_months(state: FilterState, lang: str) -> str:
    first, last = state.month_from, state.month_to
    if first and last:
        return fmt_month_range(first, last, lang)
    if first:
        return t("describe.from", lang, month=fmt_month(first, lang, short=True))
    if last:
        return t("describe.to", lang, month=fmt_month(last, lang, short=True))
    return t("describe.all_months", lang)


# ---- parameters that are not the filter but travel with it: the language and the meeting's snapshot date ----

LANG_PARAM, ASOF_PARAM = "lang", "asof"
KEPT_PARAMS = (LANG_PARAM, ASOF_PARAM)  # kept in the URL whatever the filter bar writes
ASOF_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def query_param(search: str | None, name: str) -> str | None:
    """The first value of `name` in a query string, or None."""
    for key, value in parse_qsl((search or "").lstrip("?"), keep_blank_values=True):
        if key == name:
            return value
    return None


def url_lang(search: str | None, langs: Iterable[str]) -> str | None:
    """The language a link asks for (`?lang=en`), if it is one of `langs`; anything else is no wish."""
    value = (query_param(search, LANG_PARAM) or "").strip().lower()
    return value if value in set(langs) else None


def parse_asof(value: str | None) -> date | None:
    """'2025-06-30' -> date(2025, 6, 30); anything else (a month, 2025-02-30, abc) -> None."""
    match = ASOF_RE.fullmatch((value or "").strip())
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day if day.year in YEARS else None


def with_param(search: str | None, name: str, value: str | None) -> str:
    """`search` with `name` set to `value` (first in place of the old one, or at the end), or removed for None."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k != name]
    if value is not None:
        pairs.append((name, value))
    return "?" + urlencode(pairs) if pairs else ""


def keep_params(query: str, search: str | None) -> str:
    """The filter's `query` (to_query) with the language and snapshot date of `search` carried over."""
    for name in KEPT_PARAMS:
        value = query_param(search, name)
        if value is not None:
            query = with_param(query, name, value)
    return query
