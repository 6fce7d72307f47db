"""Tests for lagesbild.i18n: the catalogs (every message in both languages, the same placeholders, CLDR's plural
forms), lookups that never fail on odd input, plurals, and the fallbacks."""

from __future__ import annotations

import fnmatch
import logging
import math
import shutil
import string
import tomllib
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

import lagesbild.i18n as i18n
from lagesbild.i18n import LANGS, LOCALE_DIR, catalog, has_message, nt, t

ROOT = Path(__file__).parents[3]


def messages(lang: str) -> dict[str, str | tuple[str, ...]]:
    """key -> text, or the tuple of plural forms."""
    return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog(lang) if m.id}


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a str.format template (a stray brace fails here, not on a page)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_languages_have_the_same_messages():
    assert set(messages("sv")) == set(messages("en"))
    assert len(messages("sv")) > 400


def test_every_message_is_translated_and_none_is_fuzzy():
    for lang in LANGS:
        for message in catalog(lang):
            if message.id:
                forms = message.string if message.pluralizable else (message.string,)
                assert all(forms) and not message.fuzzy, (lang, message.id)


def test_the_catalogs_hold_no_two_messages_under_one_key():
    for lang in LANGS:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
        keys = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("msgid ")]
        assert len(keys) == len(set(keys)), lang


def test_plural_forms_are_babels_for_the_language():
    for lang in LANGS:
        expected = get_plural(lang)
        assert catalog(lang).plural_forms == str(expected)
        assert catalog(lang).num_plurals == expected.num_plurals


def test_plural_messages_are_plural_in_both_languages_with_every_form():
    sv, en = messages("sv"), messages("en")
    plurals = {key for key, text in sv.items() if isinstance(text, tuple)}
    assert plurals == {key for key, text in en.items() if isinstance(text, tuple)}
    assert {"oversikt.goal.ahead", "oversikt.goal.passed", "describe.categories"} <= plurals
    for lang in LANGS:
        for message in catalog(lang):
            if message.pluralizable:
                assert message.id[1] == message.id[0], message.id  # keys: msgid_plural repeats the msgid
                assert len(message.string) == catalog(lang).num_plurals, (lang, message.id)


def test_both_languages_use_the_same_placeholders():
    sv, en = messages("sv"), messages("en")
    for key, text in sv.items():
        if isinstance(text, str):
            assert placeholders(text) == placeholders(en[key]), key
        else:
            # the general plural (the last form) has them all, alike in both languages; a form for one may leave
            # the count out ('Den senaste händelsen')
            fields = placeholders(text[-1])
            assert fields == placeholders(en[key][-1]), key
            assert all(placeholders(form) <= fields for form in (*text, *en[key])), key


def test_lookup_with_params_and_fallbacks():
    assert t("describe.from", "sv", month="maj 2024") == "från maj 2024"
    assert t("page.handelser", "en") == "Incidents"
    assert t("page.handelser", None) == "Händelser"
    assert t("page.handelser", "'; DROP") == "Händelser"
    assert t("page.handelser") == "Händelser"


def test_plural_forms_follow_the_count():
    assert nt("oversikt.goal.ahead", 1, "sv", date="1 maj 2025", days="1") == "Måldatum 1 maj 2025 · om 1 dag"
    assert nt("oversikt.goal.ahead", 12, "sv", date="1 maj 2025", days="12") == "Måldatum 1 maj 2025 · om 12 dagar"
    assert nt("oversikt.goal.passed", 1, "en", date="1 May 2025", days="1") == "Goal date 1 May 2025 · passed 1 day ago"
    assert nt("describe.categories", 1, "en", names="Syringe find") == "Category: Syringe find"
    assert nt("describe.categories", 2, "sv", names="A, B") == "Kategorier: A, B"
    assert nt("karta.area.incidents", 0, "en", count="0") == "0 incidents"
    assert nt("handelser.latest", 1, "sv", n="1") == "Den senaste händelsen"
    assert nt("handelser.latest", 20, "en", n="20") == "The 20 latest incidents"


