"""Every sentence the statistics are read with, Swedish and English: message keys with default texts, in one place."""

from __future__ import annotations

import math

from lagesbild.stats.displacement import Interpretation, WeightedDisplacement
from lagesbild.stats.its import SegmentedFit, SegmentedRefusal
from lagesbild.stats.status import CountStatus, ShareStatus

# ---------------------------------------------------------------------------------------------------------------
# THE TEXTS. Keys are the future gettext msgids' context; the texts are the defaults until the catalogs exist.
# Placeholders name only numbers from a result: {count} {baseline_count} {events} {change} {low} {high} {level}
# for counts (changes in %); {share} {baseline_share} {n} {baseline_n}, {change} (with its unit) and {low} {high}
# (bare numbers) in percentage points for survey shares; {target} for targets; {wdq} {low} {high} for the WDQ;
# months and minimums for a refused time series. Nothing else goes into a sentence.
# ---------------------------------------------------------------------------------------------------------------
MESSAGES: dict[str, dict[str, str]] = {
    "status.count.good": {
        "sv": "Bättre än basåret, mer än slumpen förklarar: {count} mot {baseline_count} ({change}; "
              "{level} KI {low} till {high}).",
        "en": "Better than the baseline year, by more than chance explains: {count} against {baseline_count} "
              "({change}; {level} CI {low} to {high}).",
    },
    "status.count.better_within_chance": {
        "sv": "Åt rätt håll, men inom slumpens marginaler: {count} mot {baseline_count} ({change}; "
              "{level} KI {low} till {high}).",
        "en": "Moving the right way, but within chance: {count} against {baseline_count} ({change}; "
              "{level} CI {low} to {high}).",
    },
    "status.count.worse_within_chance": {
        "sv": "Ingen förbättring mot basåret, inom slumpens marginaler: {count} mot {baseline_count} ({change}; "
              "{level} KI {low} till {high}).",
        "en": "No improvement on the baseline year, within chance: {count} against {baseline_count} ({change}; "
              "{level} CI {low} to {high}).",
    },
    "status.count.bad": {
        "sv": "Sämre än basåret, mer än slumpen förklarar: {count} mot {baseline_count} ({change}; "
              "{level} KI {low} till {high}).",
        "en": "Worse than the baseline year, by more than chance explains: {count} against {baseline_count} "
              "({change}; {level} CI {low} to {high}).",
    },
    "status.count.too_few": {
        "sv": "För få händelser för att säga något: {events} sammanlagt ({count} mot {baseline_count}).",
        "en": "Too few events to tell: {events} in all ({count} against {baseline_count}).",
    },
    "status.share.good": {
        "sv": "Bättre än basåret, mer än slumpen förklarar: {share} mot {baseline_share} ({change}; "
              "{level} KI {low} till {high}; {n} och {baseline_n} svar).",
        "en": "Better than the baseline year, by more than chance explains: {share} against {baseline_share} "
              "({change}; {level} CI {low} to {high}; {n} and {baseline_n} answers).",
    },
    "status.share.better_within_chance": {
        "sv": "Åt rätt håll, men inom slumpens marginaler: {share} mot {baseline_share} ({change}; "
              "{level} KI {low} till {high}; {n} och {baseline_n} svar).",
        "en": "Moving the right way, but within chance: {share} against {baseline_share} ({change}; "
              "{level} CI {low} to {high}; {n} and {baseline_n} answers).",
    },
    "status.share.worse_within_chance": {
        "sv": "Ingen förbättring mot basåret, inom slumpens marginaler: {share} mot {baseline_share} ({change}; "
              "{level} KI {low} till {high}; {n} och {baseline_n} svar).",
        "en": "No improvement on the baseline year, within chance: {share} against {baseline_share} ({change}; "
              "{level} CI {low} to {high}; {n} and {baseline_n} answers).",
    },
    "status.share.bad": {
        "sv": "Sämre än basåret, mer än slumpen förklarar: {share} mot {baseline_share} ({change}; "
              "{level} KI {low} till {high}; {n} och {baseline_n} svar).",
        "en": "Worse than the baseline year, by more than chance explains: {share} against {baseline_share} "
              "({change}; {level} CI {low} to {high}; {n} and {baseline_n} answers).",
    },
    "status.share.too_few": {
        "sv": "För få svar för att säga något: {n} och {baseline_n} svar ({share} mot {baseline_share}).",
        "en": "Too few answers to tell: {n} and {baseline_n} answers ({share} against {baseline_share}).",
    },
    "status.share.not_comparable": {
        "sv": "Mätomgångarna går inte att jämföra med varandra (andra frågor, urval eller metod).",
        "en": "The survey waves cannot be compared with each other (other questions, sample or method).",
    },
    "target.reached_with_confidence": {
        "sv": "Målet ({target}) är nått, även med osäkerheten inräknad.",
        "en": "The target ({target}) is reached, even allowing for the uncertainty.",
    },
    "target.reached": {
        "sv": "Målet ({target}) är nått i punktskattningen, men osäkerheten rymmer att det inte är det.",
        "en": "The target ({target}) is reached by the estimate, but the uncertainty allows that it is not.",
    },
    "target.not_reached": {
        "sv": "Målet ({target}) är inte nått.",
        "en": "The target ({target}) is not reached.",
    },
    "wdq.undefined": {
        "sv": "Jämförelseområdet saknar händelser i en av perioderna; undanträngning kan inte bedömas.",
        "en": "The comparison area has no events in one of the periods; displacement cannot be assessed.",
    },
    "wdq.no_effect_in_target": {
        "sv": "Målområdet förbättrades inte jämfört med jämförelseområdet; undanträngning bedöms inte.",
        "en": "The target area did not improve relative to the comparison area; displacement is not assessed.",
    },
    "wdq.diffusion_greater_than_effect": {
        "sv": "Buffertzonen förbättrades mer än målområdet (WDQ {wdq}; {level} KI {low} till {high}).",
        "en": "The buffer improved more than the target area (WDQ {wdq}; {level} CI {low} to {high}).",
    },
    "wdq.diffusion": {
        "sv": "Nyttan spreds till buffertzonen (WDQ {wdq}; {level} KI {low} till {high}).",
        "en": "The benefit spread to the buffer (WDQ {wdq}; {level} CI {low} to {high}).",
    },
    "wdq.no_displacement_or_diffusion": {
        "sv": "Ingen undanträngning och ingen spridning av nyttan (WDQ {wdq}; {level} KI {low} till {high}).",
        "en": "Neither displacement nor a spread of the benefit (WDQ {wdq}; {level} CI {low} to {high}).",
    },
    "wdq.displacement_smaller_than_effect": {
        "sv": "Viss undanträngning till buffertzonen, mindre än vinsten i målområdet (WDQ {wdq}; "
              "{level} KI {low} till {high}).",
        "en": "Some displacement to the buffer, smaller than the gain in the target area (WDQ {wdq}; "
              "{level} CI {low} to {high}).",
    },
    "wdq.displacement_greater_than_effect": {
        "sv": "Undanträngningen till buffertzonen är större än vinsten i målområdet (WDQ {wdq}; "
              "{level} KI {low} till {high}).",
        "en": "The displacement to the buffer is greater than the gain in the target area (WDQ {wdq}; "
              "{level} CI {low} to {high}).",
    },
    "wdq.within_chance": {
        "sv": "Förändringen i buffertzonen ryms inom slumpens marginaler.",
        "en": "The change in the buffer is within chance.",
    },
    "its.level": {
        "sv": "Vid brytpunkten ändrades nivån med {change} ({level} KI {low} till {high}).",
        "en": "At the break the level changed by {change} ({level} CI {low} to {high}).",
    },
    "its.slope": {
        "sv": "Trenden ändrades med {change} per månad ({level} KI {low} till {high}).",
        "en": "The trend changed by {change} a month ({level} CI {low} to {high}).",
    },
    "its.method.poisson": {
        "sv": "Poissonregression med säsongstermer.",
        "en": "Poisson regression with season terms.",
    },
    "its.method.quasi_poisson": {
        "sv": "Kvasi-Poissonregression med säsongstermer: variationen är större än Poisson (faktor {dispersion}).",
        "en": "Quasi-Poisson regression with season terms: the counts vary more than Poisson (factor {dispersion}).",
    },
    "its.too_few_months_before": {
        "sv": "För kort serie före brytpunkten: {months_before} månader, minst {min_before} behövs.",
        "en": "Too short a series before the break: {months_before} months, at least {min_before} needed.",
    },
    "its.too_few_months_after": {
        "sv": "För kort serie efter brytpunkten: {months_after} månader, minst {min_after} behövs.",
        "en": "Too short a series after the break: {months_after} months, at least {min_after} needed.",
    },
    "its.no_events_before": {
        "sv": "Inga händelser före brytpunkten; en förändring kan inte skattas.",
        "en": "No events before the break; a change cannot be estimated.",
    },
    "its.no_events_after": {
        "sv": "Inga händelser efter brytpunkten; förändringens storlek kan inte skattas.",
        "en": "No events after the break; the size of the change cannot be estimated.",
    },
    "its.covariate_incomplete": {
        "sv": "Insatsen saknas för någon månad; serien kan inte justeras för den.",
        "en": "The effort is missing for some month; the series cannot be adjusted for it.",
    },
    "its.did_not_converge": {
        "sv": "Modellen gick inte att skatta på de här talen.",
        "en": "The model could not be fitted to these numbers.",
    },
    "caveat.short_window": {
        "sv": "Korta perioder: några månader säger lite om en varaktig effekt.",
        "en": "Short periods: a few months say little about a lasting effect.",
    },
    "caveat.small_counts": {
        "sv": "Små tal: de flesta förändringar på den här nivån är slump.",
        "en": "Small counts: most changes at this level are chance.",
    },
    "caveat.police_effort": {
        "sv": "Polisanmälda brott mäter också polisens insats: fler patruller hittar fler brott.",
        "en": "Police-recorded offences also measure police effort: more patrols find more offences.",
    },
    "caveat.many_places": {
        "sv": "Åtgärden startade på flera platser samtidigt; effekten kan inte knytas till en av dem.",
        "en": "The measure started in several places at once; the effect cannot be tied to one of them.",
    },
}
# ---------------------------------------------------------------------------------------------------------------


