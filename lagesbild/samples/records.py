"""Sample file 7: the project's own records 2022–2025 as a filled template, and loading it with a dated history.

The story follows the project plan: its two risks reviewed every month, the steering group's decisions and
actions (some late, some still overdue), a change request moving money to the summer of 2023, the spend
against 2 MSEK (the activities file's association grants booked in the month of each activity), and the
police's classification of 2022 with two reassessments: still classified in February 2024, no longer
classified in February 2025, as drug reports had fallen by about half from the second half of 2023 on.
Owners are roles, never names.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from lagesbild.accounts import audit
from lagesbild.records.access import Actor
from lagesbild.records.config import known_ids
from lagesbild.records.errors import ImportRefused
from lagesbild.records.importer import plan_import
from lagesbild.records.kinds import KINDS, Kind
from lagesbild.records.register import checked, create_in, edit_in
from lagesbild.records.workbook import read_workbook, write_workbook
from lagesbild.samples.draw import save_workbook
from lagesbild.samples.events import GRANTED_ACTIVITIES

RECORDS_XLSX = "projektregister_2022-2025.xlsx"
SAMPLE_PATH = Path(__file__).resolve().parents[2] / "sample_data" / RECORDS_XLSX
SAMPLE_ACTOR = Actor("projektledare", "styrgrupp")
LAST_MONTH = date(2025, 12, 1)

PL, TS, SM, SA = "Projektledare", "Trygghetssamordnare", "Avdelningschef stadsmiljö", "Avdelningschef sociala avd."
KS, KOM, BEST = "Kultursamordnare", "Kommunikatör", "Beställare (stadsdelsdirektör)"


def steering_meeting(year: int, month: int) -> date:
    """The steering group meets on the third Tuesday of the month."""
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 14)


# --- decisions and actions: (meeting year, month, title, owner, due, closed on, status, indicators, places, shared)

ACTIONS: tuple[tuple, ...] = (
    (2023, 1, "Projektplanen fastställs; styrgruppen följer projektet månadsvis", BEST, None, "meeting", "done",
     "", "", True),
    (2023, 1, "Estimera antal timmar för varje projektdeltagare", PL, "2023-02-28", "2023-02-21", "done",
     "narvarotimmar", "", True),
    (2023, 1, "Inventera möjliga ersättare till projektdeltagare med rätt kompetens", PL, "2023-03-31",
     "2023-04-18", "done", "", "", False),
    (2023, 1, "Etablera gemensam lägesbild med lokalpolisen", TS, "2023-03-31", "2023-03-14", "done",
     "narkotika_rapporter, narkotikabrott", "", True),
    (2023, 2, "Ta fram detaljerad aktivitetsplan för våren och sommaren", PL, "2023-04-30", "2023-04-18", "done",
     "aktiviteter", "", True),
    (2023, 2, "Beställa ny belysning längs huvudstråket i Tantolunden", SM, "2023-05-15", "2023-05-15", "done",
     "sprutfynd", "tantolunden", True),
    (2023, 3, "Röja buskage och gallra i Drakenbergsparken", SM, "2023-04-30", "2023-04-20", "done",
     "sprutfynd", "drakenbergsparken", True),
    (2023, 3, "Söka tillstånd för bemannad mötesplats i Tantolunden", PL, "2023-05-15", "2023-05-09", "done",
     "", "tantolunden", True),
    (2023, 4, "Förankra samplaneringen inför sommaren hos polis, socialförvaltning och föreningar", PL,
     "2023-05-31", "2023-05-23", "done", "", "", True),
    (2023, 5, "Öppna bemannad mötesplats i Tantolunden juni–augusti", SA, "2023-06-01", "2023-06-01", "done",
     "kontakter, nya_personer", "tantolunden", True),
    (2023, 5, "Ändringsbegäran AB-001 godkänns: 150 000 kr från stadsmiljö till sommarens aktiviteter", BEST,
     None, "meeting", "done", "aktiviteter, deltagare", "", False),
    (2023, 6, "Genomföra platsspecifik trygghetsmätning i september", TS, "2023-09-30", "2023-09-26", "done",
     "otrygghet, problem_narkotika", "tantolunden, drakenbergsparken", True),
    (2023, 8, "Utökade uppsökande kvällspass vid Hornstull", SA, "2023-09-30", "2023-09-12", "done",
     "kontakter", "hornstull", True),
    (2023, 9, "Utvärdera projektet med Länsstyrelsen och lokalpolisen", PL, "2023-12-31", "2024-01-16", "done",
     "", "", True),
    (2023, 11, "Plan för överlämning och förvaltning av projektresultatet 2024", BEST, "2023-12-19",
     "2023-12-19", "done", "", "", True),
    (2024, 1, "Lägesbilden följs upp månadsvis i styrgruppen även efter projektet", BEST, None, "meeting",
     "done", "", "", True),
    (2024, 3, "Analysera undanträngning till Hornstull och Zinkensdamm", TS, "2024-04-30", "2024-05-21", "done",
     "narkotika_rapporter", "hornstull, zinkensdamm", True),
    (2024, 5, "Samverkanspass med polisen vid Zinkensdamm under sommaren", SA, "2024-06-30", "2024-06-18",
     "done", "kontakter", "zinkensdamm", True),
    (2024, 9, "Begära polisens förnyade bedömning av klassningen", TS, "2024-12-31", "2025-02-18", "done",
     "narkotika_rapporter", "", True),
    (2024, 10, "Bättre belysning vid Zinkensdamms tunnelbaneuppgång", SM, "2025-03-31", None, "open",
     "vald_tillgrepp", "zinkensdamm", True),
    (2025, 2, "Informera boende och verksamma om polisens nya bedömning", KOM, "2025-03-31", "2025-03-18", "done",
     "", "", True),
    (2025, 4, "Ny platsmätning i Tantolunden och Drakenbergsparken i september", TS, "2025-09-30", "2025-09-23",
     "done", "otrygghet", "tantolunden, drakenbergsparken", True),
    (2025, 6, "Avtal med föreningar om sommaraktiviteterna 2026", KS, "2025-11-30", None, "open",
     "aktiviteter", "", True),
    (2025, 9, "Utreda kameraövervakning i Drakenbergsparken", SM, "2025-11-30", "2025-11-18", "cancelled",
     "", "drakenbergsparken", False),
    (2025, 10, "Förvaltningsplan för mötesplatsen 2026", PL, "2026-01-31", None, "open", "", "tantolunden",
     True),
)

# --- risks: (id, title, measures, identified on, closed on, [(first month, probability, consequence), ...])

RISKS: tuple[tuple, ...] = (
    ("R-001", "Deltagare i projektet prioriteras att utföra andra arbetsuppgifter.",
     "Estimera antal timmar för varje deltagare för att möjliggöra planering i ordinarie verksamhet. "
     "Inventera möjliga ersättare till projektdeltagare med rätt kompetens.", "2023-01-10", "2024-01-16",
     (("2023-01", 3, 4), ("2023-03", 4, 4), ("2023-05", 3, 4), ("2023-06", 4, 4), ("2023-08", 3, 3),
      ("2023-10", 2, 3))),
    ("R-002", "Samarbetsparter avsätter inte resurser eller gör omprioriteringar i löpande verksamhet.",
     "Förankring hos huvudaktörer och samplanering inför sommaren.", "2023-01-10", None,
     (("2023-01", 3, 4), ("2023-03", 4, 4), ("2023-05", 3, 4), ("2023-06", 2, 4), ("2023-09", 2, 3),
      ("2024-01", 3, 4), ("2024-05", 3, 3), ("2025-01", 2, 3))),
    ("R-003", "Narkotikahandeln flyttar till Hornstull och Zinkensdamm (undanträngning).",
     "Uppsökande pass och samverkanspass med polisen vid Hornstull och Zinkensdamm; lägesbilden följer "
     "platserna månadsvis.", "2024-03-12", None,
     (("2024-03", 4, 3), ("2024-09", 3, 3), ("2025-01", 2, 3))),
)
REVIEW_NOTES = {"R-001": {"2023-06": "Semesterperioden och annat arbete drar personal från mötesplatsen.",
                          "2023-08": "Ersättare inventerade och timmar planerade i ordinarie verksamhet."},
                "R-002": {"2023-03": "Polisen omprioriterar resurser till annat område under våren.",
                          "2023-06": "Samplaneringen inför sommaren klar; parterna bemannar passen.",
                          "2024-01": "Projektet avslutat: parterna återgår till ordinarie verksamhet."},
                "R-003": {"2024-03": "Rapporterna vid Hornstull och Zinkensdamm ökar med ungefär 30 %.",
                          "2025-01": "Nivån vid Hornstull och Zinkensdamm tillbaka på 2022 års nivå."}}

# --- change requests: (id, title, kinds, description, reason, amount, submitted, status, decided, how, shared)

CHANGE_REQUESTS: tuple[tuple, ...] = (
    ("AB-001", "Sommarbudgeten 2023: mer till aktiviteter och mötesplatsen", "Budget, Resurser",
     "150 000 kr flyttas från stadsmiljöåtgärder till sommaraktiviteter och bemanning av mötesplatsen "
     "juni–augusti. Totalen, högst 2 Mkr, och föreningsbidragen, högst 275 tkr, ligger fast.",
     "Fler föreningar än väntat vill arrangera aktiviteter, och mötesplatsen behöver bemannas onsdag–lördag. "
     "Belysningen i Tantolunden blev billigare än beräknat.",
     150000, "2023-04-18", "approved", "2023-05-16", "Styrgruppsmöte 2023-05-16, protokoll § 5", False),
    ("AB-002", "Uppföljningen fortsätter under 2024", "Tid, Resurser",
     "Lägesbilden och styrgruppens månadsuppföljning fortsätter efter projektets slut 2023-12-31, med "
     "ordinarie resurser.",
     "Effektmålet gäller från 2025-01-01 och polisens förnyade bedömning väntas tidigast 2024.",
     None, "2023-11-21", "approved", "2023-12-19", "Styrgruppsmöte 2023-12-19, protokoll § 3", False),
    ("AB-003", "Väktare i Tantolunden kvällstid", "Budget",
     "120 000 kr till väktarbevakning i Tantolunden fredag–lördag kväll, maj–augusti 2024.",
     "Boende upplever otrygghet kvällstid trots minskningen.",
     120000, "2024-03-19", "rejected", "2024-04-16",
     "Styrgruppsmöte 2024-04-16, protokoll § 4: bevakning är polisens och fastighetsägarnas ansvar", False),
    ("AB-004", "Mötesplatsen sommaren 2026", "Budget, Tid",
     "Mötesplatsen i Tantolunden hålls öppen juni–augusti 2026; 180 000 kr ur ordinarie budget.",
     "Mötesplatsen står för en stor del av de nya kontakterna; polisens bedömning 2025 förutsätter fortsatt "
     "närvaro.",
     180000, "2025-11-18", "submitted", None, None, False),
)

# --- budget: (year, months, category, kronor, description)

SPEND: tuple[tuple, ...] = (
    (2023, (1, 2, 3), "staff", 30000, "Projektledning och arbetsgrupp"),
    (2023, (4, 5, 6, 7, 8, 9), "staff", 55000, "Projektledning, arbetsgrupp och närvaro i parkerna"),
    (2023, (10, 11, 12), "staff", 25000, "Projektledning och utvärdering"),
    (2023, (4, 5, 6, 7, 8, 9), "outreach", 25000, "Extra uppsökande pass (Stadsmissionen)"),
    (2023, (10, 11, 12), "outreach", 8000, "Extra uppsökande pass (Stadsmissionen)"),
    (2023, (4,), "urban_environment", 128500.50, "Röjning av buskage Drakenbergsparken"),
    (2023, (5,), "urban_environment", 485000, "Ny belysning Tantolunden"),
    (2023, (6,), "urban_environment", 96400, "Nya bänkar och papperskorgar"),
    (2023, (5,), "activities", 15000, "Vårfest: scen och ljud"),
    (2023, (6,), "activities", 65000, "Mötesplatsen i Tantolunden: tält, utrustning, bemanning"),
    (2023, (7, 8), "activities", 30000, "Mötesplatsen och sommaraktiviteter"),
    (2023, (9,), "activities", 10000, "Skördefest och avslutning"),
    (2023, (2,), "communication", 8000, "Informationsblad till boende"),
    (2023, (5,), "communication", 12000, "Skyltar och sommarprogram"),
    (2023, (8,), "communication", 6000, "Sommarprogram, andra upplagan"),
    (2023, (5,), "evaluation", 18000, "Platsmätning maj"),
    (2023, (9,), "evaluation", 22000, "Platsmätning september"),
    (2023, (1,), "other", 4000, "Startmöte"),
    (2023, (10,), "other", 3500, "Utvärderingsseminarium med Länsstyrelsen"),
    (2024, tuple(range(1, 13)), "staff", 20000, "Uppföljning och samordning"),
    (2024, (6, 7, 8), "outreach", 12000, "Samverkanspass Hornstull och Zinkensdamm"),
    (2024, (6,), "activities", 38000, "Mötesplatsen öppnar för säsongen"),
    (2024, (7, 8), "activities", 10000, "Mötesplatsen"),
    (2024, (3,), "communication", 5000, "Information om lägesbilden"),
    (2024, (9,), "evaluation", 20000, "Platsmätning september"),
    (2025, tuple(range(1, 13)), "staff", 18000, "Uppföljning och samordning"),
    (2025, (6, 7, 8), "outreach", 10000, "Uppsökande pass vid mötesplatsen"),
    (2025, (6,), "activities", 38000, "Mötesplatsen öppnar för säsongen"),
    (2025, (7, 8), "activities", 8000, "Mötesplatsen"),
    (2025, (2,), "communication", 10000, "Information om polisens nya bedömning"),
    (2025, (9,), "evaluation", 22000, "Platsmätning september"),
)
VOIDED = ((2023, 7, "urban_environment", 96400, "Dubbelbokad faktura: bänkar och papperskorgar"),)

# --- the police's classification ---------------------------------------------------------------------------

POLICE = "Polisen, LPO Södermalm"
CLASSIFICATIONS: tuple[tuple, ...] = (
    ("K-001", "2022-10-04", "classified",
     "Sedan många år förekommer öppen försäljning och bruk av narkotika i Tantolunden och Drakenbergsparken, "
     "och problematiken har eskalerat; tillgrepps- och våldsbrott och ordningsstörningar kopplas till "
     "missbruket.", "Underrättelsebild LPO Södermalm, U566/21"),
    ("K-002", "2024-02-13", "classified",
     "Rapporterna om försäljning och bruk i Tantolunden och Drakenbergsparken har minskat sedan sommaren 2023, "
     "men ökat vid Hornstull och Zinkensdamm. För tidigt att bedöma om minskningen består.",
     "Förnyad bedömning 2024, LPO Södermalm"),
    ("K-003", "2025-02-11", "not_classified",
     "Rapporterna om narkotikaförsäljning och -bruk har sedan andra halvåret 2023 legat på ungefär hälften av "
     "2022 års nivå, och undanträngningen till Hornstull och Zinkensdamm har gått tillbaka. Området är inte "
     "längre en öppen drogscen; det följs upp i den årliga lägesbilden.",
     "Förnyad bedömning 2025, LPO Södermalm"),
)


def story_records() -> dict[str, list[dict[str, Any]]]:
    """Every record of the story, checked and as the store holds it: {kind: [values with record_id]}."""
    story = {"actions": _actions(), "risks": _risks(), "risk_reviews": _reviews(),
             "change_requests": _change_requests(), "budget": _budget(), "classifications": _classifications()}
    ids = known_ids()
    return {kind: [{"record_id": values.pop("record_id", None), **checked(KINDS[kind], values, ids)}
                   for values in rows] for kind, rows in story.items()}


def _actions() -> Iterator[dict[str, Any]]:
    for number, (year, month, title, owner, due, closed, status, indicators, places, shared) in enumerate(
            ACTIONS, start=1):
        meeting_on = steering_meeting(year, month)
        yield {"record_id": f"B-{number:03d}", "title": title, "meeting": f"Styrgruppsmöte {meeting_on:%Y-%m}",
               "meeting_on": meeting_on, "owner": owner, "due_on": _day(due) or None, "status": status,
               "closed_on": meeting_on if closed == "meeting" else _day(closed),
               "indicator_ids": _split(indicators), "place_ids": _split(places), "note": None, "shared": shared}


def _risks() -> Iterator[dict[str, Any]]:
    for record_id, title, measures, identified, closed, _ in RISKS:
        yield {"record_id": record_id, "title": title, "measures": measures, "owner": PL,
               "identified_on": _day(identified), "status": "closed" if closed else "open",
               "closed_on": _day(closed), "note": None, "shared": False}


def _reviews() -> Iterator[dict[str, Any]]:
    for record_id, _, _, _, closed, steps in RISKS:
        last = _day(closed).replace(day=1) if closed else LAST_MONTH
        for index, (first, probability, consequence) in enumerate(steps):
            until = _month(steps[index + 1][0]) if index + 1 < len(steps) else _next_month(last)
            month = _month(first)
            while month < until:
                yield {"risk_id": record_id, "month": month, "probability": probability,
                       "consequence": consequence, "note": REVIEW_NOTES.get(record_id, {}).get(f"{month:%Y-%m}")}
                month = _next_month(month)


def _change_requests() -> Iterator[dict[str, Any]]:
    for record_id, title, kinds, description, reason, amount, submitted, status, decided, how, shared in \
            CHANGE_REQUESTS:
        yield {"record_id": record_id, "title": title, "change_kinds": _split(kinds), "description": description,
               "reason": reason, "amount_sek": amount, "requested_by": PL, "submitted_on": _day(submitted),
               "status": status, "decided_on": _day(decided), "decided_how": how, "shared": shared}


def _budget() -> Iterator[dict[str, Any]]:
    entries = [(date(year, month, 1), category, amount, text, "booked")
               for year, months, category, amount, text in SPEND for month in months]
    entries += [(month, "grants", amount, f"Föreningsbidrag: {titles}", "booked")
                for month, (amount, titles) in _grants_paid().items()]
    entries += [(date(year, month, 1), category, amount, text, "voided")
                for year, month, category, amount, text in VOIDED]
    for number, (month, category, amount, text, status) in enumerate(sorted(entries, key=lambda e: e[0]), start=1):
        yield {"record_id": f"BU-{number:03d}", "month": month, "category": category, "amount_sek": amount,
               "description": text, "status": status, "shared": False}


def _grants_paid() -> dict[date, tuple[float, str]]:
    """The activities file's association grants, booked in the month of each activity."""
    paid: dict[date, tuple[float, list[str]]] = {}
    for day, _, title, _, grant in GRANTED_ACTIVITIES:
        month = date.fromisoformat(day).replace(day=1)
        amount, titles = paid.get(month, (0.0, []))
        paid[month] = (amount + grant, [*titles, title])
    return {month: (amount, ", ".join(titles)) for month, (amount, titles) in paid.items()}


