"""Trygghet: safety-survey results with respondents and uncertainty intervals."""

import dash

from dashboard.components import placeholder_page

dash.register_page(__name__, path="/trygghet", name="Trygghet", title="Trygghet · Lägesbild", order=4)


def layout(lang: str = "sv", **query):
    return placeholder_page("trygghet", lang, query)
