"""Sample file 1: the police events feed, real events of the area from the public feed plus synthetic ones."""

from __future__ import annotations

import itertools
import json
import random
import re
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from lagesbild.samples.draw import month_range, pick_weighted, random_moment, story_trend
from lagesbild.samples.story import (
    COMMITTED_EXTRACT,
    HOURS_EVENING,
    MONTH_SEASON,
    POLICE_FEED,
    POLICE_SNAPSHOT,
    SYNTHETIC_ID_OFFSET,
)

# --- police feed selection ----------------------------------------------------------------------------------

AREA_TEXT = re.compile(
    r"tantolund|\btanto|drakenberg|högalid|hornstull|hornsgatan|långholm|zinkens|ringvägen|rosenlund|"
    r"liljeholmsbron|brännkyrkagatan|heleneborgsgatan|lundagatan|bergsund|krukmakargatan|timmermansgatan|"
    r"torkel knutssonsgatan|wollmar yxkullsgatan|varvsgatan|reimersholm|södermalm",
    re.IGNORECASE,
)
ELSEWHERE_TEXT = re.compile(
    r"östermalm|vasagatan|kungsholmen|norrmalm|vasastan|gamla stan|odenplan|fridhemsplan|sergels torg|"
    r"stureplan|kungsträdgården",
    re.IGNORECASE,
)
ELSEWHERE_COUNT = 30
DIGEST_COUNT = 5
# Earlier published wording of three real events: (minutes earlier, summary as first published).
OLD_VERSIONS: dict[int, tuple[int, str]] = {
    440594: (41, "Polisen kontrollerade en man i Tantolunden. Misstanke om narkotikabrott."),
    430174: (17, "Vid fotpatrullering i Drakenbergsparken tog polisen narkotika i beslag."),
    536551: (63, "Man gripen efter att ha skadat en person i Tantolunden på Södermalm."),
}
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
               "oktober", "november", "december")
FEED_START, FEED_END = date(2023, 3, 25), date(2024, 12, 31)
FEED_DOT_SEPARATOR_FROM = datetime(2023, 11, 9, 12, 0)  # the feed switched "21:14" to "21.14" here
STOCKHOLM_GPS = "59.329324,18.068581"
SYNTHETIC_TYPES = (("Narkotikabrott", 0.35), ("Misshandel", 0.2), ("Stöld", 0.15), ("Ordningslagen", 0.1),
                   ("Bråk", 0.08), ("Rån", 0.06), ("Skadegörelse", 0.06))
SYNTHETIC_SUMMARIES: dict[str, tuple[str, ...]] = {
    "Narkotikabrott": ("En man greps misstänkt för narkotikabrott i {place}.",
                       "Polisen tog narkotika i beslag vid en kontroll i {place}.",
                       "Misstänkt narkotikaförsäljning i {place} på Södermalm."),
    "Misshandel": ("En man har blivit slagen i {place}.", "Bråk som slutade med misshandel i {place}."),
    "Stöld": ("Cykelstöld i {place}.", "En person greps misstänkt för stöld i {place}."),
    "Ordningslagen": ("Störande grupp i {place}, polisen på plats.",),
    "Bråk": ("Flera personer bråkar i {place}.",),
    "Rån": ("En man rånades på sin mobiltelefon i {place}.",),
    "Skadegörelse": ("Skadegörelse på belysningen i {place}.",),
}
SYNTHETIC_PLACES = (("Tantolunden", 0.3), ("Drakenbergsparken", 0.2), ("Hornstull", 0.15),
                    ("Zinkensdamm", 0.1), ("Högalidsparken", 0.08), ("Rosenlundsparken", 0.05),
                    ("Ringvägen", 0.07), ("Hornsgatan", 0.05))


# === 1. police events feed ==================================================================================


def _feed_time(moment: datetime, offset: str) -> str:
    """The feed's own style: the hour is not zero-padded."""
    return f"{moment:%Y-%m-%d} {moment.hour}:{moment:%M:%S} {offset}"


def _stockholm_offset(day: date) -> str:
    def last_sunday(month: int) -> date:
        end = date(day.year, month, 31)
        return end - timedelta(days=(end.weekday() + 1) % 7)

    return "+02:00" if last_sunday(3) <= day < last_sunday(10) else "+01:00"


def _older_version(event: dict[str, Any], minutes: int, summary: str) -> dict[str, Any]:
    published, offset = event["datetime"].rsplit(" ", 1)
    earlier = datetime.strptime(published, "%Y-%m-%d %H:%M:%S") - timedelta(minutes=minutes)
    return {**event, "datetime": _feed_time(earlier, offset), "summary": summary}


