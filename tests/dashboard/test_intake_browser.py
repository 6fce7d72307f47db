"""The intake in Chromium, as its users walk it: a steward uploads two files, sees the numbers the CLI's dry run
gives, loads, undoes, and the store is as before; a partner loads its own source, is refused another, and undoes
only its own load."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lagesbild.store.schema import VERSION_TABLES
from tests.dashboard.intake_server import PASSWORD, loads_in_effect, start, stop, whole_store
from tests.loaders.helpers import write_csv, write_xlsx
from tests.loaders.test_events_surveys import EVENT_HEADER
from tests.loaders.test_outreach import HEADER as OUTREACH_HEADER
from tests.loaders.test_outreach import ROW as OUTREACH_ROW
from tests.loaders.test_police_feed import _event

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNTED = ("read", "inserted", "updated", "duplicate", "outside", "rejected")
VERSIONS = {table.name for table in VERSION_TABLES.values()}
# written by design by every login, load and undo (an undo keeps what it took out in the versions tables, and the
# undone load's row with status 'undone'): every other table must be as it was
SKIPPED = {"audit_log", "loads", "users", *VERSIONS}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    found, process = start(tmp_path_factory.mktemp("intake-browser"))
    first = tmp_path_factory.mktemp("first") / "polisen_v1.json"
    first.write_text(json.dumps([_event(1, "Man gripen i Tantolunden.", "2023-06-10 17:06:29 +02:00")]))
    cli("load", str(first), "--db", found.db_url)
    yield found
    output = stop(process)
    assert "Traceback" not in output, output


@pytest.fixture
def files(tmp_path):
    feed = tmp_path / "polisen_v2.json"
    feed.write_text(json.dumps([
        _event(1, "Man gripen för narkotikabrott i Tantolunden.", "2023-06-10 18:00:00 +02:00"),  # updates
        _event(2, "Bråk vid Hornstull.", "2023-06-10 18:30:00 +02:00", "Bråk"),  # new
    ]))
    night = ["2023-06-02", "22:00", "02:00", "Stadsmissionen", "", "Mötesplats", 5, 0, 0, 0, 0, 0, 0, 0, None,
             "Möte med 19850312-1234 om boende"]
    outreach = write_xlsx(tmp_path / "uppsokande_juni.xlsx", [OUTREACH_HEADER, OUTREACH_ROW, night])
    events = write_csv(tmp_path / "aktiviteter.csv", [EVENT_HEADER, ["2023-06-17", "12:00", "16:00",
                                                                     "Drakenbergsparken", "Familjedag", "Kultur",
                                                                     "Föreningen Tanto", "230", "", "", ""]])
    return {"feed": feed, "outreach": outreach, "events": events}


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "lagesbild", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def dry_run(server, *paths) -> list[dict]:
    """What `lagesbild load --dry-run --json` reports for the files, as the preview counts them."""
    from dashboard.intake import counts_of

    reports = json.loads(cli("load", "--dry-run", "--json", *map(str, paths), "--db", server.db_url))
    return [{key: counts_of(r)[key] for key in COUNTED} for r in reports]


@pytest.fixture
def browser_page(chromium, server):
    context = chromium.new_context(viewport={"width": 1600, "height": 1200}, locale="sv-SE")
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def log_in(page, server, username: str) -> None:
    page.goto(server.base + "/data", wait_until="networkidle")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#intake-upload")


def upload(page, *paths) -> None:
    page.set_input_files("#intake-upload input[type=file]", [str(p) for p in paths])
    page.wait_for_selector(f"#intake-file-{len(paths) - 1}", timeout=60_000)
    page.wait_for_load_state("networkidle")


def shown_counts(page, index: int) -> dict[str, int]:
    return {key: int("".join(ch for ch in page.inner_text(f"#intake-{index}-{key}") if ch.isdigit()))
            for key in COUNTED}


def load(page, *names: str) -> None:
    """Load what the preview holds, and wait for the history drawn again with the new loads (named by file)."""
    rows = page.locator("#data-history-body tr").count()
    page.click("#intake-load")
    page.wait_for_selector("#intake-loaded-summary", timeout=60_000)
    page.locator("#data-history-body tr").nth(rows).wait_for(timeout=30_000)  # a row more than before
    for name in names:
        page.wait_for_selector(f"#data-history-body:has-text('{name}')")
    page.wait_for_load_state("networkidle")


def undo(page, load_id: int) -> None:
    page.click(f"""[id='{{"load":{load_id},"type":"intake-undo"}}']""")
    page.click("#intake-undo-confirm")
    page.wait_for_selector("#intake-undone", timeout=30_000)
    page.wait_for_selector("#data-history-body:has-text('ångrad')")
    page.wait_for_load_state("networkidle")


def test_a_steward_previews_as_the_cli_loads_and_undoes_to_the_store_before(browser_page, server, files):
    page, engine = browser_page, server.engine()
    before, in_effect = whole_store(engine, SKIPPED), loads_in_effect(engine)
    expected = dry_run(server, files["feed"], files["outreach"])
    log_in(page, server, "steward")
    upload(page, files["feed"], files["outreach"])
    assert [shown_counts(page, 0), shown_counts(page, 1)] == expected
    assert expected[0]["updated"] == 1 and expected[1]["inserted"] == 2  # the feed changes a row of the first load
    assert "19850312-1234" not in page.inner_text("#intake-preview")
    load(page, "polisen_v2.json", "uppsokande_juni.xlsx")
    history = page.inner_text("#data-history-body")
    assert "polisen_v2.json" in history and "uppsokande_juni.xlsx" in history
    assert whole_store(engine, SKIPPED) != before
    new = [row.id for row in loads_in_effect(engine) if row not in in_effect]
    assert len(new) == 2
    for load_id in sorted(new, reverse=True):
        undo(page, load_id)
    assert whole_store(engine, SKIPPED) == before  # every other table as it was
    assert loads_in_effect(engine) == in_effect
    kept = {p.name for p in server.upload_dir.rglob("*")}
    assert not kept & {"polisen_v2.json", "uppsokande_juni.xlsx"}  # the uploaded bytes went with the load
    assert page.errors == []


def test_a_partner_loads_its_own_source_is_refused_another_and_undoes_only_its_own(browser_page, server, files):
    page, engine = browser_page, server.engine()
    in_effect = loads_in_effect(engine)
    log_in(page, server, "ngo")
    upload(page, files["outreach"], files["events"])
    assert page.inner_text("#intake-0-state") == "klar att läsa in"
    assert page.inner_text("#intake-1-state") == "inte tillåten"
    assert "event-log" in page.inner_text("#intake-file-1")
    load(page, "Stadsmissionen")
    own = [row.id for row in loads_in_effect(engine) if row not in in_effect]
    assert len(own) == 1
    history = page.inner_text("#data-history-body")
    assert "Stadsmissionen" in history and "ngo (" not in history  # its organisation, not a staff account's name
    assert page.locator("button[id*='intake-undo']").count() == 1  # the steward's earlier loads are not its to undo
    undo(page, own[0])
    assert loads_in_effect(engine) == in_effect
    assert page.errors == []


def choose(page, dropdown: str, option: str) -> None:
    page.click(f"#{dropdown}")
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_an_admin_adds_a_partner_with_upload_rights_who_then_uploads(chromium, browser_page, server, files):
    from lagesbild.accounts import list_users, recent_audit

    page, engine = browser_page, server.engine()
    log_in(page, server, "boss")
    page.fill("#accounts-new-name", "grannar")
    page.fill("#accounts-new-password", PASSWORD)
    page.fill("#accounts-new-organisation", "Föreningen Tanto")
    choose(page, "accounts-new-sources", "event-log")
    page.click("#accounts-add")
    page.wait_for_selector("#accounts-done")
    added = next(u for u in list_users(engine) if u["username"] == "grannar")
    assert (added["role"], added["organisation"], added["upload_sources"]) == ("partner", "Föreningen Tanto",
                                                                               ["event-log"])
    assert "grannar" in page.inner_text("#accounts-users")
    changes = [a for a in recent_audit(engine) if a["action"] in {"user_added", "user_rights"}][:2]
    assert {a["username"] for a in changes} == {"boss"}  # audited under the admin's name
    partner = chromium.new_context(viewport={"width": 1600, "height": 1200}, locale="sv-SE").new_page()
    log_in(partner, server, "grannar")
    upload(partner, files["events"])
    assert partner.inner_text("#intake-0-state") == "klar att läsa in"
    load(partner, "Föreningen Tanto")
    assert page.errors == []


def test_an_unknown_column_is_mapped_in_the_preview_and_remembered_for_the_cli(browser_page, server, tmp_path):
    header = ["Förmedlingar" if h == "Hänvisning övrigt" else h for h in OUTREACH_HEADER]
    row = [*OUTREACH_ROW[:13], 2, *OUTREACH_ROW[14:]]
    june = write_csv(tmp_path / "stadsmissionen_juni.csv", [header, row])
    page = browser_page
    log_in(page, server, "steward")
    page.fill("#intake-organisation", "Stadsmissionen")
    upload(page, june)
    assert page.inner_text("#intake-0-state") == "kolumner att mappa"
    assert "Förmedlingar" in page.inner_text("#intake-file-0")
    mapping = page.locator("""#intake-file-0 [id*='"type":"intake-map"']""").first
    mapping.click()
    page.keyboard.type("referrals_ovrigt")
    page.keyboard.press("Enter")
    page.click("#intake-apply")
    page.wait_for_selector("#intake-0-state:has-text('klar att läsa in')", timeout=30_000)
    assert shown_counts(page, 0)["inserted"] == 1
    assert "Förmedlingar → referrals_ovrigt" in page.inner_text("#intake-file-0")
    load(page, "stadsmissionen_juni.csv")
    july = write_csv(tmp_path / "stadsmissionen_juli.csv", [header, ["2023-07-01", *row[1:]]])
    [report] = json.loads(cli("load", "--dry-run", "--json", "--organisation", "Stadsmissionen", str(july),
                              "--db", server.db_url))
    assert report["mapping"]["columns"] == {"Förmedlingar": "referrals_ovrigt"}  # next month's file loads at once
    assert report["inserted"] == 1
    assert page.errors == []


