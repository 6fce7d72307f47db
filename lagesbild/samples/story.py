"""The sample data's story: places, seasons, the trend per period and the measures' effects."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

# --- where the real police feed comes from -------------------------------------------------------------

# The project's shared/ folder lies beside the checkout; LAGESBILD_POLICE_FEED points elsewhere.
SHARED_FEED = Path(__file__).resolve().parents[3] / "shared/data/polisen/stockholm_events_2023-03_to_2024-12.json"
POLICE_FEED = Path(os.environ.get("LAGESBILD_POLICE_FEED", SHARED_FEED))
POLICE_SNAPSHOT = POLICE_FEED.with_name("api_snapshot_2023-08-26.json")
# Without the real feed (e.g. on a fresh clone) the committed extract is reused, so output stays identical.
COMMITTED_EXTRACT = Path(__file__).resolve().parents[2] / "sample_data" / "polisen_handelser_sodermalm.json"
SYNTHETIC_ID_OFFSET = 90_000_000

# --- file names -------------------------------------------------------------------------------------------

POLICE_JSON = "polisen_handelser_sodermalm.json"
EST_CSV = "est_rapporter_2021-2025.csv"
EST_COMPARISON_CSV = "est_rapporter_jamforelseomrade_2021-2025.csv"
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
    # The comparison area, Östra Södermalm: outside the area, no measure (places.geojson, zone comparison).
    "Björns trädgård": (59.3160, 18.0738),
    "Nytorget": (59.3125, 18.0830),
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
# EST reporters in the comparison area (the park administration and guards work there too): its share of the area's
# 2022 rates, per place.
COMPARISON_PLACE_WEIGHTS = {"Björns trädgård": 0.20, "Nytorget": 0.10}
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
    # The comparison area: no measure, a slow drift down like the city's as a whole.
    "comparison": {"2021H1": 0.85, "2021H2": 0.9, "2022": 1.0, "2023Q1": 1.0, "2023Q2": 0.98, "2023Q3": 0.97,
                   "2023Q4": 0.96, "2024": 0.94, "2025": 0.92},
    "outreach": {"2021H1": 0.0, "2021H2": 0.0, "2022": 1.0, "2023Q1": 1.2, "2023Q2": 2.6, "2023Q3": 2.8,
                 "2023Q4": 1.5, "2024": 1.3, "2025": 1.2},
}
# (place, category, date of the measure, factor once fully in effect).
MEASURE_EFFECTS = (
    ("Drakenbergsparken", "Sprutfynd", date(2023, 4, 20), 0.35),  # vegetation cleared
    ("Tantolunden", "Sprutfynd", date(2023, 5, 15), 0.65),  # new lighting
    ("Tantolunden", "Otrygg plats", date(2023, 5, 15), 0.6),
)
MOTESPLATS_SUMMERS = (2023, 2024, 2025)
# The committed sample files run to the end of the story's last year; `lagesbild sample-data` runs on to the last
# complete month before today by default (`--until YYYY-MM`), each later year told like the last one.
LAST_STORY_YEAR = 2025
STORY_END = date(2025, 12, 31)  # staffed meeting point in Tantolunden, June–August

