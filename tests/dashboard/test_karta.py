"""Karta in the dashboard: the map document in a browser beside the vendored Leaflet, and the page's counts."""

from __future__ import annotations

from lagesbild.render.map_html import map_html
from tests.lagesbild.render.test_map_html import HOSTILE, TEMPLATE_BREAK, map_data


def test_a_hostile_summary_does_not_run_in_a_browser(chromium, live_server):
    """Loaded next to the vendored Leaflet: no dialog opens, no script error, the popup shows the text as text."""
    page = chromium.new_page()
    alerts, errors = [], []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + "/assets/vendor/LICENSES.md")  # same origin, so /assets/vendor/... resolves
    page.set_content(map_html(map_data(summary=HOSTILE + TEMPLATE_BREAK)), wait_until="load")
    page.wait_for_selector(".leaflet-container path.leaflet-interactive")
    page.evaluate("""() => Object.values(window).find(v => v instanceof L.Map).setView([59.311, 18.041], 19)""")
    page.locator("path.leaflet-interactive[fill='#D55E00']").first.click(force=True)
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert HOSTILE in popup.inner_text()
    assert alerts == [] and errors == []
    page.close()


def test_the_map_draws_only_the_newest_points_but_counts_them_all(sample_engine, monkeypatch):
    from dashboard.pages import karta
    from lagesbild.reads import map as map_reads
    from tests.dashboard.roles import reads_for

    monkeypatch.setattr(map_reads, "MAX_POINTS", 50)
    data = reads_for(None, sample_engine).map_data()
    assert len(data.points) == 50 and data.points_total > 50
    assert karta.counts(data)["points"] == (data.points_total, "")
    assert karta.points_capped_note(data, "sv")[0].id == "karta-points-capped"
