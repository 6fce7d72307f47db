"""Data: what is loaded, from which sources, and what was rejected and why."""

import dash

from dashboard.components import placeholder_page

dash.register_page(__name__, path="/data", name="Data", title="Data · Lägesbild", order=6)


def layout(lang: str = "sv", **query):
    return placeholder_page("data", lang, query)
