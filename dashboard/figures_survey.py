"""Survey figures: shares per wave as points or bars with their 95 % intervals and n, never lines between waves."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.filters import parse_month
from dashboard.fmt import NBSP, fmt_dec, fmt_int, fmt_month, fmt_pct
from dashboard.i18n import t
from dashboard.theme import GREY, apply_lang, category_colour

SMALL_N = 100  # below this many respondents an interval is wide: say so beside the number
Z95 = 1.959964
# Answers that make up the two survey indicators (DOMAIN.md: feel unsafe; see drugs as a problem).
UNSAFE_ANSWERS = ("Ganska otrygg", "Mycket otrygg")
DRUG_PROBLEM_ANSWERS = ("Ja, ett stort problem", "Ja, ett litet problem")
INDICATORS = {"otrygghet": UNSAFE_ANSWERS, "problem_narkotika": DRUG_PROBLEM_ANSWERS}
# Answer scales in reading order; an answer not listed keeps the order the store gives it, after these.
ANSWER_ORDER = ("Mycket trygg", "Ganska trygg", "Ganska otrygg", "Mycket otrygg", "Går aldrig ut",
                "Ja, ett stort problem", "Ja, ett litet problem", "Nej", "Vet inte")
NTU_SURVEY = "BRÅ NTU"
NTU_TABLES = {"ntu-3.1": "otrygghet", "ntu-3.23": "problem_narkotika", "ntu-3.20": "problem_berusade"}
NTU_AREA, NTU_CITY = "Stadsdelsomr. Södermalm", "Stockholm"
NTU_CODES = ("..", "x")  # BRÅ: '..' not available, 'x' fewer than 100 respondents (no value published)
FIGURE_HEIGHT = 440
_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")


def wilson_interval(share: float, n: int) -> tuple[float, float]:
    """95 % Wilson score interval, the one the survey loader stores per answer (tests check they agree)."""
    if not n or n <= 0:
        return (math.nan, math.nan)
    denominator = 1 + Z95**2 / n
    centre = (share + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(share * (1 - share) / n + Z95**2 / (4 * n**2)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def with_interval(frame: pd.DataFrame) -> pd.DataFrame:
    """Summed shares (queries.survey_answer_share) with the 95 % interval of the sum, from its n."""
    bounds = [wilson_interval(share, n) for share, n in zip(frame["share"], frame["n"], strict=True)]
    return frame.assign(ci_low=[low for low, _ in bounds], ci_high=[high for _, high in bounds])


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
    return [f"{wave_label(row.wave, lang)}: <b>{fmt_pct(row.share, 0, lang)}</b>"
            f" ({fmt_pct(row.ci_low, 0, lang)}–{fmt_pct(row.ci_high, 0, lang)})<br>{n_label(row.n, lang)}"
            for row in frame.itertuples()]


def indicator_figure(frame: pd.DataFrame, category: str, lang: str = "sv") -> go.Figure:
    """One panel per survey series: the indicator's share per wave as a point with its 95 % interval and the
    wave's n above it; a hollow point when n < 100. Markers only: waves are never joined by lines."""
    frame = series_order(frame)
    series = list(dict.fromkeys(series_name(r.survey, r.place, r.is_unspecified) for r in frame.itertuples()))
    names = frame.apply(lambda r: series_name(r.survey, r.place, r.is_unspecified), axis=1)
    fig = make_subplots(rows=1, cols=len(series), shared_yaxes=True, subplot_titles=series,
                        horizontal_spacing=0.04)
    colour = category_colour("surveys", category)
    top = min(100.0, float(frame[["share", "ci_high"]].max(axis=None)) * 100 + 12)
    for col, name in enumerate(series, start=1):
        part = frame[names == name]
        _indicator_points(fig, part, colour, col, lang)
        # One category per wave, in time order: waves are separate measurements, not points on a time line.
        fig.update_xaxes(type="category", categoryorder="array",
                         categoryarray=[wave_label(w, lang) for w in part["wave"]], row=1, col=col, tickangle=0)
    fig.update_yaxes(range=[0, top], **percent_axis(lang))
    fig.update_yaxes(title_text=t("trygghet.share_axis", lang), row=1, col=1)
    fig.update_annotations(font_size=19)
    fig.update_layout(height=FIGURE_HEIGHT, showlegend=False, margin=dict(t=48, l=16, r=16, b=16))
    return apply_lang(fig, lang)


