"""The Karta page's folium map: places, incidents (heat map and clusters per category group), outreach,
activities and measures per place, over a base map of streets and districts that needs no internet."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from shapely.geometry import LineString, shape

from lagesbild.charts.theme import CATEGORY_COLOURS, GREY, OKABE_ITO, category_colour
from lagesbild.config import CONFIG_DIR
from lagesbild.disclosure import HIDDEN, cell_text
from lagesbild.i18n import nt, t
from lagesbild.i18n.formats import fmt_date, fmt_dec, fmt_int
from lagesbild.reads import MapData
from lagesbild.render.folium_offline import offline_map
from lagesbild.render.folium_text import (
    Literal,
    MapScript,
    Rendered,
    RenderedLayer,
    TextCustomPane,
    TextDivIcon,
    TextFastMarkerCluster,
    TextFeatureGroup,
    TextGeoJson,
    TextHeatMap,
    TextLayerControl,
    TextMap,
    TextMarker,
    TextPopup,
    TextTileLayer,
    TextTooltip,
    render_once,
    safe_text,
    script_json,
)

BASEMAP_STREETS = CONFIG_DIR / "basemap_streets.geojson"
BASEMAP_DISTRICTS = CONFIG_DIR / "basemap_districts.geojson"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
BASEMAP_PANE = "basemap"  # below Leaflet's tilePane (200): OSM tiles, when switched on and reachable, cover it
LABELS_PANE = "labels"  # place names above everything, never catching a click
AREAS_PANE = "areas"  # place polygons and outreach shading: below the overlayPane (400), so points stay clickable
# Incident categories drawn together; each group is one clustered layer, each point keeps its category colour.
INCIDENT_GROUPS: dict[str, tuple[str, ...]] = {
    "narkotika": ("narkotikaforsaljning", "narkotikabruk", "narkotikabrott"),
    "sprutfynd": ("sprutfynd",),
    "vald_tillgrepp": ("vald_hot", "tillgrepp"),
    "ordning": ("ordningsstorning", "otrygg_plats"),
    "skadegorelse": ("skadegorelse", "nedskrapning"),
    "ovrigt": ("ovrigt",),
}
OUTREACH_COLOUR = CATEGORY_COLOURS["outreach"]["uppsokande_pass"]
ACTIVITY_COLOUR = OKABE_ITO["bluish_green"]
MEASURE_COLOUR = CATEGORY_COLOURS["events"]["stadsmiljoatgard"]
UNPLACED_COLOUR = GREY["dark"]
PARK_FILL, SPOT_FILL = "#cfe6c8", "#e4e1ec"
MAX_LISTED = 12  # measures listed in one popup; the rest are counted


@lru_cache(maxsize=4)
def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def place_centre(geometry: Mapping | None) -> tuple[float, float] | None:
    """(lat, lon) of a place: its centroid, or a point surely inside when the centroid falls outside it."""
    if not geometry:
        return None
    polygon = shape(geometry)
    point = polygon.centroid if polygon.centroid.within(polygon) else polygon.representative_point()
    return (round(point.y, 6), round(point.x, 6))


def label_point(geometry: Mapping | None) -> tuple[float, float] | None:
    """(lat, lon) where a place's name goes: on its northern edge above the centre, where the counts at the
    centre (clusters, badges) do not cover it."""
    centre = place_centre(geometry)
    if centre is None:
        return None
    polygon = shape(geometry)
    south, north = polygon.bounds[1], polygon.bounds[3]
    crossing = polygon.intersection(LineString([(centre[1], south - 1), (centre[1], north + 1)]))
    top = crossing.bounds[3] if not crossing.is_empty else centre[0]
    return (round(top, 6), centre[1])


def place_bounds(places: Sequence[dict], selected: Sequence[str]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the selected places, else of every specific place."""
    chosen = [p for p in places if p["geometry"] and (p["id"] in selected if selected else not p["is_unspecified"])]
    chosen = chosen or [p for p in places if p["geometry"]]
    if not chosen:
        return None
    boxes = [shape(p["geometry"]).bounds for p in chosen]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [[round(south, 6), round(west, 6)], [round(north, 6), round(east, 6)]]