def hostile_files(directory) -> list:
    """The hostile corpus's files, the broken ones of tests/data/broken, and an xlsx zip bomb."""
    import shutil
    import zipfile

    from tests.conftest import DATA_DIR
    from tests.security.hostile_corpus import write_hostile_files

    paths = write_hostile_files(directory)
    for broken in sorted((DATA_DIR / "broken").iterdir()):
        paths.append(shutil.copy(broken, directory / broken.name))
    bomb = directory / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(64):
                entry.write(b"\0" * (1 << 20))
    return [*paths, bomb]


def test_hostile_and_broken_files_through_the_upload_get_a_clear_message_and_write_nothing(browser_page, server,
                                                                                          tmp_path):
    from tests.security.hostile_corpus import INJECTED

    page, engine = browser_page, server.engine()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = hostile_files(tmp_path / "hostile")
    before, in_effect = whole_store(engine, SKIPPED), loads_in_effect(engine)
    log_in(page, server, "steward")
    upload(page, *paths)
    states = {page.inner_text(f"#intake-file-{i} strong"): page.inner_text(f"#intake-{i}-state")
              for i in range(len(paths))}
    assert whole_store(engine, SKIPPED) == before  # a preview writes nothing
    refused = {name for name, state in states.items() if state in {"kan inte läsas in", "avvisas"}}
    assert {"nul_bytes.csv", "polisen_truncated.json", "bomb.xlsx", "outreach_with_names.csv",
            "est_bad_dates.csv"} <= refused, states
    assert states["survey_wrong_extension.xlsx"] == "klar att läsa in"  # a CSV named .xlsx is read by its content
    for index in range(len(paths)):
        if page.locator(f"#intake-{index}-message").count():
            assert page.inner_text(f"#intake-{index}-message").strip()  # each says why
    load(page)
    loaded = {row.sha256 for row in loads_in_effect(engine)} - {row.sha256 for row in in_effect}
    assert len(loaded) == len([s for s in states.values() if s == "klar att läsa in"])  # only those, whole
    for selector in INJECTED:
        assert page.locator(f"#main {selector}").count() == 0, selector
    assert dialogs == [] and page.errors == []
    assert server.session("steward").get(f"{server.base}/data").status_code == 200  # still up


