"""folium maps and plugins that load Leaflet and friends from assets/vendor, never from a CDN."""

from __future__ import annotations

import re

import folium
from folium.plugins import HeatMap, MarkerCluster

VENDOR = "/assets/vendor"  # root-relative: a srcDoc iframe resolves it against the Dash server
MAP_JS = [("leaflet", f"{VENDOR}/leaflet/leaflet.js"), ("jquery", f"{VENDOR}/jquery/jquery.min.js")]
MAP_CSS = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{VENDOR}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.Default.css"),
]
HEAT_JS = [("leaflet-heat.js", f"{VENDOR}/leaflet.heat/leaflet_heat.min.js")]
LINK_RE = re.compile(r"<(?:script|link)\b[^>]*?(?:src|href)=[\"']([^\"']+)[\"']", re.IGNORECASE)


def offline_map(map_class: type[folium.Map] = folium.Map, **kwargs) -> folium.Map:
    """A folium.Map (or `map_class`, a subclass) with vendored Leaflet and jQuery and no tile layer (tiles would come
    from the internet).

    Without tiles there is no base map: draw the places' polygons as the map's ground.
    """
    fmap = map_class(tiles=None, **kwargs)
    # New lists per instance: assigning to the class attributes or add_js_link would change every map.
    fmap.default_js = list(MAP_JS)
    fmap.default_css = list(MAP_CSS)
    return fmap


def marker_cluster(**kwargs) -> MarkerCluster:
    cluster = MarkerCluster(**kwargs)
    cluster.default_js, cluster.default_css = list(CLUSTER_JS), list(CLUSTER_CSS)
    return cluster


def heat_map(data, **kwargs) -> HeatMap:
    """folium's HeatMap with its Leaflet.heat build (folium's patched copy, vendored) served locally."""
    heat = HeatMap(data, **kwargs)
    heat.default_js = list(HEAT_JS)
    return heat


def resource_urls(html: str) -> list[str]:
    """Every script src and stylesheet href in rendered map HTML, to check that none leaves the server."""
    return LINK_RE.findall(html)
