"""Sample file 4: outreach shifts (XLSX), aggregates per shift with one identity number to be redacted."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from lagesbild.samples.draw import (
    Shift,
    city_group,
    clock_text,
    days_of_month,
    draw_binomial,
    draw_count,
    draw_poisson,
    draw_scaled_count,
    month_range,
    pick_weighted,
    save_workbook,
    spelling,
    story_period,
    styled_cell,
)
from lagesbild.samples.story import (
    AREA,
    MOTESPLATS_SUMMERS,
    OUTREACH_HEADER,
    OUTREACH_SEASON,
    PLACES,
    STORY,
    STORY_END,
)

# --- outreach shifts ----------------------------------------------------------------------------------------

OUTREACH_TITLE = "Uppsökande arbete Västra Södermalm – passrapporter"
TEAMS_2022 = (("Socialtjänstens uppsökare", 0.5), ("Fältassistenterna", 0.3), ("Prima Maria uppsökande", 0.2))
TEAMS_PROJECT = (("Socialtjänstens uppsökare", 0.35), ("Fältassistenterna", 0.25), ("Stadsmissionen", 0.2),
                 ("Prima Maria uppsökande", 0.2))
# (type, start times, shift lengths in hours, mean contacts per shift)
SHIFT_TYPES: dict[str, tuple[tuple[str, ...], tuple[float, ...], float]] = {
    "Uppsökande pass": (("10:00", "13:00", "17:00", "19:00", "21:00"), (3.0, 3.5, 4.0), 6.0),
    "Samverkanspass": (("18:00", "20:00", "22:00"), (2.0, 2.5, 3.0), 4.0),
    "Mötesplats": (("15:00", "16:00"), (5.0,), 14.0),
}
STAFF_PER_SHIFT = ((1, 0.1), (2, 0.7), (3, 0.2))
CONTACT_TREND = {"2022": 1.0, "2023Q1": 1.0, "2023Q2": 1.15, "2023Q3": 1.15, "2023Q4": 1.0, "2024": 0.9,
                 "2025": 0.8}
NEW_PERSON_SHARE = {"2022": 0.3, "2023Q1": 0.3, "2023Q2": 0.4, "2023Q3": 0.35, "2023Q4": 0.25, "2024": 0.22,
                    "2025": 0.2}
REFERRAL_BOOST = {"2022": 1.0, "2023Q1": 1.1, "2023Q2": 1.6, "2023Q3": 1.6, "2023Q4": 1.4, "2024": 1.4,
                  "2025": 1.3}
REFERRAL_RATES = (0.05, 0.02, 0.035, 0.04, 0.04, 0.02)  # per contact, in the header's referral order
OUTREACH_PLACE_WEIGHTS = {"Tantolunden": 0.33, "Drakenbergsparken": 0.25, "Högalidsparken": 0.08,
                          "Hornstull": 0.12, "Zinkensdamm": 0.08, "Rosenlundsparken": 0.04,
                          "Liljeholmsbron": 0.02, AREA: 0.08}
OUTREACH_COMMENTS: dict[str, tuple[str, ...]] = {
    "Uppsökande pass": ("Lugnt i parken.", "Många ute pga värmen.", "Regn, få personer ute.",
                        "Flera kända personer vid bänkarna.", "Delade ut information om Prima Maria.",
                        "Följde en person till akutmottagningen.", "Nya ansikten vid Hornstull."),
    "Samverkanspass": ("Gemensamt pass med polisen.", "Gemensam rond med väktare.",
                       "Polisen kontrollerade två personer, vi tog kontakt efteråt."),
    "Mötesplats": ("Fullt vid mötesplatsen.", "Kaffe och samtal, lugn stämning.",
                   "Få besökare, kyligt väder.", "Sjuksköterska från Prima Maria på plats."),
}
OUTREACH_PERSONNUMMER = ((2023, 7), "Person bad oss notera 850312-1234 inför kontakt med handläggare.")

# === 4. outreach shifts =====================================================================================


def _shift_row(rng: random.Random, sheet: WriteOnlyWorksheet, day: date, kind: str, team: str,
               place: str) -> list[Any]:
    starts, lengths, mean_contacts = SHIFT_TYPES[kind]
    hour, minute = rng.choice(starts).split(":")
    start = datetime(day.year, day.month, day.day, int(hour), int(minute))
    length = rng.choice(lengths)
    period = story_period(day.year, day.month)
    summer = 1.3 if OUTREACH_SEASON[day.month - 1] > 1.1 else 1.0
    contacts = draw_poisson(rng, mean_contacts * summer * CONTACT_TREND[period])
    referrals = [draw_binomial(rng, contacts, rate * REFERRAL_BOOST[period]) for rate in REFERRAL_RATES]
    staff = 3 if kind == "Mötesplats" else pick_weighted(rng, STAFF_PER_SHIFT)
    comment = rng.choice(OUTREACH_COMMENTS[kind]) if rng.random() < 0.35 else ""
    return [
        styled_cell(sheet, day, number_format="yyyy-mm-dd"),
        clock_text(start), clock_text(start + timedelta(hours=length)),
        team, spelling(rng, place) if place in PLACES else place, kind, contacts,
        draw_binomial(rng, contacts, NEW_PERSON_SHARE[period]), *referrals, length * staff, comment,
    ]


def _regular_shifts(rng: random.Random, year: int, month: int, scale: float) -> list[Shift]:
    """(day, type, team, place, team number) for the month's outreach and joint shifts."""
    period = story_period(year, month)
    teams = TEAMS_2022 if year == 2022 else TEAMS_PROJECT
    joint_share = 0.25 if period in ("2023Q2", "2023Q3") else 0.15
    count = draw_count(rng, 18 * OUTREACH_SEASON[month - 1] * STORY["outreach"][period] * scale)
    days, cumulative = days_of_month(year, month)
    return [
        (rng.choices(days, cum_weights=cumulative)[0],
         "Samverkanspass" if rng.random() < joint_share else "Uppsökande pass",
         pick_weighted(rng, teams), pick_weighted(rng, tuple(OUTREACH_PLACE_WEIGHTS.items())), city_group(rng, scale))
        for _ in range(count)
    ]


