"""Tests for dashboard.app without a browser: pages, assets and the HTML Dash serves."""

from __future__ import annotations

import re

import dash

from dashboard.app import ASSETS_DIR, VENDOR_CSS, VENDOR_JS

PAGES = {
    "/": "Översikt",
    "/handelser": "Händelser",
    "/uppsokande": "Uppsökande arbete",
    "/aktiviteter": "Aktiviteter",
    "/trygghet": "Trygghet",
    "/karta": "Karta",
    "/effekt": "Effekt",
    "/data": "Data",
    "/projektregister": "Projektregister",
    "/mote": "Möte",
}


def test_the_eight_pages_are_registered_in_order(dash_app):
    pages = sorted(dash.page_registry.values(), key=lambda page: page["order"])
    assert {page["path"]: page["name"] for page in pages} == PAGES
    assert [page["path"] for page in pages] == list(PAGES)


def test_index_links_only_local_resources(dash_app):
    html = dash_app.server.test_client().get("/handelser?place=x").get_data(as_text=True)
    urls = re.findall(r"""<(?:script|link)\b[^>]*?(?:src|href)=["']([^"']+)""", html)
    assert urls
    assert not [url for url in urls if re.match(r"(https?:)?//", url)], urls
    assert '<html lang="sv">' in html


def test_vendored_files_are_linked_but_not_injected(dash_app):
    html = dash_app.server.test_client().get("/").get_data(as_text=True)
    for url in VENDOR_CSS + VENDOR_JS:
        assert url in html
        assert (ASSETS_DIR / url.removeprefix("/assets/")).is_file()
    assert "/assets/lagesbild.css" in html
    assert "leaflet" not in html and "html-to-image" not in html


def test_vendored_files_are_served(dash_app):
    client = dash_app.server.test_client()
    for path in ("vendor/leaflet/leaflet.js", "vendor/html-to-image/html-to-image.js", "vendor/LICENSES.md"):
        assert client.get(f"/assets/{path}").status_code == 200, path
