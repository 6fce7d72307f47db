"""`lagesbild sample-data` runs to the last complete month before today by default, deterministic for a given
`--until YYYY-MM`; `--until 2025-12` writes the committed files."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from lagesbild.cli import main
from lagesbild.samples import last_complete_month
from lagesbild.samples.story import ACTIVITIES_CSV, EST_CSV, SURVEY_CSV

REPO_SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def months(path: Path, encoding: str, delimiter: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        return sorted({row[0][:7] for row in list(csv.reader(handle, delimiter=delimiter))[1:] if row})


def run(outdir: Path, *extra: str):
    result = CliRunner().invoke(main, ["sample-data", str(outdir), *extra])
    assert result.exit_code == 0, result.output
    return result


def test_the_last_complete_month_before_today():
    assert last_complete_month(date(2026, 12, 3)) == date(2026, 11, 1)
    assert last_complete_month(date(2027, 1, 1)) == date(2026, 12, 1)


def test_by_default_the_data_runs_to_last_month(tmp_path):
    run(tmp_path)
    last = f"{last_complete_month():%Y-%m}"
    assert months(tmp_path / EST_CSV, "cp1252", ";")[-1] == last
    assert months(tmp_path / ACTIVITIES_CSV, "utf-8-sig", ",")[-1] == last


def test_until_a_month_is_deterministic_and_2025_12_is_the_committed_files(tmp_path):
    run(tmp_path / "a", "--until", "2026-03")
    run(tmp_path / "b", "--until", "2026-03")
    for path in sorted((tmp_path / "a").iterdir()):
        assert digest(path) == digest(tmp_path / "b" / path.name), path.name
    assert months(tmp_path / "a" / EST_CSV, "cp1252", ";")[-1] == "2026-03"
    run(tmp_path / "c", "--until", "2025-12")
    for path in sorted((tmp_path / "c").iterdir()):
        assert digest(path) == digest(REPO_SAMPLE_DIR / path.name), path.name


def test_an_earlier_month_ends_the_data_there(tmp_path):
    run(tmp_path, "--until", "2024-06")
    assert months(tmp_path / EST_CSV, "cp1252", ";")[-1] == "2024-06"
    with (tmp_path / SURVEY_CSV).open(encoding="utf-8") as handle:
        assert max(row[2] for row in list(csv.reader(handle))[1:]) <= "2024-06-30"


def test_a_month_that_is_no_month_or_before_the_baseline_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["sample-data", str(tmp_path), "--until", "2026-13"])
    assert result.exit_code == 2 and "not a month" in result.output
    result = CliRunner().invoke(main, ["sample-data", str(tmp_path), "--until", "2021-06"])
    assert result.exit_code == 2 and "2022" in result.output