def build_map(data: MapData, lang: str = "sv") -> folium.Map:
    """The whole map; every layer is listed in the layer control, the OpenStreetMap tiles off by default."""
    fmap = offline_map(TextMap, location=[59.313, 18.045], zoom_start=15)
    # Without a tile layer Leaflet has no zoom limits, and marker clusters refuse to work without them.
    fmap.options.update(max_zoom=19, min_zoom=12, zoom_snap=0.25)
    _add_style(fmap)
    _add_basemap(fmap, lang)
    RenderedLayer(_osm_layer(lang)).add_to(fmap)
    TextCustomPane(AREAS_PANE, z_index=350, pointer_events=True).add_to(fmap)
    TextCustomPane(LABELS_PANE, z_index=690, pointer_events=False).add_to(fmap)
    places_key = _places_key(data.places)
    centres = _place_centres(places_key)
    names = {p["id"]: p["name"] for p in data.places}
    _add_places(fmap, data, lang, places_key)
    incidents = _Incidents.of(data.points, lang)
    _add_heat(fmap, incidents, lang)
    _add_incident_clusters(fmap, data, incidents, lang)
    _add_outreach(fmap, data, names, lang)
    _add_unplaced(fmap, data, centres, names, lang)
    _add_activities(fmap, data, centres, names, lang)
    _add_measures(fmap, data, centres, names, lang)
    _add_area_box(fmap, data, lang)
    TextLayerControl(collapsed=False, position="topright").add_to(fmap)
    bounds = place_bounds(data.places, data.selected)
    if bounds:
        # The layer control (the legend) sits top right: keep the places clear of it. No animation, so a
        # screenshot or page export never catches the map half-zoomed.
        options = {"paddingTopLeft": [24, 24], "paddingBottomRight": [400, 24], "animate": False}
        MapScript(f"{fmap.get_name()}.fitBounds({script_json(bounds)}, {script_json(options)});").add_to(fmap)
    return fmap


def map_html(data: MapData, lang: str = "sv") -> str:
    return build_map(data, lang).get_root().render()


def _layer_name(text: str, colour: str | None = None, shape_class: str = "dot") -> str:
    """A layer control entry with its symbol, so the control doubles as the legend."""
    swatch = f'<span class="lb-key lb-key-{shape_class}" style="--c:{colour}"></span>' if colour else ""
    return f"{swatch}{safe_text(text)}"


def _add_style(fmap: folium.Map) -> None:
    css = """
    .leaflet-container { background: #dde7ee; font: 15px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, Arial,
      sans-serif; }
    .leaflet-control-layers { font-size: 15px; line-height: 1.5; max-height: calc(100vh - 40px); overflow-y: auto; }
    .leaflet-control-layers label { margin: 1px 0; }
    .leaflet-control-layers-separator { margin: 4px 0; }
    .lb-key { display: inline-block; width: 14px; height: 14px; margin: 0 6px -2px 2px; background: var(--c);
      border: 1.5px solid #fff; box-shadow: 0 0 0 1px #555; }
    .lb-key-dot { border-radius: 50%; }
    .lb-key-ring { border-radius: 50%; background: transparent; border: 3px solid var(--c); box-shadow: none; }
    .lb-key-square { border-radius: 2px; background: #fff; border: 3px solid var(--c); box-shadow: none; }
    .lb-key-line { height: 4px; margin-bottom: 3px; border: 0; box-shadow: none; }
    .lb-key-heat { background: linear-gradient(90deg, #3388ff, #00ff66, #ffea00, #ff2600); border: 0; }
    .lb-cluster div { display: flex; align-items: center; justify-content: center; width: 100%; height: 100%;
      border-radius: 50%; font-weight: 700; font-size: 15px; border: 2px solid #fff;
      box-shadow: 0 0 0 1.5px rgba(0,0,0,.45); }
    .lb-slot { display: flex; justify-content: center; width: 100%; }
    .lb-badge { display: flex; align-items: center; justify-content: center; min-width: 32px; height: 32px;
      padding: 0 6px; font-weight: 700; font-size: 15px; background: #fff; border: 3px solid var(--c);
      color: #111; box-shadow: 0 1px 3px rgba(0,0,0,.35); white-space: nowrap; }
    .lb-badge-round { border-radius: 16px; }
    .lb-badge-square { border-radius: 3px; }
    .lb-badge-dashed { border-style: dashed; border-radius: 16px; }
    .lb-place-label { font-weight: 700; font-size: 15px; color: #1f2328; white-space: nowrap;
      text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; transform: translate(-50%, -115%); display: inline-block; }
    .lb-street-label { font-size: 12px; color: #5b6470; white-space: nowrap; font-style: italic;
      text-shadow: 0 0 2px #fff, 0 0 2px #fff; transform: translate(-50%, -50%); display: inline-block; }
    .lb-popup h4 { font-size: 16px; margin: 0 0 4px; }
    .lb-popup table td { padding: 0 8px 0 0; }
    .lb-popup table td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .lb-area-box { background: #fff; padding: 8px 12px; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
      max-width: 340px; font-size: 14px; }
    .lb-area-box h4 { font-size: 15px; margin: 0 0 4px; }
    """
    fmap.get_root().header.add_child(Literal(f"<style>{css}</style>"))


