"""Keep personal data out of the store: refuse identifying columns, redact personal identity numbers."""

from __future__ import annotations

import re
from datetime import date

from loaders.values import fold

REDACTED = "[personnummer borttaget]"
# YYMMDD-XXXX or YYYYMMDD-XXXX, with -, + or nothing between; coordination numbers add 60 to the day.
PERSONNUMMER = re.compile(r"(?<![\d-])((?:19|20)?\d{2})(\d{2})(\d{2})\s?[-+]?\s?(\d{4})(?!\d)")
IDENTIFYING_HEADERS = {
    fold(h)
    for h in (
        "namn", "förnamn", "efternamn", "fullständigt namn", "klientnamn", "klient", "brukare", "person",
        "personnummer", "personnr", "pnr", "person nr", "samordningsnummer", "födelsedatum", "name",
        "first name", "last name", "full name", "client", "personal identity number", "ssn",
    )
}


class IdentifyingColumnError(ValueError):
    pass


def looks_like_personnummer(match: re.Match) -> bool:
    _, month, day, _ = match.groups()
    day_number = int(day) - 60 if int(day) > 60 else int(day)
    try:
        date(2000, int(month), day_number)
    except ValueError:
        return False
    return True


class Redactor:
    def redact(self, value: str | None) -> tuple[str | None, int]:
        """The text with every personal identity number replaced, and how many there were."""
        if not value:
            return value, 0
        found = 0

        def replace(match: re.Match) -> str:
            nonlocal found
            if looks_like_personnummer(match):
                found += 1
                return REDACTED
            return match.group(0)

        return PERSONNUMMER.sub(replace, value), found


def identifying_headers(headers: list[str]) -> list[str]:
    return [h for h in headers if h and fold(h) in IDENTIFYING_HEADERS]


def column_holds_personnummer(values: list[str | None]) -> bool:
    """A column whose cells are mostly bare personal identity numbers is an identity column, whatever its name."""
    cells = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not cells:
        return False
    hits = sum(1 for v in cells if (m := PERSONNUMMER.fullmatch(v)) and looks_like_personnummer(m))
    return hits / len(cells) >= 0.5
