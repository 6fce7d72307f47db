"""Two processes loading the same file at the same moment: exactly one load, nothing duplicated."""

from __future__ import annotations

import subprocess
import sys

from tests.loaders.helpers import counts, write_csv
from tests.loaders.test_incident_log import HEADER


def test_two_processes_load_one_file_once(store_url, engine, tmp_path):
    rows = [[f"2023-{m:02d}-{d:02d}", "21:14", "Tantolunden", None, None, "Sprutfynd", "Parkförvaltningen", "",
             f"fynd {m}-{d}"] for m in range(1, 13) for d in range(1, 29)]
    path = write_csv(tmp_path / "est.csv", [HEADER, *rows])
    command = [sys.executable, "-m", "lagesbild", "load", str(path), "--db", store_url]
    first, second = (subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2))
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    stdout = "".join(out for out, _ in outputs)
    assert stdout.count("inserted 336") == 1 and stdout.count("already loaded") == 1, stdout
    assert counts(engine)["loads"] == 1 and counts(engine)["incidents"] == len(rows)
