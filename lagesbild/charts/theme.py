"""The one look of every chart: the 'lagesbild' Plotly template, each category's colour, graph config."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from lagesbild.i18n.formats import NBSP

TEMPLATE_NAME = "lagesbild"

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct with every common
# colour-vision deficiency. Declared once; everything below picks from it.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
# Greys differ in lightness only, so they survive any colour-vision deficiency; kept for minor categories.
GREY = {"dark": "#555555", "mid": "#999999", "light": "#C8C8C8"}
COLORWAY = [OKABE_ITO[name] for name in
            ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "yellow", "black")]

# One colour per category code of lagesbild/config/vocabulary.yaml, the same on every page. The drug-related
# incident categories take the warm colours; `ovrigt` is always mid grey. A test checks that every code in
# the vocabulary has a colour here.
CATEGORY_COLOURS: dict[str, dict[str, str]] = {
    "incidents": {
        "narkotikaforsaljning": OKABE_ITO["vermillion"],
        "narkotikabruk": OKABE_ITO["orange"],
        "narkotikabrott": OKABE_ITO["reddish_purple"],
        "sprutfynd": OKABE_ITO["blue"],
        "vald_hot": OKABE_ITO["black"],
        "tillgrepp": OKABE_ITO["bluish_green"],
        "ordningsstorning": OKABE_ITO["sky_blue"],
        "otrygg_plats": OKABE_ITO["yellow"],
        "skadegorelse": GREY["dark"],
        "nedskrapning": GREY["light"],
        "ovrigt": GREY["mid"],
    },
    "outreach": {
        "uppsokande_pass": OKABE_ITO["blue"],
        "motesplats": OKABE_ITO["bluish_green"],
        "samverkanspass": OKABE_ITO["orange"],
        "ovrigt": GREY["mid"],
    },
    "events": {
        "sport": OKABE_ITO["blue"],
        "kultur": OKABE_ITO["reddish_purple"],
        "foreningsaktivitet": OKABE_ITO["bluish_green"],
        "staddag": OKABE_ITO["sky_blue"],
        "stadsmiljoatgard": OKABE_ITO["vermillion"],
        "narvaro_motesplats": OKABE_ITO["orange"],
        "samverkansmote": OKABE_ITO["yellow"],
        "ovrigt": GREY["mid"],
    },
    "surveys": {
        "otrygghet": OKABE_ITO["vermillion"],
        "problem_narkotika": OKABE_ITO["orange"],
        "problem_berusade": OKABE_ITO["reddish_purple"],
        "utsatthet": OKABE_ITO["blue"],
        "ovrigt": GREY["mid"],
    },
}

# Indicator status: always shown with a word and a symbol too, never by colour alone.
STATUS_COLOURS = {
    "good": OKABE_ITO["bluish_green"],
    "watch": OKABE_ITO["orange"],
    "bad": OKABE_ITO["vermillion"],
    "too_few": OKABE_ITO["sky_blue"],  # too few events to tell: the interval says nothing either way
    "unknown": GREY["mid"],
    "hidden": GREY["light"],  # the status rests on a small count the user does not see (lagesbild.disclosure)
}
BASELINE_COLOUR = GREY["mid"]
TARGET_COLOUR = OKABE_ITO["black"]

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
BASE_FONT_SIZE = 18  # readable from the back of a meeting room at 1920×1080
SEPARATORS = {"sv": "," + NBSP, "en": ".,"}  # decimal mark, then thousands separator
PLOTLY_LOCALES = {"sv": "sv", "en": "en"}  # 'sv' is registered by assets/vendor/plotly-locale/


def category_colour(kind: str, code: str) -> str:
    """The colour of one category; an unknown code gets the `ovrigt` grey rather than a random colour."""
    return CATEGORY_COLOURS.get(kind, {}).get(code, GREY["mid"])


def category_colour_map(kind: str) -> dict[str, str]:
    """For `color_discrete_map=` in plotly express."""
    return dict(CATEGORY_COLOURS[kind])


def place_colours(place_ids: Iterable[str]) -> dict[str, str]:
    """A colour per place in the given (sort) order, from the same palette (it repeats after eight places)."""
    return {place: COLORWAY[i % len(COLORWAY)] for i, place in enumerate(place_ids)}


def separators(lang: str) -> str:
    return SEPARATORS.get(lang, SEPARATORS["sv"])


def build_template() -> go.layout.Template:
    """Large type, light grid, Okabe–Ito colourway, Swedish separators (figure_dict sets a language's own)."""
    axis = dict(gridcolor="#E5E5E5", linecolor="#444444", ticks="outside", title_standoff=12,
                zerolinecolor="#BBBBBB", automargin=True, tickfont_size=BASE_FONT_SIZE - 2,
                exponentformat="none", separatethousands=True)  # "20 000", not "20k"
    layout = go.Layout(
        font=dict(family=FONT_FAMILY, size=BASE_FONT_SIZE, color="#222222"),
        title=dict(font_size=BASE_FONT_SIZE + 6, x=0, xanchor="left"),
        colorway=COLORWAY, separators=SEPARATORS["sv"],
        paper_bgcolor="white", plot_bgcolor="white",
        xaxis=axis, yaxis=axis,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, font_size=BASE_FONT_SIZE - 2,
                    title_text=""),
        hoverlabel=dict(font_size=BASE_FONT_SIZE - 2, font_family=FONT_FAMILY),
        margin=dict(l=16, r=16, t=64, b=16),
    )
    data = go.layout.template.Data(bar=[go.Bar(marker_line_width=0)],
                                   scatter=[go.Scatter(line_width=3, marker_size=8)])
    return go.layout.Template(layout=layout, data=data)


