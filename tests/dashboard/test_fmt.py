"""Tests for lagesbild.i18n.formats: Swedish and English numbers, percentages, changes, months and dates."""

from __future__ import annotations

import math
from datetime import date

import pytest

from lagesbild.i18n.formats import (
    MINUS,
    NBSP,
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
