"""Outreach shifts: aggregates only; identifying columns refused, identity numbers redacted."""

from __future__ import annotations

from datetime import date, time

import pytest

from loaders.load import load_file
from loaders.pipeline import LoadRejected
from loaders.privacy import IdentifyingColumnError
from tests.loaders.helpers import counts, fact_rows, write_csv, write_xlsx

HEADER = ["Datum", "Start", "Slut", "Team", "Plats", "Typ av pass", "Antal kontakter", "Nya personer",
          "Hänvisning beroendevård", "Hänvisning psykiatri", "Hänvisning boende", "Hänvisning hälso- och sjukvård",
          "Hänvisning socialtjänst", "Hänvisning övrigt", "Timmar", "Kommentar"]
ROW = ["2023-06-01", "18:00", "22:30", "Fältassistenterna", "Tanto", "Uppsökande pass", 14, 3, 1, 0, 1, 0, 0, 0,
       4.5, "Lugnt"]


def test_shift_loads_as_an_aggregate(engine, settings, tmp_path):
    night = ["2023-06-02", "22:00", "02:00", "Stadsmissionen", "", "Mötesplats", 5, 0, 0, 0, 0, 0, 0, 0, None,
             "Möte med 19850312-1234 om boende"]
    report = load_file(engine, write_xlsx(tmp_path / "pass.xlsx", [HEADER, ROW, night]), settings)
    assert (report.kind, report.inserted, report.counts["redacted"]) == ("outreach", 2, 1)
    rows = {r["date"]: r for r in fact_rows(engine, "outreach")}
    day = rows[date(2023, 6, 1)]
    assert (day["place_id"], day["contacts"], day["new_persons"], day["hours"]) == ("tantolunden", 14, 3, 4.5)
    assert (day["referrals_beroendevard"], day["referrals_boende"], day["start_time"]) == (1, 1, time(18, 0))
    late = rows[date(2023, 6, 2)]
    assert late["hours"] == 4.0  # counted across midnight when the hours column is empty
    assert late["category"] == "motesplats" and late["place_id"] == "vastra-sodermalm-ej-specificerad"
    assert "1234" not in late["note"]


@pytest.mark.parametrize("column", ["Namn", "Personnummer", "Klient"])
def test_identifying_column_is_refused(engine, settings, tmp_path, column):
    path = write_csv(tmp_path / "pass.csv", [[*HEADER, column], [*ROW, "850312-1234"]])
    with pytest.raises(IdentifyingColumnError, match=f"pass.csv.*'{column}'"):
        load_file(engine, path, settings)
    assert counts(engine)["outreach"] == 0


def test_a_column_of_identity_numbers_is_refused_whatever_its_name(engine, settings, tmp_path):
    path = write_csv(tmp_path / "pass.csv", [[*HEADER, "Id"], [*ROW, "19850312-1234"]])
    with pytest.raises(IdentifyingColumnError, match="'Id'"):
        load_file(engine, path, settings)


def test_more_new_persons_than_contacts_is_rejected(engine, settings, tmp_path):
    bad = list(ROW)
    bad[7] = 20
    with pytest.raises(LoadRejected, match="row 2.*more new persons than contacts"):
        load_file(engine, write_csv(tmp_path / "pass.csv", [HEADER, bad]), settings)