def test_a_float_count_takes_the_form_of_the_number_shown():
    assert nt("report.attendance", 1.0, "en", count="1") == "1 attendee"
    assert nt("report.attendance", 0.6, "en", count="1") == "1 attendee"
    assert nt("report.attendance", 1.5, "en", count="2") == "2 attendees"


@pytest.mark.parametrize("hidden", [None, math.nan])
def test_a_hidden_count_takes_the_general_plural_so_the_grammar_does_not_tell_it(hidden):
    for lang in LANGS:
        for key, text in messages(lang).items():
            if isinstance(text, tuple):
                assert nt(key, hidden, lang) == nt(key, 5, lang) == text[-1], (lang, key)
    assert nt("karta.area.incidents", None, "sv", count="<5") == "<5 händelser"


def test_a_missing_message_is_its_key_and_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="lagesbild.i18n"):
        assert t("no.such.message", "en") == "no.such.message"
        assert nt("no.such.plural", 2, "sv", count="2") == "no.such.plural"
    assert [r.getMessage() for r in caplog.records].count(
        "No message 'no.such.message' in the catalogs (lagesbild/i18n/locale)") == 1
    assert len(caplog.records) == 2


def test_has_message():
    assert has_message("data.source.polisen-feed")
    assert has_message("oversikt.goal.ahead")  # a plural
    assert not has_message("data.source.nobody")
    assert not has_message("oversikt.goal.ahead_one")


@pytest.fixture
def edited_catalogs(tmp_path, monkeypatch):
    """A copy of the catalogs to edit, read in place of the real ones until the test ends."""
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    caches = (i18n.catalog, i18n._translations, i18n._hidden_count, i18n._message)
    for cached in caches:
        cached.cache_clear()
    yield tmp_path / "locale"
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def edit_po(locale: Path, lang: str, old: str, new: str) -> None:
    path = locale / lang / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_english_message_missing_empty_or_fuzzy_is_shown_in_swedish(edited_catalogs):
    edit_po(edited_catalogs, "en", 'msgid "page.karta"\nmsgstr "Map"\n', "")
    edit_po(edited_catalogs, "en", 'msgid "page.data"\nmsgstr "Data"', 'msgid "page.data"\nmsgstr ""')
    edit_po(edited_catalogs, "en", 'msgid "page.handelser"\n', '#, fuzzy\nmsgid "page.handelser"\n')
    edit_po(edited_catalogs, "en", 'msgstr[0] "Goal date {date} · in {days} day"\n'
                                   'msgstr[1] "Goal date {date} · in {days} days"\n', "")
    edit_po(edited_catalogs, "en", 'msgid "oversikt.goal.ahead"\nmsgid_plural "oversikt.goal.ahead"\n', "")
    assert (t("page.karta", "en"), t("page.data", "en"), t("page.handelser", "en")) == ("Karta", "Data", "Händelser")
    assert nt("oversikt.goal.ahead", 1, "en", date="d", days="1") == "Måldatum d · om 1 dag"
    assert t("page.trygghet", "en") == "Safety"


def test_every_page_has_a_title_and_an_intro():
    pages = [path.stem for path in (ROOT / "dashboard" / "pages").glob("*.py") if not path.stem.startswith("_")]
    assert "handelser" in pages
    for key in pages:  # a page's key in the catalogs is its module's name (dashboard.shell)
        for lang in LANGS:
            assert has_message(f"page.{key}") and has_message(f"intro.{key}"), key
            assert t(f"page.{key}", lang) and t(f"intro.{key}", lang)


def test_the_catalogs_are_package_data():
    """An installed package (not only this checkout) must carry the .po files: the app reads them directly."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["lagesbild"]
    package = ROOT / "lagesbild"
    catalogs = [path.relative_to(package).as_posix() for path in LOCALE_DIR.rglob("*.po")]
    assert sorted(catalogs) == [f"i18n/locale/{lang}/LC_MESSAGES/messages.po" for lang in sorted(LANGS)]
    for path in catalogs:
        assert any(fnmatch.fnmatch(path, pattern) for pattern in patterns), path
