"""The Effekt page's trend chart: observed months, the segmented fit, and the counterfactual line without the break."""

from __future__ import annotations

from lagesbild.charts.theme import BASELINE_COLOUR, OKABE_ITO, figure_dict, iso_days
from lagesbild.i18n import t
from lagesbild.stats.its import SegmentedFit

ITS_HEIGHT = 460


def its_figure(fit: SegmentedFit, lang: str, unit: str) -> dict:
    """Observed counts as dots, the fitted line, and the pre-break trend continued (dashed) from the break on."""
    xs = iso_days(list(fit.months))
    after = [i for i, month in enumerate(fit.months) if month >= fit.break_month]
    start = after[0] if after else len(xs)
    traces = [
        {"type": "scatter", "mode": "markers", "name": t("effekt.its.observed", lang), "x": xs,
         "y": list(fit.observed), "marker": {"color": OKABE_ITO["black"], "size": 6},
         "hovertemplate": "%{x|%b %Y}: %{y}<extra></extra>"},
        {"type": "scatter", "mode": "lines", "name": t("effekt.its.fitted", lang), "x": xs,
         "y": [round(v, 2) for v in fit.fitted], "line": {"color": OKABE_ITO["blue"], "width": 3},
         "hovertemplate": "%{x|%b %Y}: %{y:.1f}<extra></extra>"},
        {"type": "scatter", "mode": "lines", "name": t("effekt.its.counterfactual", lang), "x": xs[start:],
         "y": [round(v, 2) for v in fit.counterfactual[start:]],
         "line": {"color": OKABE_ITO["vermillion"], "width": 3, "dash": "dash"},
         "hovertemplate": "%{x|%b %Y}: %{y:.1f}<extra></extra>"},
    ]
    layout = {
        "xaxis": {"type": "date", "title": {"text": ""}},
        "yaxis": {"title": {"text": unit}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.15},
        "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": iso_days([fit.break_month])[0],
                    "x1": iso_days([fit.break_month])[0], "y0": 0, "y1": 1,
                    "line": {"color": BASELINE_COLOUR, "width": 2, "dash": "dot"}}],
        "margin": {"t": 20},
    }
    return figure_dict(traces, layout, lang, ITS_HEIGHT)
