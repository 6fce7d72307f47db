"""Every case has its sentence in Swedish and English, with the same numbers in both."""

import string
from datetime import date

import pytest

from lagesbild.stats.displacement import BeforeAfter, Interpretation, weighted_displacement
from lagesbild.stats.its import Method, Refusal, segmented_regression
from lagesbild.stats.status import Case, count_status, share_status
from lagesbild.stats.wording import (
    MESSAGES,
    describe_displacement,
    describe_segmented,
    describe_status,
    describe_target,
    percent_change,
    points,
)

COUNT_CASES = [c for c in Case if c is not Case.NOT_COMPARABLE]
EXPECTED_KEYS = (
    [f"status.count.{c}" for c in COUNT_CASES] + [f"status.share.{c}" for c in Case]
    + [f"wdq.{i}" for i in Interpretation] + [f"its.{r}" for r in Refusal] + [f"its.method.{m}" for m in Method]
)


@pytest.mark.parametrize("key", EXPECTED_KEYS)
def test_every_code_has_a_text_in_both_languages(key):
    assert set(MESSAGES[key]) == {"sv", "en"}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_use_the_same_numbers(key):
    fields = {lang: {f for _, f, _, _ in string.Formatter().parse(text) if f} for lang, text in MESSAGES[key].items()}
    assert fields["sv"] == fields["en"]


def test_the_issues_month_reads_as_within_chance():
    status = count_status(11, 16, direction="lower", target_change=-0.40)
    assert describe_status(status, "sv") == (
        "Åt rätt håll, men inom slumpens marginaler: 11 mot 16 (−31\u00a0%; 95\u00a0% KI −71\u00a0% till +58\u00a0%).")
    assert describe_status(status, "en").startswith("Moving the right way, but within chance: 11 against 16 (−31%;")
    assert describe_target(status, "sv") == "Målet (−40\u00a0%) är inte nått."


def test_too_few_says_how_many():
    assert describe_status(count_status(3, 4, direction="lower"), "en") == (
        "Too few events to tell: 7 in all (3 against 4).")


def test_shares_speak_in_percentage_points():
    status = share_status(0.30, 116, 0.45, 120, comparable=True, direction="lower", target_change=-0.10)
    text = describe_status(status, "sv")
    assert "30\u00a0% mot 45\u00a0%" in text and "−15\u00a0procentenheter" in text and "116 och 120 svar" in text
    assert "nått i punktskattningen" in describe_target(status, "sv")
    unlike = share_status(0.3, 116, 0.45, 120, comparable=False, direction="lower")
    assert "går inte att jämföra" in describe_status(unlike, "sv")


def test_displacement_within_chance_is_said():
    result = weighted_displacement(BeforeAfter(40, 20), BeforeAfter(30, 36), BeforeAfter(100, 100))
    text = describe_displacement(result, "en")
    assert text.startswith("Some displacement to the buffer, smaller than the gain") and "within chance" in text
    assert "WDQ −0,30" in describe_displacement(result, "sv")


def test_a_refused_series_says_what_is_missing():
    months = [date(2022, m, 1) for m in range(1, 13)]
    refusal = segmented_regression(months, [4] * 12, date(2022, 9, 1))
    assert describe_segmented(refusal, "sv") == (
        "För kort serie före brytpunkten: 8 månader, minst 12 behövs.")


def test_number_edges():
    assert percent_change(float("inf"), "sv") == "+∞" and percent_change(float("nan"), "en") == "–"
    assert percent_change(1.0, "en") == "±0%"
    assert points(0.081, "en") == "+8\u00a0percentage points"
