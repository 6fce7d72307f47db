"""Outreach: one row per shift or pass (never per person), as aggregates only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from lagesbild.store.schema import REFERRAL_KINDS
from loaders.base import Context, Field, RowError, RowProblems, Source
from loaders.values import parse_count, parse_date, parse_number, parse_time

REFERRAL_HEADERS = {
    "beroendevard": ("Hänvisning beroendevård", "Hänvisningar beroendevård", "Beroendevård", "Referral addiction care"),
    "psykiatri": ("Hänvisning psykiatri", "Hänvisningar psykiatri", "Psykiatri", "Referral psychiatry"),
    "boende": ("Hänvisning boende", "Hänvisningar boende", "Boende", "Referral housing"),
    "halso_sjukvard": ("Hänvisning hälso- och sjukvård", "Hänvisning sjukvård", "Hälso- och sjukvård",
                       "Referral health care"),
    "socialtjanst": ("Hänvisning socialtjänst", "Socialtjänst", "Referral social services"),
    "ovrigt": ("Hänvisning övrigt", "Hänvisning annat", "Referral other"),
}


def parse_hours(value: Any) -> float:
    hours = parse_number(value)
    if not 0 <= hours <= 24:
        raise ValueError(f"hours must be between 0 and 24 for one shift: {value!r}")
    return round(hours, 2)


class OutreachShifts(Source):
    kind = "outreach"
    name = "outreach-shifts"
    fields = (
        Field("date", ("Datum", "Date", "Passdatum"), parse_date),
        Field("start", ("Start", "Starttid", "Från", "Start time"), parse_time, required=False, nullable=True),
        Field("end", ("Slut", "Sluttid", "Till", "End time", "End"), parse_time, required=False, nullable=True),
        Field("team", ("Team", "Organisation", "Arbetslag", "Team/organisation")),
        Field("place", ("Plats", "Place", "Område"), required=False, nullable=True),
        Field("type", ("Typ av pass", "Typ", "Passtyp", "Shift type"), required=False, nullable=True),
        Field("contacts", ("Antal kontakter", "Kontakter", "Contacts"), parse_count),
        Field("new_persons", ("Nya personer", "Nya kontakter", "Antal nya personer", "New persons"), parse_count,
              required=False, nullable=True),
        *(Field(f"referrals_{kind}", headers, parse_count, required=False, nullable=True)
          for kind, headers in REFERRAL_HEADERS.items()),
        Field("hours", ("Timmar", "Antal timmar", "Hours", "Arbetade timmar"), parse_hours,
              required=False, nullable=True),
        Field("note", ("Kommentar", "Anteckning", "Note", "Comment"), required=False, nullable=True, free_text=True),
    )
    identity = ("date", "start_time", "end_time", "team", "place_id", "category")

    def conform(self, values: dict[str, Any], ctx: Context, row_number: int) -> dict[str, Any]:
        problems = check_shift(values, row_number)
        if problems:
            raise RowProblems(problems)
        match = (ctx.resolver.by_name(values["place"]) or ctx.resolver.by_text(values["place"])) \
            if values["place"] else None
        place_id, _ = ctx.place(match, values["place"])
        record = {
            "date": values["date"], "start_time": values["start"], "end_time": values["end"],
            "team": values["team"], "place_id": place_id,
            "category": ctx.category("outreach", values["type"] or "Uppsökande pass"),
            "source_category": values["type"],
            "contacts": values["contacts"], "new_persons": values["new_persons"] or 0,
            "hours": values["hours"] if values["hours"] is not None else shift_hours(values),
            "note": values["note"],
        }
        record.update({f"referrals_{k}": values[f"referrals_{k}"] or 0 for k in REFERRAL_KINDS})
        return record


def check_shift(values: dict[str, Any], row_number: int) -> list[RowError]:
    problems = []
    if values["new_persons"] is not None and values["contacts"] is not None \
            and values["new_persons"] > values["contacts"]:
        problems.append(RowError(row_number, "new_persons", values["new_persons"],
                                 f"more new persons than contacts ({values['contacts']})"))
    if values["hours"] is None and (values["start"] is None or values["end"] is None):
        problems.append(RowError(row_number, "hours", None, "no hours and no start and end time to count them"))
    return problems


def shift_hours(values: dict[str, Any]) -> float:
    """Hours from start and end; a shift that ends after midnight wraps to the next day."""
    start = datetime.combine(values["date"], values["start"])
    end = datetime.combine(values["date"], values["end"])
    if end <= start:
        end += timedelta(days=1)
    return round((end - start).total_seconds() / 3600, 2)
