"""Händelser: incidents from the police and reporters by category, place and time."""

import dash

from dashboard.components import placeholder_page

dash.register_page(__name__, path="/handelser", name="Händelser", title="Händelser · Lägesbild", order=1)


def layout(lang: str = "sv", **query):
    return placeholder_page("handelser", lang, query)
