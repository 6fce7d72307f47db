"""Remembered column mappings: unknown columns mapped or ignored, missing ones filled, applied to the next file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lagesbild.cli import main
from loaders.load import load_file
from loaders.mappings import ColumnMapping, MappingError, forget, remember, remembered_mappings
from loaders.pipeline import ColumnsError
from loaders.registry import read_for
from tests.loaders.helpers import counts, fact_rows, write_csv
from tests.loaders.test_outreach import HEADER, ROW

LEFT_OUT = ("Team", "Timmar")  # a required column and an optional one the partner's file does not have
PARTNER_HEADER = [h if h != "Hänvisning övrigt" else "Förmedlingar" for h in HEADER if h not in LEFT_OUT] + ["Väder"]
PARTNER_ROW = [v for h, v in zip(HEADER, ROW, strict=True) if h not in LEFT_OUT] + ["sol"]


def partner_file(tmp_path, name="pass.csv", day="2023-06-01"):
    return write_csv(tmp_path / name, [PARTNER_HEADER, [day, *PARTNER_ROW[1:]]])


def test_without_a_mapping_the_file_is_refused_naming_the_columns(engine, settings, tmp_path):
    with pytest.raises(ColumnsError) as caught:
        load_file(engine, partner_file(tmp_path), settings)
    message = str(caught.value)
    assert "'Förmedlingar'" in message and "'Väder'" in message and "missing column(s): Team" in message
    assert "lagesbild mapping add" in message and counts(engine)["outreach"] == 0


def test_a_remembered_mapping_loads_this_and_the_next_file_from_the_same_sender(engine, settings, tmp_path):
    path = partner_file(tmp_path)
    source, table = read_for(path, None)
    mapping = ColumnMapping({"Förmedlingar": "Hänvisning övrigt", "Väder": "ignore"}, {"team": "Stadsmissionen"},
                            organisation="Stadsmissionen")
    kept = remember(engine, source, table.headers, mapping, username="anna")
    assert kept.id and kept.columns == {"Förmedlingar": "referrals_ovrigt", "Väder": "ignore"}
    first = load_file(engine, path, settings)
    assert first.inserted == 1 and first.mapping["id"] == kept.id
    (row,) = fact_rows(engine, "outreach")
    assert (row["team"], row["referrals_ovrigt"]) == ("Stadsmissionen", ROW[HEADER.index("Hänvisning övrigt")])
    july = partner_file(tmp_path, "juli.csv", "2023-07-01")
    second = load_file(engine, july, settings, organisation="Stadsmissionen")
    assert second.inserted == 1 and second.mapping["organisation"] == "Stadsmissionen"
    forget(engine, kept.id)
    assert remembered_mappings(engine) == []
    with pytest.raises(ColumnsError):
        load_file(engine, partner_file(tmp_path, "aug.csv", "2023-08-01"), settings)


@pytest.mark.parametrize("columns, constants, message", [
    ({"Saknas": "team"}, {}, "no column 'Saknas'"),
    ({"Förmedlingar": "vädret"}, {}, "no field 'vädret'"),
    ({"Förmedlingar": "contacts"}, {}, "column 'Antal kontakter' already is"),
    ({}, {"hours": "många"}, "constant for hours: not a number"),
    ({}, {"date": "2023-01-01"}, "comes from a column of the file"),
])
def test_a_mapping_that_cannot_be_used_says_why(engine, tmp_path, columns, constants, message):
    source, table = read_for(partner_file(tmp_path), None)
    with pytest.raises(MappingError, match=message):
        remember(engine, source, table.headers, ColumnMapping(columns, constants))
    assert remembered_mappings(engine) == []


def test_cli_mapping_add_list_remove_and_load(store_url, engine, tmp_path):
    path = partner_file(tmp_path)
    run = CliRunner().invoke
    assert run(main, ["init", "--db", store_url]).exit_code == 0
    added = run(main, ["mapping", "add", str(path), "--column", "Förmedlingar=referrals_ovrigt", "--column",
                       "Väder=ignore", "--constant", "Team=Fältassistenterna", "--db", store_url])
    assert added.exit_code == 0 and "Mapping #1 remembered" in added.output, added.output
    listed = run(main, ["mapping", "list", "--db", store_url])
    assert "'Förmedlingar' -> referrals_ovrigt" in listed.output and "team = 'Fältassistenterna'" in listed.output
    loaded = run(main, ["load", str(path), "--db", store_url])
    assert loaded.exit_code == 0 and "using the remembered column mapping #1" in loaded.output, loaded.output
    assert run(main, ["mapping", "remove", "1", "--db", store_url]).exit_code == 0
    assert run(main, ["mapping", "remove", "1", "--db", store_url]).exit_code == 1
    bad = run(main, ["mapping", "add", str(path), "--column", "Förmedlingar", "--db", store_url])
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output


def test_a_file_whose_columns_say_too_little_is_told_by_its_remembered_mapping(engine, settings, tmp_path):
    header = ["Passdag" if h == "Datum" else h for h in PARTNER_HEADER]
    path = write_csv(tmp_path / "pass.csv", [header, ["2023-06-01", *PARTNER_ROW[1:]]])
    with pytest.raises(ValueError):
        load_file(engine, path, settings)
    source, table = read_for(path, "outreach")
    remember(engine, source, table.headers, ColumnMapping(
        {"Passdag": "date", "Förmedlingar": "referrals_ovrigt", "Väder": "ignore"}, {"team": "Stadsmissionen"}))
    report = load_file(engine, path, settings)
    assert (report.kind, report.inserted) == ("outreach", 1)
