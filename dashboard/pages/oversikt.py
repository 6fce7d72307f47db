"""Översikt: the indicators against baseline and target, and how far it is to the effect goal."""

import dash

from dashboard.components import placeholder_page

dash.register_page(__name__, path="/", name="Översikt", title="Översikt · Lägesbild", order=0)


def layout(lang: str = "sv", **query):
    return placeholder_page("oversikt", lang, query)
