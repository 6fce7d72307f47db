"""The one schema: every table is sound, migrations build it, and an upgrade keeps the data."""

from __future__ import annotations

from sqlalchemy import inspect

from lagesbild.store.db import current_revision, make_engine, upgrade
from lagesbild.store.schema import FACT_TABLES, metadata

SHARED_FACT_COLUMNS = {"natural_key", "row_hash", "source", "place_id", "date", "month", "category",
                       "source_category", "load_id", "updated_load_id"}


def test_every_table_has_a_primary_key_and_every_fact_table_the_shared_columns():
    for table in metadata.tables.values():
        assert table.primary_key.columns, table.name
    for table in FACT_TABLES.values():
        assert set(table.c.keys()) >= SHARED_FACT_COLUMNS, table.name
        assert table.c.natural_key.unique


def test_migrations_build_exactly_the_declared_schema(engine):
    inspector = inspect(engine)
    for table in metadata.tables.values():
        assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.c.keys()), table.name
    assert current_revision(engine) is not None


def test_migrations_build_exactly_the_declared_indexes(engine):
    inspector = inspect(engine)
    for table in metadata.tables.values():
        built = {(i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table.name)
                 if i["name"].startswith("ix_")}
        declared = {(i.name, tuple(c.name for c in i.columns)) for i in table.indexes}
        assert built == declared, table.name


def test_upgrade_of_a_store_with_data_keeps_it(store_url, engine, settings, tmp_path):
    from alembic import command
    from alembic.script import ScriptDirectory

    from lagesbild.store.db import alembic_config
    from loaders.load import load_file
    from tests.loaders.helpers import counts, fact_rows, write_csv
    from tests.loaders.test_incident_log import HEADER, ROWS

    command.downgrade(alembic_config(store_url), "0001")  # a store made by the first release
    load_file(engine, write_csv(tmp_path / "a.csv", [HEADER, *ROWS]), settings)
    before = (counts(engine), fact_rows(engine, "incidents"))
    engine.dispose()
    upgrade(store_url)  # `lagesbild init` on an existing store: 0002 rebuilds `loads` on SQLite, data copied
    again = make_engine(store_url)
    assert current_revision(again) == ScriptDirectory.from_config(alembic_config(store_url)).get_current_head()
    assert (counts(again), fact_rows(again, "incidents")) == before
    constraints = {c["name"] for c in inspect(again).get_unique_constraints("loads")}
    assert "uq_loads_kind_sha256" in constraints