def message(key: str, lang: str, **numbers: object) -> str:
    """The text for `key` in `lang` (sv or en), filled with already formatted numbers."""
    return MESSAGES[key][lang].format(**numbers)


def describe_status(status: CountStatus | ShareStatus, lang: str) -> str:
    """The card's sentence for a status: which case, with the numbers behind it."""
    if isinstance(status, ShareStatus):
        return _describe_share(status, lang)
    c = status.comparison
    return message(f"status.count.{status.case}", lang, count=c.a, baseline_count=c.b, events=c.events,
                   change=percent_change(c.ratio, lang), low=percent_change(c.low, lang),
                   high=percent_change(c.high, lang), level=_level(c.confidence, lang))


def describe_target(status: CountStatus | ShareStatus, lang: str) -> str | None:
    if status.target is None:
        return None
    t = status.target
    target = (points(t.change, lang) if isinstance(status, ShareStatus) else percent_change(1.0 + t.change, lang))
    key = ("target.reached_with_confidence" if t.reached_with_confidence
           else "target.reached" if t.reached else "target.not_reached")
    return message(key, lang, target=target)


def describe_displacement(result: WeightedDisplacement, lang: str) -> str:
    w = result.wdq
    text = message(f"wdq.{result.interpretation}", lang, wdq=_decimal(w.value, lang), low=_decimal(w.low, lang),
                   high=_decimal(w.high, lang), level=_level(w.confidence, lang))
    unread = (Interpretation.UNDEFINED, Interpretation.NO_EFFECT_IN_TARGET)
    if result.interpretation not in unread and not result.buffer_change_distinguishable:
        text += " " + message("wdq.within_chance", lang)
    return text


