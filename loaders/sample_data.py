"""Deterministic sample data for Västra Södermalm 2021–2025, one file per source in its own format."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import math
import os
import random
import re
import shutil
import textwrap
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

# --- where the real police feed comes from -------------------------------------------------------------

# The project's shared/ folder lies beside the checkout; LAGESBILD_POLICE_FEED points elsewhere.
SHARED_FEED = Path(__file__).resolve().parents[2] / "shared/data/polisen/stockholm_events_2023-03_to_2024-12.json"
POLICE_FEED = Path(os.environ.get("LAGESBILD_POLICE_FEED", SHARED_FEED))
POLICE_SNAPSHOT = POLICE_FEED.with_name("api_snapshot_2023-08-26.json")
# Without the real feed (e.g. on a fresh clone) the committed extract is reused, so output stays identical.
COMMITTED_EXTRACT = Path(__file__).resolve().parents[1] / "sample_data" / "polisen_handelser_sodermalm.json"
SYNTHETIC_ID_OFFSET = 90_000_000

# --- file names -------------------------------------------------------------------------------------------

POLICE_JSON = "polisen_handelser_sodermalm.json"
EST_CSV = "est_rapporter_2021-2025.csv"
POLICE_XLSX = "polisen_utdrag_narkotika_2021-2025.xlsx"
OUTREACH_XLSX = "uppsokande_pass_2022-2025.xlsx"
ACTIVITIES_CSV = "aktiviteter_atgarder_2022-2025.csv"
SURVEY_CSV = "trygghetsmatning_projekt_2021-2025.csv"

EST_HEADER = ("Datum", "Tid", "Plats", "Latitud", "Longitud", "Kategori", "Rapportör organisation",
              "Bedömning", "Fritext")
POLICE_XLSX_HEADER = ("Händelsedatum", "Klockslag", "Brottskategori", "Plats", "Lat", "Lon",
                      "Rapporterande organisation", "Beskrivning")
OUTREACH_HEADER = ("Datum", "Start", "Slut", "Team", "Plats", "Typ av pass", "Antal kontakter",
                   "Nya personer", "Hänvisning beroendevård", "Hänvisning psykiatri", "Hänvisning boende",
                   "Hänvisning hälso- och sjukvård", "Hänvisning socialtjänst", "Hänvisning övrigt", "Timmar",
                   "Kommentar")
ACTIVITIES_HEADER = ("Datum", "Starttid", "Sluttid", "Plats", "Titel", "Kategori", "Arrangör",
                     "Antal deltagare", "Kostnad (kr)", "Föreningsbidrag (kr)", "Beskrivning")
SURVEY_HEADER = ("Undersökning", "Omgång", "Datum", "Plats", "Frågekod", "Fråga", "Svar", "Antal", "Andel",
                 "n")

# Excel stores these in docProps/core.xml and the zip entries; fixed so the same data gives the same bytes.
FIXED_TIMESTAMP = datetime(2026, 1, 15, 8, 0, 0)
EXCEL_EPOCH = date(1899, 12, 30)

# --- places -----------------------------------------------------------------------------------------------

PLACES: dict[str, tuple[float, float]] = {
    "Tantolunden": (59.3120, 18.0465),
    "Drakenbergsparken": (59.3138, 18.0400),
    "Högalidsparken": (59.3173, 18.0375),
    "Hornstull": (59.3157, 18.0342),
    "Zinkensdamm": (59.3177, 18.0500),
    "Rosenlundsparken": (59.3114, 18.0658),
    "Liljeholmsbron": (59.3130, 18.0311),
}
# Sources spell places their own way; the place configuration carries these aliases.
SPELLINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "Tantolunden": (("Tantolunden", 0.85), ("Tanto", 0.15)),
    "Drakenbergsparken": (("Drakenbergsparken", 0.85), ("Drakenbergsparken ", 0.15)),
    "Hornstull": (("Hornstull", 0.8), ("hornstull", 0.2)),
    "Zinkensdamm": (("Zinkensdamm", 0.75), ("Zinkensdamm T-bana", 0.25)),
}
DRUG_PLACE_WEIGHTS = {"Tantolunden": 0.38, "Drakenbergsparken": 0.30, "Högalidsparken": 0.07,
                      "Hornstull": 0.10, "Zinkensdamm": 0.08, "Rosenlundsparken": 0.04,
                      "Liljeholmsbron": 0.03}
GENERAL_PLACE_WEIGHTS = {"Tantolunden": 0.30, "Drakenbergsparken": 0.22, "Högalidsparken": 0.10,
                         "Hornstull": 0.15, "Zinkensdamm": 0.12, "Rosenlundsparken": 0.06,
                         "Liljeholmsbron": 0.05}
DISPLACEMENT_PLACES = frozenset({"Hornstull", "Zinkensdamm"})
AREA = "Västra Södermalm"

# --- the story: seasonality, time of day and the trend per period ------------------------------------------

MONTH_SEASON = (0.6, 0.6, 0.75, 0.9, 1.2, 1.45, 1.6, 1.5, 1.2, 0.9, 0.7, 0.6)
OUTREACH_SEASON = (0.8, 0.8, 0.9, 1.0, 1.2, 1.4, 1.4, 1.4, 1.2, 1.0, 0.9, 0.8)
WEEKDAY_WEIGHTS = (0.8, 0.8, 0.9, 1.0, 1.3, 1.5, 1.1)  # Monday first: weekends carry the scene
HOURS_EVENING = (1.2, 0.9, 0.6, 0.4, 0.2, 0.1, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35,
                 0.4, 0.45, 0.5, 0.6, 0.7, 0.85, 1.0, 1.2, 1.4, 1.5, 1.5, 1.4)
HOURS_MORNING = (0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 1.2, 1.5, 1.3, 1.0, 0.8,
                 0.5, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05)  # park staff's rounds

# Factor against the 2022 baseline per period; 2023Q2–Q3 is the intensified phase (April–September).
STORY: dict[str, dict[str, float]] = {
    "drug": {"2021H1": 0.75, "2021H2": 0.85, "2022": 1.0, "2023Q1": 1.0, "2023Q2": 0.8, "2023Q3": 0.45,
             "2023Q4": 0.45, "2024": 0.42, "2025": 0.45},
    "displaced": {"2021H1": 0.8, "2021H2": 0.9, "2022": 1.0, "2023Q1": 1.0, "2023Q2": 1.0, "2023Q3": 1.05,
                  "2023Q4": 1.05, "2024": 1.3, "2025": 1.0},
    "disorder": {"2021H1": 0.9, "2021H2": 0.95, "2022": 1.0, "2023Q1": 1.0, "2023Q2": 0.95, "2023Q3": 0.8,
                 "2023Q4": 0.8, "2024": 0.75, "2025": 0.72},
    # Police-recorded drug offences follow police effort: up while patrols were intensified.
    "police_drug": {"2021H1": 0.8, "2021H2": 0.85, "2022": 1.0, "2023Q1": 1.05, "2023Q2": 1.35, "2023Q3": 1.3,
                    "2023Q4": 0.8, "2024": 0.6, "2025": 0.55},
    "outreach": {"2021H1": 0.0, "2021H2": 0.0, "2022": 1.0, "2023Q1": 1.2, "2023Q2": 2.6, "2023Q3": 2.8,
                 "2023Q4": 1.5, "2024": 1.3, "2025": 1.2},
}
# (place, category, date of the measure, factor once fully in effect).
MEASURE_EFFECTS = (
    ("Drakenbergsparken", "Sprutfynd", date(2023, 4, 20), 0.35),  # vegetation cleared
    ("Tantolunden", "Sprutfynd", date(2023, 5, 15), 0.65),  # new lighting
    ("Tantolunden", "Otrygg plats", date(2023, 5, 15), 0.6),
)
MOTESPLATS_SUMMERS = (2023, 2024, 2025)  # staffed meeting point in Tantolunden, June–August

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

# --- surveys ------------------------------------------------------------------------------------------------

QUESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "otrygg_kvall": ("Hur trygg skulle du känna dig om du gick ensam i området sent en kväll?",
                     ("Mycket trygg", "Ganska trygg", "Ganska otrygg", "Mycket otrygg", "Går aldrig ut")),
    "problem_narkotika": ("Är försäljning eller bruk av narkotika ett problem i området?",
                          ("Ja, ett stort problem", "Ja, ett litet problem", "Nej", "Vet inte")),
}
# (survey, wave, last fieldwork day, place, n range, answer shares per question, shares only?)
SURVEY_WAVES: tuple[tuple[str, str, str, str, tuple[int, int], dict[str, tuple[float, ...]], bool], ...] = (
    ("Polisens trygghetsmätning", "2021", "2021-10-15", AREA, (116, 116),
     {"otrygg_kvall": (0.18, 0.40, 0.25, 0.11, 0.06), "problem_narkotika": (0.35, 0.30, 0.15, 0.20)}, True),
    ("Polisens trygghetsmätning", "2022", "2022-10-14", AREA, (110, 130),
     {"otrygg_kvall": (0.14, 0.36, 0.29, 0.15, 0.06), "problem_narkotika": (0.45, 0.28, 0.10, 0.17)}, False),
    ("Polisens trygghetsmätning", "2023", "2023-10-13", AREA, (110, 130),
     {"otrygg_kvall": (0.16, 0.39, 0.27, 0.12, 0.06), "problem_narkotika": (0.40, 0.30, 0.12, 0.18)}, False),
    ("Polisens trygghetsmätning", "2024", "2024-10-11", AREA, (110, 130),
     {"otrygg_kvall": (0.20, 0.43, 0.22, 0.09, 0.06), "problem_narkotika": (0.30, 0.33, 0.17, 0.20)}, False),
    ("Polisens trygghetsmätning", "2025", "2025-10-10", AREA, (110, 130),
     {"otrygg_kvall": (0.22, 0.45, 0.20, 0.08, 0.05), "problem_narkotika": (0.25, 0.33, 0.22, 0.20)}, False),
    ("Platsmätning Tantolunden", "2023-05", "2023-05-12", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.08, 0.30, 0.32, 0.22, 0.08), "problem_narkotika": (0.58, 0.25, 0.07, 0.10)}, False),
    ("Platsmätning Tantolunden", "2023-09", "2023-09-22", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.12, 0.36, 0.30, 0.16, 0.06), "problem_narkotika": (0.48, 0.30, 0.10, 0.12)}, False),
    ("Platsmätning Tantolunden", "2024-09", "2024-09-20", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.16, 0.42, 0.26, 0.11, 0.05), "problem_narkotika": (0.36, 0.34, 0.16, 0.14)}, False),
    ("Platsmätning Tantolunden", "2025-09", "2025-09-19", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.20, 0.45, 0.22, 0.09, 0.04), "problem_narkotika": (0.30, 0.35, 0.22, 0.13)}, False),
    ("Platsmätning Drakenbergsparken", "2023-05", "2023-05-12", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.10, 0.32, 0.31, 0.19, 0.08), "problem_narkotika": (0.52, 0.28, 0.08, 0.12)}, False),
    ("Platsmätning Drakenbergsparken", "2023-09", "2023-09-22", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.15, 0.38, 0.28, 0.13, 0.06), "problem_narkotika": (0.42, 0.32, 0.12, 0.14)}, False),
    ("Platsmätning Drakenbergsparken", "2024-09", "2024-09-20", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.19, 0.44, 0.24, 0.09, 0.04), "problem_narkotika": (0.32, 0.35, 0.19, 0.14)}, False),
    ("Platsmätning Drakenbergsparken", "2025-09", "2025-09-19", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.22, 0.46, 0.21, 0.08, 0.03), "problem_narkotika": (0.27, 0.36, 0.24, 0.13)}, False),
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


Incident = tuple[datetime, str]  # when, canonical place
Shift = tuple[date, str, str, str]  # day, type, team, place


# === shared helpers =========================================================================================


def _rng(seed: int, name: str) -> random.Random:
    """One generator per file, so changing one file's recipe leaves the others' bytes alone."""
    return random.Random(f"{seed}:{name}")


def _months(first: date, last: date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _period(year: int, month: int) -> str:
    """The story's periods: 2023 is split so the intensified April–September phase stands out."""
    if year == 2021:
        return "2021H1" if month <= 6 else "2021H2"
    if year == 2023:
        return f"2023Q{(month - 1) // 3 + 1}"
    return str(year)


