"""Tests for lagesbild.filters: the filter state to and from a URL query string, and in words."""

from __future__ import annotations

from datetime import date

import pytest

from lagesbild.dates import months_between
from lagesbild.filters import (
    FilterState,
    describe,
    from_values,
    ordered_categories,
    parse_kwargs,
    parse_month,
    parse_query,
    to_query,
    without_categories,
)

KNOWN = {"tantolunden", "drakenbergsparken", "hornstull"}
NAMES = {"tantolunden": "Tantolunden", "drakenbergsparken": "Drakenbergsparken"}
FULL = FilterState(("tantolunden", "drakenbergsparken"), date(2024, 1, 1), date(2024, 6, 1))
# The incidents vocabulary's codes, in its order (lagesbild/config/vocabulary.yaml), as a page that takes them passes it
CODES = ["narkotikabrott", "narkotikaforsaljning", "narkotikabruk", "sprutfynd", "vald_hot", "ovrigt"]
CATEGORY_NAMES = {"sprutfynd": "Sprutfynd", "narkotikaforsaljning": "Misstänkt narkotikaförsäljning"}


def test_to_query():
    assert to_query(FULL) == "?place=tantolunden&place=drakenbergsparken&from=2024-01&to=2024-06"
    assert to_query(FilterState()) == ""
    assert to_query(FilterState(month_to=date(2024, 6, 1))) == "?to=2024-06"


@pytest.mark.parametrize(
    "state",
    [FULL, FilterState(), FilterState(("hornstull",)), FilterState(month_from=date(2023, 11, 1))],
)
def test_round_trip(state):
    assert parse_query(to_query(state), KNOWN) == (state, [])


def test_parse_accepts_a_query_without_question_mark_and_empty_input():
    assert parse_query("place=hornstull", KNOWN)[0].places == ("hornstull",)
    assert parse_query("", KNOWN) == (FilterState(), [])
    assert parse_query(None, KNOWN) == (FilterState(), [])


def test_unknown_place_is_ignored_with_a_notice():
    state, notices = parse_query("?place=tantolunden&place=unknown", KNOWN)
    assert state.places == ("tantolunden",)
    assert notices == ["okänd plats ”unknown”"]


def test_notices_in_english():
    _, notices = parse_query("?place=unknown&from=2024-13", KNOWN, lang="en")
    assert notices[0] == "unknown place “unknown”"
    assert notices[1].startswith("invalid month from=“2024-13”")


def test_place_ids_are_case_and_space_insensitive_and_deduplicated():
    state, notices = parse_query("?place=Tantolunden&place=%20tantolunden%20", KNOWN)
    assert state.places == ("tantolunden",)
    assert notices == []


@pytest.mark.parametrize("bad", ["2024-13", "abc", "2024-5", "2024-00", "24-05", "2024-05-01", "99999-01"])
def test_malformed_month_is_ignored_with_a_notice(bad):
    state, notices = parse_query(f"?from={bad}&to=2024-06", KNOWN)
    assert state == FilterState(month_to=date(2024, 6, 1))
    assert len(notices) == 1 and "ogiltig månad from=" in notices[0]


def test_empty_month_is_no_filter_and_no_notice():
    assert parse_query("?from=&to=", KNOWN) == (FilterState(), [])


def test_reversed_months_are_swapped_with_a_notice():
    state, notices = parse_query("?from=2024-06&to=2024-01", KNOWN)
    assert (state.month_from, state.month_to) == (date(2024, 1, 1), date(2024, 6, 1))
    assert notices == ["från-månaden låg efter till-månaden; de har bytt plats"]


def test_repeated_month_uses_the_first_with_a_notice():
    state, notices = parse_query("?from=2024-02&from=2024-03", KNOWN)
    assert state.month_from == date(2024, 2, 1)
    assert notices == ["from angavs flera gånger; den första används"]


def test_other_parameters_are_ignored_silently():
    expected = (FilterState(("hornstull",)), [])
    assert parse_query("?utm_source=mail&fbclid=x&place=hornstull", KNOWN) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "tantolunden'; DROP TABLE incidents; --",
        "' OR '1'='1",
        "<script>alert(1)</script>",
        "tantolunden%00",
        "x" * 5000,
        "%E2%80%AEtantolunden",
    ],
)
def test_hostile_place_values_are_ignored(hostile):
    state, notices = parse_query(f"?place={hostile}&place=hornstull", KNOWN)
    assert state.places == ("hornstull",)
    assert len(notices) == 1
    assert len(notices[0]) < 80  # quoted back short, never the whole value
    assert all(ch.isprintable() for ch in notices[0])


def test_hostile_month_values_are_ignored():
    state, notices = parse_query("?from=2024-01%27%20OR%201%3D1&to=2024-02", KNOWN)
    assert state == FilterState(month_to=date(2024, 2, 1))
    assert len(notices) == 1


def test_parse_kwargs_reads_what_dash_pages_pass_to_layout():
    query = {"place": ["tantolunden", "drakenbergsparken"], "from": "2024-01", "to": "2024-06", "x": "y"}
    assert parse_kwargs(query, KNOWN) == (FULL, [])
    assert parse_kwargs({"place": "hornstull"}, KNOWN)[0] == FilterState(("hornstull",))
    assert parse_kwargs({}, KNOWN) == (FilterState(), [])


def test_from_values_reads_the_dropdowns_and_orders_months():
    assert from_values(["tantolunden", "drakenbergsparken"], "2024-01", "2024-06") == FULL
    assert from_values(None, None, None) == FilterState()
    assert from_values([], "2024-06", "2024-01") == FilterState((), date(2024, 1, 1), date(2024, 6, 1))


