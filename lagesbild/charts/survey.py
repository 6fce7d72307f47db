"""Survey figures: shares per wave as points or bars with their 95 % intervals and n, never lines between waves."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
from plotly.subplots import make_subplots

from lagesbild.charts.theme import GREY, category_colour, figure_dict, plain_label
from lagesbild.disclosure import HIDDEN, cell_text, hover_text
from lagesbild.filters import parse_month
from lagesbild.i18n import nt, t
from lagesbild.i18n.formats import NBSP, fmt_dec, fmt_int, fmt_month, fmt_pct
from lagesbild.surveys import NTU_AREA, NTU_CITY, NTU_CODES

SMALL_N = 100  # below this many respondents an interval is wide: say so beside the number
# Answer scales in reading order; an answer not listed keeps the order the store gives it, after these.
ANSWER_ORDER = ("Mycket trygg", "Ganska trygg", "Ganska otrygg", "Mycket otrygg", "Går aldrig ut",
                "Ja, ett stort problem", "Ja, ett litet problem", "Nej", "Vet inte")
FIGURE_HEIGHT = 440
_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")


def wave_label(wave: str, lang: str) -> str:
    """'2023-05' -> 'maj 2023'; a year or BRÅ's 'NTU 2021–2022' stays as it is."""
    month = parse_month(wave) if _YEAR_MONTH.fullmatch(str(wave)) else None
    return fmt_month(month, lang, short=True) if month else str(wave)


def n_label(n: float | None, lang: str) -> str:
    return "n = " + fmt_int(n, lang) if n is not None and not pd.isna(n) else "n = " + fmt_int(None, lang)


def is_small(n: float | None) -> bool:
    return n is not None and not pd.isna(n) and n < SMALL_N


def series_name(survey: str, place: str, is_unspecified: bool) -> str:
    """'Platsmätning Tantolunden' already names its place; an area-wide survey gets no place suffix."""
    return survey if is_unspecified or place in survey else f"{survey} · {place}"


def series_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Area-wide surveys first, then the places in their configured order; each series' waves oldest first."""
    keys = [c for c in ("is_unspecified", "sort_order", "survey", "period_end") if c in frame.columns]
    return frame.sort_values(keys, ascending=[c != "is_unspecified" for c in keys], kind="stable")


def percent_axis(lang: str) -> dict:
    return {"ticksuffix": (NBSP + "%") if lang != "en" else "%", "rangemode": "tozero"}


def _pct(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else v * 100 for v in values]


def _has_interval(frame: pd.DataFrame) -> list[bool]:
    return [not (pd.isna(s) or pd.isna(lo) or pd.isna(hi))
            for s, lo, hi in zip(frame["share"], frame["ci_low"], frame["ci_high"], strict=True)]


def _error(frame: pd.DataFrame) -> dict:
    """Error bars from the stored (or Wilson) interval. Draw them only on points that have one: Plotly would
    draw a flat whisker for a missing bound, which reads as a certain value."""
    pairs = list(zip(frame["share"], frame["ci_low"], frame["ci_high"], strict=True))
    plus = [None if pd.isna(high) or pd.isna(share) else (high - share) * 100 for share, _, high in pairs]
    minus = [None if pd.isna(low) or pd.isna(share) else (share - low) * 100 for share, low, _ in pairs]
    return {"type": "data", "array": plus, "arrayminus": minus, "thickness": 2.5, "width": 8, "visible": True}


def _hover(frame: pd.DataFrame, lang: str) -> list[str]:
    return [f"{wave_label(wave, lang)}: <b>{fmt_pct(share, 0, lang)}</b>"
            f" ({fmt_pct(low, 0, lang)}–{fmt_pct(high, 0, lang)})<br>{n_label(n, lang)}"
            for wave, share, low, high, n in zip(frame["wave"], frame["share"], frame["ci_low"], frame["ci_high"],
                                                 frame["n"], strict=True)]


