"""Indicators in words: statuses, values, changes, targets and the rule behind each colour, in Swedish or English."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from lagesbild.config import Goal
from lagesbild.config.indicators import Indicator
from lagesbild.disclosure import cell_text, hover_text, reason_minimum
from lagesbild.i18n import nt, t
from lagesbild.i18n.formats import (
    MISSING,
    NBSP,
    fmt_change,
    fmt_date,
    fmt_dec,
    fmt_int,
    fmt_month,
    fmt_month_range,
    fmt_pct,
)
from lagesbild.indicators.readings import HIDDEN_STATUS, TOO_FEW_STATUS, Point, Reading, Window, change, days_to_goal
from lagesbild.stats.status import Case, CountStatus, ShareStatus, Target

STATUS_ICONS = {"good": "✓", "watch": "~", "bad": "✗", TOO_FEW_STATUS: "?", "unknown": "?", "hidden": "–"}


def goal_sentence(goal_date: date, today: date, lang: str = "sv") -> str:
    """'Måldatum 1 januari 2025 · passerat för 695 dagar sedan', '… · om 12 dagar' or '… · i dag'."""
    days = days_to_goal(goal_date, today)
    when = fmt_date(goal_date, lang)
    if days == 0:
        return t("oversikt.goal.today", lang, date=when)
    key = "oversikt.goal.ahead" if days > 0 else "oversikt.goal.passed"
    return nt(key, abs(days), lang, date=when, days=fmt_int(abs(days), lang))


# ---- words and numbers ----

def status_word(status: str, lang: str = "sv") -> str:
    return t(f"oversikt.status.{status}", lang)


def status_label(status: str, lang: str = "sv") -> str:
    """The status as a symbol and a word, '✓ Mål nått': never colour alone."""
    return f"{STATUS_ICONS[status]} {status_word(status, lang)}"


def format_value(indicator: Indicator, value: float | None, lang: str = "sv") -> str:
    return fmt_pct(value, 0, lang) if indicator.is_survey else fmt_int(value, lang)


def format_point(indicator: Indicator, point: Point, lang: str = "sv") -> str:
    """A point's value; a hidden one as '<5' (a count) or 'dold' (a share of few answers: '<5' would read as a
    share)."""
    if point.hidden:
        return t("oversikt.hidden.share", lang) if indicator.is_survey else cell_text(None, point.hidden, lang)
    return format_value(indicator, point.value, lang)


def format_count(value: float | None, reason: str, lang: str = "sv") -> str:
    """A count that may be hidden, e.g. the effort beside an indicator: '12', '<5'."""
    return cell_text(None, reason, lang) if reason else fmt_int(value, lang)


def hidden_title(indicator: Indicator, reason: str, lang: str = "sv") -> str:
    """Why a value says '<5' or 'dold' (`reason`: the hidden point's token): the tooltip of the value."""
    if indicator.is_survey:
        return t("oversikt.hidden.share_title", lang, minimum=reason_minimum(reason))
    return hover_text(reason, lang)


def change_hidden_title(minimum: int, lang: str = "sv") -> str:
    """Why a change says '–' although both values exist (`minimum`: the smallest count the viewer is shown)."""
    return t("oversikt.hidden.change_title", lang, minimum=minimum)


def format_point_change(indicator: Indicator, point: Point, other: Point, lang: str = "sv") -> str:
    """format_comparison of two points; '–' when either is hidden (the change and one value give the other)."""
    if point.hidden or other.hidden:
        return MISSING
    return format_comparison(indicator, point.value, other.value, lang)


def format_change(indicator: Indicator, delta: float | None, lang: str = "sv") -> str:
    """'−45 %' for a relative change, '−12 procentenheter' for a survey share."""
    if indicator.compare == "relative" or delta is None:
        return fmt_change(delta, 0, lang)
    text = fmt_dec(delta * 100, 0, lang)
    sign = "" if text.startswith(("−", "-")) else ("±" if text == "0" else "+")
    return f"{sign}{text}{NBSP}{_points_word(text, lang)}"


def format_comparison(indicator: Indicator, value: float | None, base: float | None, lang: str = "sv") -> str:
    """The change from `base` to `value`; from zero, where no percentage exists, the difference: '+4'."""
    delta = change(value, base, indicator.compare)
    if delta is None and base == 0 and value is not None:
        text = fmt_int(value, lang)
        return "±0" if value == 0 else ("+" + text if value > 0 else text)
    return format_change(indicator, delta, lang)


def _points_word(number: str, lang: str) -> str:
    return t("oversikt.point" if number.lstrip("−-") == "1" else "oversikt.points", lang)


def _magnitude(indicator: Indicator, threshold: float, lang: str) -> str:
    if indicator.compare == "points":
        number = fmt_dec(abs(threshold) * 100, 0, lang)
        return f"{number}{NBSP}{_points_word(number, lang)}"
    return fmt_pct(abs(threshold), 0, lang)


def _against(indicator: Indicator, lang: str) -> str:
    key = "oversikt.against.wave" if indicator.is_survey else "oversikt.against.months"
    return t(key, lang, year=indicator.baseline_year)


def target_sentence(indicator: Indicator, lang: str = "sv") -> str:
    """'Mål: minst 40 % lägre än samma månad 2022, från 1 januari 2025.'"""
    way = t(f"oversikt.way.{indicator.direction}", lang)
    text = t("oversikt.target", lang, amount=_magnitude(indicator, indicator.target_change, lang), way=way,
             against=_against(indicator, lang))
    if indicator.target_by:
        text += t("oversikt.target_by", lang, date=fmt_date(indicator.target_by, lang))
    return text + "."


def target_short(indicator: Indicator, lang: str = "sv") -> str:
    """'Mål: −40 % mot samma månad 2022', for the card; target_sentence says it in full."""
    return t("oversikt.target_short", lang, change=format_change(indicator, indicator.target_change, lang),
             against=_against(indicator, lang))


def rule_sentence(indicator: Indicator, lang: str = "sv") -> str:
    """How the colour is decided, e.g. 'Grön – bättre, ej slump: de senaste 12 månaderna lägre än … Gul – …'"""
    return " ".join(rule_parts(indicator, lang).values())


def rule_parts(indicator: Indicator, lang: str = "sv") -> dict[str, str]:
    """The interval rule per status: {'good': 'Grön – …', 'watch': …, 'bad': …, 'too_few': …}."""
    if indicator.is_survey:
        window, against = t("oversikt.rule.wave", lang), t("oversikt.against.wave", lang, year=indicator.baseline_year)
    else:
        window = t("oversikt.rule.window", lang, months=indicator.status_window)
        against = t("oversikt.against.months", lang, year=indicator.baseline_year)
    worse = "higher" if indicator.direction == "lower" else "lower"
    level = fmt_pct(indicator.rule.confidence, 0, lang)
    rule = indicator.rule
    too_few = (t("oversikt.rule.too_few_survey", lang, min_answers=fmt_int(rule.min_answers, lang),
                 points=fmt_dec(rule.too_wide_points * 100, 0, lang)) if indicator.is_survey
               else t("oversikt.rule.too_few", lang, min_events=fmt_int(rule.min_events, lang)))
    return {
        "good": t("oversikt.rule.green", lang, window=window, way=t(f"oversikt.way.{indicator.direction}", lang),
                  against=against, level=level),
        "watch": t("oversikt.rule.amber", lang),
        "bad": t("oversikt.rule.red", lang, window=window, way=t(f"oversikt.way.{worse}", lang), against=against),
        TOO_FEW_STATUS: too_few,
    }


# ---- the windows and waves in words: which case of the rule, with the numbers behind it ----

def window_label(window: Window, indicator: Indicator, lang: str = "sv") -> str:
    """'12 mån mot 2022'."""
    return t("oversikt.window.label", lang, months=window.length, year=indicator.baseline_year)


def window_sentence(window: Window, indicator: Indicator, lang: str = "sv") -> str:
    """'12 mån mot 2022: 118 mot 160 (−26 %; 95 % KI −42 % till −7 %) – bättre, mer än slumpen förklarar'."""
    label = window_label(window, indicator, lang)
    if window.status == HIDDEN_STATUS:
        return t("oversikt.window.hidden", lang, label=label)
    if window.comparison is None:
        reason = t(f"oversikt.window.{window.reason or 'no_data'}", lang, year=indicator.baseline_year)
        return t("oversikt.window.unknown", lang, label=label, reason=reason)
    c = window.comparison.comparison
    count, base = fmt_int(window.count, lang), fmt_int(window.baseline_count, lang)
    if window.comparison.case is Case.TOO_FEW:
        return t("oversikt.window.too_few", lang, label=label, count=count, base=base,
                 events=fmt_int(c.events, lang))
    return t("oversikt.window.rated", lang, label=label, count=count, base=base, change=ratio_change(c.ratio, lang),
             level=fmt_pct(c.confidence, 0, lang), low=ratio_change(c.low, lang), high=ratio_change(c.high, lang),
             verdict=t(f"oversikt.verdict.{window.comparison.case}", lang))


def wave_sentence(reading: Reading, lang: str = "sv") -> str | None:
    """A survey's latest wave against the baseline wave with its interval in points, or None without one."""
    rated, indicator = reading.share_status, reading.indicator
    if rated is None or rated.comparison is None:
        return None
    c = rated.comparison
    n, base_n = fmt_int(c.n_a, lang), fmt_int(c.n_b, lang)
    if rated.case is Case.TOO_FEW:
        return t("oversikt.wave.too_few", lang, year=indicator.baseline_year, n=n, base_n=base_n)
    return t("oversikt.wave.rated", lang, year=indicator.baseline_year,
             change=format_change(indicator, c.difference, lang), level=fmt_pct(c.confidence, 0, lang),
             low=_signed_points(c.low, lang), high=_signed_points(c.high, lang), n=n, base_n=base_n,
             verdict=t(f"oversikt.verdict.{rated.case}", lang))


def target_state(rated: CountStatus | ShareStatus | None, lang: str = "sv") -> str | None:
    """Whether the status window (or wave) reaches the target, allowing for the uncertainty or not."""
    target: Target | None = rated.target if rated is not None else None
    if target is None or rated.case in (Case.TOO_FEW, Case.NOT_COMPARABLE):
        return None
    key = ("reached_with_confidence" if target.reached_with_confidence
           else "reached" if target.reached else "not_reached")
    return t(f"oversikt.target_state.{key}", lang)


def ratio_change(ratio: float, lang: str) -> str:
    """A rate ratio as a change: 0.74 → '−26 %'; an open end (0 or ∞) as '−100 %' or '+∞'. A change that rounds to
    0 but is not 0 keeps a decimal ('−0,4 %'): an interval's end at '±0 %' would hide which side of 1 it is on."""
    if ratio == float("inf"):
        return "+∞"
    change = ratio - 1.0
    return fmt_change(change, 1 if change != 0 and abs(change) < 0.005 else 0, lang)


def _signed_points(difference: float, lang: str) -> str:
    text = fmt_dec(difference * 100, 0, lang)
    return text if text.startswith(("−", "-")) or text == "0" else "+" + text


def period_label(reading: Reading, lang: str = "sv") -> str:
    """'december 2025' for a month, 'omgång 2025' for a survey wave."""
    if reading.latest is None:
        return ""
    if reading.indicator.is_survey:
        return t("oversikt.wave", lang, wave=reading.latest.label)
    return fmt_month(reading.latest.period, lang)


# ---- the outcome at the goal date ----

def months_label(first: date, last: date, lang: str) -> str:
    """'2024' for a calendar year, else 'jul 2023–jun 2024'."""
    whole_year = first.year == last.year and (first.month, last.month) == (1, 12)
    return str(first.year) if whole_year else fmt_month_range(first, last, lang)


def outcome_sentence(goal: Goal, readings: Mapping[str, Reading], lang: str) -> str:
    """'Utfall vid måldatum (2024 mot 2022): 9 av 13 indikatorer var bättre, mer än slumpen förklarar; 6 nådde
    målet, 2 även med osäkerheten inräknad.' and, when some outcomes rest on
    small counts the reader does not see, how many are hidden (they are not counted as reached either way)."""
    outcomes = [r.outcome for r in readings.values() if r.outcome and r.outcome.status != "unknown"]
    window = next((r.outcome.period for r in readings.values() if r.outcome and not r.indicator.is_survey), None)
    if not outcomes or window is None:
        return t("oversikt.goal.no_outcome", lang)
    targets = [o.comparison.target for o in outcomes if o.comparison is not None and o.comparison.target]
    return nt("oversikt.goal.outcome", len(readings), lang, period=months_label(*window, lang),
              year=goal.baseline_year, good=sum(o.status == "good" for o in outcomes),
              reached=sum(target.reached for target in targets),
              sure=sum(target.reached_with_confidence for target in targets),
              total=len(readings)) + hidden_outcomes(outcomes, lang)


def hidden_outcomes(outcomes, lang: str) -> str:
    """' För 2 av dem är utfallet dolt: det vilar på små tal.' or nothing."""
    hidden = sum(outcome.status == HIDDEN_STATUS for outcome in outcomes)
    return " " + t("oversikt.goal.outcome_hidden", lang, hidden=fmt_int(hidden, lang)) if hidden else ""