def _add_basemap(fmap: folium.Map, lang: str) -> None:
    """Districts and streets copied into the repository: a light base map that never needs the internet. The same
    for every map in a language: rendered once."""
    RenderedLayer(_basemap(lang)).add_to(fmap)
    attribution = script_json(t("karta.attribution", lang))
    MapScript(f"{fmap.get_name()}.attributionControl.addAttribution({attribution});"
              f"L.control.scale({{imperial: false}}).addTo({fmap.get_name()});").add_to(fmap)


@lru_cache(maxsize=4)
def _osm_layer(lang: str) -> Rendered:
    """folium looks the tiles up among xyzservices' thousand providers each time: rendered once per language."""
    return render_once([TextTileLayer(OSM_TILES, name=_layer_name(t("karta.layer.osm", lang)), attr=OSM_ATTRIBUTION,
                                    overlay=True, show=False, max_zoom=19)])


@lru_cache(maxsize=4)
def _basemap(lang: str) -> Rendered:
    """From files in the repository: rendered once per language."""
    return render_once(_basemap_layer(lang))


def _basemap_layer(lang: str) -> list[MacroElement]:
    pane = TextCustomPane(BASEMAP_PANE, z_index=150, pointer_events=False)
    group = TextFeatureGroup(name=_layer_name(t("karta.layer.basemap", lang), "#9aa3ad", "line"),
                          overlay=True, show=True)
    TextGeoJson(_read_json(BASEMAP_DISTRICTS), pane=BASEMAP_PANE, interactive=False, control=False,
             style_function=lambda _: {"color": "#b8b2a7", "weight": 1.2, "fillColor": "#f6f4ef",
                                       "fillOpacity": 1, "dashArray": "4 3"}).add_to(group)
    TextGeoJson(_read_json(BASEMAP_STREETS), pane=BASEMAP_PANE, interactive=False, control=False,
             style_function=_street_style).add_to(group)
    for name, (lat, lon) in _street_label_points().items():
        TextMarker([lat, lon], icon=TextDivIcon(html=f'<span class="lb-street-label">{safe_text(name)}</span>',
                                          icon_size=(0, 0)), interactive=False).add_to(group)
    return [pane, group]


def _street_style(feature: dict) -> dict:
    kind = feature["properties"].get("class")
    if kind == "major":
        return {"color": "#a7afb8", "weight": 4}
    if kind == "path":
        return {"color": "#c4c9ce", "weight": 1, "dashArray": "3 3"}
    return {"color": "#c9ced4", "weight": 2}


@lru_cache(maxsize=1)
def _street_label_points() -> dict[str, tuple[float, float]]:
    """One label per named major street, at the middle of its longest stretch."""
    labels = {}
    for feature in _read_json(BASEMAP_STREETS)["features"]:
        props = feature["properties"]
        if props.get("class") != "major" or not props.get("name"):
            continue
        geometry = shape(feature["geometry"])
        lines = list(getattr(geometry, "geoms", [geometry]))
        longest = max(lines, key=lambda line: line.length)
        point = longest.interpolate(0.5, normalized=True)
        labels[props["name"]] = (round(point.y, 5), round(point.x, 5))
    return labels