def _indicator_points(fig: go.Figure, part: pd.DataFrame, colour: str, col: int, lang: str) -> None:
    small = [is_small(n) for n in part["n"]]
    waves = [wave_label(w, lang) for w in part["wave"]]
    fig.add_trace(go.Scatter(  # the intervals first, so the points are drawn over their whiskers
        x=waves, y=[v if ok else None for v, ok in zip(_pct(part["share"]), _has_interval(part), strict=True)],
        mode="markers", marker=dict(size=1, opacity=0), error_y=_error(part) | {"color": colour},
        hoverinfo="skip", name="", cliponaxis=False,
    ), row=1, col=col)
    fig.add_trace(go.Scatter(
        x=waves, y=_pct(part["share"]), mode="markers",
        marker=dict(size=16, color=["white" if s else colour for s in small], line=dict(color=colour, width=3),
                    symbol="circle"),
        hovertext=_hover(part, lang), hoverinfo="text", name="", cliponaxis=False,
    ), row=1, col=col)
    label_y = [(h if not pd.isna(h) else s) * 100 for s, h in zip(part["share"], part["ci_high"], strict=True)]
    fig.add_trace(go.Scatter(
        x=[wave_label(w, lang) for w in part["wave"]], y=label_y, mode="text", hoverinfo="skip", cliponaxis=False,
        text=[f"<b>{n_label(n, lang)}</b>" if s else n_label(n, lang) for n, s in zip(part["n"], small, strict=True)],
        textposition="top center", textfont=dict(size=16, color="#222222"), name="",
    ), row=1, col=col)


def ordered_answers(answers: Sequence[str]) -> list[str]:
    known = [a for a in ANSWER_ORDER if a in answers]
    return known + [a for a in dict.fromkeys(answers) if a not in ANSWER_ORDER]


def wave_shades(colour: str, count: int) -> list[str]:
    """Older waves lighter, the newest in full colour: one colour per category, the waves told apart by shade
    (mixed with white rather than made transparent, so the legend shows the same shade as the bar)."""
    strengths = [1.0] if count <= 1 else [0.3 + 0.7 * i / (count - 1) for i in range(count)]
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return ["#" + "".join(f"{round(255 - (255 - c) * k):02x}" for c in (red, green, blue)) for k in strengths]


def _bars_with_intervals(fig: go.Figure, x: list[str], part: pd.DataFrame, name: str, marker: dict,
                         hover: list[str], labels: list[str] | None = None) -> None:
    """Bars, plus the intervals (and value labels) as scatter traces in the same offset group, so a bar
    without a published interval gets no whisker and labels sit above the whisker, not on it."""
    shares = _pct(part["share"])
    fig.add_trace(go.Bar(x=x, y=[0 if v is None else v for v in shares], name=name, marker=marker,
                         offsetgroup=name, hovertext=hover, hoverinfo="text"))
    with_interval_ = _has_interval(part)
    fig.add_trace(go.Scatter(
        x=x, y=[v if ok else None for v, ok in zip(shares, with_interval_, strict=True)], mode="markers",
        marker=dict(size=1, opacity=0), error_y=_error(part) | {"color": "#333333"}, offsetgroup=name,
        showlegend=False, hoverinfo="skip", cliponaxis=False))
    if labels is not None:
        tops = [max(v or 0, (hi * 100) if ok else 0) for v, hi, ok in
                zip(shares, part["ci_high"], with_interval_, strict=True)]
        fig.add_trace(go.Scatter(x=x, y=tops, mode="text", text=labels, textposition="top center",
                                 textfont=dict(size=17, color="#222222"), offsetgroup=name, showlegend=False,
                                 hoverinfo="skip", cliponaxis=False))