def _classifications() -> Iterator[dict[str, Any]]:
    for record_id, assessed, outcome, basis, reference in CLASSIFICATIONS:
        yield {"record_id": record_id, "assessed_on": _day(assessed), "assessed_by": POLICE, "outcome": outcome,
               "basis": basis, "reference": reference, "status": "valid", "shared": True}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


# --- the file ----------------------------------------------------------------------------------------------


def write_records_sample(path: Path) -> Path:
    """The filled template; the same code gives the same bytes."""
    save_workbook(write_workbook(story_records(), known_ids()), path)
    return path


# --- into a store, with the story's dates as its history ----------------------------------------------------


def load_sample_records(engine: Engine, path: Path = SAMPLE_PATH) -> int:
    """Load the sample register into a store as if kept since 2022; returns the number of records added.

    Each record is written at the date it tells of (an action when its meeting decided it, and closed again
    at its close date), so the meeting's as-of snapshot shows the records as they stood then. Records
    already in the store are left alone. One audit entry says that the sample was loaded.
    """
    found = read_workbook(path)
    ids = known_ids()
    with engine.begin() as conn:
        steps, problems = plan_import(conn, found.rows, ids)
        if found.problems or problems:
            raise ImportRefused(found.problems + problems, path.name)
        written = 0
        for when, _, write in sorted(_replay(steps), key=lambda item: (item[0], item[1])):
            write(conn, when)
            written += 1
    added = sum(1 for step in steps if step.action == "create")
    if added:
        audit(engine, "records_sample_loaded", SAMPLE_ACTOR.username,
              f"{path.name}: {added} records, {written} versions dated as the story tells")
    return added