def _places_key(places: Sequence[dict]) -> str:
    """The places as JSON: everything their layer and centres depend on, as a cache key."""
    return json.dumps([[p["id"], p["name"], p["kind"], bool(p["is_unspecified"]), p["geometry"]] for p in places],
                      default=str)


def _places_of(key: str) -> list[dict]:
    return [{"id": id_, "name": name, "kind": kind, "is_unspecified": unspecified, "geometry": geometry}
            for id_, name, kind, unspecified, geometry in json.loads(key)]


@lru_cache(maxsize=16)
def _place_centres(key: str) -> dict[str, tuple[float, float] | None]:
    return {p["id"]: place_centre(p["geometry"]) for p in _places_of(key) if not p["is_unspecified"]}


def _place_features(places: Sequence[dict], selected: Sequence[str]) -> dict:
    features = []
    for place in places:
        if not place["geometry"]:
            continue
        features.append({"type": "Feature", "geometry": place["geometry"],
                         "properties": {"id": place["id"], "name": safe_text(place["name"]), "kind": place["kind"],
                                        "unspecified": bool(place["is_unspecified"]),
                                        "selected": not selected or place["id"] in selected}})
    return {"type": "FeatureCollection", "features": features}


def _place_style(feature: dict) -> dict:
    props = feature["properties"]
    if props["unspecified"]:
        return {"color": "#0b4f8a", "weight": 2.5, "dashArray": "8 6", "fill": False}
    selected = props["selected"]
    return {"color": "#2f4f2f" if props["kind"] == "park" else "#4b4470", "weight": 2.5 if selected else 1,
            "fillColor": PARK_FILL if props["kind"] == "park" else SPOT_FILL,
            "fillOpacity": 0.5 if selected else 0.2, "opacity": 1 if selected else 0.45}


def _add_places(fmap: folium.Map, data: MapData, lang: str, places_key: str) -> None:
    RenderedLayer(_place_layer(lang, tuple(data.selected), places_key)).add_to(fmap)


@lru_cache(maxsize=32)
def _place_layer(lang: str, selected: tuple[str, ...], places_key: str) -> Rendered:
    """The places' polygons and names: rendered once per language, selection and places (their ids, names, kinds
    and geometries: `places_key`)."""
    return render_once([_places_layer(_places_of(places_key), selected, lang)])


def _places_layer(places: Sequence[dict], selected: Sequence[str], lang: str) -> folium.FeatureGroup:
    group = TextFeatureGroup(name=_layer_name(t("karta.layer.places", lang), PARK_FILL, "square"))
    TextGeoJson(_place_features(places, selected), style_function=_place_style, control=False, pane=AREAS_PANE,
             tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(group)
    for place in places:
        spot = label_point(place["geometry"]) if not place["is_unspecified"] else None
        if spot is None:
            continue
        label = f'<span class="lb-place-label">{safe_text(place["name"])}</span>'
        TextMarker(list(spot), icon=TextDivIcon(html=label, icon_size=(0, 0)), interactive=False,
                pane=LABELS_PANE).add_to(group)
    return group


def _add_heat(fmap: folium.Map, incidents: _Incidents, lang: str) -> None:
    if not incidents.groups:
        return
    TextHeatMap(incidents.coords_json, name=_layer_name(t("karta.layer.heat", lang), None), radius=18, blur=16,
             min_opacity=0.35, max_zoom=17, show=False).add_to(fmap)


CLUSTER_CALLBACK = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 8, color: '#ffffff', weight: 1.5, fillColor: window.lbLookup.categories[row[2]][1],
         fillOpacity: 0.95, pane: '__PANE__'});
    marker.bindPopup(function () { return window.lbIncidentPopup(row); }, {maxWidth: 360});
    return marker;
}"""

POPUP_SCRIPT = """
window.lbIncidentPopup = function (row) {
    // row: lat, lon, category, date, place, organisation (indexes into lbLookup but the date), summary.
    // Built from text nodes only: a summary can never become HTML.
    var look = window.lbLookup;
    var box = document.createElement('div');
    box.className = 'lb-popup';
    var head = document.createElement('h4');
    head.textContent = look.categories[row[2]][0];
    box.appendChild(head);
    [row[3] + ' \\u00b7 ' + look.places[row[4]], look.organisations[row[5]]].forEach(function (text) {
        if (!text) { return; }
        var line = document.createElement('div');
        line.textContent = text;
        box.appendChild(line);
    });
    if (row[6]) {
        var summary = document.createElement('p');
        summary.style.margin = '6px 0 0';
        summary.textContent = row[6];
        box.appendChild(summary);
    }
    return box;
};
"""


@dataclass
class _Lookup:
    """Repeated texts of the incident rows, sent once: keeps the map's HTML small with thousands of points."""

    categories: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)

    def script(self, labels: Mapping[str, str]) -> str:
        categories = [[labels.get(code, code), category_colour("incidents", code)] for code in self.categories]
        return "window.lbLookup = " + script_json({"categories": categories, "places": list(self.places),
                                                   "organisations": list(self.organisations)}) + ";"