def answers_figure(frame: pd.DataFrame, lang: str = "sv") -> go.Figure:
    """One survey question: each answer's share, one bar per wave with its 95 % interval; n in the legend."""
    frame = frame.sort_values("period_end")
    answers = ordered_answers(list(frame["answer"]))
    colour = category_colour("surveys", str(frame["category"].iloc[0]))
    waves = list(dict.fromkeys(frame["wave"]))
    fig = go.Figure()
    for wave, shade in zip(waves, wave_shades(colour, len(waves)), strict=True):
        part = frame[frame["wave"] == wave].set_index("answer").reindex(answers).reset_index()
        n = part["n"].dropna().max()
        label = f"{wave_label(wave, lang)} ({n_label(n, lang)}{' ⚠' if is_small(n) else ''})"
        hover = [f"{a}<br>{h}" for a, h in zip(answers, _hover(part.assign(wave=wave), lang), strict=True)]
        marker = dict(color=shade, line=dict(color=colour, width=1.5))
        _bars_with_intervals(fig, answers, part, label, marker, hover)
    fig.update_layout(barmode="group", scattermode="group", height=FIGURE_HEIGHT, bargap=0.25, bargroupgap=0.05,
                      margin=dict(t=56, l=16, r=16, b=16), legend=dict(y=1.0, yanchor="bottom"))
    fig.update_yaxes(**percent_axis(lang), title_text=t("trygghet.share_axis", lang))
    fig.update_xaxes(tickangle=0)
    return apply_lang(fig, lang)


def ntu_figure(frame: pd.DataFrame, category: str, lang: str = "sv") -> go.Figure:
    """One BRÅ NTU table: Södermalm beside Stockholm per edition, as bars with the published interval; a
    value BRÅ did not publish shows its code ('..' or 'x') where the bar would be."""
    frame = frame.sort_values("period_end")
    waves = list(dict.fromkeys(frame["wave"]))
    fig = go.Figure()
    colours = {NTU_AREA: category_colour("surveys", category), NTU_CITY: GREY["mid"]}
    for geography in (NTU_AREA, NTU_CITY):
        part = frame[frame["geography"] == geography].set_index("wave").reindex(waves).reset_index()
        rows = list(part.itertuples())
        _bars_with_intervals(fig, waves, part, _geography_name(geography, lang), dict(color=colours[geography]),
                             [_ntu_hover(row, geography, lang) for row in rows],
                             [_ntu_text(row, lang) for row in rows])
    top = frame[["share", "ci_high"]].max(axis=None)
    fig.update_layout(barmode="group", scattermode="group", height=FIGURE_HEIGHT - 40,
                      margin=dict(t=56, l=16, r=16, b=16), legend=dict(y=1.0, yanchor="bottom"))
    fig.update_yaxes(range=[0, (0.1 if pd.isna(top) else float(top)) * 100 * 1.3], **percent_axis(lang))
    fig.update_xaxes(tickangle=0)
    return apply_lang(fig, lang)


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
    notes = []
    waves = frame.drop_duplicates(["survey", "wave", "place", "n"])
    for (survey, place, unspecified), part in waves.groupby(["survey", "place", "is_unspecified"], sort=False):
        small = part[[is_small(n) for n in part["n"]]]
        if small.empty:
            continue
        low, high = small["n"].min(), small["n"].max()
        span = n_label(low, lang) if low == high else f"{n_label(low, lang)}–{fmt_int(high, lang)}"
        count = t("trygghet.waves_of", lang, small=len(small["wave"].unique()), total=len(part["wave"].unique()))
        notes.append(f"{series_name(survey, place, unspecified)}: {count} ({span})")
    return notes


def ntu_unit(text: str) -> str:
    """BRÅ's unit line without footnote letters and the boilerplate sentence about intervals."""
    first = re.split(r"(?<=\.)[a-z]?(?:,[a-z])*\s+Resultat och konfidensintervall", str(text))[0]
    return re.sub(r"\.[a-z](?:,[a-z])*$", ".", first.strip())
