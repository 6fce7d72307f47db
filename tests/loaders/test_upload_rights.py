"""Who may load and undo what: stewards everything, a partner its named sources and its own loads, all audited."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lagesbild.accounts import (
    AccountError,
    UploadRefused,
    add_user,
    list_users,
    recent_audit,
    set_upload_rights,
    uploader,
)
from lagesbild.cli import main
from lagesbild.store.schema import loads
from loaders.load import load_file, preview_file
from loaders.undo import undo_load
from tests.loaders.helpers import counts, write_csv
from tests.loaders.test_incident_log import HEADER as INCIDENT_HEADER
from tests.loaders.test_incident_log import ROWS as INCIDENT_ROWS
from tests.loaders.test_outreach import HEADER as OUTREACH_HEADER
from tests.loaders.test_outreach import ROW as OUTREACH_ROW

PASSWORD = "kvarnhjul blåbär granit tulpan"


def outreach(tmp_path, name="pass.csv"):
    return write_csv(tmp_path / name, [OUTREACH_HEADER, OUTREACH_ROW])


def incidents(tmp_path, name="logg.csv"):
    return write_csv(tmp_path / name, [INCIDENT_HEADER, *INCIDENT_ROWS])


@pytest.fixture
def partner(engine):
    add_user(engine, "ngo", PASSWORD, "partner")
    set_upload_rights(engine, "ngo", "Stadsmissionen", ["outreach-shifts"])
    return uploader(engine, "ngo")


def test_a_partner_loads_its_named_source_tagged_with_its_organisation(engine, settings, tmp_path, partner):
    report = load_file(engine, outreach(tmp_path), settings, username="ngo", organisation="Polisen",
                       uploader=partner)
    with engine.connect() as conn:
        row = conn.execute(select(loads).where(loads.c.id == report.load_id)).mappings().one()
    assert (row["organisation"], row["loaded_by"]) == ("Stadsmissionen", "ngo")  # its own, whatever it says


def test_a_partner_is_refused_another_source_and_the_refusal_audited(engine, settings, tmp_path, partner):
    before = counts(engine)
    for call in (preview_file, load_file):
        with pytest.raises(UploadRefused, match="outreach-shifts only, not incident-log"):
            call(engine, incidents(tmp_path), settings, uploader=partner)
    assert counts(engine) == before
    refused = [a for a in recent_audit(engine) if a["action"] == "load_refused"]
    assert len(refused) == 2 and refused[0]["username"] == "ngo" and "logg.csv" in refused[0]["detail"]


def test_a_partner_undoes_only_its_own_loads(engine, settings, tmp_path, partner):
    add_user(engine, "park", PASSWORD, "partner")
    set_upload_rights(engine, "park", "Parkavdelningen", ["outreach-shifts"])
    own = load_file(engine, outreach(tmp_path), settings, username="ngo", uploader=partner)
    with pytest.raises(UploadRefused, match="not a load of Parkavdelningen"):
        undo_load(engine, own.load_id, "park", uploader=uploader(engine, "park"))
    assert any(a["action"] == "unload_refused" and a["username"] == "park" for a in recent_audit(engine))
    done = undo_load(engine, own.load_id, "ngo", uploader=partner)
    assert done.deleted == 1


def test_a_steward_loads_and_undoes_anything(engine, settings, tmp_path, partner):
    add_user(engine, "steward", PASSWORD, "dataansvarig")
    steward = uploader(engine, "steward")
    theirs = load_file(engine, outreach(tmp_path), settings, username="ngo", uploader=partner)
    mine = load_file(engine, incidents(tmp_path), settings, username="steward", organisation="Polisen",
                     uploader=steward)
    assert mine.organisation == "Polisen"  # a steward names the sender
    for load_id in (theirs.load_id, mine.load_id):
        undo_load(engine, load_id, "steward", uploader=steward)


@pytest.mark.parametrize("role", ["styrgrupp", "partner"])
def test_roles_without_rights_may_not_load(engine, settings, tmp_path, role):
    add_user(engine, "someone", PASSWORD, role)
    with pytest.raises(UploadRefused, match="may not load files"):
        preview_file(engine, outreach(tmp_path), settings, uploader=uploader(engine, "someone"))


def test_rights_need_an_organisation_and_real_source_names(engine):
    add_user(engine, "ngo", PASSWORD, "partner")
    with pytest.raises(AccountError, match="need an organisation"):
        set_upload_rights(engine, "ngo", "", ["outreach-shifts"])
    with pytest.raises(AccountError, match="not a source name"):
        set_upload_rights(engine, "ngo", "X", ["Outreach shifts!"])


def test_the_cli_sets_rights_and_roles(store_url, engine):
    runner = CliRunner()
    assert runner.invoke(main, ["user", "add", "anna", "--role", "dataansvarig", "--password-stdin", "--db",
                                store_url], input=PASSWORD + "\n").exit_code == 0
    result = runner.invoke(main, ["user", "rights", "anna", "--organisation", "Stadsmissionen", "--source",
                                  "outreach-shifts", "--db", store_url])
    assert result.exit_code == 0, result.output
    row = next(u for u in list_users(engine) if u["username"] == "anna")
    assert (row["role"], row["organisation"], row["upload_sources"]) == ("dataansvarig", "Stadsmissionen",
                                                                         ["outreach-shifts"])
    assert runner.invoke(main, ["user", "unlock", "anna", "--db", store_url]).exit_code == 0
    actions = [a["action"] for a in recent_audit(engine)]
    assert {"user_added", "user_rights", "user_unlocked"} <= set(actions)
