"""Tests for dashboard.shell's pure parts: which way filter bar and URL sync, and the month options."""

from __future__ import annotations

from datetime import date

import dash
import pytest

from dashboard.shell import FROM, PLACE, RESET, month_options, next_state, show_notices
from lagesbild.filters import FilterState
from tests.dashboard.roles import as_role

KNOWN = {"tantolunden", "hornstull"}
MAY = FilterState(month_from=date(2024, 5, 1))


def test_loading_a_url_sets_the_filters_and_leaves_the_url_alone():
    assert next_state(None, "?from=2024-05", FilterState(), KNOWN) == (None, MAY)


def test_a_url_with_ignored_parts_is_not_rewritten_so_its_notice_stays():
    assert next_state(None, "?place=unknown&from=2024-05", FilterState(), KNOWN) == (None, MAY)
    # The dropdowns then echo the parsed state back as a change: it equals the URL's, so nothing is written.
    assert next_state(FROM, "?place=unknown&from=2024-05", MAY, KNOWN) == (None, MAY)


def test_changing_a_filter_writes_the_url():
    shown = FilterState(("hornstull",), date(2024, 5, 1))
    assert next_state(PLACE, "?from=2024-05", shown, KNOWN) == ("?place=hornstull&from=2024-05", shown)


def test_clearing_the_last_filter_writes_an_empty_query():
    assert next_state(FROM, "?from=2024-05", FilterState(), KNOWN) == ("", FilterState())


def test_reset_clears_everything():
    assert next_state(RESET, "?place=hornstull&from=2024-05", MAY, KNOWN) == ("", FilterState())


def test_month_options_include_months_asked_for_outside_the_data():
    options = month_options(["2024-01", "2024-02"], FilterState(month_from=date(2020, 3, 1)), "sv")
    assert [o["value"] for o in options] == ["2024-02", "2024-01", "2020-03"]
    assert options[-1]["label"] == "mars 2020"
    assert month_options(["2024-05"], FilterState(), "en") == [{"label": "May 2024", "value": "2024-05"}]


# ---- a page's categories (Händelser): not in the filter bar, kept by it ----

CODES = ["narkotikaforsaljning", "sprutfynd"]


def test_a_filter_change_keeps_the_pages_categories():
    shown = FilterState(("hornstull",), date(2024, 5, 1))
    query, state = next_state(PLACE, "?from=2024-05&category=sprutfynd", shown, KNOWN, CODES)
    assert query == "?place=hornstull&from=2024-05&category=sprutfynd"
    assert state.categories == ("sprutfynd",)


def test_the_filter_bars_echo_of_a_url_with_categories_writes_nothing():
    url = "?from=2024-05&category=sprutfynd&category=bogus"  # bogus: noticed, and left in the URL until a change
    assert next_state(None, url, FilterState(), KNOWN, CODES) == (None, FilterState(month_from=date(2024, 5, 1),
                                                                                     categories=("sprutfynd",)))
    assert next_state(FROM, url, MAY, KNOWN, CODES)[0] is None


def test_on_a_page_without_categories_a_filter_change_drops_them():
    shown = FilterState(("hornstull",))
    assert next_state(PLACE, "?category=sprutfynd", shown, KNOWN, None) == ("?place=hornstull", shown)


def test_reset_clears_the_categories_too():
    assert next_state(RESET, "?place=hornstull&category=sprutfynd", MAY, KNOWN, CODES) == ("", FilterState())


def test_notices_name_unknown_categories_only_where_the_page_takes_categories(dash_app):
    places = [{"label": "Tantolunden", "value": "tantolunden"}]
    children, is_open = show_notices("?place=tantolunden&category=bogus", "sv", "/handelser", places)
    assert is_open and "okänd kategori ”bogus”" in str(children)
    children, _ = show_notices("?category=bogus", "en", "/handelser", places)
    assert "unknown category “bogus”" in str(children)
    assert show_notices("?place=tantolunden&category=bogus", "sv", "/karta", places) == (None, False)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_dropdown_speaks_the_pages_language(dash_app, lang):
    """Dash's dropdown says 'N selected', 'Select all'… in English unless told otherwise: every one, in the shell and
    on the pages, gets the shell's words in the UI's language."""
    from dash import dcc

    from dashboard import shell
    from dashboard.filter_options import ShellOptions

    trees = [shell.layout(ShellOptions(places=(("park", "Parken"),)), lang)]
    with as_role(dash_app, "styrgrupp"):
        trees += [page["layout"](lang=lang) for page in dash.page_registry.values()]
    dropdowns = [component for tree in trees for component in _walk(tree) if isinstance(component, dcc.Dropdown)]
    assert len(dropdowns) >= 4  # place, from, to, and Händelser's categories
    for dropdown in dropdowns:
        assert getattr(dropdown, "labels", None) == shell.dropdown_labels(lang), dropdown.id


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)