# The figures below are built as plain dicts and validated once, by go.Figure(data=..., layout=...): adding traces
# one by one and updating the layout and axes afterwards made Plotly validate the figure again at every step, which
# took most of the Trygghet page's time.


@lru_cache(maxsize=16)
def _panel_grid(panels: int) -> str:
    """make_subplots' layout (axes, their domains, one title annotation per panel) for one row of `panels` panels
    sharing their y axis, as JSON: the same for every figure with as many panels."""
    grid = make_subplots(rows=1, cols=panels, shared_yaxes=True, subplot_titles=[str(i) for i in range(panels)],
                         horizontal_spacing=0.04)
    layout = grid.layout.to_plotly_json()
    layout.pop("template", None)
    return json.dumps(layout)


def _axis_key(axis: str, col: int) -> str:
    return axis if col == 1 else f"{axis}{col}"


def indicator_figure(frame: pd.DataFrame, category: str, lang: str = "sv") -> dict:
    """One panel per survey series: the indicator's share per wave as a point with its 95 % interval and the
    wave's n above it; a hollow point when n < 100. Markers only: waves are never joined by lines."""
    frame = series_order(frame)
    names = pd.Series([series_name(survey, place, unspecified) for survey, place, unspecified in
                       zip(frame["survey"], frame["place"], frame["is_unspecified"], strict=True)], index=frame.index)
    series = list(dict.fromkeys(names))
    layout = json.loads(_panel_grid(len(series)))
    colour = category_colour("surveys", category)
    top = min(100.0, float(frame[["share", "ci_high"]].max(axis=None)) * 100 + 12)
    traces: list[dict] = []
    for col, name in enumerate(series, start=1):
        part = frame[names == name]
        traces += _indicator_points(part, colour, col, lang)
        # One category per wave, in time order: waves are separate measurements, not points on a time line.
        layout[_axis_key("xaxis", col)].update(type="category", categoryorder="array",
                                               categoryarray=[wave_label(w, lang) for w in part["wave"]], tickangle=0)
        layout[_axis_key("yaxis", col)].update(range=[0, top], **percent_axis(lang))
    layout["yaxis"]["title"] = {"text": t("trygghet.share_axis", lang)}
    for annotation, name in zip(layout["annotations"], series, strict=True):
        annotation.update(text=plain_label(name), font={"size": 19})  # a loaded name is text, never markup
    layout.update(height=FIGURE_HEIGHT, showlegend=False, margin=dict(t=48, l=16, r=16, b=16))
    return figure_dict(traces, layout, lang)


def _indicator_points(part: pd.DataFrame, colour: str, col: int, lang: str) -> list[dict]:
    small = [is_small(n) for n in part["n"]]
    waves = [wave_label(w, lang) for w in part["wave"]]
    axes = {"xaxis": _axis_key("x", col), "yaxis": _axis_key("y", col)}
    label_y = [(h if not pd.isna(h) else s) * 100 for s, h in zip(part["share"], part["ci_high"], strict=True)]
    reasons = list(part[HIDDEN]) if HIDDEN in part.columns else [""] * len(part)
    hidden = [dict(  # a wave hidden by disclosure.protect_shares: its word low in the panel, never a point
        type="scatter", x=[w for w, r in zip(waves, reasons, strict=True) if r], y=[4] * sum(map(bool, reasons)),
        mode="text", text=[cell_text(None, r, lang) for r in reasons if r], textfont=dict(size=16, color="#555555"),
        hovertext=[hover_text(r, lang) for r in reasons if r], hoverinfo="text", name="", cliponaxis=False, **axes,
    )] if any(reasons) else []
    label_y = [8.0 if r else y for y, r in zip(label_y, reasons, strict=True)]
    return hidden + [
        dict(  # the intervals first, so the points are drawn over their whiskers
            type="scatter", x=waves,
            y=[v if ok else None for v, ok in zip(_pct(part["share"]), _has_interval(part), strict=True)],
            mode="markers", marker=dict(size=1, opacity=0), error_y=_error(part) | {"color": colour},
            hoverinfo="skip", name="", cliponaxis=False, **axes),
        dict(type="scatter", x=waves, y=_pct(part["share"]), mode="markers",
             marker=dict(size=16, color=["white" if s else colour for s in small], line=dict(color=colour, width=3),
                         symbol="circle"),
             hovertext=_hover(part, lang), hoverinfo="text", name="", cliponaxis=False, **axes),
        dict(type="scatter", x=list(waves), y=label_y, mode="text", hoverinfo="skip", cliponaxis=False,
             text=[f"<b>{n_label(n, lang)}</b>" if s else n_label(n, lang)
                   for n, s in zip(part["n"], small, strict=True)],
             textposition="top center", textfont=dict(size=16, color="#222222"), name="", **axes),
    ]


