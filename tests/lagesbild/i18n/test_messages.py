"""Tests for lagesbild.i18n: the catalogs (every message in both languages, the same placeholders, CLDR's plural
forms), lookups that never fail on odd input, and the fallbacks."""

from __future__ import annotations

import fnmatch
import logging
import shutil
import string
import tomllib
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

import lagesbild.i18n as i18n
from lagesbild.i18n import LANGS, LOCALE_DIR, catalog, has_message, t

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


def test_a_missing_message_is_its_key_and_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="lagesbild.i18n"):
        assert t("no.such.message", "en") == "no.such.message"
    assert [r.getMessage() for r in caplog.records].count(
        "No message 'no.such.message' in the catalogs (lagesbild/i18n/locale)") == 1
    assert len(caplog.records) == 1


def test_has_message():
    assert has_message("data.source.polisen-feed")
    assert not has_message("data.source.nobody")


@pytest.fixture
def edited_catalogs(tmp_path, monkeypatch):
    """A copy of the catalogs to edit, read in place of the real ones until the test ends."""
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    caches = (i18n.catalog, i18n._translations)
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
    assert (t("page.karta", "en"), t("page.data", "en"), t("page.handelser", "en")) == ("Karta", "Data", "Händelser")
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
