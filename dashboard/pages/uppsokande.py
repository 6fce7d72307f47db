"""Uppsökande arbete: outreach shifts, contacts, new persons met and referrals (aggregates only)."""

import dash

from dashboard.components import placeholder_page

dash.register_page(
    __name__, path="/uppsokande", name="Uppsökande arbete", title="Uppsökande arbete · Lägesbild", order=2
)


def layout(lang: str = "sv", **query):
    return placeholder_page("uppsokande", lang, query)