def _trend(kind: str, place: str, year: int, month: int) -> float:
    # Drug activity pushed out of the parks shows up around the metro stations instead.
    if kind in ("drug", "police_drug") and place in DISPLACEMENT_PLACES:
        kind = "displaced"
    return STORY[kind][_period(year, month)]


def _measure_factor(place: str, category: str, year: int, month: int) -> float:
    """Effect of physical measures, pro rata for the month in which a measure was done."""
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    factor = 1.0
    for where, what, when, effect in MEASURE_EFFECTS:
        if where == place and what == category and when < end:
            share_after = (end - max(when, start)).days / (end - start).days
            factor *= 1 - share_after * (1 - effect)
    return factor


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:  # normal approximation: exact enough, and fast at scale=100
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, count, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _count(rng: random.Random, expected: float) -> int:
    """A count near its expectation: half the Poisson spread, so that the story shows month by month."""
    return _scaled_count(rng, max(0.0, rng.gauss(expected, 0.5 * math.sqrt(expected))))


def _scaled_count(rng: random.Random, expected: float) -> int:
    """Whole part always, the fraction by chance: a fixed schedule that still grows with scale."""
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def _pick(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


@cache
def _days_of_month(year: int, month: int) -> tuple[tuple[date, ...], tuple[float, ...]]:
    """The month's days and cumulative weekday weights, cached because millions of draws use them."""
    days, cumulative, total = [], [], 0.0
    day = date(year, month, 1)
    while day.month == month:
        total += WEEKDAY_WEIGHTS[day.weekday()]
        days.append(day)
        cumulative.append(total)
        day += timedelta(days=1)
    return tuple(days), tuple(cumulative)


@cache
def _cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return tuple(out)


def _random_moment(rng: random.Random, year: int, month: int, hours: tuple[float, ...]) -> datetime:
    days, cumulative = _days_of_month(year, month)
    day = rng.choices(days, cum_weights=cumulative)[0]
    hour = rng.choices(range(24), cum_weights=_cumulative(hours))[0]
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60))


