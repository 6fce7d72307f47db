"""Numbers, percentages, months and dates the Swedish way (`12 345,6`, `3,4 %`, `maj 2024`), or English, from CLDR."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date, get_month_names
from babel.numbers import NumberPattern, format_decimal, format_percent, parse_pattern

# U+00A0 (no-break space) groups thousands. It is what CLDR and every browser's Intl.NumberFormat("sv-SE")
# use, so numbers from Python and from Plotly/JavaScript look identical; it exists in every font a
# projector laptop or Word has; and it keeps "12 345" on one line. U+202F (narrow) is typographically finer
# but missing from some fonts and turns into a box or a wide gap when pasted into older Office documents.
NBSP = "\u00a0"
# A true minus sign, CLDR's for Swedish; a hyphen is too short beside digits. CLDR's English one is the hyphen,
# but the app writes the true minus in both languages, and Babel's patterns write a hyphen in both: so the sign
# is put on here.
MINUS = "\u2212"
MISSING = "–"
EN_DASH = "–"

LOCALES = {"sv": Locale.parse("sv_SE"), "en": Locale.parse("en")}

MONTHS = {lang: tuple(get_month_names("wide", "stand-alone", locale).values()) for lang, locale in LOCALES.items()}
# CLDR abbreviates Swedish months as "jan.", "mars", "juni" (dotted, or whole when short). The app writes the
# three letters without a dot ("jan", "mar", "jun"), as the charts' month axes do (Plotly's Swedish locale,
# assets/vendor/plotly-locale/plotly-locale-sv.js): a title and the axis under it name a month the same way.
# CLDR's English abbreviations are those of Plotly too.
SHORT_MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": tuple(get_month_names("abbreviated", "stand-alone", LOCALES["en"]).values()),
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "sv"


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _pattern(kind: str, decimals: int, lang: str) -> NumberPattern:
    """`lang`'s CLDR decimal or percent pattern ('#,##0.###', '#,##0 %') with exactly `decimals` decimals."""
    formats = LOCALES[lang].decimal_formats if kind == "decimal" else LOCALES[lang].percent_formats
    fraction = "." + "0" * decimals if decimals else ""
    return parse_pattern(re.sub(r"#,##0(\.[0#]*)?", "#,##0" + fraction, formats[None].pattern, count=1))


def _signed(value: float, decimals: int, render) -> str:
    """`render(abs(value))` with the true minus when `value` rounds to below zero ('−0,0' never shows)."""
    exact = Decimal(value if isinstance(value, int | float | Decimal) else float(value))  # a float: exactly
    rounded = exact.quantize(Decimal(1).scaleb(-decimals)) if exact.is_finite() else exact
    text = render(abs(rounded))
    return MINUS + text if rounded < 0 else text


@lru_cache(maxsize=1 << 16)
def _number(value: float, decimals: int, lang: str) -> str:
    """`value` rounded to `decimals`, grouped by thousands, with the language's separators and minus. Remembered:
    a page writes the same few numbers hundreds of times (every cell of a chart's hover text), and Babel's
    formatting costs about as much as the rest of drawing a cell."""
    lang = _lang(lang)
    pattern = _pattern("decimal", decimals, lang)
    return _signed(value, decimals, lambda v: format_decimal(v, pattern, locale=LOCALES[lang]))


def fmt_int(value: float | int | None, lang: str = "sv") -> str:
    """12345 -> '12 345' (sv) or '12,345' (en)."""
    return MISSING if _is_missing(value) else _number(value, 0, lang)


def fmt_dec(value: float | None, decimals: int = 1, lang: str = "sv") -> str:
    """12345.6 -> '12 345,6' (sv) or '12,345.6' (en)."""
    return MISSING if _is_missing(value) else _number(value, decimals, lang)


def fmt_pct(share: float | None, decimals: int = 1, lang: str = "sv") -> str:
    """A share 0..1 as a percentage: 0.034 -> '3,4 %' (sv, CLDR's no-break space before %) or '3.4%' (en)."""
    if _is_missing(share):
        return MISSING
    # CLDR's percent pattern on the share times 100 in floating point, rounded as before Babel: Babel's own
    # scaling is exact in decimal and would round a few ties otherwise (0.165 is 16.5 % here, so 16 %, not 17 %).
    lang = _lang(lang)
    pattern = _pattern("percent", decimals, lang)
    return _signed(share * 100, decimals, lambda v: format_percent(v.scaleb(-2), pattern, locale=LOCALES[lang]))


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
    if short:
        return f"{SHORT_MONTHS[_lang(lang)][month.month - 1]} {month.year}"
    return format_date(month, "LLLL y", locale=LOCALES[_lang(lang)])


def fmt_month_range(first: date, last: date, lang: str = "sv") -> str:
    """Two months as one span: 'jan–jun 2024', 'nov 2023–feb 2024', or 'maj 2024' when they are the same."""
    if (first.year, first.month) == (last.year, last.month):
        return fmt_month(first, lang, short=True)
    if first.year == last.year:
        return f"{SHORT_MONTHS[_lang(lang)][first.month - 1]}{EN_DASH}{fmt_month(last, lang, short=True)}"
    return f"{fmt_month(first, lang, short=True)}{EN_DASH}{fmt_month(last, lang, short=True)}"


def fmt_date(day: date | None, lang: str = "sv") -> str:
    """date(2024, 5, 1) -> '1 maj 2024' (sv) or '1 May 2024' (en).

    The Swedish is CLDR's long date; CLDR's English one is American ('May 1, 2024'), and the app writes day,
    month, year in both languages."""
    if day is None:
        return MISSING
    return format_date(day, "d MMMM y", locale=LOCALES[_lang(lang)])
