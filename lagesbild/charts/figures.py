"""Charts as pure functions, DataFrame -> figure dict, in the 'lagesbild' template: monthly series with the baseline
year as reference and the measures marked, ranked bars, the weekday × hour heat map, the measure timeline, grants.

No SQL and no Dash here: the queries layer gives the frames, pages put the figures in dcc.Graph. Every label
comes in Swedish or English (`lang`), numbers in hover and text the Swedish way (lagesbild.i18n.formats). A figure is a
plain dict as Plotly.js takes it (lagesbild.charts.theme.figure_dict); `go.Figure(fig)` validates one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from lagesbild.charts.theme import (
    COLORWAY,
    GREY,
    OKABE_ITO,
    TARGET_COLOUR,
    category_colour_map,
    figure_dict,
    iso_days,
    json_values,
    plain_label,
)
from lagesbild.disclosure import COMPLEMENT, HIDDEN, cell_text, is_small_reason
from lagesbild.i18n import lang_or_default, t
from lagesbild.i18n.formats import SHORT_MONTHS, fmt_int, fmt_month, fmt_pct

WEEKDAYS = {
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
HOURS = tuple(range(24))
SEASON = (6, 8)  # June–August: the summer season, shaded on every time series
SEASON_SHADE = "rgba(240, 228, 66, 0.22)"  # Okabe–Ito yellow, light enough that bars stay readable over it
MARKER_INK = "#222222"
HEAT_SCALE = [[0.0, "#F4F8FC"], [0.5, "#6FA8D6"], [1.0, "#0B3C6B"]]  # one hue, light to dark: no red/green
MEASURE_ROW_PX = 27  # height of one row of measure numbers above the plot
MAX_LABEL = 44
DEFAULT_HEIGHT = 480

DEFAULT_BASELINE_YEAR = 2022  # the reference line's year when a caller does not say (area.yaml's baseline_year)


def text(key: str, lang: str = "sv", **params: object) -> str:
    """One of the figures' labels ('reference', 'season', ...; the 'fig.' keys of lagesbild.i18n) in `lang`."""
    return t(f"fig.{key}", lang, **params)


def _figure_of(traces: list[dict], layout: dict, lang: str, height: int | None) -> dict:
    """A figure dict (lagesbild.charts.theme.figure_dict) in `lang`: what every function here returns."""
    return figure_dict(traces, layout, lang_or_default(lang), height)


def _months(values) -> pd.Series:
    """Dates as the first day of their month."""
    stamps = pd.to_datetime(pd.Series(values))
    if stamps.dt.tz is not None:
        return stamps.dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    return pd.Series(stamps.to_numpy().astype("datetime64[M]").astype("datetime64[ns]"), index=stamps.index)


