"""Tests for lagesbild.config: one reader for every file, every problem at once, changes picked up without a restart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lagesbild.config import CONFIG_DIR, ConfigError, ConfigFiles, load_config, read_config
from lagesbild.settings import load_settings

FILES = ("area.yaml", "places.geojson", "vocabulary.yaml", "indicators.yaml")


@pytest.fixture
def config_dir(tmp_path) -> Path:
    """A copy of the bundled configuration to edit."""
    for name in FILES:
        shutil.copy(CONFIG_DIR / name, tmp_path / name)
    return tmp_path


def settings_for(directory: Path):
    return load_settings({"LAGESBILD_AREA": str(directory / "area.yaml"),
                          "LAGESBILD_PLACES": str(directory / "places.geojson"),
                          "LAGESBILD_VOCABULARY": str(directory / "vocabulary.yaml"),
                          "LAGESBILD_INDICATORS": str(directory / "indicators.yaml")})


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 1_000_000_000  # a second later, whatever the file system's resolution
    os.utime(path, ns=(stamp, stamp))


def test_the_bundled_configuration_is_valid_and_typed():
    config = load_config(load_settings({}))
    assert (config.area.name, config.area.goal.date, config.area.baseline_year) == (
        "Västra Södermalm", date(2025, 1, 1), 2022)
    assert config.area.small_counts.minimum == 5 and config.area.small_counts.roles == {"partner"}
    assert config.places.unspecified.id == "vastra-sodermalm-ej-specificerad"
    assert config.vocabulary.labels("incidents", "en")["sprutfynd"] == "Syringe find"
    assert config.indicators.indicators[0].id == "narkotika_rapporter"


def test_every_problem_of_every_file_is_reported_at_once_with_file_and_key(config_dir):
    edit(config_dir / "area.yaml", "baseline_year: 2022", "baseline_year: tjugotjugotvå")
    edit(config_dir / "vocabulary.yaml", "  ovrigt:\n    labels: {sv: Övrigt, en: Other}\n    from: []\n\n"
         "# Police", "# Police")  # incidents lose their 'ovrigt'
    places = json.loads((config_dir / "places.geojson").read_text(encoding="utf-8"))
    places["features"][0]["properties"]["id"] = "Inte En Slug"
    places["features"][1]["properties"]["sort_order"] = "först"
    (config_dir / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    edit(config_dir / "indicators.yaml", "direction: lower", "direction: nedåt")
    with pytest.raises(ConfigError) as error:
        read_config(ConfigFiles.of(settings_for(config_dir)))
    found = {(problem.file, str(problem).split(":")[0]) for problem in error.value.problems}
    assert ("area.yaml", "baseline_year") in found
    assert ("vocabulary.yaml", "incidents") in found
    assert ("places.geojson", "feature 0.id") in found
    assert any(file == "places.geojson" and key.endswith(".sort_order") for file, key in found)
    assert any(file == "indicators.yaml" and key.endswith("(narkotika_rapporter).direction") for file, key in found)
    message = str(error.value)
    assert all(name in message for name in FILES)


def test_an_unreadable_file_names_itself(config_dir):
    (config_dir / "indicators.yaml").write_text("indicators: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"indicators\.yaml: 1 problem"):
        read_config(ConfigFiles.of(settings_for(config_dir)))


def test_a_changed_file_is_read_again_without_a_restart(config_dir):
    settings = settings_for(config_dir)
    first = load_config(settings)
    assert load_config(settings) is first  # unchanged files: not read again
    edit(config_dir / "indicators.yaml", "target: {change: -0.40}", "target: {change: -0.50}")
    changed = load_config(settings)
    assert changed is not first
    assert changed.indicators.indicators[0].target_change == -0.50


def test_a_broken_edit_keeps_the_last_good_configuration_and_logs_it(config_dir, caplog):
    settings = settings_for(config_dir)
    good = load_config(settings)
    edit(config_dir / "area.yaml", "date: 2025-01-01", "date: snart")
    assert load_config(settings) is good
    assert "goal.date" in caplog.text
    edit(config_dir / "area.yaml", "date: snart", "date: 2026-01-01")
    assert load_config(settings).area.goal.date == date(2026, 1, 1)


def test_a_broken_configuration_at_start_is_an_error(config_dir):
    edit(config_dir / "area.yaml", "area_name: Västra Södermalm", "area_name: ''")
    with pytest.raises(ConfigError, match="area_name: missing"):
        load_config(settings_for(config_dir))


def test_config_check_names_the_problems_and_exits_1(config_dir):
    command = [sys.executable, "-m", "lagesbild", "config", "check"]
    env = {**os.environ, "LAGESBILD_AREA": str(config_dir / "area.yaml"),
           "LAGESBILD_INDICATORS": str(config_dir / "indicators.yaml")}
    ok = subprocess.run(command, env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "All files are valid." in ok.stdout
    edit(config_dir / "area.yaml", "minimum: 5", "minimum: 1")
    edit(config_dir / "indicators.yaml", "kind: incidents", "kind: brott")
    bad = subprocess.run(command, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "area.yaml: 1 problem(s)" in bad.stderr and "small_counts.minimum" in bad.stderr
    assert "indicators.yaml" in bad.stderr and "(narkotika_rapporter).kind" in bad.stderr


# ---- the evaluation of measures: comparison areas and buffers ----

def test_the_bundled_evaluation_names_a_comparison_area_outside_and_a_buffer_per_target():
    config = load_config(load_settings({}))
    evaluation = config.area.evaluation
    assert evaluation.comparison_area().id == "ostra-sodermalm"
    assert [p.id for p in config.places.in_area("ostra-sodermalm")] == ["bjorns-tradgard", "nytorget"]
    assert evaluation.buffers["tantolunden"] == ("hornstull", "zinkensdamm")
    assert all(config.places.get(p).is_own for ps in evaluation.buffers.values() for p in ps)
    assert (evaluation.windows, evaluation.window) == ((3, 6, 9, 12), 6)
    assert "bjorns-tradgard" not in {p.id for p in config.places.own()}


@pytest.mark.parametrize(("old", "new", "file", "expected"), [
    ("tantolunden: [hornstull, zinkensdamm]", "tantolunden: [hornstull, bjorns-tradgard]", "area.yaml",
     "evaluation.buffers.tantolunden: 'bjorns-tradgard' is not a place of the area or of zone buffer"),
    ("tantolunden: [hornstull, zinkensdamm]", "tantolunden: [hornstull, tantolunden]", "area.yaml",
     "evaluation.buffers.tantolunden: 'tantolunden' is not a place"),
    ("    tantolunden: [hornstull", "    bjorns-tradgard: [hornstull", "area.yaml",
     "evaluation.buffers.bjorns-tradgard: the target must be one of the area's own places"),
    ("  comparison: ostra-sodermalm", "  comparison: norra", "area.yaml",
     "evaluation.comparison: must be one of the comparison_areas' ids; got 'norra'"),
    ("windows: [3, 6, 9, 12]", "windows: [1, 6]", "area.yaml", "evaluation.windows: must be a list of window"),
    ('"area": "ostra-sodermalm",\n    "aliases": [\n     "Nytorgsparken"',
     '"area": "sodra",\n    "aliases": [\n     "Nytorgsparken"', "area.yaml",
     "evaluation.comparison_areas: the place 'nytorget' names the comparison area 'sodra'"),
    ('"zone": "comparison",\n    "area": "ostra-sodermalm",\n    "aliases": [\n     "Nytorgsparken"',
     '"zone": "jamforelse",\n    "area": "ostra-sodermalm",\n    "aliases": [\n     "Nytorgsparken"',
     "places.geojson", ".zone: must be one of area, buffer, comparison; got 'jamforelse'"),
])
def test_a_broken_evaluation_is_named_with_its_file_and_key(config_dir, old, new, file, expected):
    target = config_dir / ("places.geojson" if '"' in old else "area.yaml")
    edit(target, old, new)
    with pytest.raises(ConfigError) as error:
        read_config(ConfigFiles.of(settings_for(config_dir)))
    assert any(p.file == file and expected in str(p) for p in error.value.problems), error.value.problems