def register_template(make_default: bool = True) -> None:
    """Register 'lagesbild' with plotly.io; as the default, every figure built afterwards uses it."""
    pio.templates[TEMPLATE_NAME] = build_template()
    if make_default:
        pio.templates.default = TEMPLATE_NAME


@cache
def template_json() -> dict:
    """The 'lagesbild' template as Plotly.js takes it (a figure dict names no template, it carries it)."""
    return build_template().to_plotly_json()


def figure_dict(traces: list[dict], layout: dict, lang: str = "sv", height: int | None = None) -> dict:
    """A figure as Plotly.js takes it, `{"data": traces, "layout": layout}`, in the 'lagesbild' template and with the
    number separators of `lang`.

    Pages build their figures as plain dicts and never as go.Figure: Plotly's validation of every property, and
    its copy when Dash serialises a go.Figure, were most of a page's render time. The tests validate every kind of
    figure through go.Figure (tests/dashboard/figure_check.py), so a misspelt property still fails there."""
    layout = {**layout, "template": template_json(), "separators": separators(lang)}
    if height is not None:
        layout["height"] = height
    return {"data": list(traces), "layout": layout}


def iso_days(stamps) -> list[str]:
    """Dates as 'YYYY-MM-DD', the way Plotly.js reads a date axis (and short in the page's JSON)."""
    return pd.DatetimeIndex(stamps).strftime("%Y-%m-%d").tolist()


def plain_label(text: object) -> str:
    """Text from loaded data as plain text in a Plotly label or hover text, which read <tags> and &entities;."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def json_values(values) -> list:
    """A column, array or list (of lists) as plain Python values, missing ones (NaN, NaT) as None: what a figure dict
    holds. A NaN left in makes Plotly's JSON encoder parse and write the whole response a second time."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    return [json_values(v) if isinstance(v, list) else None if v is None or v != v else v for v in values]


def graph_config(lang: str = "sv") -> dict:
    """`config=` for every dcc.Graph: the Plotly locale (Swedish month names, menu texts), no Plotly logo,
    and a PNG download at twice the size so charts stay sharp in the lägesrapport."""
    return {
        "locale": PLOTLY_LOCALES.get(lang, "sv"),
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }
