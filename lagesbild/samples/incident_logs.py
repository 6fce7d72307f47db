"""Sample files 2 and 3: EST reports (CSV, cp1252) and the partner extract from police records (XLSX)."""

from __future__ import annotations

import csv
import random
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from lagesbild.samples.draw import (
    clock_text,
    decimal_comma,
    draw_incidents,
    jitter,
    month_range,
    pick_weighted,
    save_workbook,
    spelling,
    styled_cell,
)
from lagesbild.samples.story import (
    COMPARISON_PLACE_WEIGHTS,
    DRUG_PLACE_WEIGHTS,
    EST_HEADER,
    EXCEL_EPOCH,
    GENERAL_PLACE_WEIGHTS,
    HOURS_EVENING,
    HOURS_MORNING,
    POLICE_XLSX_HEADER,
    STORY_END,
)

# --- EST reports --------------------------------------------------------------------------------------------

# (canonical category, reports per month at the 2022 level, story kind, hour profile)
EST_CATEGORIES: tuple[tuple[str, float, str, tuple[float, ...]], ...] = (
    ("Misstänkt narkotikaförsäljning", 16.0, "drug", HOURS_EVENING),
    ("Narkotikabruk", 15.0, "drug", HOURS_EVENING),
    ("Sprutfynd", 9.0, "drug", HOURS_MORNING),
    ("Ordningsstörning", 8.0, "disorder", HOURS_EVENING),
    ("Skadegörelse", 3.0, "disorder", HOURS_EVENING),
    ("Nedskräpning", 6.0, "disorder", HOURS_MORNING),
    ("Otrygg plats", 4.0, "disorder", HOURS_EVENING),
    ("Hot/våld", 2.5, "disorder", HOURS_EVENING),
    ("Klotter", 0.25, "disorder", HOURS_MORNING),  # not in the vocabulary: lands in övrigt
    ("Lös hund", 0.1, "disorder", HOURS_MORNING),
)
EST_CATEGORY_SPELLINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "Sprutfynd": (("Sprutfynd", 0.85), ("Sprutfynd (kanyl)", 0.15)),
    "Narkotikabruk": (("Narkotikabruk", 0.85), ("Narkotika - bruk", 0.15)),
}
PARK_WORK = frozenset({"Sprutfynd", "Nedskräpning", "Skadegörelse", "Klotter", "Lös hund"})
ORGS_PARK_WORK = (("Parkförvaltningen", 0.6), ("Väktarbolag Securitas", 0.15), ("Stockholmshem", 0.15),
                  ("Trafikförvaltningen", 0.1))
ORGS_DEFAULT = (("Parkförvaltningen", 0.2), ("Väktarbolag Securitas", 0.25), ("Stockholmshem", 0.15),
                ("Fältassistenterna", 0.12), ("Socialtjänstens uppsökare", 0.18),
                ("Trafikförvaltningen", 0.1))
# Trafikförvaltningen reports only from its stations and bridges.
TRAFFIC_PLACES = frozenset({"Hornstull", "Zinkensdamm", "Liljeholmsbron"})
HIGH_RISK = frozenset({"Misstänkt narkotikaförsäljning", "Hot/våld"})
EST_FRITEXT: dict[str, tuple[str, ...]] = {
    "Misstänkt narkotikaförsäljning": (
        "Misstänkt överlämning vid bänkarna, 3–4 personer.", "Grupp som tar emot många korta besök.",
        "Person med ryggsäck delar ut små paket vid gångvägen.", "Samma grupp som tidigare i veckan.",
        "Bil stannar kort vid parkeringen, misstänkt affär.",
        "Flera personer väntar vid muren, snabba byten."),
    "Narkotikabruk": (
        "Person röker misstänkt cannabis vid lekplatsen.", "Två personer injicerar vid buskaget.",
        "Stark lukt av cannabis vid gångvägen.", "Påverkad person sover på bänk, väcktes och mådde bra.",
        "Folie och tändare på marken, pågående rökning.", "Person kraftigt påverkad, ambulans tillkallad."),
    "Sprutfynd": (
        "Använd spruta i gräset, omhändertagen.", "Två kanyler vid buskaget, omhändertagna.",
        "Sprutor i papperskorgen, tömd.", "Kanyl vid lekplatsens staket, omhändertagen.",
        "Sprutfynd vid trappan, lagt i riskavfall."),
    "Ordningsstörning": (
        "Högljudd grupp med musik sent på kvällen.", "Bråk mellan två personer, lugnade sig.",
        "Berusade personer stör förbipasserande.", "Grupp som skriker vid entrén."),
    "Skadegörelse": (
        "Sönderslagen belysningsstolpe.", "Bänk uppbruten.", "Krossad ruta i kiosken.",
        "Papperskorg sönderbränd."),
    "Nedskräpning": (
        "Mycket skräp efter helgen.", "Folie och plastpåsar vid bänkarna.",
        "Matrester och flaskor på gräset."),
    "Otrygg plats": (
        "Mörkt vid gångvägen, boende upplever otrygghet.",
        "Grupp vid entrén, förbipasserande väljer annan väg.",
        "Föräldrar undviker lekplatsen på kvällen.", "Belysningen ur funktion vid trappan."),
    "Hot/våld": (
        "Person hotade personal verbalt.", "Slagsmål mellan två personer, polis tillkallad.",
        "Person viftade med kniv, polis tillkallad."),
    "Klotter": ("Klotter på elskåp.", "Nytt klotter på muren."),
    "Lös hund": ("Lös hund vid lekplatsen.",),
}
# Deliberate personal identity numbers: the loader must redact them, nothing else in the files looks like one.
EST_PERSONNUMMER = {
    (2022, 7): "Person uppgav sitt personnummer 19850312-1234 till väktaren.",
    (2023, 8): "Anträffad person, legitimation med 850312-1234, lämnades till polisen.",
    (2024, 6): "Id-kort upphittat på bänk, 19910704-5678, lämnat till polisen.",
}

