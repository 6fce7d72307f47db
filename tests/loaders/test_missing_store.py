"""A store that does not exist is refused by every command but init, sample-data and load (which creates it)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lagesbild.cli import main
from tests.loaders.helpers import write_csv
from tests.loaders.test_incident_log import HEADER, ROWS


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["unload", "1"], ["mapping", "list"],
                                     ["mapping", "remove", "1"]])
def test_a_missing_store_is_refused_and_not_created(tmp_path, command):
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    result = CliRunner().invoke(main, [*command, "--db", url])
    assert result.exit_code == 1 and "no store at" in result.output, result.output
    assert not (tmp_path / "typo.db").exists()


def test_load_creates_the_store_it_loads_into(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    path = write_csv(tmp_path / "est.csv", [HEADER, *ROWS])
    assert CliRunner().invoke(main, ["load", str(path), "--db", url]).exit_code == 0
    assert CliRunner().invoke(main, ["status", "--db", url]).exit_code == 0