def ordered_answers(answers: Sequence[str]) -> list[str]:
    known = [a for a in ANSWER_ORDER if a in answers]
    return known + [a for a in dict.fromkeys(answers) if a not in ANSWER_ORDER]


def wave_shades(colour: str, count: int) -> list[str]:
    """Older waves lighter, the newest in full colour: one colour per category, the waves told apart by shade
    (mixed with white rather than made transparent, so the legend shows the same shade as the bar)."""
    strengths = [1.0] if count <= 1 else [0.3 + 0.7 * i / (count - 1) for i in range(count)]
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return ["#" + "".join(f"{round(255 - (255 - c) * k):02x}" for c in (red, green, blue)) for k in strengths]


def _bars_with_intervals(x: list[str], part: pd.DataFrame, name: str, marker: dict, hover: list[str],
                         labels: list[str] | None = None) -> list[dict]:
    """Bars, plus the intervals (and value labels) as scatter traces in the same offset group, so a bar
    without a published interval gets no whisker and labels sit above the whisker, not on it."""
    shares = _pct(part["share"])
    with_interval_ = _has_interval(part)
    traces = [
        dict(type="bar", x=x, y=[0 if v is None else v for v in shares], name=name, marker=marker, offsetgroup=name,
             hovertext=hover, hoverinfo="text"),
        dict(type="scatter", x=x, y=[v if ok else None for v, ok in zip(shares, with_interval_, strict=True)],
             mode="markers", marker=dict(size=1, opacity=0), error_y=_error(part) | {"color": "#333333"},
             offsetgroup=name, showlegend=False, hoverinfo="skip", cliponaxis=False),
    ]
    if labels is not None:
        tops = [max(v or 0, (hi * 100) if ok else 0) for v, hi, ok in
                zip(shares, part["ci_high"], with_interval_, strict=True)]
        traces.append(dict(type="scatter", x=x, y=tops, mode="text", text=labels, textposition="top center",
                           textfont=dict(size=17, color="#222222"), offsetgroup=name, showlegend=False,
                           hoverinfo="skip", cliponaxis=False))
    return traces


def answers_figure(frame: pd.DataFrame, lang: str = "sv") -> dict:
    """One survey question: each answer's share, one bar per wave with its 95 % interval; n in the legend."""
    frame = frame.sort_values("period_end")
    answers = ordered_answers(list(frame["answer"]))
    colour = category_colour("surveys", str(frame["category"].iloc[0]))
    waves = list(dict.fromkeys(frame["wave"]))
    traces: list[dict] = []
    for wave, shade in zip(waves, wave_shades(colour, len(waves)), strict=True):
        part = _wave_answers(frame, wave, answers)
        shown = [n for n in part["n"] if not pd.isna(n)]
        n = max(shown) if shown else math.nan
        label = f"{wave_label(wave, lang)} ({n_label(n, lang)}{' ⚠' if is_small(n) else ''})"
        hover = [f"{a}<br>{h}" for a, h in zip(answers, _hover(part, lang), strict=True)]
        marker = dict(color=shade, line=dict(color=colour, width=1.5))
        hidden = _hidden_answers(frame, wave)  # small counts hidden: no bar, the word instead, unlike a zero
        words = [cell_text(None, hidden[a], lang) if a in hidden else "" for a in answers] if hidden else None
        if hidden:
            hover = [f"{a}<br>{wave_label(wave, lang)}: {hover_text(hidden[a], lang)}" if a in hidden else h
                     for a, h in zip(answers, hover, strict=True)]
        traces += _bars_with_intervals(answers, part, label, marker, hover, words)
    layout = dict(barmode="group", scattermode="group", height=FIGURE_HEIGHT, bargap=0.25, bargroupgap=0.05,
                  margin=dict(t=56, l=16, r=16, b=16), legend=dict(y=1.0, yanchor="bottom"),
                  yaxis=dict(**percent_axis(lang), title=dict(text=t("trygghet.share_axis", lang))),
                  xaxis=dict(tickangle=0))
    return figure_dict(traces, layout, lang)


