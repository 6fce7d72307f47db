"""One sentence saying what a chart shows, read off its Plotly figure: its span and its highest and latest value
(a time series), its largest group (bars by group) or its highest cell (a heat map). The text alternative of every
chart on the pages (screen readers; the map has its own text layer)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from lagesbild.i18n import t
from lagesbild.i18n.formats import fmt_dec, fmt_int, fmt_month, fmt_pct


def figure_summary(figure: dict, title: str, lang: str) -> str:
    traces = [trace for trace in figure.get("data", []) if trace.get("visible", True) is True]
    heat = [trace for trace in traces if trace.get("type") == "heatmap"]
    if heat:
        return _heatmap(heat[0], title, lang)
    bars = [trace for trace in traces if trace.get("type") == "bar"]
    lines = [trace for trace in traces if trace.get("type") in ("scatter", "scattergl", None)
             and not (trace.get("line") or {}).get("dash")]  # a dashed line is a reference, not the data
    shown = bars or lines
    if not shown:
        return t("chart.summary.empty", lang, title=title)
    layout = figure.get("layout") or {}
    axes_formats = [str((layout.get(axis) or {}).get(key, "")) for axis in ("xaxis", "yaxis")
                    for key in ("tickformat", "ticksuffix")]
    percent = "share" if any("%" in f for f in axes_formats[::2]) else \
        "points" if any("%" in f for f in axes_formats[1::2]) else ""
    horizontal = all(trace.get("orientation") == "h" for trace in shown)
    axes = ("y", "x") if horizontal else ("x", "y")
    pairs = [(trace.get(axes[0]) or [], trace.get(axes[1]) or []) for trace in shown]
    stacked = bool(bars) and layout.get("barmode") in ("stack", "relative")
    combined = _totals(pairs) if stacked or len(pairs) == 1 else _highest(pairs)
    if not combined:
        return t("chart.summary.empty", lang, title=title)
    if horizontal or not all(_is_time(key) for key in combined):
        return _groups(combined, title, lang, percent)
    return _series(combined, title, lang, percent)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _totals(pairs: Sequence[tuple[Sequence, Sequence]]) -> dict:
    """Per x (or group): the sum over the traces (stacked bars add up), hidden or missing values left out."""
    totals: dict = {}
    for keys, values in pairs:
        for key, value in zip(keys, values, strict=False):
            number = _number(value)
            if number is not None:
                totals[key] = totals.get(key, 0.0) + number
    return totals


def _highest(pairs: Sequence[tuple[Sequence, Sequence]]) -> dict:
    """Per x: the highest value over the traces (series side by side, e.g. one per survey: shares do not add up)."""
    highest: dict = {}
    for keys, values in pairs:
        for key, value in zip(keys, values, strict=False):
            number = _number(value)
            if number is not None and (key not in highest or number > highest[key]):
                highest[key] = number
    return highest


def _is_time(key) -> bool:
    text = str(key)
    return text[:4].isdigit() and (len(text) == 4 or text[4:5] == "-")


def _value(number: float, lang: str, percent: str = "") -> str:
    """'12', '12,5', a share as '64 %', or a number already in percent ('64,2' with ' %' on the axis) as '64,2 %'."""
    if percent == "share":
        return fmt_pct(number, 0, lang)
    if percent == "points":
        return f"{fmt_dec(number, 1, lang)}\u00a0%"
    return fmt_int(number, lang) if float(number).is_integer() else fmt_dec(number, 1, lang)


def _label(key, lang: str) -> str:
    text = str(key)
    if len(text) >= 7 and text[4] == "-" and text[:4].isdigit():  # a month or day on a time axis
        try:
            return fmt_month(date(int(text[:4]), int(text[5:7]), 1), lang)
        except ValueError:
            return text
    return text


def _series(totals: dict, title: str, lang: str, percent: str) -> str:
    keys = sorted(totals, key=str)
    top = max(keys, key=lambda key: totals[key])
    return t("chart.summary.series", lang, title=title, first=_label(keys[0], lang), last=_label(keys[-1], lang),
             max=_value(totals[top], lang, percent), at=_label(top, lang),
             latest=_value(totals[keys[-1]], lang, percent))


def _groups(totals: dict, title: str, lang: str, percent: str) -> str:
    top = max(totals, key=lambda key: totals[key])
    return t("chart.summary.groups", lang, title=title, top=_label(top, lang), value=_value(totals[top], lang, percent),
             count=fmt_int(len(totals), lang))


def _heatmap(trace: dict, title: str, lang: str) -> str:
    best = None
    for row, y in zip(trace.get("z") or [], trace.get("y") or range(10**6), strict=False):
        for value, x in zip(row or [], trace.get("x") or range(10**6), strict=False):
            number = _number(value)
            if number is not None and (best is None or number > best[0]):
                best = (number, y, x)
    if best is None:
        return t("chart.summary.empty", lang, title=title)
    return t("chart.summary.heatmap", lang, title=title, max=_value(best[0], lang), row=_label(best[1], lang),
             column=_label(best[2], lang))
