"""Sample file 5: activities and measures (CSV, UTF-8 with BOM)."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

from lagesbild.samples.draw import (
    city_group,
    days_of_month,
    decimal_comma,
    draw_poisson,
    draw_scaled_count,
    month_range,
    pick_weighted,
    spelling,
    story_period,
)
from lagesbild.samples.story import ACTIVITIES_HEADER, AREA, MONTH_SEASON, STORY_END

# --- activities and measures --------------------------------------------------------------------------------

DISTRICT = "Stadsdelsförvaltningen Södermalm"
# (date, start, end, place, title, category, organiser, cost kr, description): fixed dates the story hangs on.
MEASURES: tuple[tuple[str, str, str, str, str, str, str, float, str], ...] = (
    ("2023-04-20", "07:00", "16:00", "Drakenbergsparken", "Röjning av buskage Drakenbergsparken",
     "Stadsmiljöåtgärd", "Trafikkontoret", 128500.50,
     "Täta buskage röjda och gallrade, bättre sikt längs gångvägarna."),
    ("2023-05-15", "", "", "Tantolunden", "Ny belysning Tantolunden", "Stadsmiljöåtgärd", "Trafikkontoret",
     485000.00, "Ny belysning längs huvudstråket, vid lekplatsen och trapporna."),
    ("2023-06-01", "15:00", "21:00", "Tantolunden", "Mötesplats i Tantolunden öppnar", "Närvaro/mötesplats",
     DISTRICT, 45000.00, "Bemannad mötesplats med uppsökare, kaffe och information, onsdag–lördag."),
    ("2023-06-10", "", "", "Tantolunden", "Nya bänkar och papperskorgar", "Stadsmiljöåtgärd",
     "Trafikkontoret", 96400.00, "Tolv nya bänkar och större papperskorgar, även för riskavfall."),
    ("2024-06-01", "15:00", "21:00", "Tantolunden", "Mötesplats i Tantolunden öppnar för säsongen",
     "Närvaro/mötesplats", DISTRICT, 38000.00, "Mötesplatsen öppen onsdag–lördag hela sommaren."),
    ("2025-06-01", "15:00", "21:00", "Tantolunden", "Mötesplats i Tantolunden öppnar för säsongen",
     "Närvaro/mötesplats", DISTRICT, 38000.00, "Mötesplatsen öppen onsdag–lördag hela sommaren."),
)
# (date, place, title, organiser, grant kr): association grants, 259 500 kr in 2023 against a 275 tkr cap.
GRANTED_ACTIVITIES: tuple[tuple[str, str, str, str, int], ...] = (
    ("2023-05-27", "Tantolunden", "Vårfest i Tantolunden", "Föreningen Parkliv Söder", 40000),
    ("2023-06-17", "Tantolunden", "Midsommarfirande för familjer", "Hornstulls kulturförening", 35000),
    ("2023-06-24", "Drakenbergsparken", "Streetbasket-turnering", "Västra Södermalms IF", 22000),
    ("2023-07-08", "Tantolunden", "Dans i parken", "Södra dansföreningen", 18500),
    ("2023-07-15", "Drakenbergsparken", "Kulturkväll med poesi", "Föreningen Ord på Söder", 15000),
    ("2023-07-29", "Högalidsparken", "Barnteater i parken", "Teaterföreningen Lilla scenen", 20000),
    ("2023-08-12", "Tantolunden", "Loppis och odlingsdag", "Tantolundens odlarförening", 12500),
    ("2023-08-19", "Drakenbergsparken", "Fotbollsfest för unga", "Västra Södermalms IF", 30000),
    ("2023-08-26", "Tantolunden", "Sensommarkonsert", "Hornstulls kulturförening", 38000),
    ("2023-09-09", "Hornstull", "Skate- och streetdag", "Föreningen Parkliv Söder", 16000),
    ("2023-09-23", "Rosenlundsparken", "Skördefest", "Tantolundens odlarförening", 12500),
    ("2024-06-15", "Tantolunden", "Midsommarfirande för familjer", "Hornstulls kulturförening", 30000),
    ("2024-07-06", "Tantolunden", "Dans i parken", "Södra dansföreningen", 18000),
    ("2024-08-10", "Drakenbergsparken", "Fotbollsfest för unga", "Västra Södermalms IF", 25000),
    ("2024-08-24", "Tantolunden", "Sensommarkonsert", "Hornstulls kulturförening", 30000),
    ("2024-09-14", "Rosenlundsparken", "Skördefest", "Tantolundens odlarförening", 10000),
    ("2025-06-14", "Tantolunden", "Midsommarfirande för familjer", "Hornstulls kulturförening", 25000),
    ("2025-07-12", "Högalidsparken", "Barnteater i parken", "Teaterföreningen Lilla scenen", 18000),
    ("2025-08-16", "Drakenbergsparken", "Fotbollsfest för unga", "Västra Södermalms IF", 22000),
    ("2025-08-30", "Tantolunden", "Sensommarkonsert", "Hornstulls kulturförening", 28000),
)
# (weekday, title, category, start, end, place, organiser, attendance range, cost range, chance held)
Series = tuple[int, str, str, str, str, str, str, tuple[int, int], tuple[int, int], float]
SUMMER_SERIES: tuple[Series, ...] = (
    (1, "Utegym med instruktör", "Sport", "18:00", "19:00", "Tantolunden", DISTRICT, (10, 35), (1500, 3000),
     0.85),
    (2, "Fotboll för unga", "Sport", "17:00", "19:00", "Drakenbergsparken", "Västra Södermalms IF", (15, 40),
     (2000, 4000), 0.85),
    (4, "Sommarkonsert i Tantolunden", "Kultur", "19:00", "21:00", "Tantolunden", "Kulturförvaltningen",
     (120, 400), (8000, 25000), 0.85),
    (5, "Familjedag i parken", "Kultur", "11:00", "16:00", "Drakenbergsparken", DISTRICT, (150, 450),
     (6000, 15000), 0.5),
)
# (title, category, organiser, start, end, attendance range, cost range): the rest of the year, scattered.
OTHER_ACTIVITIES: tuple[tuple[str, str, str, str, str, tuple[int, int], tuple[int, int]], ...] = (
    ("Trygghetsvandring", "Närvaro/mötesplats", DISTRICT, "19:00", "21:00", (8, 30), (0, 0)),
    ("Boxningsträning utomhus", "Sport", "Västra Södermalms IF", "17:30", "19:00", (8, 25), (1000, 2500)),
    ("Sagostund i parken", "Kultur", "Stadsbiblioteket Hornstull", "10:00", "11:00", (10, 40), (500, 1500)),
    ("Schack i parken", "Föreningsaktivitet", "Södermalms schacksällskap", "13:00", "17:00", (6, 25),
     (0, 800)),
    ("Pingisturnering", "Sport", "Föreningen Parkliv Söder", "14:00", "17:00", (12, 40), (1000, 3000)),
    ("Fältassistenterna på plats", "Närvaro/mötesplats", "Fältassistenterna", "18:00", "22:00", (5, 30),
     (0, 0)),
)
ACTIVITY_PLACES = (("Tantolunden", 0.4), ("Drakenbergsparken", 0.3), ("Högalidsparken", 0.15),
                   ("Rosenlundsparken", 0.1), ("Hornstull", 0.05))
ACTIVITY_NOTES = ("öppet för alla.", "fri entré, ingen anmälan.", "fika ingår, flyttas inomhus vid regn.",
                  "i samarbete med stadsdelen.", "för barn, unga och vuxna.")
ACTIVITY_RATE = {"2021H1": 0.0, "2021H2": 0.0, "2022": 1.5, "2023Q1": 2.5, "2023Q2": 3.5, "2023Q3": 3.5,
                 "2023Q4": 2.5, "2024": 2.5, "2025": 2.3}

# === 5. activities and measures =============================================================================


def _kronor(rng: random.Random, amount: float) -> str:
    """Amounts as the finance system exports them: sometimes whole kronor, mostly with öre and a comma."""
    if amount != int(amount) or rng.random() < 0.7:
        return decimal_comma(amount, 2)
    return str(int(amount))


def _fixed_activities(rng: random.Random, until: date = STORY_END) -> list[list[str]]:
    """Measures, monthly samverkansmöten and grant-funded association events: the same at every scale."""
    rows = [[day, start, end, place, title, category, organiser, "", _kronor(rng, cost), "", text]
            for day, start, end, place, title, category, organiser, cost, text in MEASURES]
    for year, month in month_range(date(2023, 1, 1), until):
        days, _ = days_of_month(year, month)
        second_tuesday = [d for d in days if d.weekday() == 1][1]
        rows.append([second_tuesday.isoformat(), "13:00", "15:00", AREA, "Samverkansmöte lägesbild",
                     "Samverkansmöte", DISTRICT, str(rng.randint(8, 16)), "", "",
                     "Gemensam lägesbild med polisen, trafikkontoret och föreningarna, beslut om åtgärder."])
    for day, place, title, organiser, grant in GRANTED_ACTIVITIES:
        rows.append([day, "12:00", "18:00", place, title, "Föreningsaktivitet", organiser,
                     str(rng.randint(80, 600)), "", _kronor(rng, grant),
                     "Med föreningsbidrag från stadsdelen."])
    return [row for row in rows if row[0] <= until.isoformat()]


def _activity(rng: random.Random, day: date, title: str, category: str, start: str, end: str, place: str,
              organiser: str, attendance: tuple[int, int], cost: tuple[int, int]) -> list[str]:
    amount = round(rng.uniform(*cost) / 50) * 50
    if amount and rng.random() < 0.1:  # the odd invoice with öre
        amount += 0.5
    description = f"{title}, {rng.choice(ACTIVITY_NOTES)}"
    return [day.isoformat(), start, end, spelling(rng, place), title, category, organiser,
            str(rng.randint(*attendance)), _kronor(rng, amount) if amount else "", "", description]


def grouped(title: str, group: int | None) -> str:
    return title if group is None else f"{title} (grupp {group})"


def _scheduled_activities(rng: random.Random, year: int, month: int, scale: float) -> list[list[str]]:
    """Summer series, spring and autumn clean-ups, and scattered activities: these grow with scale."""
    rows = []
    days, cumulative = days_of_month(year, month)
    if year >= 2023 and month in (6, 7, 8):
        for weekday, title, category, start, end, place, organiser, attendance, cost, held in SUMMER_SERIES:
            for day in (d for d in days if d.weekday() == weekday):
                for copy in range(draw_scaled_count(rng, held * scale)):
                    rows.append(_activity(rng, day, grouped(title, city_group(rng, scale, copy)), category, start,
                                          end, place, organiser, attendance, cost))
    if month in (4, 9):
        for park in ("Tantolunden", "Drakenbergsparken"):
            for copy in range(draw_scaled_count(rng, scale)):
                day = rng.choice([d for d in days if d.weekday() == 5])
                title = grouped(f"Städdag i {park}", city_group(rng, scale, copy))
                rows.append(_activity(rng, day, title, "Städdag", "10:00", "14:00", park,
                                      "Parkförvaltningen", (20, 60), (1500, 4000)))
    rate = ACTIVITY_RATE[story_period(year, month)] * MONTH_SEASON[month - 1] * scale
    for _ in range(draw_poisson(rng, rate)):
        title, category, organiser, start, end, attendance, cost = rng.choice(OTHER_ACTIVITIES)
        place = pick_weighted(rng, ACTIVITY_PLACES)
        day = rng.choices(days, cum_weights=cumulative)[0]
        title = grouped(title, city_group(rng, scale))
        rows.append(_activity(rng, day, title, category, start, end, place, organiser, attendance, cost))
    return rows


def write_activities(path: Path, rng: random.Random, scale: float, until: date = STORY_END) -> None:
    by_month: dict[str, list[list[str]]] = {}
    for row in _fixed_activities(rng, until):
        by_month.setdefault(row[0][:7], []).append(row)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(ACTIVITIES_HEADER)
        for year, month in month_range(date(2022, 1, 1), until):
            rows = by_month.get(f"{year}-{month:02d}", []) + _scheduled_activities(rng, year, month, scale)
            rows.sort(key=lambda row: (row[0], row[1]))
            writer.writerows(rows)


