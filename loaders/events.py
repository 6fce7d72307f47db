"""Events: activities and measures in the area (what the project does, and from when to look for effects)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from loaders.base import Context, Field, Source
from loaders.values import parse_amount, parse_count, parse_date, parse_time


class EventLog(Source):
    kind = "events"
    name = "event-log"
    fields = (
        Field("date", ("Datum", "Startdatum", "Date"), parse_date),
        Field("start", ("Starttid", "Start", "Från", "Start time"), parse_time, required=False, nullable=True),
        Field("end", ("Sluttid", "Slut", "Till", "End time"), parse_time, required=False, nullable=True),
        Field("place", ("Plats", "Place", "Location"), required=False, nullable=True),
        Field("title", ("Titel", "Aktivitet", "Benämning", "Namn på aktivitet", "Title"), free_text=True),
        Field("category", ("Kategori", "Typ", "Category")),
        Field("organiser", ("Arrangör", "Ansvarig", "Organisatör", "Organiser", "Organizer"),
              required=False, nullable=True),
        Field("attendance", ("Antal deltagare", "Deltagare", "Besökare", "Uppskattat antal deltagare",
                             "Attendance"), parse_count, required=False, nullable=True),
        Field("cost", ("Kostnad (kr)", "Kostnad", "Kostnad kr", "Cost", "Cost (SEK)"), parse_amount,
              required=False, nullable=True),
        Field("grant", ("Föreningsbidrag (kr)", "Föreningsbidrag", "Bidrag", "Grant", "Grant (SEK)"), parse_amount,
              required=False, nullable=True),
        Field("description", ("Beskrivning", "Kommentar", "Description"), required=False, nullable=True,
              free_text=True),
    )
    identity = ("date", "starts_at", "place_id", "title")

    def conform(self, values: dict[str, Any], ctx: Context, row_number: int) -> dict[str, Any]:
        match = (ctx.resolver.by_name(values["place"]) or ctx.resolver.by_text(values["place"])) \
            if values["place"] else ctx.resolver.by_text(values["title"])
        place_id, _ = ctx.place(match, values["place"])
        category = ctx.category("events", values["category"])
        day = values["date"]
        return {
            "date": day, "place_id": place_id, "category": category, "source_category": values["category"],
            "starts_at": datetime.combine(day, values["start"]) if values["start"] else None,
            "ends_at": datetime.combine(day, values["end"]) if values["end"] else None,
            "title": values["title"], "organiser": values["organiser"],
            "attendance": values["attendance"], "cost_sek": values["cost"], "grant_sek": values["grant"],
            "is_measure": ctx.vocabulary.categories["events"][category].is_measure,
            "description": values["description"],
        }