def _replay(steps) -> Iterator[tuple[datetime, int, Any]]:
    """(when, order, write) for every version of every record the store lacks: opened, then closed."""
    for order, step in enumerate(s for s in steps if s.action == "create"):
        kind, values = step.kind, step.values
        opened_on = values[kind.starts_on]
        closed_on = values.get(kind.close_date) if kind.close_date else None
        closes = kind.statuses and values["status"] in kind.closed_statuses
        if not closes:
            yield _at(kind, opened_on), order, _creator(step, values)
            continue
        opening = {**values, "status": kind.open_statuses[0]} | ({kind.close_date: None} if kind.close_date else {})
        yield _at(kind, opened_on), order, _creator(step, opening)
        yield _at(kind, closed_on or opened_on + timedelta(days=40), closing=True), order, _editor(step, values)


def _at(kind: Kind, day: date, closing: bool = False) -> datetime:
    """The story's time of writing: meetings end at 17, the month's books close on its last day."""
    if kind.name in ("budget", "risk_reviews") and not closing:
        day = steering_meeting(day.year, day.month) if kind.name == "risk_reviews" else _next_month(day) - \
            timedelta(days=1)
    return datetime.combine(day, time(17, 5 if closing else 0))


def _creator(step, values):
    def write(conn, when: datetime) -> None:
        create_in(conn, step.kind.name, values, SAMPLE_ACTOR, record_id=step.record_id, now=when)
    return write


def _editor(step, values):
    def write(conn, when: datetime) -> None:
        edit_in(conn, step.kind.name, step.record_id, 1, values, SAMPLE_ACTOR, now=when)
    return write


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=SAMPLE_PATH)
    print(write_records_sample(parser.parse_args(argv).out))


if __name__ == "__main__":
    main()