def _cluster_icon(colour: str, lang: str) -> str:
    text = "#000000" if colour in (OKABE_ITO["yellow"], OKABE_ITO["sky_blue"], OKABE_ITO["orange"], GREY["light"],
                                   GREY["mid"]) else "#ffffff"
    locale = "en-GB" if lang == "en" else "sv-SE"
    return f"""function (cluster) {{
        var n = cluster.getChildCount();
        var size = n < 10 ? 34 : (n < 100 ? 42 : 52);
        return L.divIcon({{html: '<div style="background:{colour};color:{text}">' + n.toLocaleString('{locale}')
            + '</div>', className: 'lb-cluster', iconSize: L.point(size, size)}});
    }}"""


def _rounded(column: pd.Series, digits: int = 5) -> list[float]:
    """round(float(x), digits) of each value, in one go: numpy's multiply, round to even and divide gives the same
    float but within a hair of a tie (x * 10**digits ending in .5), where round() decides from x's exact value."""
    values = column.to_numpy(dtype=float)
    scaled = values * 10.0 ** digits
    rounded = np.round(values, digits).tolist()
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        rounded[i] = round(float(values[i]), digits)
    return rounded


@lru_cache(maxsize=8192)
def _day_text(day: object, lang: str) -> str:
    return fmt_date(day if type(day) is date else pd.Timestamp(day).date(), lang)


def _json_numbers(values: list) -> list[str]:
    """Each number as json.dumps writes it, in one call."""
    return json.dumps(values)[1:-1].split(", ") if values else []


def _json_texts(values: list[str]) -> list[str]:
    return list(map(encode_basestring_ascii, values))


