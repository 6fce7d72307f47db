"""The shell's component ids (URL, filter bar, language) and each page's key, for the modules that wire callbacks to
the shell without importing it (the shell imports them)."""

from __future__ import annotations

URL = "shell-url"
PLACE = "filter-place"
FROM = "filter-from"
TO = "filter-to"
RESET = "filter-reset"
MONTHS = "filter-months"  # the months with data, as 'YYYY-MM'
LANG = "shell-lang"
NOTICE = "shell-notice"
HTML_LANG = "shell-html-lang"
NAV = "nav-link"  # pattern-matching id type: {"type": NAV, "page": <module's last part>}
LABELS = {PLACE: "filter.place", FROM: "filter.from", TO: "filter.to"}
FILTER_INPUTS = (PLACE, FROM, TO)


def page_key(page: dict) -> str:
    """'dashboard.pages.handelser' -> 'handelser', the key of the page's strings in i18n."""
    return page["module"].rsplit(".", 1)[-1]