def _hidden_answers(frame: pd.DataFrame, wave: str) -> dict[str, str]:
    """{answer: reason} of one wave's answers hidden by disclosure.protect_shares."""
    if HIDDEN not in frame.columns:
        return {}
    return {answer: reason for w, answer, reason in zip(frame["wave"], frame["answer"], frame[HIDDEN], strict=True)
            if w == wave and reason}


def _wave_answers(frame: pd.DataFrame, wave: str, answers: list[str]) -> dict[str, list]:
    """One wave's share, n and interval per answer, in the order of `answers` (NaN for an answer not in the wave),
    as columns of plain lists: a DataFrame per wave (set_index, reindex) cost more than the figure itself."""
    cells: dict[str, tuple] = {}
    for row in zip(frame["wave"], frame["answer"], frame["share"], frame["n"], frame["ci_low"], frame["ci_high"],
                   strict=True):
        if row[0] == wave:
            if row[1] in cells:
                raise ValueError(f"answer {row[1]!r} twice in wave {wave!r}")
            cells[row[1]] = row[2:]
    rows = [cells.get(answer, (math.nan,) * 4) for answer in answers]
    columns = {name: [row[i] for row in rows] for i, name in enumerate(("share", "n", "ci_low", "ci_high"))}
    return {"wave": [wave] * len(answers), "answer": list(answers), **columns}


def ntu_figure(frame: pd.DataFrame, category: str, lang: str = "sv") -> dict:
    """One BRÅ NTU table: Södermalm beside Stockholm per edition, as bars with the published interval; a
    value BRÅ did not publish shows its code ('..' or 'x') where the bar would be."""
    frame = frame.sort_values("period_end")
    waves = list(dict.fromkeys(frame["wave"]))
    colours = {NTU_AREA: category_colour("surveys", category), NTU_CITY: GREY["mid"]}
    traces: list[dict] = []
    for geography in (NTU_AREA, NTU_CITY):
        part = frame[frame["geography"] == geography].set_index("wave").reindex(waves).reset_index()
        rows = list(part.itertuples())
        traces += _bars_with_intervals(waves, part, _geography_name(geography, lang), dict(color=colours[geography]),
                                       [_ntu_hover(row, geography, lang) for row in rows],
                                       [_ntu_text(row, lang) for row in rows])
    top = frame[["share", "ci_high"]].max(axis=None)
    layout = dict(barmode="group", scattermode="group", height=FIGURE_HEIGHT - 40,
                  margin=dict(t=56, l=16, r=16, b=16), legend=dict(y=1.0, yanchor="bottom"),
                  yaxis=dict(range=[0, (0.1 if pd.isna(top) else float(top)) * 100 * 1.3], **percent_axis(lang)),
                  xaxis=dict(tickangle=0))
    return figure_dict(traces, layout, lang)


def _geography_name(geography: str, lang: str) -> str:
    return {NTU_AREA: t("trygghet.ntu_area", lang), NTU_CITY: t("trygghet.ntu_city", lang)}.get(geography, geography)