def _meeting_point_shifts(rng: random.Random, year: int, month: int, scale: float) -> list[Shift]:
    """The staffed meeting point in Tantolunden, Wednesday–Saturday, June–August from 2023."""
    if year not in MOTESPLATS_SUMMERS or month not in (6, 7, 8):
        return []
    teams = (("Socialtjänstens uppsökare", 0.6), ("Stadsmissionen", 0.4))
    days, _ = days_of_month(year, month)
    return [(day, "Mötesplats", pick_weighted(rng, teams), "Tantolunden", city_group(rng, scale, copy))
            for day in days if day.weekday() in (2, 3, 4, 5) for copy in range(draw_scaled_count(rng, scale))]


def write_outreach(path: Path, rng: random.Random, scale: float, until: date = STORY_END) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pass")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["D"].width = 26
    sheet.column_dimensions["P"].width = 44
    sheet.merged_cells.add("A1:P1")
    sheet.append([styled_cell(sheet, OUTREACH_TITLE, Font(bold=True, size=14))])
    sheet.append([])
    sheet.append([styled_cell(sheet, name, Font(bold=True)) for name in OUTREACH_HEADER])
    for year, month in month_range(date(2022, 1, 1), until):
        shifts = _regular_shifts(rng, year, month, scale) + _meeting_point_shifts(rng, year, month, scale)
        shifts.sort(key=lambda shift: shift[0])
        for index, (day, kind, team, place, group) in enumerate(shifts):
            row = _shift_row(rng, sheet, day, kind, team if group is None else f"{team}, team {group}", place)
            if index == 0 and (year, month) == OUTREACH_PERSONNUMMER[0]:
                row[-1] = OUTREACH_PERSONNUMMER[1]
            sheet.append(row)
    save_workbook(workbook, path)


