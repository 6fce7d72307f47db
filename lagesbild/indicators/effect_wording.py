"""A measure's effect in words, Swedish or English: each zone's change with its interval, the displacement quotient
read as Bowers & Johnson read it (lagesbild.stats.wording) and the caveats that apply."""

from __future__ import annotations

import math
from collections.abc import Mapping

from lagesbild.i18n import t
from lagesbild.i18n.formats import fmt_dec, fmt_int, fmt_month_range, fmt_pct
from lagesbild.indicators.effect import ZONES, Effect, ZoneCount
from lagesbild.indicators.wording import ratio_change
from lagesbild.stats.displacement import Interpretation
from lagesbild.stats.its import SegmentedFit, SegmentedRefusal
from lagesbild.stats.status import Case
from lagesbild.stats.wording import describe_displacement, describe_segmented, message


def zone_sentence(zone: ZoneCount, names: Mapping[str, str], lang: str) -> str:
    """'Målområdet (Tantolunden): 93 före, 51 efter (−45 %; 95 % KI −61 % till −23 %) – bättre, mer än …'."""
    label = t(f"effekt.zone.{zone.zone}", lang)
    places = ", ".join(names.get(p, p) for p in zone.places) or t("effekt.no_places", lang)
    if not zone.places:
        return t("effekt.verdict.zone_none", lang, zone=label)
    if not zone.shown:
        return t("effekt.verdict.zone_hidden", lang, zone=label, places=places)
    before, after = fmt_int(zone.before, lang), fmt_int(zone.after, lang)
    c = zone.change
    if c.case is Case.TOO_FEW:
        return t("effekt.verdict.zone_too_few", lang, zone=label, places=places, before=before, after=after)
    r = c.comparison
    return t("effekt.verdict.zone", lang, zone=label, places=places, before=before, after=after,
             change=ratio_change(r.ratio, lang), level=fmt_pct(r.confidence, 0, lang), low=ratio_change(r.low, lang),
             high=ratio_change(r.high, lang), verdict=t(f"oversikt.verdict.{c.case}", lang))


def verdict(effect: Effect, names: Mapping[str, str], lang: str) -> list[str]:
    """The verdict as sentences: the windows, each zone, the displacement (or why it cannot be read), the caveats."""
    w = effect.windows
    sentences = [t("effekt.verdict.windows", lang, indicator=effect.indicator.label[lang],
                   after=fmt_month_range(*w.after, lang), before=fmt_month_range(*w.before, lang))]
    if not effect.complete:
        sentences.append(t("effekt.verdict.incomplete", lang, after=fmt_month_range(*w.after, lang)))
    sentences += [zone_sentence(effect.zones[zone], names, lang) for zone in ZONES]
    if effect.displacement is not None:
        sentences.append(describe_displacement(effect.displacement, lang))
    elif effect.complete:
        sentences.append(t("effekt.verdict.no_wdq", lang))
    sentences += [message(key, lang) for key in effect.caveats]
    return sentences


def zone_header(effect: Effect, lang: str) -> tuple[str, ...]:
    w = effect.windows
    return (t("effekt.col.zone", lang), t("effekt.col.places", lang),
            t("effekt.col.before", lang, period=fmt_month_range(*w.before, lang)),
            t("effekt.col.after", lang, period=fmt_month_range(*w.after, lang)),
            t("effekt.col.change", lang), t("effekt.col.case", lang))


def zone_rows(effect: Effect, names: Mapping[str, str], lang: str) -> list[tuple[str, ...]]:
    """One row per zone: its places, the counts before and after ('<5' when hidden, '–' when none), the change with
    its interval and the case of the rule in words."""
    rows = []
    for zone in ZONES:
        z = effect.zones[zone]
        before = z.before_hidden or ("–" if z.before is None else fmt_int(z.before, lang))
        after = z.after_hidden or ("–" if z.after is None else fmt_int(z.after, lang))
        change, case = "–", "–"
        if z.change is not None:
            r = z.change.comparison
            change = f"{ratio_change(r.ratio, lang)} ({ratio_change(r.low, lang)} … {ratio_change(r.high, lang)})"
            case = t("oversikt.status.too_few", lang) if z.change.case is Case.TOO_FEW else \
                t(f"oversikt.verdict.{z.change.case}", lang)
        rows.append((t(f"effekt.zone.{zone}", lang), ", ".join(names.get(p, p) for p in z.places) or "–",
                     before, after, change, case))
    return rows


def wdq_line(effect: Effect, lang: str) -> str | None:
    """The quotient's numbers, when they can be read (the target improved against the comparison area)."""
    d = effect.displacement
    if d is None or d.interpretation in (Interpretation.UNDEFINED, Interpretation.NO_EFFECT_IN_TARGET):
        return None
    w = d.wdq
    return t("effekt.wdq_values", lang, success=_dec(d.success_measure.value, lang),
             buffer=_dec(d.buffer_measure.value, lang), wdq=_dec(w.value, lang), level=fmt_pct(w.confidence, 0, lang),
             low=_dec(w.low, lang), high=_dec(w.high, lang), draws=fmt_int(d.draws, lang),
             net=fmt_dec(d.total_net_effect.value, 0, lang))


def trend_sentence(fit: SegmentedFit | SegmentedRefusal | None, lang: str) -> str:
    """The level and slope change at the break with their intervals, or why no fit is shown."""
    if fit is None:
        return t("effekt.its.hidden", lang)
    text = describe_segmented(fit, lang)
    if isinstance(fit, SegmentedFit) and abs(fit.residual_autocorrelation) > 0.3:
        text += " " + t("effekt.its.autocorrelation", lang)
    return text


def _dec(value: float, lang: str) -> str:
    return "–" if math.isnan(value) else fmt_dec(value, 2, lang)
