"""Tests for lagesbild.render.folium_offline: a map with every plugin we use links only vendored files."""

from __future__ import annotations

import re
from pathlib import Path

import folium

from lagesbild.render.folium_offline import heat_map, marker_cluster, offline_map, resource_urls

ASSETS = Path(__file__).resolve().parents[3] / "assets"


def rendered_map() -> str:
    fmap = offline_map(location=[59.315, 18.035], zoom_start=15)
    cluster = marker_cluster().add_to(fmap)
    folium.CircleMarker([59.315, 18.035], radius=6, popup="Tantolunden").add_to(cluster)
    heat_map([[59.315, 18.035, 1.0]]).add_to(fmap)
    folium.GeoJson({"type": "FeatureCollection", "features": []}).add_to(fmap)
    return fmap.get_root().render()


def test_map_links_only_vendored_files_that_exist():
    urls = resource_urls(rendered_map())
    assert urls, "no script or stylesheet found: the regex or folium changed"
    for url in urls:
        assert url.startswith("/assets/vendor/"), url
        assert (ASSETS / url.removeprefix("/assets/")).is_file(), url


def test_map_html_names_no_internet_resource():
    html = rendered_map()
    assert not re.findall(r"""(?:src|href)=["']https?://""", html)


def test_offline_map_does_not_change_folium_defaults():
    offline_map()
    assert any("cdn" in url for _, url in folium.Map.default_js)
    assert any("cdn" in url for _, url in folium.Map().default_js)