def describe_segmented(result: SegmentedFit | SegmentedRefusal, lang: str) -> str:
    if isinstance(result, SegmentedRefusal):
        return message(f"its.{result.reason}", lang, months_before=result.months_before, min_before=result.min_before,
                       months_after=result.months_after, min_after=result.min_after)
    level, slope = result.level, result.slope
    parts = [
        message("its.level", lang, change=percent_change(level.value, lang), low=percent_change(level.low, lang),
                high=percent_change(level.high, lang), level=_level(level.confidence, lang)),
        message("its.slope", lang, change=percent_change(slope.value, lang), low=percent_change(slope.low, lang),
                high=percent_change(slope.high, lang), level=_level(slope.confidence, lang)),
        message(f"its.method.{result.method}", lang, dispersion=_decimal(result.dispersion, lang)),
    ]
    return " ".join(parts)


def _describe_share(status: ShareStatus, lang: str) -> str:
    c = status.comparison
    if c is None:
        return message("status.share.not_comparable", lang)
    return message(f"status.share.{status.case}", lang, share=_share(c.share_a, lang),
                   baseline_share=_share(c.share_b, lang), n=_whole(c.n_a), baseline_n=_whole(c.n_b),
                   change=points(c.difference, lang), low=_signed(round(c.low * 100.0)),
                   high=_signed(round(c.high * 100.0)),
                   level=_level(c.confidence, lang))


# Minimal number formatting until Babel takes it over: whole percents, a real minus sign, the Swedish space
# before %. Kept here so that the sentences above never need a formatter from the dashboard.
def percent_change(ratio: float, lang: str) -> str:
    """A rate ratio as a signed change: 0.69 → "−31 %" (sv) / "−31%" (en)."""
    if math.isnan(ratio):
        return "–"
    if math.isinf(ratio):
        return "+∞"
    return _signed(round((ratio - 1.0) * 100.0)) + ("\u00a0%" if lang == "sv" else "%")


def points(difference: float, lang: str) -> str:
    """A difference of proportions in percentage points: −0.08 → "−8 procentenheter"."""
    unit = "procentenheter" if lang == "sv" else "percentage points"
    return f"{_signed(round(difference * 100.0))}\u00a0{unit}"


def _share(share: float, lang: str) -> str:
    return f"{round(share * 100.0)}\u00a0%" if lang == "sv" else f"{round(share * 100.0)}%"


def _level(confidence: float, lang: str) -> str:
    return _share(confidence, lang)


def _decimal(value: float, lang: str) -> str:
    if not math.isfinite(value):
        return "–" if math.isnan(value) else ("+∞" if value > 0 else "−∞")
    text = f"{value:.2f}".replace("-", "−")
    return text.replace(".", ",") if lang == "sv" else text


def _signed(whole: int) -> str:
    return f"+{whole}" if whole > 0 else f"−{-whole}" if whole < 0 else "±0"


def _whole(value: float) -> str:
    return str(round(value))
