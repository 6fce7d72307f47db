"""The deliberately broken files: each is refused through the CLI with a message that names what to fix."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lagesbild.cli import main
from tests.conftest import DATA_DIR
from tests.loaders.helpers import counts

BROKEN = DATA_DIR / "broken"
CASES = [
    ("est_bad_dates.csv", ["est_bad_dates.csv", "row 3", "'Datum'", "2023-05-32", "row 4", "'Tid'", "kväll",
                           "nothing was loaded"]),
    ("outreach_missing_team.csv", ["outreach_missing_team.csv", "missing column(s): Team", "Expected columns"]),
    ("outreach_with_names.csv", ["outreach_with_names.csv", "'Namn'", "aggregates only"]),
    ("polisen_truncated.json", ["polisen_truncated.json", "not valid JSON"]),
    ("nul_bytes.csv", ["nul_bytes.csv", "NUL bytes"]),
]


@pytest.mark.parametrize("name, expected", CASES)
def test_broken_file_is_refused_and_nothing_is_written(store_url, engine, name, expected):
    before = counts(engine)
    result = CliRunner().invoke(main, ["load", str(BROKEN / name), "--db", store_url])
    assert result.exit_code == 1, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert counts(engine) == before


def test_a_csv_named_xlsx_is_read_by_its_content(store_url, engine):
    result = CliRunner().invoke(main, ["load", str(BROKEN / "survey_wrong_extension.xlsx"), "--db", store_url])
    assert result.exit_code == 0 and "surveys (survey-results" in result.output


def test_an_identity_number_in_any_text_column_is_redacted(engine, settings, tmp_path):
    from loaders.load import load_file
    from tests.loaders.helpers import fact_rows, write_csv
    from tests.loaders.test_outreach import HEADER, ROW

    row = list(ROW)
    row[3] = "Team 850312-1234"  # not a free-text column, still never stored
    report = load_file(engine, write_csv(tmp_path / "pass.csv", [HEADER, row]), settings)
    assert report.counts["redacted"] == 1
    assert "850312" not in str(fact_rows(engine, "outreach"))
