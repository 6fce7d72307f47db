"""The render cache (dashboard/render_cache.py): a cached page is the page drawn afresh, one role's page is never
served to another, a load, an undo or a records change draws it again, and the cache is shared between processes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard import app_context as context
from dashboard import map_frames, render_cache, shell_ids
from lagesbild.records.access import Actor
from lagesbild.records.register import create_record
from lagesbild.store.db import make_engine
from loaders.load import load_file
from loaders.undo import undo_load
from tests.conftest import DATA_DIR
from tests.dashboard.roles import as_role, copy_store, on_store

HOGALID_2025 = {"lang": "sv", "place": "hogalidsparken", "from": "2025-01", "to": "2025-12"}


def layout_of(key: str):
    return next(page["layout"] for page in dash.page_registry.values() if shell_ids.page_key(page) == key)


def plain(tree) -> dict:
    return json.loads(json.dumps(tree, cls=PlotlyJSONEncoder))


def same_but_map_token(tree) -> str:
    """folium gives its elements new random ids at every drawing, so the map's document, and its token, differ."""
    return re.sub(r"/_map/[0-9a-f]+", "/_map/…", json.dumps(tree, sort_keys=True))


def map_urls(tree) -> list[str]:
    return re.findall(r"/_map/[0-9a-f]+", json.dumps(tree))


@pytest.fixture
def cached(dash_app, tmp_path):
    settings = dash_app.server.config[context.CONFIG_KEY].settings
    cache = render_cache.install(dash_app, settings, str(tmp_path / "cache"))
    yield cache
    dash_app.server.extensions.pop(render_cache.EXTENSION, None)


def fresh(dash_app, key: str, **query) -> dict:
    """The page drawn without the cache."""
    saved = dash_app.server.extensions.pop(render_cache.EXTENSION, None)
    try:
        return plain(layout_of(key)(**query))
    finally:
        if saved is not None:
            dash_app.server.extensions[render_cache.EXTENSION] = saved


@pytest.mark.parametrize("key", ["oversikt", "handelser", "uppsokande", "karta"])
@pytest.mark.parametrize("role", ["styrgrupp", "partner"])
def test_a_cached_page_is_the_page_drawn_afresh(dash_app, cached, key, role):
    with as_role(dash_app, role):
        first = layout_of(key)(**HOGALID_2025)
        again = layout_of(key)(**HOGALID_2025)
        assert isinstance(again, dict)  # served from the cache, as JSON
        assert plain(first) == again
        assert same_but_map_token(again) == same_but_map_token(fresh(dash_app, key, **HOGALID_2025))
        assert all(map_frames.stored(url) for url in map_urls(again))  # the cached page's map is still served


def test_the_data_page_is_never_cached(dash_app, cached):
    with as_role(dash_app, "admin"):
        assert not isinstance(layout_of("data")(lang="sv"), dict)


def test_a_partner_is_never_served_the_steering_groups_page_nor_the_other_way_round(dash_app, cached):
    with as_role(dash_app, "styrgrupp"):
        steering = plain(layout_of("handelser")(**HOGALID_2025))
        steering_key = render_cache.layout_key("handelser", HOGALID_2025)
    with as_role(dash_app, "partner"):
        partner = layout_of("handelser")(**HOGALID_2025)
        assert render_cache.layout_key("handelser", HOGALID_2025) != steering_key
        partner = plain(partner)
        assert same_but_map_token(partner) == same_but_map_token(fresh(dash_app, "handelser", **HOGALID_2025))
    assert partner != steering
    assert "<5" in json.dumps(partner) and "<5" not in json.dumps(steering)
    with as_role(dash_app, "styrgrupp"):  # the partner's entry did not replace the steering group's
        assert layout_of("handelser")(**HOGALID_2025) == steering


def test_the_query_is_normalised_and_every_parameter_counts(dash_app, cached):
    with as_role(dash_app, "styrgrupp"):
        one = render_cache.layout_key("handelser", {"lang": "sv", "category": ["sprutfynd", "tillgrepp"]})
        same = render_cache.layout_key("handelser", {"category": ["tillgrepp", "sprutfynd"], "lang": "sv"})
        other = render_cache.layout_key("handelser", {"lang": "en", "category": ["tillgrepp", "sprutfynd"]})
        page = render_cache.layout_key("uppsokande", {"lang": "sv", "category": ["sprutfynd", "tillgrepp"]})
    assert one == same and len({one, other, page}) == 3


def test_a_load_an_undo_and_a_records_change_draw_the_page_again(dash_app, cached, dashboard_store_url, tmp_path):
    url = copy_store(dashboard_store_url, tmp_path / "copy.sqlite")
    engine = make_engine(url)
    settings = dash_app.server.config[context.CONFIG_KEY].settings.with_db(url)
    with on_store(dash_app, url):
        keys = []
        for change in (None, "load", "undo", "record"):
            if change == "load":
                feed = shutil.copy(DATA_DIR / "polisen_excerpt.json", tmp_path / "feed.json")
                loaded = load_file(engine, Path(feed), settings)
            elif change == "undo":
                undo_load(engine, loaded.load_id, "test")
            elif change == "record":
                create_record(engine, "budget", {"month": "2025-06", "category": "staff", "amount_sek": 1000,
                                                 "status": "booked"}, Actor("anna.styr", "styrgrupp"))
            with as_role(dash_app, "styrgrupp"):
                keys.append(render_cache.layout_key("handelser", HOGALID_2025))
    assert len(set(keys)) == 4


def test_the_cache_is_shared_with_another_process(dash_app, cached, tmp_path):
    with as_role(dash_app, "partner"):
        tree = plain(layout_of("handelser")(**HOGALID_2025))
        key = render_cache.layout_key("handelser", HOGALID_2025)
    script = f"""
import json, flask
from flask_caching import Cache
app = flask.Flask("other")
cache = Cache(app, config={{"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": {str(tmp_path / "cache")!r}}})
with app.app_context():
    print(cache.get({key!r}))
"""
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(found) == tree


def test_a_map_drawn_by_one_worker_is_served_by_another_to_the_same_role_only(dash_app, cached):
    with as_role(dash_app, "partner"):
        url = map_frames.store("<html>a partner's map</html>")
        map_frames._maps.clear()  # another worker: nothing of it in its memory
        assert map_frames.stored(url) == "<html>a partner's map</html>"
    with as_role(dash_app, "styrgrupp"):
        assert map_frames.stored(url) is None
