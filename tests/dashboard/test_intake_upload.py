"""The upload route of "Läs in filer" against a real server: CSRF, origin, role, size, type and file names are
checked before a byte is kept, each refusal says why, and the templates load the first time."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lagesbild.accounts import recent_audit
from tests.dashboard.intake_server import MAX_UPLOAD_MB, start, stop

pytestmark = pytest.mark.slow
CSV = "Datum;Titel;Kategori\n2024-05-01;Städdag;städdag\n".encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    found, process = start(tmp_path_factory.mktemp("intake"))
    yield found
    output = stop(process)
    assert "Traceback" not in output, output


def staged_files(server) -> list[str]:
    return sorted(p.name for p in server.upload_dir.rglob("*") if p.is_file() and p.name != "owner.json") \
        if server.upload_dir.exists() else []


def test_a_steward_stages_a_file_under_its_own_name(server):
    http = server.session("steward")
    answer = server.upload(http, "aktiviteter maj.csv", CSV)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["name"] == "aktiviteter maj.csv" and body["size"] == len(CSV) and len(body["id"]) >= 16
    assert "aktiviteter maj.csv" in staged_files(server)


def test_an_upload_without_the_csrf_token_is_refused_and_audited(server):
    http = server.session("steward")
    answer = http.post(f"{server.base}/intake/upload", files={"file": ("a.csv", CSV)})
    assert answer.status_code == 400 and "token" in answer.json()["error"]
    assert recent_audit(server.engine())[0]["action"] == "upload_refused"


def test_a_cross_origin_upload_is_refused(server):
    http = server.session("steward")
    answer = server.upload(http, "a.csv", CSV, headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403


@pytest.mark.parametrize("name", ["board", "plain"])  # styrgrupp sees everything but loads nothing; a bare partner
def test_a_role_without_rights_is_refused_and_audited(server, name):
    http = server.session(name)
    before = staged_files(server)
    answer = server.upload(http, "a.csv", CSV)
    assert answer.status_code == 403 and "får inte" in answer.json()["error"]
    assert staged_files(server) == before
    last = recent_audit(server.engine())[0]
    assert (last["action"], last["username"]) == ("upload_refused", name)


def test_a_file_over_the_limit_is_refused_with_the_limit_named(server):
    http = server.session("steward")
    before = staged_files(server)
    answer = server.upload(http, "stor.csv", b"x" * (MAX_UPLOAD_MB * 2**20 + 1000))
    assert answer.status_code == 413 and f"{MAX_UPLOAD_MB} MB" in answer.json()["error"]
    far_beyond = server.upload(http, "större.csv", b"x" * (MAX_UPLOAD_MB * 2**20 + 200_000))
    assert far_beyond.status_code == 413  # refused by the server before the app, unread
    assert staged_files(server) == before
    assert server.session("steward").get(f"{server.base}/data").status_code == 200  # the server is still up


@pytest.mark.parametrize("name", ["program.exe", "rapport.csv.sh", "noextension"])
def test_a_file_of_another_type_is_refused(server, name):
    answer = server.upload(server.session("steward"), name, CSV)
    assert answer.status_code == 400 and ".xlsx" in answer.json()["error"]


@pytest.mark.parametrize("name, kept", [("../../etc/x.csv", "x.csv"), ("..\\..\\win.csv", "win.csv"),
                                        ("a\x00b.csv", "a_b.csv"), ("<img src=x onerror=alert(1)>.csv",
                                                                    "_img src=x onerror=alert(1)_.csv")])
def test_path_tricks_in_file_names_stay_in_the_upload_folder(server, name, kept):
    answer = server.upload(server.session("steward"), name, CSV)
    assert answer.status_code == 200 and answer.json()["name"] == kept
    assert all(p.resolve().is_relative_to(server.upload_dir.resolve()) for p in server.upload_dir.rglob("*"))


def test_a_partner_with_rights_may_upload(server):
    assert server.upload(server.session("ngo"), "pass.csv", CSV).status_code == 200


@pytest.mark.parametrize("kind", ["incidents", "outreach", "events", "surveys"])
def test_templates_have_the_headers_lists_and_validation(server, kind):
    answer = server.session("board").get(f"{server.base}/intake/template/{kind}.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    data, lists = book["Data"], book["Tillåtna värden"]
    assert data.cell(1, 1).value == "Datum" or kind == "surveys"
    assert lists.cell(1, 2).value == "Plats" and lists.cell(2, 2).value
    assert len(data.data_validations.dataValidation) >= (1 if kind == "surveys" else 2)