# --- partner extract from police records -----------------------------------------------------------------

POLICE_TITLE = "Polisen LPO Södermalm – utdrag brott Västra Södermalm"
POLICE_EXTRACTED = "Uttaget 2026-01-15"
POLICE_CATEGORIES: tuple[tuple[str, float, str, dict[str, float]], ...] = (
    ("Narkotikabrott, innehav", 7.0, "police_drug", DRUG_PLACE_WEIGHTS),
    ("Narkotikabrott, försäljning", 2.0, "police_drug", DRUG_PLACE_WEIGHTS),
    ("Narkotikabrott, eget bruk", 5.5, "police_drug", DRUG_PLACE_WEIGHTS),
    ("Misshandel", 3.0, "disorder", GENERAL_PLACE_WEIGHTS),
    ("Rån", 1.2, "disorder", GENERAL_PLACE_WEIGHTS),
    ("Stöld", 4.0, "disorder", GENERAL_PLACE_WEIGHTS),
    ("Ordningslagen", 2.0, "disorder", GENERAL_PLACE_WEIGHTS),
    ("Skadegörelse", 1.5, "disorder", GENERAL_PLACE_WEIGHTS),
)
POLICE_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "Narkotikabrott, innehav": ("Innehav av cannabis vid kontroll.", "Innehav av tabletter vid kontroll.",
                                "Narkotika i beslag vid kroppsvisitation."),
    "Narkotikabrott, försäljning": ("Misstänkt överlåtelse, två personer kontrollerade.",
                                    "Beslag av förpackade doser och kontanter."),
    "Narkotikabrott, eget bruk": ("Misstanke om eget bruk, provtagning.", "Ringa narkotikabrott, eget bruk."),
    "Misshandel": ("Misshandel utomhus, målsägande lätt skadad.", "Slag mot huvudet, gärningsperson okänd."),
    "Rån": ("Personrån, mobiltelefon tillgripen.", "Rån med hot om våld, plånbok tillgripen."),
    "Stöld": ("Cykelstöld.", "Stöld av väska från bänk.", "Stöld ur kiosk."),
    "Ordningslagen": ("Störande beteende på allmän plats.", "Förtäring av alkohol i park, ordningslagen."),
    "Skadegörelse": ("Skadegörelse på belysning.", "Skadegörelse på parkmöbler."),
}

# === 2. EST reports =========================================================================================


def _est_time(rng: random.Random, moment: datetime) -> str:
    """Mostly "21:14"; some reporters write "9:05", some leave the time out."""
    roll = rng.random()
    if roll < 0.05:
        return ""
    if moment.hour < 10 and roll < 0.4:
        return f"{moment.hour}:{moment.minute:02d}"
    return clock_text(moment)


def _est_row(rng: random.Random, moment: datetime, place: str, category: str) -> list[str]:
    mode = rng.random()  # both place and point, place only, point only, or neither (area unspecified)
    plats = spelling(rng, place) if mode < 0.82 else ""
    lat, lon = jitter(rng, place) if mode < 0.60 or 0.82 <= mode < 0.97 else (None, None)
    orgs = ORGS_PARK_WORK if category in PARK_WORK else ORGS_DEFAULT
    if place not in TRAFFIC_PLACES:
        orgs = tuple(o for o in orgs if o[0] != "Trafikförvaltningen")
    grading = (0.15, 0.45, 0.40) if category in HIGH_RISK else (0.45, 0.45, 0.10)
    bedomning = "" if rng.random() < 0.02 else rng.choices(("Låg", "Medel", "Hög"), weights=grading)[0]
    return [
        moment.date().isoformat(), _est_time(rng, moment), plats,
        decimal_comma(lat, 6) if lat is not None else "", decimal_comma(lon, 6) if lon is not None else "",
        pick_weighted(rng, EST_CATEGORY_SPELLINGS[category]) if category in EST_CATEGORY_SPELLINGS else category,
        pick_weighted(rng, orgs), bedomning, rng.choice(EST_FRITEXT[category]),
    ]


