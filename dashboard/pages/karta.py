"""Karta: where incidents, shifts and activities happen, on an offline folium map."""

import dash

from dashboard.components import placeholder_page

dash.register_page(__name__, path="/karta", name="Karta", title="Karta · Lägesbild", order=5)


def layout(lang: str = "sv", **query):
    return placeholder_page("karta", lang, query)
