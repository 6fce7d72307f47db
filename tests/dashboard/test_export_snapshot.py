"""A page export of a snapshot (/mote?asof=D) names the snapshot in its caption and draws the page as of it."""

from __future__ import annotations

from datetime import date

from lagesbild.captions import snapshot_words


def test_the_page_caption_names_the_snapshot(dash_app):
    client = dash_app.server.test_client()
    day = date.today().isoformat()
    answer = client.get(f"/export/caption?path=/mote&asof={day}&lang=sv")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    first = answer.get_json()["lines"][0]
    assert first.endswith(snapshot_words(date.today(), "sv"))
    plain = client.get("/export/caption?path=/handelser&lang=en").get_json()["lines"][0]
    assert "Snapshot" not in plain
