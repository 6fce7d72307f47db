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
from lagesbild.indicators.readings import HIDDEN_STATUS, Point, Reading, change, days_to_goal

STATUS_ICONS = {"good": "✓", "watch": "!", "bad": "✗", "unknown": "?", "hidden": "–"}


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
    key = "oversikt.against.wave" if indicator.is_survey else "oversikt.against.month"
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
    """How the colour is decided, e.g. 'Grön – mål nått: minst 40 % lägre än samma månad 2022. Gul – …'"""
    return " ".join(rule_parts(indicator, lang).values())


def rule_parts(indicator: Indicator, lang: str = "sv") -> dict[str, str]:
    """The rule per status: {'good': 'Grön – mål nått: …', 'watch': …, 'bad': …}."""
    return {"good": _green_rule(indicator, lang), "watch": _amber_rule(indicator, lang),
            "bad": _red_rule(indicator, lang)}


def _green_rule(indicator: Indicator, lang: str) -> str:
    way = t(f"oversikt.way.{indicator.direction}", lang)
    if indicator.green == 0:
        text = t("oversikt.rule.at_least_as", lang, way=way, against=_against(indicator, lang))
    else:
        text = t("oversikt.rule.at_least", lang, amount=_magnitude(indicator, indicator.green, lang), way=way,
                 against=_against(indicator, lang))
    return t("oversikt.rule.green", lang, text=text)


def _amber_rule(indicator: Indicator, lang: str) -> str:
    if indicator.red != 0 or indicator.green == 0:
        return t("oversikt.rule.amber", lang, text=t("oversikt.rule.between", lang))
    text = t(f"oversikt.rule.amber_{indicator.direction}", lang,
             amount=_magnitude(indicator, indicator.green, lang))
    return t("oversikt.rule.amber", lang, text=text)


def _red_rule(indicator: Indicator, lang: str) -> str:
    worse = "higher" if indicator.direction == "lower" else "lower"
    way, against = t(f"oversikt.way.{worse}", lang), _against(indicator, lang)
    if indicator.red == 0:
        text = t("oversikt.rule.simply", lang, way=way, against=against)
    else:
        wrong_side = (indicator.red > 0) == (indicator.direction == "lower")
        shown_way = way if wrong_side else t(f"oversikt.way.{indicator.direction}", lang)
        key = "oversikt.rule.more_than" if wrong_side else "oversikt.rule.less_than"
        text = t(key, lang, amount=_magnitude(indicator, indicator.red, lang), way=shown_way, against=against)
    return t("oversikt.rule.red", lang, text=text)


def period_label(reading: Reading, lang: str = "sv") -> str:
    """'december 2025' for a month, 'omgång 2025' for a survey wave."""
    if reading.latest is None:
        return ""
    if reading.indicator.is_survey:
        return t("oversikt.wave", lang, wave=reading.latest.label)
    return fmt_month(reading.latest.period, lang)


# ---- the outcome at the goal date ----

def window_label(first: date, last: date, lang: str) -> str:
    """'2024' for a calendar year, else 'jul 2023–jun 2024'."""
    whole_year = first.year == last.year and (first.month, last.month) == (1, 12)
    return str(first.year) if whole_year else fmt_month_range(first, last, lang)


def outcome_sentence(goal: Goal, readings: Mapping[str, Reading], lang: str) -> str:
    """'Utfall vid måldatum (2024 mot 2022): 10 av 13 indikatorer nådde målet.' and, when some outcomes rest on
    small counts the reader does not see, how many are hidden (they are not counted as reached either way)."""
    outcomes = [r.outcome for r in readings.values() if r.outcome and r.outcome.status != "unknown"]
    window = next((r.outcome.period for r in readings.values() if r.outcome and not r.indicator.is_survey), None)
    if not outcomes or window is None:
        return t("oversikt.goal.no_outcome", lang)
    return nt("oversikt.goal.outcome", len(readings), lang, period=window_label(*window, lang),
              year=goal.baseline_year, good=sum(o.status == "good" for o in outcomes),
              total=len(readings)) + hidden_outcomes(outcomes, lang)


def hidden_outcomes(outcomes, lang: str) -> str:
    """' För 2 av dem är utfallet dolt: det vilar på små tal.' or nothing."""
    hidden = sum(outcome.status == HIDDEN_STATUS for outcome in outcomes)
    return " " + t("oversikt.goal.outcome_hidden", lang, hidden=fmt_int(hidden, lang)) if hidden else ""