def test_a_load_goes_on_when_the_page_is_left_and_is_found_again_on_return(browser_page, server, tmp_path):
    from lagesbild.samples import write_sample_data

    page, engine = browser_page, server.engine()
    in_effect = loads_in_effect(engine)
    big = next(p for p in write_sample_data(tmp_path, seed=7, scale=3) if p.name.startswith("est_rapporter"))
    log_in(page, server, "steward")
    upload(page, big)
    page.click("#intake-load")
    page.goto(server.base + "/handelser", wait_until="domcontentloaded")  # leave at once
    page.goto(server.base + "/data", wait_until="networkidle")  # and come back
    page.wait_for_selector("#intake-loaded-summary", timeout=120_000)
    assert "Inlästa filer: 1" in page.inner_text("#intake-loaded-summary")
    assert len(loads_in_effect(engine)) == len(in_effect) + 1
    page.reload(wait_until="networkidle")  # seen once: not shown again
    assert page.locator("#intake-loaded-summary").count() == 0
    assert page.errors == []


def test_two_stewards_loading_the_same_file_give_one_load(chromium, browser_page, server, tmp_path):
    from lagesbild.accounts import add_user

    add_user(server.engine(), "steward2", PASSWORD, "dataansvarig")
    same = write_csv(tmp_path / "aktiviteter_juli.csv", [EVENT_HEADER, ["2023-07-17", "12:00", "16:00",
                                                                        "Tantolunden", "Sommarbio", "Kultur",
                                                                        "Föreningen Tanto", "120", "", "", ""]])
    first, second = browser_page, chromium.new_context(locale="sv-SE").new_page()
    in_effect = loads_in_effect(server.engine())
    for page, name in ((first, "steward"), (second, "steward2")):
        log_in(page, server, name)
        upload(page, same)
    load(first, "aktiviteter_juli.csv")
    second.click("#intake-load")
    second.wait_for_selector("#intake-loaded-summary", timeout=60_000)
    assert second.inner_text("#intake-0-state") == "redan inläst"
    assert len(loads_in_effect(server.engine())) == len(in_effect) + 1
