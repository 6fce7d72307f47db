"""Tests for lagesbild.i18n: both languages have every string, and lookups never fail on odd input."""

from __future__ import annotations

import re

import dash

from lagesbild.i18n import STRINGS, t


def test_both_languages_have_the_same_keys():
    assert set(STRINGS["sv"]) == set(STRINGS["en"])


def test_both_languages_use_the_same_placeholders():
    for key, text in STRINGS["sv"].items():
        assert set(re.findall(r"{\w+}", text)) == set(re.findall(r"{\w+}", STRINGS["en"][key])), key


def test_lookup_with_params_and_fallbacks():
    assert t("describe.from", "sv", month="maj 2024") == "från maj 2024"
    assert t("page.handelser", "en") == "Incidents"
    assert t("page.handelser", None) == "Händelser"
    assert t("page.handelser", "'; DROP") == "Händelser"


def test_every_page_has_a_title_and_an_intro(dash_app):
    for page in dash.page_registry.values():
        key = page["module"].rsplit(".", 1)[-1]
        for lang in ("sv", "en"):
            assert t(f"page.{key}", lang) and t(f"intro.{key}", lang)