def _all_months(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    return pd.date_range(first, last, freq="MS")


def _short(title: str, limit: int = MAX_LABEL) -> str:
    title = " ".join(str(title).split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


# ---- monthly time series ------------------------------------------------------------------------------------


def monthly_series(
    frame: pd.DataFrame,
    lang: str = "sv",
    *,
    group: str | None = "category",
    colours: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    baseline: pd.DataFrame | None = None,
    baseline_year: int = DEFAULT_BASELINE_YEAR,
    stacked: bool = True,
    y_title: str = "",
    decimals: int = 0,
    height: int | None = DEFAULT_HEIGHT,
) -> dict:
    """Values per month, one colour per group: stacked bars (or lines, stacked=False), with a reference line.

    frame: one row per month (and group): `month` (first day of the month, date or datetime), `value` and,
        unless group is None, the `group` column (e.g. 'category', as queries.monthly(..., by='category')
        gives). Months missing between the first and the last count as 0.
    colours, labels: per group value; groups are drawn in the order of `labels` (else by total, largest
        first), unknown ones after, in grey when they have no colour.
    baseline: `month` and `value` rows (any other columns are summed over) for at least the baseline year,
        usually the same query without the page's month filter, so the reference is drawn even when the
        period starts later. None or no rows in the baseline year: no reference line.
    The reference line, "Referens 2022", is drawn at every month after the baseline year at the value of the
    same calendar month in the baseline year (the sum over all groups), so seasonality cancels.
    Empty frames are not drawn: the page shows an explanation instead (see the pages' empty states).
    """
    lang = lang_or_default(lang)
    data = frame.assign(month=_months(frame["month"]).to_numpy())
    if group is None:
        data = data.assign(_group="value")
        group = "_group"
    months = _all_months(data["month"].min(), data["month"].max())
    table = data.groupby(["month", group])["value"].sum().unstack(group, fill_value=0)  # pivot_table, 3× faster
    table = table.reindex(months, fill_value=0)
    value_format = f",.{decimals}f"
    reasons = _hidden_table(data, group, months, table.columns)
    xs = iso_days(months)
    traces = []
    for key in _group_order(table.sum(), labels):
        trace = _series_trace(xs, table[key], stacked, name=(labels or {}).get(key, str(key)),
                              colour=(colours or {}).get(key), fmt=value_format)
        if reasons is not None:
            _show_hidden(trace, table[key], reasons[key], lang, decimals)
        traces.append(trace)
    if reasons is not None and (reasons != "").any().any():
        traces.append(_hidden_marks(table, reasons, labels, stacked, lang))
    reference = reference_values(baseline, months, baseline_year) if baseline is not None else pd.Series()
    if not reference.empty:
        traces.append(_reference_trace(reference, baseline_year, lang, value_format))
    for trace in traces:
        trace.update(xperiod="M1", xperiodalignment="middle")
    dtick = _month_dtick(len(months))
    # a label per month sits under its bar; sparser labels mark where their month begins
    layout = dict(**({"barmode": "stack"} if stacked else {}), hovermode="x unified", bargap=0.15, showlegend=True,
                  legend=dict(traceorder="normal"),
                  xaxis=dict(type="date", tickformat="%b %Y", hoverformat="%B %Y", dtick=dtick,
                             ticklabelmode="period" if dtick == "M1" else "instant"),
                  yaxis=dict(title=dict(text=y_title), rangemode="tozero"))
    return _figure_of(traces, layout, lang, height)


def category_time_series(
    frame: pd.DataFrame,
    kind: str,
    lang: str = "sv",
    *,
    labels: Mapping[str, str] | None = None,
    baseline: pd.DataFrame | None = None,
    baseline_year: int = DEFAULT_BASELINE_YEAR,
    y_title: str | None = None,
    height: int | None = DEFAULT_HEIGHT,
) -> dict:
    """monthly_series for queries.monthly(engine, kind, by='category'): stacked bars in the category colours
    of `kind` ('incidents', 'outreach', 'events') from lagesbild.charts.theme, labels from the vocabulary."""
    return monthly_series(frame, lang, group="category", colours=category_colour_map(kind), labels=labels,
                          baseline=baseline, baseline_year=baseline_year,
                          y_title=text("count", lang) if y_title is None else y_title, height=height)


def _hidden_table(data: pd.DataFrame, group: str, months, groups) -> pd.DataFrame | None:
    """month × group of disclosure reasons ('' shown), when the frame went through disclosure.protect."""
    if HIDDEN not in data.columns:
        return None
    grid = {key: [""] * len(months) for key in groups}
    row = {month: i for i, month in enumerate(months)}
    shut = data[HIDDEN].fillna("") != ""
    for month, key, reason in zip(data["month"][shut], data[group][shut], data[HIDDEN][shut], strict=True):
        grid[key][row[month]] = max(grid[key][row[month]], reason)  # 'small' before 'complement', as ever
    return pd.DataFrame(grid, index=months, columns=groups, dtype=object)


def _show_hidden(trace, values: pd.Series, reasons: pd.Series, lang: str, decimals: int) -> None:
    """A series' hover says '<5' or 'dolt' for its hidden months (drawn as 0: no bar, no point)."""
    shown = [cell_text(v, r, lang, decimals) for v, r in zip(values, reasons, strict=True)]
    trace.update(customdata=shown, hovertemplate=f"%{{customdata}}<extra>{_hover_safe(trace['name'])}</extra>")
    if trace["type"] != "bar":
        trace.update(y=[None if r else v for v, r in zip(values.tolist(), reasons, strict=True)])


def _hidden_marks(table: pd.DataFrame, reasons: pd.DataFrame, labels, stacked: bool, lang: str) -> dict:
    """A '<5' mark over each month with hidden cells, saying which groups are hidden: unlike a zero, it is seen."""
    grid = reasons.to_numpy()
    rows = np.flatnonzero((grid != "").any(axis=1))
    cells = table.to_numpy()[rows]
    tops = cells.sum(axis=1) if stacked else cells.max(axis=1)
    names = [_hover_safe((labels or {}).get(key, str(key))) for key in reasons.columns]
    marks, hovers = [], []
    for row in grid[rows].tolist():
        hidden = [(name, reason) for name, reason in zip(names, row, strict=True) if reason]
        small = next((reason for _, reason in hidden if is_small_reason(reason)), COMPLEMENT)
        marks.append(cell_text(None, small, lang))
        hovers.append("<br>".join(f"{name}: {cell_text(None, reason, lang)}" for name, reason in hidden))
    return dict(type="scatter", x=iso_days(reasons.index[rows]), y=tops.tolist(), mode="markers+text", text=marks,
                textposition="top center", marker=dict(symbol="circle-open", size=9, color=MARKER_INK),
                textfont=dict(color=MARKER_INK), name=text("hidden", lang), customdata=hovers,
                hovertemplate="%{customdata}<extra></extra>", cliponaxis=False)


def reference_values(baseline: pd.DataFrame, months: Sequence, baseline_year: int) -> pd.Series:
    """For every month after the baseline year: the baseline year's value of the same calendar month.

    Indexed by month; empty when the baseline has no rows in the baseline year (nothing to compare with).
    """
    if baseline is None or baseline.empty:
        return pd.Series(dtype=float)
    stamps = _months(baseline["month"])
    picked = (stamps.dt.year == baseline_year).to_numpy()
    if not picked.any():
        return pd.Series(dtype=float)
    calendar = stamps.dt.month.to_numpy()[picked].tolist()
    values = pd.to_numeric(baseline["value"], errors="coerce").to_numpy(dtype=float)[picked].tolist()
    by_month: dict[int, float] = {}
    for month, value in zip(calendar, values, strict=True):  # a sum that skips the missing, as pandas' does
        by_month[month] = by_month.get(month, 0.0) + (value if value == value else 0.0)
    if HIDDEN in baseline.columns:  # a hidden month of the baseline is a gap in the line, not a zero
        for month, reason in zip(calendar, baseline[HIDDEN].to_numpy()[picked].tolist(), strict=True):
            if reason != "":
                by_month[month] = math.nan
    axis = pd.DatetimeIndex(months)
    later = axis[axis.year > baseline_year]
    return pd.Series([by_month.get(month, 0.0) for month in later.month.tolist()], index=later, dtype=float)


def _group_order(totals: pd.Series, labels: Mapping[str, str] | None) -> list:
    """The groups in the order of `labels` (the vocabulary's order), others after them, largest first."""
    by_total = list(totals.sort_values(ascending=False, kind="stable").index)
    if not labels:
        return by_total
    known = [key for key in labels if key in totals.index]
    return known + [key for key in by_total if key not in known]


def _series_trace(xs: list[str], values, stacked: bool, *, name: str, colour: str | None, fmt: str) -> dict:
    common = dict(x=xs, y=values.tolist(), name=name,
                  hovertemplate=f"%{{y:{fmt}}}<extra>{_hover_safe(name)}</extra>")
    if stacked:
        return dict(type="bar", marker=dict(color=colour or GREY["mid"]), **common)
    return dict(type="scatter", mode="lines+markers", line=dict(color=colour) if colour else {}, **common)


def _reference_trace(reference: pd.Series, baseline_year: int, lang: str, fmt: str) -> dict:
    hover = [text("reference_hover", lang, year=baseline_year, month=fmt_month(date(baseline_year, m.month, 1), lang))
             for m in reference.index]
    return dict(
        type="scatter", x=iso_days(reference.index), y=json_values(reference),
        name=text("reference", lang, year=baseline_year),
        mode="lines", line=dict(color=TARGET_COLOUR, width=2.5, dash="dash", shape="hvh"),
        customdata=hover, hovertemplate=f"%{{y:{fmt}}}<extra>%{{customdata}}</extra>",
    )


def _hover_safe(name: str) -> str:
    """Plotly reads <tags> and &entities; in hover text and %{…} in hover templates; a label or title is plain
    text, so `&lt;b&gt;` typed in a title shows as typed too."""
    return plain_label(name).replace("%{", "% {")


def _month_dtick(n_months: int) -> str:
    """A tick every month for a year, every quarter up to three years, else every half year."""
    return "M1" if n_months <= 13 else "M3" if n_months <= 36 else "M6"


# ---- measures and the summer season on a time series ----------------------------------------------------------


def annotate_measures(
    fig: dict,
    events: pd.DataFrame | None,
    lang: str = "sv",
    *,
    season: tuple[int, int] | None = SEASON,
    max_label: int = MAX_LABEL,
) -> dict:
    """Mark measures and the summer season on a figure with a date x axis (any of this module's time series).

    events: one row per measure, with `date` and `title` (other columns are ignored), e.g.
        queries.measure_markers(engine, month_from=..., month_to=...). Only those inside the figure's x range
        are drawn, so the axis never stretches to show them.
    Each measure gets a dotted vertical line and a numbered box in a band above the plot (the numbers step
    down a row when two would touch, so they never overlap); the number, a short title and the date are in
    a second legend under the chart and in the box's hover. With `season` (first, last month), those months
    of every year are shaded, and the legend says so. Returns `fig`, changed in place.
    """
    lang = lang_or_default(lang)
    span = _x_span(fig)
    if span is None:
        return fig
    first, last = span
    # the shapes, annotations and legend entries add_shape/add_annotation/add_vrect would add, after the figure's own
    layout = fig["layout"]
    shapes, annotations, traces = [], [], []
    rows = _mark_measures(layout, _measures_in(events, first, last), lang, first, last, max_label,
                          shapes, annotations, traces)
    shaded = _shade_seasons(first, last, season, lang, shapes, traces) if season else False
    if shapes:
        layout["shapes"] = [*layout.get("shapes", ()), *shapes]
    if annotations:
        layout["annotations"] = [*layout.get("annotations", ()), *annotations]
    fig["data"] = [*fig["data"], *traces]
    if rows or shaded:
        title = dict(text=text("measures", lang) if rows else "", side="top left", font=dict(size=15))
        layout["legend2"] = dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, title=title,
                                 font=dict(size=15), itemclick=False, itemdoubleclick=False,
                                 bgcolor="rgba(255,255,255,0)")
    return fig


def _x_span(fig: dict) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The dates the figure's traces cover; monthly (period) traces reach to the end of their last month.
    None when the x axis does not hold dates."""
    if fig["layout"].get("xaxis", {}).get("type") not in (None, "-", "date"):
        return None
    lows, highs = [], []
    for trace in fig["data"]:
        values = trace.get("x")
        xs = [] if values is None else [x for x in list(values) if x is not None]
        if not xs:
            continue
        ends = _date_ends(xs)
        if ends is None:
            return None
        lows.append(ends[0])
        monthly = trace.get("xperiod") == "M1"
        highs.append(ends[1] + pd.offsets.MonthBegin(1) if monthly else ends[1])
    return (min(lows), max(highs)) if lows else None


def _date_ends(xs: list) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last of some x values as dates, or None when they are not dates."""
    try:
        if all(isinstance(x, str) for x in xs):  # dates as ISO text (as this module writes them) sort as the dates do
            return pd.Timestamp(min(xs)), pd.Timestamp(max(xs))
        column = pd.Series(xs)
        if pd.api.types.is_numeric_dtype(column):
            return None
        stamps = pd.to_datetime(column)
    except (ValueError, TypeError):
        return None
    return stamps.min(), stamps.max()


def _measures_in(events: pd.DataFrame | None, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    if events is None or events.empty:
        return pd.DataFrame(columns=["date", "title"])
    data = events.assign(date=pd.to_datetime(events["date"])).sort_values("date", kind="stable")
    return data[(data["date"] >= first) & (data["date"] <= last)]


def _shade_seasons(first: pd.Timestamp, last: pd.Timestamp, season: tuple[int, int], lang: str,
                   shapes: list[dict], traces: list[dict]) -> bool:
    """The season's months of every year in the span as shaded rects (what add_vrect would add), and their key."""
    start_month, end_month = season
    shaded = False
    for year in range(first.year, last.year + 1):
        start = max(pd.Timestamp(year, start_month, 1), first)
        end = min(pd.Timestamp(year, end_month, 1) + pd.offsets.MonthBegin(1), last)
        if start < end:
            shapes.append(dict(type="rect", x0=start, x1=end, xref="x", y0=0, y1=1, yref="y domain",
                               fillcolor=SEASON_SHADE, line=dict(width=0), layer="below"))
            shaded = True
    if shaded:
        names = SHORT_MONTHS[lang]
        traces.append(dict(
            type="scatter", x=[None], y=[None], mode="markers", legend="legend2", hoverinfo="skip",
            marker=dict(symbol="square", size=16, color=SEASON_SHADE, line=dict(color="#C9BD2A", width=1)),
            name=text("season", lang, first=names[start_month - 1], last=names[end_month - 1]),
        ))
    return shaded


def _mark_measures(layout: dict, measures: pd.DataFrame, lang: str, first: pd.Timestamp, last: pd.Timestamp,
                   max_label: int, shapes: list[dict], annotations: list[dict], traces: list[dict]) -> int:
    """Numbered boxes in staggered rows above the plot (their lines, boxes and keys appended to the lists, the
    plot's y domain lowered under them); returns the number of rows used."""
    if measures.empty:
        return 0
    rows = _stagger(list(measures["date"]), first, last)
    n_rows = max(rows) + 1
    row_height = MEASURE_ROW_PX / (0.6 * (layout.get("height") or DEFAULT_HEIGHT))  # the plot is about 60 % of it
    top = 1 - row_height * n_rows - 0.02
    layout["yaxis"] = {**layout.get("yaxis", {}), "domain": [0, top]}
    line = dict(color=MARKER_INK, width=1.5, dash="dot")
    for number, (row, day, title) in enumerate(zip(rows, measures["date"], measures["title"], strict=True), start=1):
        label = f"{number} {_short(title, max_label)} ({_short_date(day, lang)})"
        y = top + 0.01 + row_height * (n_rows - 1 - row)
        shapes.append(dict(type="line", x0=day, x1=day, yref="paper", y0=0, y1=y, line=line, layer="above"))
        annotations.append(dict(x=day, y=y, yref="paper", yanchor="bottom", text=str(number),
                                hovertext=_hover_safe(label), showarrow=False, bgcolor="white",
                                bordercolor=MARKER_INK, borderwidth=1.5, borderpad=2,
                                font=dict(size=15, color=MARKER_INK)))
        traces.append(dict(type="scatter", x=[None], y=[None], mode="lines", legend="legend2", hoverinfo="skip",
                           name=label, line=line))
    return n_rows


def _stagger(dates: list[pd.Timestamp], first: pd.Timestamp, last: pd.Timestamp, min_gap: float = 0.025) -> list[int]:
    """A row per date such that two numbers in the same row are at least `min_gap` of the axis apart."""
    span = max((last - first).days, 1)
    row_ends: list[pd.Timestamp] = []
    rows = []
    for day in dates:
        row = next((i for i, end in enumerate(row_ends) if (day - end).days / span >= min_gap), len(row_ends))
        if row == len(row_ends):
            row_ends.append(day)
        row_ends[row] = day
        rows.append(row)
    return rows


def _short_date(day, lang: str) -> str:
    day = pd.Timestamp(day)
    return f"{day.day} {SHORT_MONTHS[lang][day.month - 1]} {day.year}"


# ---- bars, heat map, timeline, grants --------------------------------------------------------------------------


def ranked_bars(
    frame: pd.DataFrame,
    lang: str = "sv",
    *,
    label: str = "label",
    value: str = "value",
    colours: Mapping[str, str] | str | None = None,
    decimals: int = 0,
    x_title: str = "",
    height: int | None = None,
) -> dict:
    """Horizontal bars, largest at the top, each with its number written beside it ('12 345').

    frame: a `label` and a `value` column. colours: one colour for all bars, or {label: colour}.
    The height grows with the number of bars unless given.
    """
    lang = lang_or_default(lang)
    data = frame.sort_values(value, ascending=False, kind="stable")
    if HIDDEN in data.columns:  # hidden bars last, by name: their order must not hint at their size
        data = frame.sort_values([value, label], ascending=[False, True], kind="stable", na_position="last")
    values = data[value].astype(float).fillna(0.0)  # a hidden count has no bar; its label says '<5' or 'dolt'
    reasons = data[HIDDEN].tolist() if HIDDEN in data.columns else [""] * len(data)
    names = [str(name) for name in data[label]]
    if isinstance(colours, Mapping):
        marker = [colours.get(name, GREY["mid"]) for name in names]
    else:
        marker = colours or OKABE_ITO["blue"]
    numbers = [cell_text(v, r, lang, decimals) for v, r in zip(values, reasons, strict=True)]
    bars = dict(type="bar", x=values.tolist(), y=names, orientation="h", marker=dict(color=marker), text=numbers,
                textposition="outside", cliponaxis=False, customdata=numbers,
                hovertemplate="%{y}: %{customdata}<extra></extra>")
    layout = dict(yaxis=dict(autorange="reversed", ticks="", title=dict(text="")),
                  xaxis=dict(title=dict(text=x_title), rangemode="tozero", range=[0, float(values.max() or 1) * 1.15]),
                  showlegend=False, margin=dict(t=24), bargap=0.25)
    return _figure_of([bars], layout, lang, height or 110 + 46 * len(names))


def bar_by_place(
    frame: pd.DataFrame,
    place_names: Mapping[str, str],
    lang: str = "sv",
    *,
    value: str = "value",
    decimals: int = 0,
    x_title: str = "",
) -> dict:
    """ranked_bars for queries.totals(engine, kind, by='place_id'): place ids shown by their names."""
    data = frame.assign(label=[place_names.get(p, p) for p in frame["place_id"]])
    return ranked_bars(data, lang, value=value, decimals=decimals, x_title=x_title)


def weekday_hour_heatmap(frame: pd.DataFrame, lang: str = "sv", *, value_title: str | None = None,
                         height: int | None = 420) -> dict:
    """A 7 × 24 heat map (mån…sön from the top, hours 0–23) of queries.weekday_hour's `weekday`, `hour`, `value`.

    weekday 0 is Monday; cells without rows are 0. One hue from light to dark, so it reads in grey too.
    """
    lang = lang_or_default(lang)
    grid = weekday_hour_grid(frame)
    shut = weekday_hour_reasons(frame)
    days = list(WEEKDAYS[lang])
    hover = [[f"{days[d]} {text('at_hour', lang, hour=f'{h:02d}')}: {cell_text(grid[d][h], shut[d][h], lang)}"
              for h in HOURS] for d in range(7)]
    heat = dict(type="heatmap", z=[[None if shut[d][h] else grid[d][h] for h in HOURS] for d in range(7)],
                x=list(HOURS), y=days,
                colorscale=HEAT_SCALE, xgap=2, ygap=2, customdata=hover, hovertemplate="%{customdata}<extra></extra>",
                hoverongaps=True, zmin=0, zmax=max([1.0, *(v for row in grid for v in row if v == v)]),
                colorbar=dict(title=dict(text=value_title or text("count", lang), side="top"), thickness=16))
    # counts start at 0: an all-zero grid (a partner's, where every other cell is '<5') is the lightest colour, not a
    # scale around 0 that paints zeros mid-blue
    if any(any(row) for row in shut):  # hidden cells are blank, with '<5' or 'dolt' written in them
        heat.update(text=[[cell_text(None, shut[d][h], lang) if shut[d][h] else "" for h in HOURS] for d in range(7)],
                    texttemplate="%{text}", textfont=dict(size=11, color=MARKER_INK))
    layout = dict(xaxis=dict(title=dict(text=text("hour", lang)), tickmode="array", tickvals=list(HOURS),
                             showgrid=False, ticks="", tickfont=dict(size=15)),
                  yaxis=dict(autorange="reversed", showgrid=False, ticks=""), margin=dict(t=24))
    return _figure_of([heat], layout, lang, height)


def weekday_hour_reasons(frame: pd.DataFrame) -> list[list[str]]:
    """7 × 24 disclosure reasons ('' shown) when the frame went through disclosure.protect."""
    grid = [[""] * 24 for _ in range(7)]
    if HIDDEN not in frame.columns:
        return grid
    for weekday, hour, reason in frame[["weekday", "hour", HIDDEN]].itertuples(index=False):
        if reason and pd.notna(weekday) and pd.notna(hour) and 0 <= int(weekday) < 7 and 0 <= int(hour) < 24:
            grid[int(weekday)][int(hour)] = reason
    return grid


def weekday_hour_grid(frame: pd.DataFrame) -> list[list[float]]:
    """7 rows (Monday first) × 24 hours of summed values; rows with weekday or hour out of range are ignored."""
    grid = [[0.0] * 24 for _ in range(7)]
    for weekday, hour, value in frame[["weekday", "hour", "value"]].itertuples(index=False):
        if pd.notna(weekday) and pd.notna(hour) and 0 <= int(weekday) < 7 and 0 <= int(hour) < 24:
            grid[int(weekday)][int(hour)] += 0.0 if pd.isna(value) else float(value)
    return grid


def measure_timeline(
    frame: pd.DataFrame,
    lang: str = "sv",
    *,
    colours: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    max_lanes: int = 10,
    height: int | None = None,
) -> dict:
    """Measures as points on a date axis, one lane per title (the lane's name is the label, so labels never
    overlap however close the dates), coloured by category.

    frame: `date`, `title`, `category` and optionally `place` (shown in hover), e.g. queries.event_list(...,
    measures_only=True). Lanes are ordered by their first date; beyond `max_lanes` titles the rarest share
    one lane, "Övriga åtgärder".
    """
    lang = lang_or_default(lang)
    data = frame.assign(date=pd.to_datetime(frame["date"])).sort_values("date", kind="stable")
    data = data.assign(lane=_lanes(data["title"], max_lanes, lang))
    lanes = list(dict.fromkeys(data.sort_values("date", kind="stable")["lane"]))
    traces = []
    for category in _group_order(data["category"].value_counts(), labels):
        part = data[data["category"] == category]
        hover = [_timeline_hover(row, lang) for row in part.itertuples(index=False)]
        traces.append(dict(
            type="scatter", x=iso_days(part["date"]), y=part["lane"].tolist(), mode="markers",
            name=(labels or {}).get(category, category),
            marker=dict(size=16, color=(colours or {}).get(category, GREY["mid"]), line=dict(color="white", width=1.5)),
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        ))
    layout = dict(yaxis=dict(categoryorder="array", categoryarray=lanes, autorange="reversed", title=dict(text=""),
                             ticks=""),
                  xaxis=dict(type="date", tickformat="%b %Y", hoverformat="%-d %B %Y"), hovermode="closest")
    return _figure_of(traces, layout, lang, height or 140 + 52 * len(lanes))


def _lanes(titles: pd.Series, max_lanes: int, lang: str) -> list[str]:
    names = [_short(title) for title in titles]
    counts = pd.Series(names).value_counts(sort=False)
    if len(counts) <= max_lanes:
        return names
    kept = set(counts.sort_values(ascending=False, kind="stable").index[: max_lanes - 1])
    return [name if name in kept else text("other_measures", lang) for name in names]


def _timeline_hover(row, lang: str) -> str:
    place = getattr(row, "place", None)
    where = f" · {_hover_safe(str(place))}" if isinstance(place, str) and place else ""
    return f"{_short_date(row.date, lang)}{where}<br>{_hover_safe(str(row.title))}"


def grants_against_cap(frame: pd.DataFrame, cap_sek: float | None, lang: str = "sv",
                       *, height: int | None = 420) -> dict:
    """Association grants per year (`year`, `grant_sek`, as queries.grants_by_year gives) against the cap.

    Bars within the cap are green, over it red (the legend names both), and each bar carries its amount and
    its share of the cap ('259 500 kr', '94 %'), so the colour is never the only sign. Without a cap there is
    no line and every bar is blue.
    """
    lang = lang_or_default(lang)
    data = frame.assign(year=frame["year"].astype(int).astype(str), grant_sek=frame["grant_sek"].astype(float))
    traces = []
    groups = [(None, data, OKABE_ITO["blue"])] if not cap_sek else [
        ("within_cap", data[data["grant_sek"] <= cap_sek], OKABE_ITO["bluish_green"]),
        ("over_cap", data[data["grant_sek"] > cap_sek], OKABE_ITO["vermillion"]),
    ]
    for key, part, colour in groups:
        if part.empty:
            continue
        words = [_grant_text(v, cap_sek, lang) for v in part["grant_sek"]]
        traces.append(dict(type="bar", x=part["year"].tolist(), y=part["grant_sek"].tolist(),
                           name=text(key, lang) if key else text("grants", lang), marker=dict(color=colour),
                           text=[f"<b>{w}</b>" for w in words], textposition="inside", insidetextanchor="end",
                           textangle=0, textfont=dict(color="white", size=18), customdata=words,
                           hovertemplate="%{x}: %{customdata}<extra></extra>"))
    top = max(float(data["grant_sek"].max() or 0), float(cap_sek or 0)) * 1.2 or 1
    layout = dict(xaxis=dict(type="category", categoryorder="category ascending", title=dict(text="")),
                  yaxis=dict(title=dict(text=text("kr", lang)), range=[0, top]),
                  barmode="overlay", showlegend=bool(cap_sek), bargap=0.35)
    if cap_sek:  # the line and label add_hline(annotation_position="top right") would add
        layout["shapes"] = [dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=cap_sek, y1=cap_sek,
                                 line=dict(color=TARGET_COLOUR, width=2.5, dash="dash"), layer="above")]
        layout["annotations"] = [dict(text=text("cap", lang, amount=f"{fmt_int(cap_sek, lang)} {text('kr', lang)}"),
                                      xref="x domain", x=1, xanchor="right", yref="y", y=cap_sek, yanchor="bottom",
                                      showarrow=False, font=dict(size=16))]
    return _figure_of(traces, layout, lang, height)


def _grant_text(value: float, cap_sek: float | None, lang: str) -> str:
    amount = f"{fmt_int(value, lang)} {text('kr', lang)}"
    return f"{amount}<br>{fmt_pct(value / cap_sek, 0, lang)}" if cap_sek else amount


def colours_in_order(keys: Sequence[str], other: str = "ovrigt") -> dict[str, str]:
    """A colour per key from the template's colourway, in order, with `other` in grey: for groups that are not
    vocabulary categories (e.g. kinds of referral)."""
    palette = [c for c in COLORWAY if c != OKABE_ITO["black"]]
    named = [key for key in keys if key != other]
    colours = {key: palette[i % len(palette)] for i, key in enumerate(named)}
    return colours | ({other: GREY["mid"]} if other in keys else {})
