"""Aktiviteter: activities and urban-environment measures in the parks, attendance and cost."""

import dash

from dashboard.components import placeholder_page

dash.register_page(
    __name__, path="/aktiviteter", name="Aktiviteter", title="Aktiviteter · Lägesbild", order=3
)


def layout(lang: str = "sv", **query):
    return placeholder_page("aktiviteter", lang, query)
