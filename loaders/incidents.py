"""Incidents: the police's public events feed (JSON) and police/EST-style incident logs (CSV or Excel)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from loaders.base import Context, Field, RowError, RowProblems, Skip, Source
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

    def natural_key(self, record: dict[str, Any]) -> str:
        return f"{self.name}:{record['source_id']}"

    def prefer(self, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        """A re-published id keeps its latest version, wherever it sits in the file."""
        return new if new["published_at"] >= old["published_at"] else old


class IncidentLog(Source):
    kind = "incidents"
    name = "incident-log"
    fields = (
        Field("date", ("Datum", "Händelsedatum", "Date", "Dag", "Incident date"), parse_date),
        Field("time", ("Tid", "Klockslag", "Kl", "Time", "Starttid"), parse_time, required=False, nullable=True),
        Field("place", ("Plats", "Platsnamn", "Place", "Location", "Adress"), required=False, nullable=True),
        Field("latitude", ("Latitud", "Lat", "Latitude", "Y"), lambda v: parse_coordinate(v, -90, 90),
              required=False, nullable=True),
        Field("longitude", ("Longitud", "Lon", "Lng", "Longitude", "X"), lambda v: parse_coordinate(v, -180, 180),
              required=False, nullable=True),
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

    def conform(self, values: dict[str, Any], ctx: Context, row_number: int) -> dict[str, Any]:
        lat, lon = values["latitude"], values["longitude"]
        if (lat is None) != (lon is None):
            column = "longitude" if lon is None else "latitude"
            raise RowProblems([RowError(row_number, column, None, "a coordinate pair needs both latitude and "
                                                                    "longitude")])
        match = place_of_row(ctx, values["place"], lat, lon, values["summary"])
        place_id, method = ctx.place(match, values["place"])
        occurred = datetime.combine(values["date"], values["time"]) if values["time"] else None
        return incident_record(
            ctx, values["category"], place_id, method, occurred, values["date"],
            source_id=values["source_id"], organisation=values["organisation"], summary=values["summary"],
            assessment=values["assessment"], latitude=lat, longitude=lon,
        )


def place_of_row(ctx: Context, place: str | None, lat: float | None, lon: float | None, summary: str | None):
    """Coordinates first (polygon), then the place column (alias), then the free text; outside -> Skip."""
    named = (ctx.resolver.by_name(place) or ctx.resolver.by_text(place)) if place else None
    if lat is not None and lon is not None:
        match = ctx.resolver.by_point(lat, lon)
        if match is None:
            raise Skip("outside the area")
        # A point in the area but in no place polygon: the reporter's place name is more precise.
        return named if match.place.is_unspecified and named and not named.place.is_unspecified else match
    if named:
        return named
    return ctx.resolver.by_text(summary) if summary else None


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