def _jitter(rng: random.Random, place: str, metres: float = 60.0) -> tuple[float, float]:
    """A point uniformly within `metres` of the place's centroid."""
    lat, lon = PLACES[place]
    distance, angle = metres * math.sqrt(rng.random()), 2 * math.pi * rng.random()
    dlat = distance * math.cos(angle) / 111_320
    dlon = distance * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _spelling(rng: random.Random, place: str) -> str:
    return _pick(rng, SPELLINGS[place]) if place in SPELLINGS else place


def _comma(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _incidents(rng: random.Random, year: int, month: int, category: str, rate: float, kind: str,
               weights: dict[str, float], hours: tuple[float, ...], scale: float) -> list[Incident]:
    """One month's incidents of one category, as (when, canonical place)."""
    season = MONTH_SEASON[month - 1]
    found = []
    for place, weight in weights.items():
        lam = (rate * weight * season * _trend(kind, place, year, month)
               * _measure_factor(place, category, year, month) * scale)
        found.extend((_random_moment(rng, year, month, hours), place) for _ in range(_count(rng, lam)))
    return found


def _save_workbook(workbook: Workbook, path: Path) -> None:
    """Save with fixed document and zip-entry times, so that the same rows give the same bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    # save() stamps "modified" with the clock, so the document properties are written again afterwards.
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    core = tostring(workbook.properties.to_tree())
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            if entry.filename == ARC_CORE:
                target.writestr(fixed, core)
                continue
            with source.open(entry) as reader, target.open(fixed, "w") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)  # streamed: a sheet at scale=100 is ~100 MB


def _styled(sheet: WriteOnlyWorksheet, value: Any, font: Font | None = None,
            number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


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


def _police_source_events() -> list[dict[str, Any]]:
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
    kind = _pick(rng, SYNTHETIC_TYPES)
    summary = rng.choice(SYNTHETIC_SUMMARIES[kind]).format(place=_pick(rng, SYNTHETIC_PLACES))
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
    months = list(_months(FEED_START, FEED_END))
    weights = [MONTH_SEASON[m - 1] * _trend("drug", "Tantolunden", y, m) for y, m in months]
    moments = []
    for _ in range(count):
        year, month = rng.choices(months, weights=weights)[0]
        moment = _random_moment(rng, year, month, HOURS_EVENING)
        if moment.date() < FEED_START:
            moment = moment.replace(day=FEED_START.day + rng.randrange(7))
        moments.append(moment)
    moments.sort()
    events = [_synthetic_event(rng, SYNTHETIC_ID_OFFSET + i, m) for i, m in enumerate(moments)]
    return events[::-1]


def _write_police_events(path: Path, rng: random.Random, scale: float, source: list[dict[str, Any]]) -> None:
    area_count = sum(1 for e in source if AREA_TEXT.search(e["summary"]))
    extra = _synthetic_events(rng, round((scale - 1) * area_count)) if scale > 1 else []
    # Written event by event (same bytes as json.dumps of the whole list) to keep memory flat at scale=100.
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for index, event in enumerate(itertools.chain(extra, source)):
            handle.write(",\n" if index else "\n")
            handle.write(textwrap.indent(json.dumps(event, indent=1, ensure_ascii=False), " "))
        handle.write("\n]\n")


# === 2. EST reports =========================================================================================


def _est_time(rng: random.Random, moment: datetime) -> str:
    """Mostly "21:14"; some reporters write "9:05", some leave the time out."""
    roll = rng.random()
    if roll < 0.05:
        return ""
    if moment.hour < 10 and roll < 0.4:
        return f"{moment.hour}:{moment.minute:02d}"
    return _clock(moment)


def _est_row(rng: random.Random, moment: datetime, place: str, category: str) -> list[str]:
    mode = rng.random()  # both place and point, place only, point only, or neither (area unspecified)
    plats = _spelling(rng, place) if mode < 0.82 else ""
    lat, lon = _jitter(rng, place) if mode < 0.60 or 0.82 <= mode < 0.97 else (None, None)
    orgs = ORGS_PARK_WORK if category in PARK_WORK else ORGS_DEFAULT
    if place not in TRAFFIC_PLACES:
        orgs = tuple(o for o in orgs if o[0] != "Trafikförvaltningen")
    grading = (0.15, 0.45, 0.40) if category in HIGH_RISK else (0.45, 0.45, 0.10)
    bedomning = "" if rng.random() < 0.02 else rng.choices(("Låg", "Medel", "Hög"), weights=grading)[0]
    return [
        moment.date().isoformat(), _est_time(rng, moment), plats,
        _comma(lat, 6) if lat is not None else "", _comma(lon, 6) if lon is not None else "",
        _pick(rng, EST_CATEGORY_SPELLINGS[category]) if category in EST_CATEGORY_SPELLINGS else category,
        _pick(rng, orgs), bedomning, rng.choice(EST_FRITEXT[category]),
    ]


def _write_est(path: Path, rng: random.Random, scale: float) -> None:
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(EST_HEADER)
        for year, month in _months(date(2021, 1, 1), date(2025, 12, 31)):
            rows = []
            for category, rate, kind, hours in EST_CATEGORIES:
                weights = DRUG_PLACE_WEIGHTS if kind == "drug" else GENERAL_PLACE_WEIGHTS
                incidents = _incidents(rng, year, month, category, rate, kind, weights, hours, scale)
                for moment, place in incidents:
                    rows.append((moment, _est_row(rng, moment, place, category)))
            rows.sort(key=lambda item: item[0])
            if (year, month) in EST_PERSONNUMMER and rows:
                rows[0][1][-1] = EST_PERSONNUMMER[(year, month)]
            writer.writerows(row for _, row in rows)


# === 3. police records extract ==============================================================================


def _police_row(rng: random.Random, sheet: WriteOnlyWorksheet, moment: datetime, place: str,
                category: str) -> list[Any]:
    day = moment.date()
    # Exports mix real dates with bare serial numbers, depending on who ran them.
    serial = rng.random() < 0.35
    when = (day - EXCEL_EPOCH).days if serial else _styled(sheet, day, number_format="yyyy-mm-dd")
    mode = rng.random()
    plats = _spelling(rng, place) if mode < 0.80 else ""
    lat, lon = _jitter(rng, place) if mode < 0.50 or 0.80 <= mode < 0.98 else (None, None)
    klockslag = "" if rng.random() < 0.02 else _clock(moment)
    return [when, klockslag, category, plats, lat, lon, "Polisen", rng.choice(POLICE_DESCRIPTIONS[category])]


def _write_police_extract(path: Path, rng: random.Random, scale: float) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Utdrag")
    for column, width in zip("ABCDEFGH", (14, 10, 28, 22, 11, 11, 16, 48), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.merged_cells.add("A1:H1")
    sheet.merged_cells.add("A2:H2")
    sheet.append([_styled(sheet, POLICE_TITLE, Font(bold=True, size=14))])
    sheet.append([_styled(sheet, POLICE_EXTRACTED, Font(italic=True))])
    sheet.append([])
    sheet.append([_styled(sheet, name, Font(bold=True)) for name in POLICE_XLSX_HEADER])
    for year, month in _months(date(2021, 1, 1), date(2025, 12, 31)):
        rows = []
        for category, rate, kind, weights in POLICE_CATEGORIES:
            for moment, place in _incidents(rng, year, month, category, rate, kind, weights, HOURS_EVENING,
                                            scale):
                rows.append((moment, _police_row(rng, sheet, moment, place, category)))
        rows.sort(key=lambda item: item[0])
        for _, row in rows:
            sheet.append(row)
    # Trailing rows that look empty but are not: one of empty strings, two with formatting only.
    sheet.append([""] * len(POLICE_XLSX_HEADER))
    for _ in range(2):
        sheet.append([_styled(sheet, None, Font(bold=True)) for _ in POLICE_XLSX_HEADER])
    _save_workbook(workbook, path)


# === 4. outreach shifts =====================================================================================


def _shift_row(rng: random.Random, sheet: WriteOnlyWorksheet, day: date, kind: str, team: str,
               place: str) -> list[Any]:
    starts, lengths, mean_contacts = SHIFT_TYPES[kind]
    hour, minute = rng.choice(starts).split(":")
    start = datetime(day.year, day.month, day.day, int(hour), int(minute))
    length = rng.choice(lengths)
    period = _period(day.year, day.month)
    summer = 1.3 if OUTREACH_SEASON[day.month - 1] > 1.1 else 1.0
    contacts = _poisson(rng, mean_contacts * summer * CONTACT_TREND[period])
    referrals = [_binomial(rng, contacts, rate * REFERRAL_BOOST[period]) for rate in REFERRAL_RATES]
    staff = 3 if kind == "Mötesplats" else _pick(rng, STAFF_PER_SHIFT)
    comment = rng.choice(OUTREACH_COMMENTS[kind]) if rng.random() < 0.35 else ""
    return [
        _styled(sheet, day, number_format="yyyy-mm-dd"),
        _clock(start), _clock(start + timedelta(hours=length)),
        team, _spelling(rng, place) if place in PLACES else place, kind, contacts,
        _binomial(rng, contacts, NEW_PERSON_SHARE[period]), *referrals, length * staff, comment,
    ]


def _regular_shifts(rng: random.Random, year: int, month: int, scale: float) -> list[Shift]:
    """(day, type, team, place) for the month's outreach and joint shifts."""
    period = _period(year, month)
    teams = TEAMS_2022 if year == 2022 else TEAMS_PROJECT
    joint_share = 0.25 if period in ("2023Q2", "2023Q3") else 0.15
    count = _count(rng, 18 * OUTREACH_SEASON[month - 1] * STORY["outreach"][period] * scale)
    days, cumulative = _days_of_month(year, month)
    return [
        (rng.choices(days, cum_weights=cumulative)[0],
         "Samverkanspass" if rng.random() < joint_share else "Uppsökande pass",
         _pick(rng, teams), _pick(rng, tuple(OUTREACH_PLACE_WEIGHTS.items())))
        for _ in range(count)
    ]


def _meeting_point_shifts(rng: random.Random, year: int, month: int, scale: float) -> list[Shift]:
    """The staffed meeting point in Tantolunden, Wednesday–Saturday, June–August from 2023."""
    if year not in MOTESPLATS_SUMMERS or month not in (6, 7, 8):
        return []
    teams = (("Socialtjänstens uppsökare", 0.6), ("Stadsmissionen", 0.4))
    days, _ = _days_of_month(year, month)
    return [(day, "Mötesplats", _pick(rng, teams), "Tantolunden")
            for day in days if day.weekday() in (2, 3, 4, 5) for _ in range(_scaled_count(rng, scale))]


def _write_outreach(path: Path, rng: random.Random, scale: float) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pass")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["D"].width = 26
    sheet.column_dimensions["P"].width = 44
    sheet.merged_cells.add("A1:P1")
    sheet.append([_styled(sheet, OUTREACH_TITLE, Font(bold=True, size=14))])
    sheet.append([])
    sheet.append([_styled(sheet, name, Font(bold=True)) for name in OUTREACH_HEADER])
    for year, month in _months(date(2022, 1, 1), date(2025, 12, 31)):
        shifts = _regular_shifts(rng, year, month, scale) + _meeting_point_shifts(rng, year, month, scale)
        shifts.sort(key=lambda shift: shift[0])
        for index, (day, kind, team, place) in enumerate(shifts):
            row = _shift_row(rng, sheet, day, kind, team, place)
            if index == 0 and (year, month) == OUTREACH_PERSONNUMMER[0]:
                row[-1] = OUTREACH_PERSONNUMMER[1]
            sheet.append(row)
    _save_workbook(workbook, path)


# === 5. activities and measures =============================================================================


def _kronor(rng: random.Random, amount: float) -> str:
    """Amounts as the finance system exports them: sometimes whole kronor, mostly with öre and a comma."""
    if amount != int(amount) or rng.random() < 0.7:
        return _comma(amount, 2)
    return str(int(amount))


def _fixed_activities(rng: random.Random) -> list[list[str]]:
    """Measures, monthly samverkansmöten and grant-funded association events: the same at every scale."""
    rows = [[day, start, end, place, title, category, organiser, "", _kronor(rng, cost), "", text]
            for day, start, end, place, title, category, organiser, cost, text in MEASURES]
    for year, month in _months(date(2023, 1, 1), date(2025, 12, 31)):
        days, _ = _days_of_month(year, month)
        second_tuesday = [d for d in days if d.weekday() == 1][1]
        rows.append([second_tuesday.isoformat(), "13:00", "15:00", AREA, "Samverkansmöte lägesbild",
                     "Samverkansmöte", DISTRICT, str(rng.randint(8, 16)), "", "",
                     "Gemensam lägesbild med polisen, trafikkontoret och föreningarna, beslut om åtgärder."])
    for day, place, title, organiser, grant in GRANTED_ACTIVITIES:
        rows.append([day, "12:00", "18:00", place, title, "Föreningsaktivitet", organiser,
                     str(rng.randint(80, 600)), "", _kronor(rng, grant),
                     "Med föreningsbidrag från stadsdelen."])
    return rows


def _activity(rng: random.Random, day: date, title: str, category: str, start: str, end: str, place: str,
              organiser: str, attendance: tuple[int, int], cost: tuple[int, int]) -> list[str]:
    amount = round(rng.uniform(*cost) / 50) * 50
    if amount and rng.random() < 0.1:  # the odd invoice with öre
        amount += 0.5
    description = f"{title}, {rng.choice(ACTIVITY_NOTES)}"
    return [day.isoformat(), start, end, _spelling(rng, place), title, category, organiser,
            str(rng.randint(*attendance)), _kronor(rng, amount) if amount else "", "", description]


def _scheduled_activities(rng: random.Random, year: int, month: int, scale: float) -> list[list[str]]:
    """Summer series, spring and autumn clean-ups, and scattered activities: these grow with scale."""
    rows = []
    days, cumulative = _days_of_month(year, month)
    if year >= 2023 and month in (6, 7, 8):
        for weekday, title, category, start, end, place, organiser, attendance, cost, held in SUMMER_SERIES:
            for day in (d for d in days if d.weekday() == weekday):
                for _ in range(_scaled_count(rng, held * scale)):
                    rows.append(_activity(rng, day, title, category, start, end, place, organiser,
                                          attendance, cost))
    if month in (4, 9):
        for park in ("Tantolunden", "Drakenbergsparken"):
            for _ in range(_scaled_count(rng, scale)):
                day = rng.choice([d for d in days if d.weekday() == 5])
                rows.append(_activity(rng, day, f"Städdag i {park}", "Städdag", "10:00", "14:00", park,
                                      "Parkförvaltningen", (20, 60), (1500, 4000)))
    rate = ACTIVITY_RATE[_period(year, month)] * MONTH_SEASON[month - 1] * scale
    for _ in range(_poisson(rng, rate)):
        title, category, organiser, start, end, attendance, cost = rng.choice(OTHER_ACTIVITIES)
        place = _pick(rng, ACTIVITY_PLACES)
        day = rng.choices(days, cum_weights=cumulative)[0]
        rows.append(_activity(rng, day, title, category, start, end, place, organiser, attendance, cost))
    return rows


def _write_activities(path: Path, rng: random.Random, scale: float) -> None:
    by_month: dict[str, list[list[str]]] = {}
    for row in _fixed_activities(rng):
        by_month.setdefault(row[0][:7], []).append(row)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(ACTIVITIES_HEADER)
        for year, month in _months(date(2022, 1, 1), date(2025, 12, 31)):
            rows = by_month.get(f"{year}-{month:02d}", []) + _scheduled_activities(rng, year, month, scale)
            rows.sort(key=lambda row: (row[0], row[1]))
            writer.writerows(rows)


# === 6. safety surveys ======================================================================================


def _apportion(rng: random.Random, n: int, shares: tuple[float, ...]) -> list[int]:
    """Answer counts close to the shares (largest remainder), plus a couple of respondents' worth of noise.

    Full multinomial noise at n = 40–130 would hide the story the sample data is meant to tell.
    """
    exact = [n * share / sum(shares) for share in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    for _ in range(2):
        give, take = rng.sample(range(len(counts)), 2)
        if counts[give] > 0:
            counts[give] -= 1
            counts[take] += 1
    return counts


def _write_surveys(path: Path, rng: random.Random, _scale: float) -> None:
    # Survey rows are one per wave, place, question and answer: scale does not multiply them.
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SURVEY_HEADER)
        for survey, wave, day, place, n_range, shares, shares_only in SURVEY_WAVES:
            for code, (question, answers) in QUESTIONS.items():
                n = rng.randint(*n_range)
                for answer, count in zip(answers, _apportion(rng, n, shares[code]), strict=True):
                    antal, andel = ("", _comma(100 * count / n, 1)) if shares_only else (str(count), "")
                    writer.writerow([survey, wave, day, place, code, question, answer, antal, andel, n])


# === entry point ============================================================================================

WRITERS: dict[str, Callable[[Path, random.Random, float], None]] = {
    EST_CSV: _write_est,
    POLICE_XLSX: _write_police_extract,
    OUTREACH_XLSX: _write_outreach,
    ACTIVITIES_CSV: _write_activities,
    SURVEY_CSV: _write_surveys,
}


def write_sample_data(outdir: Path, seed: int = 2023, scale: float = 1.0) -> list[Path]:
    """Write every sample file into outdir; the same seed and scale give byte-identical files."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    source = _police_source_events()  # read first: outdir may hold the committed extract itself
    paths = [outdir / POLICE_JSON]
    _write_police_events(paths[0], _rng(seed, POLICE_JSON), scale, source)
    for name, writer in WRITERS.items():
        writer(outdir / name, _rng(seed, name), scale)
        paths.append(outdir / name)
    return sorted(paths)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path, nargs="?", default=Path("sample_data"))
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    for path in write_sample_data(args.outdir, args.seed, args.scale):
        print(path)


if __name__ == "__main__":
    main()
