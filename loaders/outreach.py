"""Outreach: one row per shift or pass (never per person), as aggregates only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np

from lagesbild.store.schema import REFERRAL_KINDS
from loaders.base import Context, Field, RowError, Source
from loaders.conform import Matches, Values, category_column, named_place_codes, place_columns
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

    def conform_frame(self, values: Values, rows: np.ndarray, ctx: Context):
        """A shift's record, a column at a time: checks, place, category, hours."""
        errors = shift_errors(values, rows)
        bad = {e.row_number for e in errors}
        kept = np.array([i for i, r in enumerate(rows.tolist()) if r not in bad], dtype=np.int64)
        v = {k: column[kept] for k, column in values.items()}
        matches = Matches()
        places = place_columns(ctx, matches, named_place_codes(ctx, matches, v["place"]), v["place"])
        shift_type = v["type"]
        record = {
            "date": v["date"], "start_time": v["start"], "end_time": v["end"], "team": v["team"],
            "place_id": places["place_id"],
            "category": category_column(ctx, "outreach", np.where(_present(shift_type), shift_type,
                                                                   "Uppsökande pass")),
            "source_category": shift_type, "contacts": v["contacts"], "new_persons": _zero(v["new_persons"]),
            "hours": _hours(v), "note": v["note"],
        }
        record.update({f"referrals_{k}": _zero(v[f"referrals_{k}"]) for k in REFERRAL_KINDS})
        return kept, record, errors


def _present(values: np.ndarray) -> np.ndarray:
    return np.array([v is not None for v in values], dtype=bool)


def _zero(values: np.ndarray) -> np.ndarray:
    return np.where(_present(values), values, 0)


def _hours(values: Values) -> np.ndarray:
    hours = values["hours"].copy()
    missing = np.flatnonzero(~_present(hours))
    for i in missing:  # few: most files give the hours
        hours[i] = shift_hours({"date": values["date"][i], "start": values["start"][i], "end": values["end"][i]})
    return hours


def shift_errors(values: Values, rows: np.ndarray) -> list[RowError]:
    """check_shift's problems for every row, found with column comparisons."""
    errors = []
    new, contacts = values["new_persons"], values["contacts"]
    both = _present(new) & _present(contacts)
    over = np.zeros(len(rows), dtype=bool)
    over[both] = new[both].astype("int64") > contacts[both].astype("int64")
    no_hours = ~_present(values["hours"]) & ~(_present(values["start"]) & _present(values["end"]))
    for i in np.flatnonzero(over | no_hours):
        errors.extend(check_shift({k: values[k][i] for k in ("new_persons", "contacts", "hours", "start", "end")},
                                  int(rows[i])))
    return errors


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
