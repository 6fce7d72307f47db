"""Cell parsers: the date, time and number spellings that real Swedish files use."""

from datetime import date, datetime, time

import pytest

from loaders.values import fold, parse_amount, parse_count, parse_date, parse_number, parse_share, parse_time


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2023-05-01", date(2023, 5, 1)),
        ("2023-05-01 21:14", date(2023, 5, 1)),
        ("01.05.2023", date(2023, 5, 1)),
        (45047, date(2023, 5, 1)),  # Excel serial number
        ("45047", date(2023, 5, 1)),
        (datetime(2023, 5, 1, 21, 14), date(2023, 5, 1)),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2023-13-01", "igår", "12", 5])
def test_bad_dates_say_why(value):
    with pytest.raises(ValueError, match="date"):
        parse_date(value)


@pytest.mark.parametrize(
    "value, expected",
    [("21:14", time(21, 14)), ("9:05", time(9, 5)), ("21.14", time(21, 14)), (0.5, time(12, 0)),
     (time(7, 30), time(7, 30)), ("24:00", time(0, 0))],
)
def test_times(value, expected):
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["25:00", "21:61", "kväll"])
def test_bad_times(value):
    with pytest.raises(ValueError):
        parse_time(value)


@pytest.mark.parametrize(
    "value, expected",
    [("12 345,6", 12345.6), ("12\u00a0345,6", 12345.6), ("12345.6", 12345.6), ("1.234,5", 1234.5),
     ("1,234.5", 1234.5), ("3,5", 3.5), (7, 7.0), ("\u22122,5", -2.5)],
)
def test_numbers(value, expected):
    assert parse_number(value) == pytest.approx(expected)


def test_counts_amounts_and_shares():
    assert parse_count("12") == 12
    with pytest.raises(ValueError):
        parse_count("2,5")
    with pytest.raises(ValueError):
        parse_count("-1")
    assert parse_amount("12 500,50 kr") == 12500.5
    assert parse_share("23,5") == pytest.approx(0.235)
    assert parse_share("0,235") == pytest.approx(0.235)
    assert parse_share("5 %") == pytest.approx(0.05)
    with pytest.raises(ValueError):
        parse_share("135")


def test_fold_ignores_case_spacing_and_diacritics():
    assert fold("  Rapportör  Organisation ") == fold("rapportor organisation")
    assert fold("Hänvisning hälso- och sjukvård") == "hanvisning halso och sjukvard"