def write_est(path: Path, rng: random.Random, scale: float, until: date = STORY_END) -> None:
    def month_rows(year: int, month: int) -> list[list[str]]:
        rows = []
        for category, rate, kind, hours in EST_CATEGORIES:
            weights = DRUG_PLACE_WEIGHTS if kind == "drug" else GENERAL_PLACE_WEIGHTS
            incidents = draw_incidents(rng, year, month, category, rate, kind, weights, hours, scale)
            for moment, place in incidents:
                rows.append((moment, _est_row(rng, moment, place, category)))
        rows.sort(key=lambda item: item[0])
        if (year, month) in EST_PERSONNUMMER and rows:
            rows[0][1][-1] = EST_PERSONNUMMER[(year, month)]
        return [row for _, row in rows]
    _write_est_file(path, month_rows, until)


def write_est_comparison(path: Path, rng: random.Random, scale: float, until: date = STORY_END) -> None:
    """EST reports from the comparison area (Östra Södermalm), same reporters and format, no measure: its incidents
    are kept in the store at its own places and never counted as the area's (the Effekt page compares with them)."""
    def month_rows(year: int, month: int) -> list[list[str]]:
        rows = []
        for category, rate, _, hours in EST_CATEGORIES:
            for moment, place in draw_incidents(rng, year, month, category, rate, "comparison",
                                                COMPARISON_PLACE_WEIGHTS, hours, scale):
                row = _est_row(rng, moment, place, category)
                if not row[2] and not row[3]:  # neither place nor point would put it in the area as a whole
                    row[2] = place
                rows.append((moment, row))
        rows.sort(key=lambda item: item[0])
        return [row for _, row in rows]
    _write_est_file(path, month_rows, until)


def _write_est_file(path: Path, month_rows, until: date) -> None:
    """An EST export: cp1252, semicolons, CRLF, the header, then each month's rows from 2021 to `until`."""
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(EST_HEADER)
        for year, month in month_range(date(2021, 1, 1), until):
            writer.writerows(month_rows(year, month))


# === 3. police records extract ==============================================================================


def _police_row(rng: random.Random, sheet: WriteOnlyWorksheet, moment: datetime, place: str,
                category: str) -> list[Any]:
    day = moment.date()
    # Exports mix real dates with bare serial numbers, depending on who ran them.
    serial = rng.random() < 0.35
    when = (day - EXCEL_EPOCH).days if serial else styled_cell(sheet, day, number_format="yyyy-mm-dd")
    mode = rng.random()
    plats = spelling(rng, place) if mode < 0.80 else ""
    lat, lon = jitter(rng, place) if mode < 0.50 or 0.80 <= mode < 0.98 else (None, None)
    klockslag = "" if rng.random() < 0.02 else clock_text(moment)
    return [when, klockslag, category, plats, lat, lon, "Polisen", rng.choice(POLICE_DESCRIPTIONS[category])]


def write_police_extract(path: Path, rng: random.Random, scale: float, until: date = STORY_END) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Utdrag")
    for column, width in zip("ABCDEFGH", (14, 10, 28, 22, 11, 11, 16, 48), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.merged_cells.add("A1:H1")
    sheet.merged_cells.add("A2:H2")
    sheet.append([styled_cell(sheet, POLICE_TITLE, Font(bold=True, size=14))])
    sheet.append([styled_cell(sheet, POLICE_EXTRACTED, Font(italic=True))])
    sheet.append([])
    sheet.append([styled_cell(sheet, name, Font(bold=True)) for name in POLICE_XLSX_HEADER])
    for year, month in month_range(date(2021, 1, 1), until):
        rows = []
        for category, rate, kind, weights in POLICE_CATEGORIES:
            for moment, place in draw_incidents(rng, year, month, category, rate, kind, weights, HOURS_EVENING,
                                            scale):
                rows.append((moment, _police_row(rng, sheet, moment, place, category)))
        rows.sort(key=lambda item: item[0])
        for _, row in rows:
            sheet.append(row)
    # Trailing rows that look empty but are not: one of empty strings, two with formatting only.
    sheet.append([""] * len(POLICE_XLSX_HEADER))
    for _ in range(2):
        sheet.append([styled_cell(sheet, None, Font(bold=True)) for _ in POLICE_XLSX_HEADER])
    save_workbook(workbook, path)


