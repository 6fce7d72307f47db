"""Events (activities and measures) and surveys (the project's own and BRÅ's NTU workbook)."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.load import load_file
from loaders.pipeline import LoadRejected
from loaders.surveys import wilson_interval
from tests.conftest import DATA_DIR
from tests.loaders.helpers import fact_rows, write_csv

EVENT_HEADER = ["Datum", "Starttid", "Sluttid", "Plats", "Titel", "Kategori", "Arrangör", "Antal deltagare",
                "Kostnad (kr)", "Föreningsbidrag (kr)", "Beskrivning"]


def test_events_with_measures_amounts_and_bom(engine, settings, tmp_path):
    rows = [EVENT_HEADER,
            ["2023-05-15", "", "", "Tantolunden", "Ny belysning Tantolunden", "Stadsmiljöåtgärd", "Trafikkontoret",
             "", "350 000,00", "", "Nya armaturer längs gångvägen"],
            ["2023-06-17", "12:00", "16:00", "Drakenbergsparken", "Familjedag", "Kultur", "Föreningen Tanto", "230",
             "12500,50", "10000", ""]]
    report = load_file(engine, write_csv(tmp_path / "akt.csv", rows, ",", "utf-8-sig"), settings)
    assert (report.kind, report.inserted) == ("events", 2)
    by_title = {r["title"]: r for r in fact_rows(engine, "events")}
    light = by_title["Ny belysning Tantolunden"]
    assert (light["is_measure"], light["category"], light["cost_sek"]) == (True, "stadsmiljoatgard", 350000.0)
    family = by_title["Familjedag"]
    assert (family["attendance"], family["grant_sek"], family["cost_sek"]) == (230, 10000.0, 12500.5)
    assert family["is_measure"] is False and family["place_id"] == "drakenbergsparken"


SURVEY_HEADER = ["Undersökning", "Omgång", "Datum", "Plats", "Frågekod", "Fråga", "Svar", "Antal", "Andel", "n"]


def test_project_survey_counts_become_shares_with_intervals(engine, settings, tmp_path):
    rows = [SURVEY_HEADER,
            ["Platsmätning Tantolunden", "2023-09", "2023-09-30", "Tantolunden", "otrygg_kvall", "Hur trygg…",
             "Mycket otrygg", "12", "", "60"],
            ["Polisens trygghetsmätning", "2021", "2021-10-31", "Västra Södermalm", "problem_narkotika", "Är…",
             "Ja, ett stort problem", "", "23,5", "116"]]
    load_file(engine, write_csv(tmp_path / "tm.csv", rows, ","), settings)
    by_answer = {r["answer"]: r for r in fact_rows(engine, "surveys")}
    unsafe = by_answer["Mycket otrygg"]
    assert unsafe["share"] == pytest.approx(0.2) and unsafe["category"] == "otrygghet"
    assert unsafe["ci_low"] < 0.2 < unsafe["ci_high"]
    police = by_answer["Ja, ett stort problem"]
    assert police["share"] == pytest.approx(0.235) and police["n"] == 116
    assert police["place_id"] == "vastra-sodermalm-ej-specificerad"


def test_a_count_without_n_is_rejected(engine, settings, tmp_path):
    rows = [SURVEY_HEADER, ["X", "2023", "2023-09-30", "Tantolunden", "otrygg_kvall", "F", "Ja", "12", "", ""]]
    with pytest.raises(LoadRejected, match="row 2.*needs n"):
        load_file(engine, write_csv(tmp_path / "tm.csv", rows, ","), settings)


def test_wilson_interval_is_sane_for_small_samples():
    low, high = wilson_interval(0.0, 10)
    assert low == 0.0 and 0.2 < high < 0.35
    low, high = wilson_interval(0.5, 100)
    assert low == pytest.approx(0.404, abs=0.001) and high == pytest.approx(0.596, abs=0.001)


def test_bra_ntu_workbook_loads_sodermalm_and_stockholm(engine, settings):
    report = load_file(engine, DATA_DIR / "bra_ntu_kommunala_resultat_2017-2022.xlsx", settings)
    assert (report.kind, report.source) == ("surveys", "bra-ntu")
    rows = fact_rows(engine, "surveys")
    unsafe = [r for r in rows if r["question_code"] == "ntu-3.1" and r["geography"] == "Stadsdelsomr. Södermalm"
              and r["wave"] == "NTU 2021–2022"]
    assert len(unsafe) == 1
    assert unsafe[0]["share"] == pytest.approx(0.206, abs=0.0005) and unsafe[0]["category"] == "otrygghet"
    assert unsafe[0]["date"] == date(2022, 12, 31) and unsafe[0]["n"] == 1521
    coded = [r for r in rows if r["value_note"] == ".." and r["geography"] == "Stadsdelsomr. Södermalm"]
    assert coded and all(r["share"] is None for r in coded)