def _ntu_text(row, lang: str) -> str:
    if isinstance(row.value_note, str) and row.value_note in NTU_CODES:
        return f"<b>{row.value_note}</b>"
    return "" if pd.isna(row.share) else fmt_pct(row.share, 0, lang)


def _ntu_hover(row, geography: str, lang: str) -> str:
    head = f"{_geography_name(geography, lang)}, {row.wave}"
    if pd.isna(row.share):
        code = row.value_note if isinstance(row.value_note, str) else ""
        return f"{head}<br>{t('trygghet.ntu_code_' + ('x' if code == 'x' else 'na'), lang)}"
    interval = "" if pd.isna(row.ci_low) else f" ({fmt_pct(row.ci_low, 1, lang)}–{fmt_pct(row.ci_high, 1, lang)})"
    return f"{head}<br><b>{fmt_pct(row.share, 1, lang)}</b>{interval}<br>{n_label(row.n, lang)}"


def ntu_table(frame: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """The NTU values as text for a table: one row per table and edition, Södermalm and Stockholm side by side,
    each '20,6 % (18,3–23,0)' or BRÅ's code."""
    rows = []
    for (code, wave), part in frame.groupby(["question_code", "wave"], sort=False):
        by_geo = {row.geography: row for row in part.itertuples()}
        rows.append({"table": code.removeprefix("ntu-"), "wave": wave,
                     **{geo: _ntu_cell(by_geo.get(geo), lang) for geo in (NTU_AREA, NTU_CITY)},
                     "n": n_label(by_geo[NTU_AREA].n, lang) if NTU_AREA in by_geo else ""})
    return pd.DataFrame(rows, columns=["table", "wave", NTU_AREA, NTU_CITY, "n"])


def _ntu_cell(row, lang: str) -> str:
    if row is None:
        return ""
    if pd.isna(row.share):
        return row.value_note if isinstance(row.value_note, str) else fmt_pct(None, 1, lang)
    if pd.isna(row.ci_low):
        return fmt_pct(row.share, 1, lang)
    return f"{fmt_pct(row.share, 1, lang)} ({fmt_dec(row.ci_low * 100, 1, lang)}–{fmt_dec(row.ci_high * 100, 1, lang)})"


def small_n_waves(frame: pd.DataFrame, lang: str = "sv") -> list[str]:
    """Per series with waves under 100 respondents: 'Platsmätning Tantolunden: 4 av 4 omgångar (n = 59–79)'."""
    series: dict[tuple, list[tuple]] = {}  # (survey, place, is_unspecified) -> its (wave, n), each once
    seen = set()
    for survey, wave, place, n, unspecified in zip(frame["survey"], frame["wave"], frame["place"], frame["n"],
                                                   frame["is_unspecified"], strict=True):
        key = (survey, wave, place, None if pd.isna(n) else n)
        if key in seen or pd.isna(survey) or pd.isna(place) or pd.isna(unspecified):
            continue
        seen.add(key)
        series.setdefault((survey, place, unspecified), []).append((wave, n))
    notes = []
    for (survey, place, unspecified), waves in series.items():
        small = [(wave, n) for wave, n in waves if is_small(n)]
        if not small:
            continue
        low, high = min(n for _, n in small), max(n for _, n in small)
        span = n_label(low, lang) if low == high else f"{n_label(low, lang)}–{fmt_int(high, lang)}"
        count = nt("trygghet.waves_of", len({wave for wave, _ in waves}), lang, small=len({wave for wave, _ in small}),
                  total=len({wave for wave, _ in waves}))
        notes.append(f"{series_name(survey, place, unspecified)}: {count} ({span})")
    return notes


def ntu_unit(text: str) -> str:
    """BRÅ's unit line without footnote letters and the boilerplate sentence about intervals."""
    first = re.split(r"(?<=\.)[a-z]?(?:,[a-z])*\s+Resultat och konfidensintervall", str(text))[0]
    return re.sub(r"\.[a-z](?:,[a-z])*$", ".", first.strip())