def _select_from_feed(feed: list[dict[str, Any]], snapshot: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Area events, a spread of events elsewhere and a few digests, newest id first as the feed has them."""
    digests = [e for e in feed if e["type"].startswith("Sammanfattning")]
    digests += [e for e in snapshot if e["type"].startswith("Sammanfattning")][: DIGEST_COUNT - len(digests)]
    area = [e for e in feed if AREA_TEXT.search(e["summary"]) and e not in digests]
    elsewhere = [e for e in feed
                 if ELSEWHERE_TEXT.search(e["summary"]) and e not in area and e not in digests]
    step = (len(elsewhere) - 1) / (ELSEWHERE_COUNT - 1)
    elsewhere = [elsewhere[round(i * step)] for i in range(ELSEWHERE_COUNT)]
    chosen = sorted(area + elsewhere + digests, key=lambda e: -e["id"])
    selected: list[dict[str, Any]] = []
    for event in chosen:
        if event["id"] in OLD_VERSIONS:  # the first publication comes before the final one
            selected.append(_older_version(event, *OLD_VERSIONS[event["id"]]))
        selected.append(event)
    return selected


def police_source_events() -> list[dict[str, Any]]:
    """The real events to publish: selected from the shared feed, or reused from the committed extract."""
    if POLICE_FEED.exists():
        feed = json.loads(POLICE_FEED.read_text(encoding="utf-8"))
        snapshot = json.loads(POLICE_SNAPSHOT.read_text(encoding="utf-8")) if POLICE_SNAPSHOT.exists() else []
        return _select_from_feed(feed, snapshot)
    if COMMITTED_EXTRACT.exists():
        events = json.loads(COMMITTED_EXTRACT.read_text(encoding="utf-8"))
        return [e for e in events if e["id"] < SYNTHETIC_ID_OFFSET]
    raise FileNotFoundError(f"Neither {POLICE_FEED} nor {COMMITTED_EXTRACT} exists: "
                            "set LAGESBILD_POLICE_FEED to the police events file")


def _synthetic_event(rng: random.Random, event_id: int, moment: datetime) -> dict[str, Any]:
    kind = pick_weighted(rng, SYNTHETIC_TYPES)
    summary = rng.choice(SYNTHETIC_SUMMARIES[kind]).format(place=pick_weighted(rng, SYNTHETIC_PLACES))
    separator = ":" if moment < FEED_DOT_SEPARATOR_FROM else "."
    month_name = MONTH_NAMES[moment.month - 1]
    name = f"{moment.day:02d} {month_name} {moment.hour:02d}{separator}{moment.minute:02d}, {kind}, Stockholm"
    slug = name.lower().replace(":", "").replace("/", "").replace(", ", "-").replace(" ", "-")
    slug = slug.translate(str.maketrans("åäö", "aao"))
    published = moment + timedelta(minutes=rng.randint(5, 120))
    return {
        "id": event_id,
        "datetime": _feed_time(published, _stockholm_offset(published.date())),
        "name": name,
        "summary": summary,
        "url": f"/aktuellt/handelser/{moment.year}/{month_name}/{moment.day}/{slug}",
        "type": kind,
        "location": {"name": "Stockholm", "gps": STOCKHOLM_GPS},
    }


def _synthetic_events(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Extra area events for load tests, ids from SYNTHETIC_ID_OFFSET up, newest id first."""
    months = list(month_range(FEED_START, FEED_END))
    weights = [MONTH_SEASON[m - 1] * story_trend("drug", "Tantolunden", y, m) for y, m in months]
    moments = []
    for _ in range(count):
        year, month = rng.choices(months, weights=weights)[0]
        moment = random_moment(rng, year, month, HOURS_EVENING)
        if moment.date() < FEED_START:
            moment = moment.replace(day=FEED_START.day + rng.randrange(7))
        moments.append(moment)
    moments.sort()
    events = [_synthetic_event(rng, SYNTHETIC_ID_OFFSET + i, m) for i, m in enumerate(moments)]
    return events[::-1]


def write_police_events(path: Path, rng: random.Random, scale: float, source: list[dict[str, Any]]) -> None:
    area_count = sum(1 for e in source if AREA_TEXT.search(e["summary"]))
    extra = _synthetic_events(rng, round((scale - 1) * area_count)) if scale > 1 else []
    # Written event by event (same bytes as json.dumps of the whole list) to keep memory flat at scale=100.
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for index, event in enumerate(itertools.chain(extra, source)):
            handle.write(",\n" if index else "\n")
            handle.write(textwrap.indent(json.dumps(event, indent=1, ensure_ascii=False), " "))
        handle.write("\n]\n")


