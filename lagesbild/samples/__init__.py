"""Deterministic sample data for Västra Södermalm from 2021, one file per source in its own format: the committed
files run to the end of 2025 (the story), `lagesbild sample-data` to the last complete month before today."""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

from lagesbild.dates import add_months, month_end
from lagesbild.samples.draw import seeded_rng
from lagesbild.samples.events import write_activities
from lagesbild.samples.incident_logs import write_est, write_est_comparison, write_police_extract
from lagesbild.samples.outreach import write_outreach
from lagesbild.samples.police_feed import police_source_events, write_police_events
from lagesbild.samples.story import (
    ACTIVITIES_CSV,
    EST_COMPARISON_CSV,
    EST_CSV,
    OUTREACH_XLSX,
    POLICE_JSON,
    POLICE_XLSX,
    STORY_END,
    SURVEY_CSV,
)
from lagesbild.samples.surveys import write_surveys

# === entry point ============================================================================================

WRITERS: dict[str, Callable[[Path, random.Random, float, date], None]] = {
    EST_CSV: write_est,
    POLICE_XLSX: write_police_extract,
    OUTREACH_XLSX: write_outreach,
    ACTIVITIES_CSV: write_activities,
    SURVEY_CSV: write_surveys,
    EST_COMPARISON_CSV: write_est_comparison,
}


def last_complete_month(today: date | None = None) -> date:
    """The first day of the last month that is over: the default end of `lagesbild sample-data`."""
    return add_months((today or date.today()).replace(day=1), -1)


def write_sample_data(outdir: Path, seed: int = 2023, scale: float = 1.0, until: date | None = None) -> list[Path]:
    """Write every sample file into outdir, with facts up to the end of `until`'s month (default: the story's end,
    2025-12, the committed files); the same seed, scale and month give byte-identical files."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    end = month_end(until) if until else STORY_END
    if end < date(2022, 12, 31):
        raise ValueError("the sample runs at least through 2022, the baseline year: --until 2022-12 or later")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    source = police_source_events()  # read first: outdir may hold the committed extract itself
    paths = [outdir / POLICE_JSON]
    write_police_events(paths[0], seeded_rng(seed, POLICE_JSON), scale, source)
    for name, writer in WRITERS.items():
        writer(outdir / name, seeded_rng(seed, name), scale, end)
        paths.append(outdir / name)
    return sorted(paths)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path, nargs="?", default=Path("sample_data"))
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    for path in write_sample_data(args.outdir, args.seed, args.scale):
        print(path)


if __name__ == "__main__":
    main()
