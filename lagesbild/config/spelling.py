"""How names are compared when matching: case, spacing and diacritics folded ('Högalidsparken ' = 'hogalidsparken')."""

from __future__ import annotations

import re
import unicodedata


def fold(value: str) -> str:
    """Case, spacing and diacritics folded, for matching headers, categories and place names."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", stripped).strip()


def compact(text: str) -> str:
    """The place-matching key: folded, with spaces and hyphens gone, so 'Hornstulls strand' = 'Hornstullsstrand'."""
    return fold(text).replace(" ", "")
