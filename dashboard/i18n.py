"""Every UI string in Swedish and English, looked up by key: `t("filter.place", "en")`."""

from __future__ import annotations

LANGS = ("sv", "en")
DEFAULT_LANG = "sv"

STRINGS: dict[str, dict[str, str]] = {
    "sv": {
        "app.title": "Lägesbild",
        "app.brand": "Lägesbild",
        "nav.label": "Sidor",
        "page.oversikt": "Översikt",
        "page.handelser": "Händelser",
        "page.uppsokande": "Uppsökande arbete",
        "page.aktiviteter": "Aktiviteter",
        "page.trygghet": "Trygghet",
        "page.karta": "Karta",
        "page.data": "Data",
        "intro.oversikt": "Hur indikatorerna rör sig mot effektmålet, månad för månad.",
        "intro.handelser": "Händelser från polisen och rapportörer, per kategori, plats och tid.",
        "intro.uppsokande": "Uppsökande pass: kontakter, nya personer och hänvisningar till vård och stöd.",
        "intro.aktiviteter": "Aktiviteter och åtgärder i parkerna, med besökare och kostnad.",
        "intro.trygghet": "Trygghetsmätningar: andelar med antal svarande och osäkerhetsintervall.",
        "intro.karta": "Var händelser, pass och aktiviteter sker, plats för plats.",
        "intro.data": "Vad som är inläst, från vilka källor, och vad som avvisades och varför.",
        "empty.title": "Ingen data inläst ännu",
        "empty.body": "Sidan fylls när datasamordnaren har läst in filer till lägesbilden. "
                      "Filtren ovan gäller då alla sidor.",
        "filter.label": "Filter",
        "filter.place": "Plats",
        "filter.place_all": "Hela området",
        "filter.from": "Från månad",
        "filter.to": "Till och med månad",
        "filter.month_any": "Alla månader",
        "filter.reset": "Återställ filter",
        "filter.language": "Språk",
        "describe.all_places": "Hela området",
        "describe.all_months": "alla månader",
        "describe.from": "från {month}",
        "describe.to": "till och med {month}",
        "notice.title": "Delar av länken kunde inte användas och har ignorerats:",
        "notice.unknown_place": "okänd plats ”{value}”",
        "notice.bad_month": "ogiltig månad {param}=”{value}” (skriv ÅÅÅÅ-MM, t.ex. 2024-05)",
        "notice.repeated": "{param} angavs flera gånger; den första används",
        "notice.swapped": "från-månaden låg efter till-månaden; de har bytt plats",
        "dropdown.select_all": "Välj alla",
        "dropdown.deselect_all": "Avmarkera alla",
        "dropdown.selected_count": "{num_selected} valda",
        "dropdown.search": "Sök",
        "dropdown.clear_search": "Rensa sökning",
        "dropdown.clear_selection": "Rensa val",
        "dropdown.no_options_found": "Inga val hittades",
        "lang.sv": "Svenska",
        "lang.en": "English",
        "main.skip": "Hoppa till innehållet",
    },
    "en": {
        "app.title": "Situation picture",
        "app.brand": "Lägesbild",
        "nav.label": "Pages",
        "page.oversikt": "Overview",
        "page.handelser": "Incidents",
        "page.uppsokande": "Street outreach",
        "page.aktiviteter": "Activities",
        "page.trygghet": "Safety",
        "page.karta": "Map",
        "page.data": "Data",
        "intro.oversikt": "How the indicators move toward the effect goal, month by month.",
        "intro.handelser": "Incidents from the police and reporters, by category, place and time.",
        "intro.uppsokande": "Outreach shifts: contacts, new persons met and referrals to care and support.",
        "intro.aktiviteter": "Activities and measures in the parks, with attendance and cost.",
        "intro.trygghet": "Safety surveys: shares with the number of respondents and uncertainty intervals.",
        "intro.karta": "Where incidents, shifts and activities happen, place by place.",
        "intro.data": "What has been loaded, from which sources, and what was rejected and why.",
        "empty.title": "No data loaded yet",
        "empty.body": "This page fills in once the data steward has loaded files into the store. "
                      "The filters above then apply to every page.",
        "filter.label": "Filters",
        "filter.place": "Place",
        "filter.place_all": "Whole area",
        "filter.from": "From month",
        "filter.to": "To month (inclusive)",
        "filter.month_any": "All months",
        "filter.reset": "Reset filters",
        "filter.language": "Language",
        "describe.all_places": "Whole area",
        "describe.all_months": "all months",
        "describe.from": "from {month}",
        "describe.to": "up to {month}",
        "notice.title": "Parts of the link could not be used and were ignored:",
        "notice.unknown_place": "unknown place “{value}”",
        "notice.bad_month": "invalid month {param}=“{value}” (write YYYY-MM, e.g. 2024-05)",
        "notice.repeated": "{param} was given more than once; the first is used",
        "notice.swapped": "the from-month was after the to-month; they have been swapped",
        "dropdown.select_all": "Select all",
        "dropdown.deselect_all": "Deselect all",
        "dropdown.selected_count": "{num_selected} selected",
        "dropdown.search": "Search",
        "dropdown.clear_search": "Clear search",
        "dropdown.clear_selection": "Clear selection",
        "dropdown.no_options_found": "No options found",
        "lang.sv": "Svenska",
        "lang.en": "English",
        "main.skip": "Skip to content",
    },
}


def lang_or_default(lang: str | None) -> str:
    """A supported language code; anything else (None, 'de', a hostile value) is Swedish."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = DEFAULT_LANG, **params: object) -> str:
    """The string for `key` in `lang` (Swedish when missing there), with `{name}` params filled in."""
    table = STRINGS[lang_or_default(lang)]
    text = table.get(key) or STRINGS[DEFAULT_LANG][key]
    return text.format(**params) if params else text
