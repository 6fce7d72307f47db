"""Incidents: the police's public events feed (JSON) and police/EST-style incident logs (CSV or Excel)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from loaders.base import Context, Field, RowError, Skip, Source
from loaders.conform import (
    Matches,
    Values,
    category_column,
    combine,
    fast_numbers,
    named_place_codes,
    per_distinct,
    place_columns,
    point_codes,
)
from loaders.values import parse_coordinate, parse_date, parse_time, text

SWEDISH_MONTHS = {
    name: number
    for number, name in enumerate(
        ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
         "november", "december"),
        start=1,
    )
}
# "22 april 00:27, Narkotikabrott, Stockholm"; the separator became "." in late 2023; the day may be 1 digit.
FEED_NAME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[:.](\d{2})\b", re.IGNORECASE)
# "2023-04-20 9:22:45 +02:00": the hour is often not zero-padded.
FEED_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\s+(\d{1,2}):(\d{2}):(\d{2})\s*([+-]\d{2}:\d{2})?$")


def parse_feed_datetime(value: Any) -> datetime:
    """Local wall-clock time of publication; the offset only says whether it was summer time."""
    match = FEED_DATETIME.match(str(value).strip())
    if not match:
        raise ValueError(f"not a feed datetime like '2023-04-20 9:22:45 +02:00': {value!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    return datetime(year, month, day, hour, minute, second)


def parse_feed_id(value: Any) -> str:
    if isinstance(value, bool) or not re.fullmatch(r"\d+", str(value).strip()):
        raise ValueError(f"not a numeric event id: {value!r}")
    return str(int(value))


def incident_time_from_name(name: str, published: datetime) -> datetime | None:
    """The incident time from `name`, which has no year: take the publication year, or the one before when
    that would put the incident more than a day after publication (a December event published in January)."""
    match = FEED_NAME.match(name or "")
    if not match:
        return None
    day, month_name, hour, minute = match.groups()
    month = SWEDISH_MONTHS.get(month_name.casefold())
    if month is None:
        return None
    for year in (published.year, published.year - 1):
        try:
            moment = datetime(year, month, int(day), int(hour) % 24, int(minute))
        except ValueError:
            continue
        if moment <= published + timedelta(days=1):
            return moment
    return None


class PoliceFeed(Source):
    kind = "incidents"
    name = "polisen-feed"
    table_formats = ("json",)
    fields = (
        Field("id", ("id",), parse_feed_id),
        Field("datetime", ("datetime",), parse_feed_datetime),
        Field("name", ("name",)),
        Field("summary", ("summary",), nullable=True, free_text=True),
        Field("url", ("url",), required=False, nullable=True),
        Field("type", ("type",)),
        Field("location.name", ("location.name",), required=False, nullable=True),
        Field("location.gps", ("location.gps",), required=False, nullable=True),
    )
    identity = ("source_id",)
    prefer_by = ("published_at",)  # a re-published id keeps its latest version, wherever it sits in the file

    def conform(self, values: dict[str, Any], ctx: Context, row_number: int) -> dict[str, Any]:
        feed_type = values["type"]
        if ctx.vocabulary.is_not_fact(feed_type):
            raise Skip("not an incident (digest or notice)")
        match = ctx.resolver.by_text(values["summary"] or "")
        if match is None:
            raise Skip("outside the area")
        published = values["datetime"]
        occurred = incident_time_from_name(values["name"], published)
        ctx.counts["time_from_name" if occurred else "time_from_publication"] += 1
        place_id, method = ctx.place(match)
        return incident_record(
            ctx, feed_type, place_id, method, occurred, (occurred or published).date(),
            source_id=values["id"], published_at=published, organisation="Polisen",
            summary=values["summary"], url=values["url"],
        )

    def natural_keys(self, fragments) -> list[str]:
        return [f"{self.name}:{source_id}" for source_id in fragments.record["source_id"].tolist()]


class IncidentLog(Source):
    kind = "incidents"
    name = "incident-log"
    fields = (
        Field("date", ("Datum", "Händelsedatum", "Date", "Dag", "Incident date"), parse_date),
        Field("time", ("Tid", "Klockslag", "Kl", "Time", "Starttid"), parse_time, required=False, nullable=True),
        Field("place", ("Plats", "Platsnamn", "Place", "Location", "Adress"), required=False, nullable=True),
        Field("latitude", ("Latitud", "Lat", "Latitude", "Y"), lambda v: parse_coordinate(v, -90, 90),
              required=False, nullable=True, vector=lambda cells: coordinates(cells, -90, 90)),
        Field("longitude", ("Longitud", "Lon", "Lng", "Longitude", "X"), lambda v: parse_coordinate(v, -180, 180),
              required=False, nullable=True, vector=lambda cells: coordinates(cells, -180, 180)),
        Field("category", ("Kategori", "Brottskategori", "Händelsetyp", "Händelsekategori", "Category", "Type")),
        Field("organisation", ("Rapportör organisation", "Rapporterande organisation", "Organisation",
                               "Rapportör", "Reporting organisation", "Organization"), required=False, nullable=True),
        Field("assessment", ("Bedömning", "Egen bedömning", "Assessment"), required=False, nullable=True,
              free_text=True),
        Field("summary", ("Fritext", "Beskrivning", "Händelsebeskrivning", "Description", "Free text", "Text"),
              required=False, nullable=True, free_text=True),
        Field("source_id", ("Id", "Ärendenummer", "Händelse-id", "Diarienummer", "Report id"),
              required=False, nullable=True),
    )
    identity = ("source_id", "date", "occurred_at", "place_id", "latitude", "longitude", "source_category",
                "organisation", "summary")

    def conform_frame(self, values: Values, rows: np.ndarray, ctx: Context):
        """The rules of `place_of_row` and `incident_record`, a column at a time."""
        lat, lon = values["latitude"], values["longitude"]
        has_lat, has_lon = _present(lat), _present(lon)
        errors = [RowError(int(rows[i]), "longitude" if has_lat[i] else "latitude", None,
                           "a coordinate pair needs both latitude and longitude")
                  for i in np.flatnonzero(has_lat != has_lon)]
        matches = Matches()
        named = named_place_codes(ctx, matches, values["place"])
        point = has_lat & has_lon
        by_point = np.full(len(rows), -1, dtype=np.int64)
        by_point[point] = point_codes(matches, ctx.resolver, lat[point], lon[point])
        outside = point & (by_point == -1)
        ctx.counts["skipped:outside the area"] += int(outside.sum())
        specific = matches.specific()
        # A point in the area but in no place polygon: the reporter's place name is more precise.
        better_named = point & ~specific[by_point] & (named >= 0) & specific[named]
        codes = np.where(point, np.where(better_named, named, by_point), named)
        by_text = ~point & (named == -1)
        codes[by_text] = matches.codes(values["summary"][by_text], lambda t: ctx.resolver.by_text(t) if t else None)
        kept = np.flatnonzero(~outside & (has_lat == has_lon))
        record = incident_columns(ctx, values, kept, place_columns(ctx, matches, codes[kept], values["place"][kept]))
        return kept, record, errors


def _present(values: np.ndarray) -> np.ndarray:
    return np.array([v is not None for v in values], dtype=bool)


def coordinates(cells, low: float, high: float) -> np.ndarray:
    numbers = fast_numbers(cells)
    numbers[(numbers < low) | (numbers > high)] = np.nan  # the scalar parser names the range
    return numbers


def incident_columns(ctx: Context, values: Values, kept: np.ndarray, places: Values) -> Values:
    """incident_record's columns for the kept rows of an incident log."""
    day, clock = values["date"][kept], values["time"][kept]
    occurred = combine(day, clock)
    source_category = values["category"][kept]
    return {
        "source_id": values["source_id"][kept], "published_at": _none(len(kept)),
        "organisation": values["organisation"][kept], "summary": values["summary"][kept],
        "assessment": values["assessment"][kept], "latitude": values["latitude"][kept],
        "longitude": values["longitude"][kept], "url": _none(len(kept)), **places, "date": day,
        "occurred_at": occurred, "weekday": per_distinct(day, lambda d: d.weekday()),
        "hour": per_distinct(clock, lambda t: t.hour), "category": category_column(ctx, "incidents", source_category),
        "source_category": source_category,
    }


def _none(length: int) -> np.ndarray:
    return np.full(length, None, dtype=object)


def incident_record(
    ctx: Context, source_category: str, place_id: str, method: str, occurred: datetime | None, day: date,
    **extra: Any,
) -> dict[str, Any]:
    category = ctx.category("incidents", source_category)
    return {
        "source_id": None, "published_at": None, "organisation": None, "summary": None, "assessment": None,
        "latitude": None, "longitude": None, "url": None,
        **extra,
        "place_id": place_id, "place_method": method, "date": day, "occurred_at": occurred,
        "weekday": day.weekday(), "hour": occurred.hour if occurred else None,
        "category": category, "source_category": text(source_category),
    }


