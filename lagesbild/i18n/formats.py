"""Numbers, percentages, months and dates the Swedish way (`12 345,6`, `3,4 %`, `maj 2024`), or English."""

from __future__ import annotations

import math
from datetime import date

# U+00A0 (no-break space) groups thousands. It is what CLDR and every browser's Intl.NumberFormat("sv-SE")
# use, so numbers from Python and from Plotly/JavaScript look identical; it exists in every font a
# projector laptop or Word has; and it keeps "12 345" on one line. U+202F (narrow) is typographically finer
# but missing from some fonts and turns into a box or a wide gap when pasted into older Office documents.
NBSP = "\u00a0"
MINUS = "\u2212"  # a true minus sign, as sv-SE Intl writes it; a hyphen is too short beside digits
MISSING = "–"
EN_DASH = "–"

MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni",
           "juli", "augusti", "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December"),
}
SHORT_MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "sv"


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: float, decimals: int, lang: str) -> str:
    """`value` rounded to `decimals`, grouped by thousands, with the language's separators and minus."""
    text = f"{abs(value):,.{decimals}f}"
    if _lang(lang) == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    negative = round(value, decimals) < 0
    return (MINUS + text) if negative else text


def fmt_int(value: float | int | None, lang: str = "sv") -> str:
    """12345 -> '12 345' (sv) or '12,345' (en)."""
    return MISSING if _is_missing(value) else _number(value, 0, lang)


def fmt_dec(value: float | None, decimals: int = 1, lang: str = "sv") -> str:
    """12345.6 -> '12 345,6' (sv) or '12,345.6' (en)."""
    return MISSING if _is_missing(value) else _number(value, decimals, lang)


def fmt_pct(share: float | None, decimals: int = 1, lang: str = "sv") -> str:
    """A share 0..1 as a percentage: 0.034 -> '3,4 %' (sv, space before %) or '3.4%' (en)."""
    if _is_missing(share):
        return MISSING
    number = _number(share * 100, decimals, lang)
    return f"{number}{NBSP}%" if _lang(lang) == "sv" else f"{number}%"


def fmt_change(change: float | None, decimals: int = 0, lang: str = "sv") -> str:
    """A relative change with its sign: 0.12 -> '+12 %', -0.05 -> '−5 %', 0 -> '±0 %'."""
    if _is_missing(change):
        return MISSING
    text = fmt_pct(change, decimals, lang)
    if round(change * 100, decimals) == 0:
        return "±" + text.lstrip(MINUS)
    return text if text.startswith(MINUS) else "+" + text


def fmt_month(month: date | None, lang: str = "sv", short: bool = False) -> str:
    """date(2024, 5, 1) -> 'maj 2024' (sv) or 'May 2024' (en); short gives 'jan 2024'."""
    if month is None:
        return MISSING
    names = SHORT_MONTHS if short else MONTHS
    return f"{names[_lang(lang)][month.month - 1]} {month.year}"


def fmt_month_range(first: date, last: date, lang: str = "sv") -> str:
    """Two months as one span: 'jan–jun 2024', 'nov 2023–feb 2024', or 'maj 2024' when they are the same."""
    if (first.year, first.month) == (last.year, last.month):
        return fmt_month(first, lang, short=True)
    if first.year == last.year:
        return f"{SHORT_MONTHS[_lang(lang)][first.month - 1]}{EN_DASH}{fmt_month(last, lang, short=True)}"
    return f"{fmt_month(first, lang, short=True)}{EN_DASH}{fmt_month(last, lang, short=True)}"


def fmt_date(day: date | None, lang: str = "sv") -> str:
    """date(2024, 5, 1) -> '1 maj 2024' (sv) or '1 May 2024' (en)."""
    if day is None:
        return MISSING
    return f"{day.day} {MONTHS[_lang(lang)][day.month - 1]} {day.year}"
