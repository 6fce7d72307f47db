"""The demo store: the bundled sample data loaded once into a SQLite file under var/."""

from __future__ import annotations

from pathlib import Path

from lagesbild.samples.records import RECORDS_XLSX, load_sample_records
from lagesbild.settings import Settings, load_settings, sqlite_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "sample_data"
DEMO_DB = PROJECT_ROOT / "var" / "demo.sqlite"
SAMPLE_SUFFIXES = (".csv", ".xlsx", ".json")


def sample_files(directory: Path = SAMPLE_DIR) -> list[Path]:
    """The loaders' sample files: the records' register (lagesbild.records) is loaded by its own function."""
    return sorted(p for p in directory.iterdir() if p.suffix in SAMPLE_SUFFIXES and p.name != RECORDS_XLSX)


def build_demo_store(db_url: str | None = None, sample_dir: Path = SAMPLE_DIR) -> Settings:
    """Load every sample file of `sample_dir` (default: the committed files, which end with 2025); a file already
    loaded is recognised by its checksum and left alone."""
    from lagesbild.store.db import cached_engine, upgrade
    from loaders.load import load_file, make_context

    if db_url is None:
        DEMO_DB.parent.mkdir(exist_ok=True)
    settings = load_settings().with_db(db_url or sqlite_url(DEMO_DB))
    upgrade(settings.db_url)
    engine, ctx = cached_engine(settings.db_url), make_context(settings)
    for path in sample_files(sample_dir):
        load_file(engine, path, settings, ctx=ctx)
    load_sample_records(engine, SAMPLE_DIR / RECORDS_XLSX)
    return settings


def living_demo_store() -> Settings:
    """The demo of `lagesbild demo`: sample data written up to the last complete month before today (once per
    month, under var/), so the project looks alive and its sources fresh; its own store per month."""
    from lagesbild.filters import month_key
    from lagesbild.samples import last_complete_month, write_sample_data

    until = last_complete_month()
    directory = PROJECT_ROOT / "var" / f"sample-{month_key(until)}"
    if not directory.is_dir() or not sample_files(directory):
        write_sample_data(directory, until=until)
    return build_demo_store(sqlite_url(PROJECT_ROOT / "var" / f"demo-{month_key(until)}.sqlite"), directory)
