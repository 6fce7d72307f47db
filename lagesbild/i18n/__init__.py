"""Every UI message in Swedish and English, from the gettext catalogs in locale/: `t("filter.place", "en")`."""

from __future__ import annotations

import gettext
import io
import logging
import math
from functools import cache, lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGS = ("sv", "en")
DEFAULT_LANG = "sv"
LOCALE_DIR = Path(__file__).with_name("locale")  # <lang>/LC_MESSAGES/messages.po; the msgids are the keys

log = logging.getLogger(__name__)


def lang_or_default(lang: str | None) -> str:
    """A supported language code; anything else (None, 'de', a hostile value) is Swedish."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = DEFAULT_LANG, **params: object) -> str:
    """The message `key` in `lang` (Swedish when missing there), with `{name}` params filled in."""
    text = _message(key, lang_or_default(lang))
    return text.format(**params) if params else text


@lru_cache(maxsize=8192)  # bounded: a key can be built from a request's value
def _message(key: str, lang: str) -> str:
    """The catalog's text of `key` (the catalogs are compiled once, at import: a lookup never changes)."""
    return _translations(lang).gettext(key)


def nt(key: str, n: float | None, lang: str | None = DEFAULT_LANG, /, **params: object) -> str:
    """The form of the plural message `key` for a count of `n` ('1 dag', '12 dagar'), with params filled in.

    `n` is the count as shown: a float is rounded as the numbers are (no decimals). None, for a count that is
    hidden ('<5'), takes the general plural form, so that the grammar does not give the hidden count away."""
    lang = lang_or_default(lang)
    count = _hidden_count(lang) if n is None or (isinstance(n, float) and math.isnan(n)) else abs(round(float(n)))
    text = _translations(lang).ngettext(key, key, count)
    return text.format(**params) if params else text


def has_message(key: str) -> bool:
    """Whether `key` is a message (every message is in the Swedish catalog)."""
    return key in catalog(DEFAULT_LANG)


@cache
def catalog(lang: str) -> Catalog:
    """The catalog of `lang` as Babel reads it from locale/<lang>/LC_MESSAGES/messages.po."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang, domain="messages")


@cache
def _translations(lang: str) -> gettext.GNUTranslations:
    """`lang`'s catalog compiled in memory (no .mo to build or forget), falling back to Swedish, then to the key."""
    mo = io.BytesIO()
    write_mo(mo, catalog(lang))  # leaves out fuzzy and empty messages, so that they fall back
    mo.seek(0)
    translations = Translations(mo, domain="messages")
    translations.add_fallback(_translations(DEFAULT_LANG) if lang != DEFAULT_LANG else _MissingMessage())
    return translations


@cache
def _hidden_count(lang: str) -> int:
    """A count that selects `lang`'s last plural form: gettext's general plural (CLDR's 'other')."""
    last, plural = catalog(lang).num_plurals - 1, _translations(lang).plural
    return next(n for n in range(2, 1000) if plural(n) == last)


class _MissingMessage(gettext.NullTranslations):
    """The end of the fallback chain: a key in no catalog is shown as itself, and logged."""

    def gettext(self, message: str) -> str:
        log.warning("No message %r in the catalogs (lagesbild/i18n/locale)", message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1)


for _lang in LANGS:  # read every catalog at import: a broken .po fails the app's start, not a page view
    _translations(_lang)