def test_describe():
    assert describe(FULL, NAMES) == "Tantolunden, Drakenbergsparken · jan–jun 2024"
    assert describe(FilterState(), NAMES) == "Hela området · alla månader"
    assert describe(FilterState(), NAMES, lang="en") == "Whole area · all months"
    assert describe(FilterState(month_from=date(2024, 5, 1)), NAMES) == "Hela området · från maj 2024"
    assert describe(FilterState(month_to=date(2024, 5, 1)), NAMES, "en") == "Whole area · up to May 2024"
    assert describe(FilterState(("hornstull",)), NAMES).startswith("hornstull ·")  # no name: the id


def test_parse_month_and_months_between():
    assert parse_month("2024-05") == date(2024, 5, 1)
    assert parse_month(" 2024-05 ") == date(2024, 5, 1)
    assert parse_month(None) is None
    assert months_between(date(2023, 11, 1), date(2024, 2, 1)) == [
        date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1)]
    assert months_between(date(2024, 2, 1), date(2024, 1, 1)) == []


# ---- categories (pages that take them: Händelser) ----

def test_categories_are_kept_in_vocabulary_order_not_url_order():
    state, notices = parse_query("?place=tantolunden&category=sprutfynd&category=narkotikaforsaljning", KNOWN,
                                 known_categories=CODES)
    assert state == FilterState(("tantolunden",), categories=("narkotikaforsaljning", "sprutfynd"))
    assert notices == []


def test_categories_are_case_and_space_insensitive_and_deduplicated():
    state, _ = parse_query("?category=Sprutfynd&category=%20sprutfynd%20&category=sprutfynd", KNOWN,
                           known_categories=CODES)
    assert state.categories == ("sprutfynd",)


def test_unknown_categories_are_dropped_with_a_notice_in_swedish_and_english():
    query = "?category=sprutfynd&category=bogus&category=&category=" + "x" * 500
    state, notices = parse_query(query, KNOWN, known_categories=CODES)
    assert state.categories == ("sprutfynd",)
    assert notices[0] == "okänd kategori ”bogus”"
    assert len(notices) == 2 and len(notices[1]) < 80  # the empty one is no filter; a long one is quoted short
    assert parse_query("?category=bogus", KNOWN, "en", CODES)[1] == ["unknown category “bogus”"]


def test_without_known_categories_the_parameter_is_ignored_silently():
    """A page that takes no categories (every page but Händelser) ignores them, like any foreign parameter."""
    assert parse_query("?place=hornstull&category=sprutfynd&category=bogus", KNOWN) == \
        (FilterState(("hornstull",)), [])


def test_to_query_round_trip_keeps_categories():
    state = FilterState(("tantolunden",), date(2024, 1, 1), date(2024, 6, 1), ("narkotikaforsaljning", "sprutfynd"))
    query = to_query(state)
    assert query == ("?place=tantolunden&from=2024-01&to=2024-06"
                     "&category=narkotikaforsaljning&category=sprutfynd")
    assert parse_query(query, KNOWN, known_categories=CODES) == (state, [])
    assert to_query(FilterState(categories=("sprutfynd",))) == "?category=sprutfynd"


def test_swapped_months_keep_the_categories():
    state, _ = parse_query("?from=2024-06&to=2024-01&category=sprutfynd", KNOWN, known_categories=CODES)
    assert state == FilterState((), date(2024, 1, 1), date(2024, 6, 1), ("sprutfynd",))


def test_parse_kwargs_reads_categories_as_dash_passes_them():
    """Dash gives one value as a string and repeated ones as a list."""
    assert parse_kwargs({"category": "sprutfynd"}, KNOWN, known_categories=CODES)[0].categories == ("sprutfynd",)
    state, notices = parse_kwargs({"category": ["sprutfynd", "nope", "narkotikabrott"]}, KNOWN, "en", CODES)
    assert state.categories == ("narkotikabrott", "sprutfynd")
    assert notices == ["unknown category “nope”"]
    assert parse_kwargs({"category": "sprutfynd"}, KNOWN)[0] == FilterState()


def test_ordered_categories_puts_a_dropdowns_value_in_vocabulary_order():
    assert ordered_categories(["sprutfynd", "narkotikabrott", "bogus", "sprutfynd"], CODES) == \
        ("narkotikabrott", "sprutfynd")
    assert ordered_categories(None, CODES) == ()


def test_without_categories_strips_only_the_category_parameter():
    assert without_categories("?place=tantolunden&category=sprutfynd&from=2024-01") == "?place=tantolunden&from=2024-01"
    assert without_categories("?category=sprutfynd") == ""
    assert without_categories("?place=unknown&from=2024-13") == "?place=unknown&from=2024-13"  # untouched
    assert without_categories(None) == ""


def test_describe_names_the_categories_in_both_languages():
    one = FilterState(("tantolunden",), date(2024, 1, 1), date(2024, 6, 1), ("sprutfynd",))
    assert describe(one, NAMES, "sv", CATEGORY_NAMES) == "Tantolunden · jan–jun 2024 · Kategori: Sprutfynd"
    two = FilterState(categories=("narkotikaforsaljning", "sprutfynd"))
    assert describe(two, NAMES, "sv", CATEGORY_NAMES) == \
        "Hela området · alla månader · Kategorier: Misstänkt narkotikaförsäljning, Sprutfynd"
    english = {"narkotikaforsaljning": "Suspected drug dealing", "sprutfynd": "Syringe find"}
    assert describe(two, NAMES, "en", english) == \
        "Whole area · all months · Categories: Suspected drug dealing, Syringe find"
    assert describe(FULL, NAMES, "sv", CATEGORY_NAMES) == "Tantolunden, Drakenbergsparken · jan–jun 2024"
