"""The deck of a snapshot does not move when a load comes after it; today's deck does (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
from datetime import datetime

from lagesbild.config import load_config
from lagesbild.config.meeting import read_agenda
from lagesbild.disclosure import Viewer
from lagesbild.reads import Reads
from lagesbild.records.access import Actor
from lagesbild.report.deck import build_deck
from loaders.load import load_file
from tests.loaders.helpers import write_csv
from tests.loaders.test_incident_log import HEADER

DRUG = "Misstänkt narkotikaförsäljning"


def rows(day: str, count: int) -> list[list]:
    return [[day, f"2{i % 4}:{10 + i:02d}", "Tantolunden", None, None, DRUG, "Parkförvaltningen", "Hög",
             f"Försäljning {day} nr {i}"] for i in range(count)]


def figures(reads: Reads, settings, moment) -> dict[str, str]:
    deck = build_deck(reads, load_config(settings), read_agenda(), Actor("test", "styrgrupp"), moment, charts=False)
    kpis = next(slide for slide in deck.slides if slide.key == "indicators").kpis
    return {row.id: row.value.text for row in kpis}


def test_a_load_after_the_snapshot_leaves_its_figures_alone(engine, settings, tmp_path):
    load_file(engine, write_csv(tmp_path / "maj.csv", [HEADER, *rows("2024-05-10", 3)]), settings)
    time.sleep(0.01)
    then = datetime.now()
    time.sleep(0.01)
    reads = Reads(engine, Viewer.unrestricted("test"))
    before = figures(reads, settings, then)
    assert before["narkotika_rapporter"] == "3"
    load_file(engine, write_csv(tmp_path / "maj-mer.csv", [HEADER, *rows("2024-05-20", 4)]), settings)
    assert figures(reads, settings, then) == before  # the snapshot: unchanged
    assert figures(reads, settings, datetime.now())["narkotika_rapporter"] == "7"  # today's view: changed
