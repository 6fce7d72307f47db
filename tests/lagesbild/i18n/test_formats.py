"""Tests for lagesbild.i18n.formats: Swedish and English numbers, percentages, changes, months and dates, from CLDR
(Babel) but for the choices the app makes on purpose (the true minus in English, the charts' month abbreviations)."""

from __future__ import annotations

import json
import math
import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from babel import Locale
from babel.dates import get_month_names
from babel.numbers import get_group_symbol, get_minus_sign_symbol

from lagesbild.i18n.formats import (
    MINUS,
    MONTHS,
    NBSP,
    SHORT_MONTHS,
    fmt_change,
    fmt_date,
    fmt_dec,
    fmt_int,
    fmt_month,
    fmt_month_range,
    fmt_pct,
)


@pytest.mark.parametrize(
    ("value", "sv", "en"),
    [
        (12345, f"12{NBSP}345", "12,345"),
        (0, "0", "0"),
        (999, "999", "999"),
        (1234567, f"1{NBSP}234{NBSP}567", "1,234,567"),
        (-5, f"{MINUS}5", f"{MINUS}5"),
        (12345.6, f"12{NBSP}346", "12,346"),
    ],
)
def test_fmt_int(value, sv, en):
    assert fmt_int(value) == sv
    assert fmt_int(value, lang="en") == en


def test_thousands_separator_is_a_no_break_space():
    assert fmt_int(12345) == "12\u00a0345"


def test_fmt_dec():
    assert fmt_dec(12345.6, 1) == f"12{NBSP}345,6"
    assert fmt_dec(12345.6, 1, lang="en") == "12,345.6"
    assert fmt_dec(3.14159, 2) == "3,14"
    assert fmt_dec(-0.5, 1) == f"{MINUS}0,5"


def test_rounding_to_zero_has_no_minus():
    assert fmt_dec(-0.01, 1) == "0,0"
    assert fmt_int(-0.4) == "0"


def test_fmt_pct():
    assert fmt_pct(0.034) == f"3,4{NBSP}%"
    assert fmt_pct(0.034, lang="en") == "3.4%"
    assert fmt_pct(1) == f"100,0{NBSP}%"
    assert fmt_pct(0.5, decimals=0) == f"50{NBSP}%"


@pytest.mark.parametrize(
    ("change", "sv", "en"),
    [
        (0.12, f"+12{NBSP}%", "+12%"),
        (-0.05, f"{MINUS}5{NBSP}%", f"{MINUS}5%"),
        (0.0, f"±0{NBSP}%", "±0%"),
        (-0.001, f"±0{NBSP}%", "±0%"),
    ],
)
def test_fmt_change_has_a_sign_and_a_true_minus(change, sv, en):
    assert fmt_change(change) == sv
    assert fmt_change(change, lang="en") == en
    assert "-" not in fmt_change(change)


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_values_show_a_dash(missing):
    assert {fmt_int(missing), fmt_dec(missing), fmt_pct(missing), fmt_change(missing)} == {"–"}


def test_fmt_month():
    assert fmt_month(date(2024, 5, 1)) == "maj 2024"
    assert fmt_month(date(2024, 1, 15)) == "januari 2024"
    assert fmt_month(date(2024, 1, 1), short=True) == "jan 2024"
    assert fmt_month(date(2024, 5, 1), lang="en") == "May 2024"
    assert fmt_month(None) == "–"


@pytest.mark.parametrize(
    ("first", "last", "sv", "en"),
    [
        (date(2024, 1, 1), date(2024, 6, 1), "jan–jun 2024", "Jan–Jun 2024"),
        (date(2023, 11, 1), date(2024, 2, 1), "nov 2023–feb 2024", "Nov 2023–Feb 2024"),
        (date(2024, 5, 1), date(2024, 5, 1), "maj 2024", "May 2024"),
    ],
)
def test_fmt_month_range(first, last, sv, en):
    assert fmt_month_range(first, last) == sv
    assert fmt_month_range(first, last, lang="en") == en


def test_fmt_date():
    assert fmt_date(date(2024, 5, 1)) == "1 maj 2024"
    assert fmt_date(date(2025, 1, 1), lang="en") == "1 January 2025"
    assert fmt_date(None) == "–"


