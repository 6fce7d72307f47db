"""What the map draws for a filter, as a viewer may see it: points (only for a viewer who sees single incidents),
incidents per place and category, outreach per place, activities and measures per place, the area's own rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lagesbild import queries
from lagesbild.disclosure import Rule, keyed_total, protect, protect_columns, protect_total, without_keys
from lagesbild.reads.activity import PEOPLE, with_referrals
from lagesbild.reads.base import ReadsBase, keyed_sums

MAX_POINTS = 3000  # more points make a map document of megabytes that takes seconds to build and draw
Shown = tuple[float | None, str]  # a count and the reason it is hidden ("" when shown)


@dataclass(frozen=True)
class MapData:
    """The map's layers, filtered, aggregated and protected by lagesbild.reads; the renderer draws them as they are.

    For a viewer whose small counts are hidden (`protected`) there are no points (each is a single incident): every
    incident is counted per place instead, and every count of incidents or people (badges, popups, tooltips, the area
    box) comes with its reason, '<5' or 'dolt', where it is hidden."""

    places: list[dict]  # queries.place_geometries
    points: pd.DataFrame  # queries.incident_points, the newest MAX_POINTS
    unplaced: pd.DataFrame  # place_id, category, value (hidden): incidents without coordinates (protected: all)
    unplaced_totals: pd.DataFrame  # place_id, value (hidden): the same per place
    events: pd.DataFrame  # place_id, category, is_measure, events: activities and measures per place
    attendance: pd.DataFrame  # place_id, attendance (hidden): the activities' attendance per place
    measures: pd.DataFrame  # the measures one by one (date, title, category, place_id)
    outreach: pd.DataFrame  # per place with a polygon: shifts, contacts, new_persons, referrals, hours
    outreach_hidden: pd.DataFrame  # why each of contacts, new_persons and referrals is hidden ("" when shown)
    area: Mapping[str, Shown] = field(default_factory=dict)  # the area's own rows ('ej specificerad'), see area_rows
    incidents: Shown = (0, "")  # every incident the map counts per place (protected viewers only)
    outreach_shifts: int = 0  # every outreach shift in the filter, wherever it was (not a count of anyone)
    selected: tuple[str, ...] = ()
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # kind -> category code -> label
    points_total: int | None = None  # all incidents with coordinates; `points` may hold only the newest
    protected: bool = False


class MapReads(ReadsBase):
    def map_data(self, *, place_ids: tuple[str, ...] = (), month_from: date | None = None,
                 month_to: date | None = None, labels: Mapping[str, Mapping[str, str]] | None = None) -> MapData:
        span = {"place_ids": place_ids, "month_from": month_from, "month_to": month_to}
        protected = self.viewer.protected
        if protected:
            points, total = queries.incident_points(self.engine, limit=1, **span).head(0), 0
        else:
            points = queries.incident_points(self.engine, limit=MAX_POINTS + 1, **span)
            total = queries.count_incident_points(self.engine, **span) if len(points) > MAX_POINTS else len(points)
        return map_data_of(
            places=queries.place_geometries(self.engine), points=points.head(MAX_POINTS),
            unplaced=queries.incidents_without_coordinates(self.engine, every=protected, **span),
            events=queries.event_place_totals(self.engine, **span),
            outreach=queries.outreach_totals(self.engine, by="place_id", **span),
            measures=queries.event_list(self.engine, measures_only=True, **span),
            rule=self.rule, selected=tuple(place_ids), labels=labels, points_total=total)


def map_data_of(*, places: list[dict], points: pd.DataFrame, unplaced: pd.DataFrame, events: pd.DataFrame,
                outreach: pd.DataFrame, measures: pd.DataFrame, rule: Rule | None,
                selected: tuple[str, ...] = (), labels: Mapping[str, Mapping[str, str]] | None = None,
                points_total: int | None = None) -> MapData:
    """The map's layers from the query layer's frames, with `rule` applied (None: every number shown). For a viewer
    under the rule `points` must be empty and `unplaced` count every incident per place and category."""
    outreach = with_referrals(outreach) if not outreach.empty else outreach.assign(referrals=[])
    drawn, hidden = _outreach(outreach, places, rule)
    return MapData(
        places=places, points=points, unplaced=protect(unplaced, rule=rule),
        unplaced_totals=protect(keyed_sums(unplaced, "place_id", ["value"]), rule=rule),
        events=without_keys(events.drop(columns=["attendance"], errors="ignore")),
        attendance=_attendance(events, rule),
        measures=without_keys(measures.drop(columns=["attendance"], errors="ignore")), outreach=drawn,
        outreach_hidden=hidden, area=_area(places, unplaced, events, outreach, measures, rule),
        incidents=_total(unplaced, "value", rule),
        outreach_shifts=int(outreach["shifts"].sum()) if not outreach.empty else 0,
        selected=tuple(selected), labels=labels or {}, points_total=points_total, protected=rule is not None,
    )


def _outreach(outreach: pd.DataFrame, places: list[dict], rule: Rule | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outreach of the places with a polygon (drawn as their shading), each count of people protected down its
    column among those places."""
    drawn = {p["id"] for p in places if p["geometry"] and not p["is_unspecified"]}
    return protect_columns(outreach[outreach["place_id"].isin(drawn)].reset_index(drop=True),
                           [column for column in PEOPLE if column in outreach], rule=rule)


def _attendance(events: pd.DataFrame, rule: Rule | None) -> pd.DataFrame:
    activities = events[~events["is_measure"].astype(bool)] if not events.empty else events
    return protect(keyed_sums(activities, "place_id", ["attendance"], sort=True), "attendance", rule=rule,
                   measure="attendance")


def _area(places, unplaced, events, outreach, measures, rule: Rule | None) -> dict[str, Shown]:
    """What belongs to the area as a whole ('ej specificerad'): shown in a box, not at a misleading point; the
    counts of incidents and people through the rule."""
    area = {p["id"] for p in places if p["is_unspecified"]}
    unplaced, events, outreach, measures = (frame[frame["place_id"].isin(area)] if not frame.empty else frame
                                            for frame in (unplaced, events, outreach, measures))
    activities = events[~events["is_measure"].astype(bool)] if not events.empty else events
    return {"incidents": _total(unplaced, "value", rule),
            "shifts": (int(outreach["shifts"].sum()) if not outreach.empty else 0, ""),
            "contacts": _total(outreach, "contacts", rule, measure="contacts"),
            "activities": (int(activities["events"].sum()) if not activities.empty else 0, ""),
            "measures": (len(measures), "")}


def _total(frame: pd.DataFrame, value: str, rule: Rule | None, measure: str = "count") -> Shown:
    """A frame's `value` summed (with its cells' keys) as one protected total; whole numbers as int."""
    total, key, records = keyed_total(frame, value)
    shown, reason = protect_total(int(total), rule=rule, key=key, records=records, measure=measure)
    return (None if shown is None else int(shown)), reason
