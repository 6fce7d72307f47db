"""The lägesrapport's charts as pictures: each chart's figure drawn to a PNG on the process's one kaleido server."""

from __future__ import annotations

from lagesbild.render.figure_image import plot_spec, render
from lagesbild.report.model import Chart

CHART_SCALE = 2  # twice the pixels, so the pictures stay sharp when printed or zoomed in Word


def chart_png(chart: Chart) -> bytes:
    """The chart's figure as a PNG (the system Chromium, started once and reused), drawn as the dashboard draws it
    (its template, month names in the chart's language). No caption is burned in: the document puts a real caption
    under the picture."""
    return render(plot_spec(chart.figure, chart.lang, chart.width_px, chart.height_px),
                  {"format": "png", "scale": CHART_SCALE})