def _htmlsafe(text: str) -> str:
    """JSON text as Jinja's `tojson` filter leaves it: safe inside a <script> element and an HTML attribute."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


@dataclass(frozen=True)
class _Incidents:
    """The points as the heat map and the cluster layers draw them, made in one pass over the columns and written as
    JSON text right away (a list per point would be thousands of objects for the garbage collector to go through):
    [lat, lon] pairs in the points' order, and per category group (in INCIDENT_GROUPS order) its count and the rows of
    its cluster layer, [lat, lon, category, date (and time), place, organisation, summary], the repeated texts as
    indexes into `lookup` in the order they first occur. The same text folium's `tojson` wrote for the same rows."""

    coords_json: str
    groups: dict[str, tuple[int, str]]
    lookup: _Lookup

    @classmethod
    def of(cls, points: pd.DataFrame, lang: str) -> _Incidents:
        lookup = _Lookup()
        if points.empty:
            return cls("[]", {}, lookup)
        lat, lon = _json_numbers(_rounded(points["latitude"])), _json_numbers(_rounded(points["longitude"]))
        names = list(INCIDENT_GROUPS)
        rank_of = {code: rank for rank, codes in enumerate(INCIDENT_GROUPS.values()) for code in codes}
        other = names.index("ovrigt")
        codes = points["category"].tolist()
        ranks = np.fromiter((rank_of.get(code, other) for code in codes), dtype=np.intp, count=len(codes))
        order = np.argsort(ranks, kind="stable").tolist()  # by group, each group's rows in the points' order
        ordered = itemgetter(*order) if len(order) > 1 else lambda values: (values[0],)

        day_text = {day: _day_text(day, lang) for day in set(points["date"].tolist())}  # far fewer days than points
        times = pd.to_datetime(points["occurred_at"], errors="coerce").dt.strftime("%H:%M").tolist()  # NaN: no time
        when = [day_text[day] + " " + time if isinstance(time, str) else day_text[day]
                for day, time in zip(ordered(points["date"].tolist()), ordered(times), strict=True)]
        who = [organisation if isinstance(organisation, str) else str(source) for organisation, source
               in zip(ordered(points["organisation"].tolist()), ordered(points["source"].tolist()), strict=True)]
        summaries = [text[:300] if isinstance(text, str) else "" for text in ordered(points["summary"].tolist())]
        categories, places, organisations = lookup.categories, lookup.places, lookup.organisations
        category = [categories.setdefault(code, len(categories)) for code in ordered(codes)]
        place = [places.setdefault(str(name), len(places)) for name in ordered(points["place"].tolist())]
        organisation = [organisations.setdefault(name, len(organisations)) for name in who]
        rows = [f"[{a}, {b}, {c}, {d}, {e}, {f}, {g}]" for a, b, c, d, e, f, g in zip(
            ordered(lat), ordered(lon), _json_numbers(category), _json_texts(when), _json_numbers(place),
            _json_numbers(organisation), _json_texts(summaries), strict=True)]
        groups, start = {}, 0
        for rank, count in enumerate(np.bincount(ranks, minlength=len(names)).tolist()):
            if count:
                groups[names[rank]] = (count, _htmlsafe("[" + ", ".join(rows[start:start + count]) + "]"))
            start += count
        coords = "[" + ", ".join([f"[{a}, {b}]" for a, b in zip(lat, lon, strict=True)]) + "]"
        return cls(coords, groups, lookup)


def _add_incident_clusters(fmap: folium.Map, data: MapData, incidents: _Incidents, lang: str) -> None:
    if not incidents.groups:
        return
    for rank, (group, codes) in enumerate(INCIDENT_GROUPS.items()):
        if group not in incidents.groups:
            continue
        count, rows_json = incidents.groups[group]
        # A pane per group, the first group (drugs, the heart of the classification) on top where clusters overlap.
        pane = f"incidents-{group}"
        TextCustomPane(pane, z_index=660 - 10 * rank, pointer_events=True).add_to(fmap)
        colour = category_colour("incidents", codes[0])
        name = f"{t('karta.group.' + group, lang)} ({fmt_int(count, lang)})"
        callback = CLUSTER_CALLBACK.replace("__PANE__", pane)
        TextFastMarkerCluster(rows_json, callback=callback, name=_layer_name(name, colour),
                           icon_create_function=_cluster_icon(colour, lang), showCoverageOnHover=False,
                           maxClusterRadius=45, spiderfyOnMaxZoom=True, disableClusteringAtZoom=18,
                           clusterPane=pane).add_to(fmap)
    script = incidents.lookup.script(data.labels.get("incidents", {})) + POPUP_SCRIPT
    fmap.get_root().header.add_child(Literal(f"<script>{script}</script>"))


def _popup(title: str, rows: Sequence[tuple[str, str]], extra: str = "") -> folium.Popup:
    """A popup from text pieces, each escaped (summaries and titles can contain HTML)."""
    body = "".join(f"<tr><td>{safe_text(label)}</td><td class='num'>{safe_text(value)}</td></tr>"
                   for label, value in rows)
    return TextPopup(f"<div class='lb-popup'><h4>{safe_text(title)}</h4><table>{body}</table>{extra}</div>",
                  max_width=380)


BADGE_SLOT = 70  # px between the badges under a place's name: incidents without coordinates, activities, measures