def test_unknown_language_falls_back_to_swedish():
    assert fmt_int(12345, lang="de") == f"12{NBSP}345"


def test_separators_and_minus_are_cldrs_for_swedish():
    assert get_group_symbol("sv_SE") == NBSP
    assert get_minus_sign_symbol("sv_SE") == MINUS
    assert fmt_dec(-1234.5, 1) == f"{MINUS}1{NBSP}234,5"


def test_english_writes_the_true_minus_too_where_cldr_has_a_hyphen():
    assert get_minus_sign_symbol("en") == "-"
    assert fmt_dec(-1234.5, 1, lang="en") == f"{MINUS}1,234.5"
    assert fmt_pct(-0.25, 0, lang="en") == f"{MINUS}25%"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_numbers_round_as_python_formats_them(lang):
    """Half to even on a float's exact binary value: 0.15 is a little below 0.15, so it rounds down."""
    assert fmt_dec(0.15, 1, lang) == ("0,1" if lang == "sv" else "0.1")
    assert fmt_dec(0.25, 1, lang) == ("0,2" if lang == "sv" else "0.2")
    assert fmt_int(2.5, lang) == "2" and fmt_int(3.5, lang) == "4"
    rng = random.Random(9)
    for _ in range(2000):
        value, decimals = rng.uniform(-1e6, 1e6), rng.randint(0, 3)
        expected = f"{value:,.{decimals}f}".lstrip("-")
        if lang == "sv":
            expected = expected.replace(",", NBSP).replace(".", ",")
        if round(value, decimals) < 0:
            expected = MINUS + expected
        assert fmt_dec(value, decimals, lang) == expected, value


def test_a_percentage_is_the_share_times_100_in_floating_point_then_rounded():
    """0.165 * 100 is 16.5 exactly in floating point, a tie that rounds to even; the share's exact decimal value
    times 100 (what Babel's own scaling would round) is a little above 16.5."""
    assert 0.165 * 100 == 16.5
    assert fmt_pct(0.165, 0) == f"16{NBSP}%"
    assert fmt_pct(0.145, 0) == f"14{NBSP}%"  # 14.499999999999998


def test_numpy_and_decimal_values():
    assert fmt_int(np.int64(12345)) == f"12{NBSP}345"
    assert fmt_dec(np.float64(3.25), 1) == "3,2"
    assert fmt_dec(Decimal("2.675"), 2, lang="en") == "2.68"
    assert fmt_pct(Decimal("0.5"), 0) == f"50{NBSP}%"


def test_full_month_names_are_cldrs():
    for lang, locale in (("sv", "sv_SE"), ("en", "en")):
        assert MONTHS[lang] == tuple(get_month_names("wide", "stand-alone", locale).values())
        assert [fmt_month(date(2024, m, 1), lang) for m in range(1, 13)] == [f"{n} 2024" for n in MONTHS[lang]]
    assert MONTHS["sv"][4] == "maj" and MONTHS["en"][4] == "May"


def test_short_month_names_are_the_charts_axis_labels():
    """Swedish departs from CLDR ('jan.', 'mars', 'juni') to name months as the Plotly axes under the titles do."""
    script = (Path(__file__).parents[3] / "assets/vendor/plotly-locale/plotly-locale-sv.js").read_text(encoding="utf-8")
    plotly = json.loads(re.search(r'"shortMonths":\s*(\[[^\]]*\])', script).group(1))
    assert list(SHORT_MONTHS["sv"]) == plotly
    assert tuple(get_month_names("abbreviated", "stand-alone", "sv_SE").values())[:3] == ("jan.", "feb.", "mars")
    assert SHORT_MONTHS["en"] == tuple(get_month_names("abbreviated", "stand-alone", "en").values())


def test_long_dates_are_day_month_year_in_both_languages():
    assert Locale.parse("sv_SE").date_formats["long"].pattern == "d MMMM y"
    assert fmt_date(date(2024, 12, 24)) == "24 december 2024"
    assert fmt_date(date(2024, 12, 24), lang="en") == "24 December 2024"