def _badge(centre: tuple[float, float], count: str, colour: str, style: str, slot: int,
           popup: folium.Popup, tooltip: str, lang: str) -> folium.Marker:
    """A count ('12', '<5') in a small shape, in one of three slots under the place's name so badges never cover
    each other."""
    html_ = (f'<div class="lb-slot"><div class="lb-badge lb-badge-{style}" style="--c:{colour}">'
             f'{safe_text(count)}</div></div>')
    anchor = (BADGE_SLOT // 2 - BADGE_SLOT * slot, -14)
    return TextMarker(list(centre), icon=TextDivIcon(html=html_, icon_size=(BADGE_SLOT, 34), icon_anchor=anchor),
                   popup=popup, tooltip=TextTooltip(safe_text(tooltip)))


def _add_outreach(fmap: folium.Map, data: MapData, names: Mapping[str, str], lang: str) -> None:
    """Outreach is work with people and confidential: only totals per place are drawn, as the place's shading
    (darker = more contacts), never a point per shift. The area-wide rows are in the area box."""
    group = TextFeatureGroup(name=_layer_name(t("karta.layer.outreach", lang), OUTREACH_COLOUR, "square"))
    geometries = {p["id"]: p["geometry"] for p in data.places if p["geometry"] and not p["is_unspecified"]}
    rows, reasons = list(data.outreach.itertuples()), data.outreach_hidden
    largest = max([int(row.contacts) for row in rows if not pd.isna(row.contacts)] + [1])
    for row, why in zip(rows, reasons.itertuples(), strict=True):
        place = names.get(row.place_id, row.place_id)
        contacts = 0 if pd.isna(row.contacts) else int(row.contacts)  # hidden: the palest shade
        opacity = round(0.1 + 0.35 * contacts / largest, 3)
        TextGeoJson(
            {"type": "Feature", "geometry": geometries[row.place_id], "properties": {}},
            style_function=lambda _, o=opacity: {"color": OUTREACH_COLOUR, "weight": 2, "fillColor": OUTREACH_COLOUR,
                                                  "fillOpacity": o, "dashArray": "2 4"},
            highlight_function=lambda _: {"weight": 4},
            popup=_popup(f"{t('karta.layer.outreach', lang)}: {place}", _outreach_rows(row, why, lang)),
            tooltip=TextTooltip(safe_text(nt("karta.tip.outreach", None if why.contacts else row.contacts, lang,
                                          place=place, contacts=cell_text(row.contacts, why.contacts, lang)))),
            control=False, pane=AREAS_PANE,
        ).add_to(group)
    group.add_to(fmap)


def _outreach_rows(row, why, lang: str) -> list[tuple[str, str]]:
    """A place's outreach: shifts and hours as they are, the counts of people through the rule (`why`: the reason
    each is hidden, '' when shown)."""
    return [(t("karta.popup.shifts", lang), fmt_int(row.shifts, lang)),
            (t("karta.popup.contacts", lang), cell_text(row.contacts, why.contacts, lang)),
            (t("karta.popup.new_persons", lang), cell_text(row.new_persons, why.new_persons, lang)),
            (t("karta.popup.referrals", lang), cell_text(row.referrals, why.referrals, lang)),
            (t("karta.popup.hours", lang), fmt_dec(row.hours, 0, lang))]


def _add_unplaced(fmap: folium.Map, data: MapData, centres: Mapping, names: Mapping[str, str], lang: str) -> None:
    """Incidents named only by place (for a viewer under the small-count rule: every incident): one badge per place
    with the count per category in its popup."""
    every = data.protected
    group = TextFeatureGroup(name=_layer_name(t("karta.layer.by_place" if every else "karta.layer.unplaced", lang),
                                           UNPLACED_COLOUR, "ring"))
    labels = data.labels.get("incidents", {})
    cells, totals = data.unplaced, data.unplaced_totals
    badge = {row.place_id: cell_text(row.value, getattr(row, HIDDEN, ""), lang) for row in totals.itertuples()}
    shown = {row.place_id: None if getattr(row, HIDDEN, "") else row.value for row in totals.itertuples()}
    for place_id, part in cells.groupby("place_id", sort=False):
        centre = centres.get(place_id)
        if centre is None:
            continue
        why = part[HIDDEN] if HIDDEN in part.columns else [""] * len(part)
        rows = [(labels.get(c, c), cell_text(v, r, lang))
                for c, v, r in zip(part["category"], part["value"], why, strict=True)]
        place = names.get(place_id, place_id)
        popup = _popup(t("karta.popup.by_place" if every else "karta.popup.unplaced", lang, place=place), rows)
        tip = nt("karta.tip.by_place" if every else "karta.tip.unplaced", shown[place_id], lang, count=badge[place_id],
                 place=place)
        _badge(centre, badge[place_id], UNPLACED_COLOUR, "dashed", -1, popup, tip, lang).add_to(group)
    group.add_to(fmap)


def _add_activities(fmap: folium.Map, data: MapData, centres: Mapping, names: Mapping[str, str], lang: str) -> None:
    group = TextFeatureGroup(name=_layer_name(t("karta.layer.activities", lang), ACTIVITY_COLOUR, "ring"))
    labels = data.labels.get("events", {})
    activities = data.events[~data.events["is_measure"].astype(bool)] if not data.events.empty else data.events
    # attendance is a count of people: per place, through the rule (lagesbild.reads)
    visitors = {row.place_id: cell_text(row.attendance, getattr(row, HIDDEN, ""), lang)
                for row in data.attendance.itertuples()}
    for place_id, part in activities.groupby("place_id", sort=False):
        centre = centres.get(place_id)
        if centre is None:
            continue
        total = int(part["events"].sum())
        rows = [(labels.get(c, c), fmt_int(v, lang)) for c, v in zip(part["category"], part["events"], strict=True)]
        rows.append((t("karta.popup.attendance", lang), visitors[place_id]))
        popup = _popup(t("karta.popup.activities", lang, place=names.get(place_id, place_id)), rows)
        tip = nt("karta.tip.activities", total, lang, count=fmt_int(total, lang), place=names.get(place_id, place_id))
        _badge(centre, fmt_int(total, lang), ACTIVITY_COLOUR, "round", 0, popup, tip, lang).add_to(group)
    group.add_to(fmap)


def _add_measures(fmap: folium.Map, data: MapData, centres: Mapping, names: Mapping[str, str], lang: str) -> None:
    """Measures (new lighting, clearing…) mark where an effect is looked for: each one listed with its date."""
    group = TextFeatureGroup(name=_layer_name(t("karta.layer.measures", lang), MEASURE_COLOUR, "square"))
    labels = data.labels.get("events", {})
    for place_id, part in data.measures.groupby("place_id", sort=False):
        centre = centres.get(place_id)
        if centre is None:
            continue
        part = part.sort_values("date", ascending=False)
        rows = [(fmt_date(pd.Timestamp(d).date(), lang), f"{title} ({labels.get(c, c)})")
                for d, title, c in zip(part["date"], part["title"], part["category"], strict=True)][:MAX_LISTED]
        more = len(part) - len(rows)
        extra = f"<p>{safe_text(t('karta.popup.more', lang, count=fmt_int(more, lang)))}</p>" if more > 0 else ""
        popup = _popup(t("karta.popup.measures", lang, place=names.get(place_id, place_id)), rows, extra)
        tip = nt("karta.tip.measures", len(part), lang, count=fmt_int(len(part), lang),
                 place=names.get(place_id, place_id))
        _badge(centre, fmt_int(len(part), lang), MEASURE_COLOUR, "square", 1, popup, tip, lang).add_to(group)
    group.add_to(fmap)


def _add_area_box(fmap: folium.Map, data: MapData, lang: str) -> None:
    totals = data.area  # counts of incidents and people through the rule (lagesbild.reads)
    if not any(value or reason for value, reason in totals.values()):
        return
    area = next((p["name"] for p in data.places if p["is_unspecified"]), "")
    lines = [nt(f"karta.area.{key}", None if reason else value, lang, count=cell_text(value, reason, lang))
             for key, (value, reason) in totals.items() if value or reason]
    box = (f"<h4>{safe_text(area)}</h4><div>{safe_text(t('karta.area.intro', lang))}</div>"
           + "".join(f"<div>{safe_text(line)}</div>" for line in lines))
    script = f"""
    (function () {{
        var box = L.control({{position: 'bottomleft'}});
        box.onAdd = function () {{
            var div = L.DomUtil.create('div', 'lb-area-box');
            div.innerHTML = {script_json(box)};
            return div;
        }};
        box.addTo({fmap.get_name()});
    }})();"""
    MapScript(script).add_to(fmap)
