"""Snapshot what every viewer sees, and compare two snapshots: the check that a refactoring changed nothing visible.

`snapshot` renders, through the Flask stack as a browser would call it (logged in as each role), every page for
2 roles x 2 languages x several filters, the map documents those pages embed, the captions of the page exports,
the lägesrapport (DOCX text and tables, PDF text) for each role and the CLI, and the CSV downloads, into one JSON
file per view under OUT. `compare A B` prints every view that differs (and exits 1 when one does).

    python bench/views.py snapshot --db sqlite:////tmp/views/store.sqlite --out /tmp/views/before
    python bench/views.py compare /tmp/views/before /tmp/views/after

Build the store once (`--build`) and snapshot the same store before and after, so load times and ids agree.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ORIGIN = "http://localhost"
HEADERS = {"Accept": "application/json", "Content-Type": "application/json", "Origin": ORIGIN}
ROLES = ("admin", "partner")
LANGS = ("sv", "en")
PATHS = ("/", "/handelser", "/uppsokande", "/aktiviteter", "/trygghet", "/karta", "/data")
FILTERS = {
    "none": "",
    "place": "?place=tantolunden",
    "places": "?place=hogalidsparken&place=drakenbergsparken",
    "place+months": "?place=tantolunden&from=2024-01&to=2024-06",
    "year": "?from=2024-01&to=2024-12",
    "month": "?place=hogalidsparken&from=2025-12&to=2025-12",
}
EXTRA = {"/handelser": {"categories": "?place=hogalidsparken&category=sprutfynd&category=otrygg_plats"}}
REPORTS = (("2024-06", ()), ("2025-11", ("hogalidsparken",)))
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CONFIG_RE = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)
MAP_RE = re.compile(r"/_map/[0-9a-f]{32}")


def payload(outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]],
            state: list[tuple[str, str, object]] = (), changed: list[str] | None = None) -> dict:
    """A Dash callback request as the browser sends it."""
    output = (f"{outputs[0][0]}.{outputs[0][1]}" if len(outputs) == 1
              else ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..")
    changed = changed if changed is not None else [f"{i}.{p}" for i, p, _ in inputs]
    return {"output": output, "outputs": [{"id": i, "property": p} for i, p in outputs] if len(outputs) > 1
            else {"id": outputs[0][0], "property": outputs[0][1]},
            "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
            "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
            "changedPropIds": changed, "parsedChangedPropsIds": changed}


def routing(pathname: str, search: str, lang: str) -> dict:
    return payload([("_pages_content", "children"), ("_pages_store", "data")],
                   [("_pages_location", "pathname", pathname), ("_pages_location", "search", search),
                    ("shell-lang", "value", lang)],
                   changed=["_pages_location.pathname", "_pages_location.search"])


class Client:
    def __init__(self, db_url: str, role: str):
        from dashboard.app import create_app
        from lagesbild import accounts
        from lagesbild.settings import load_settings
        from lagesbild.store.db import make_engine, upgrade

        settings = load_settings({}).with_db(db_url)
        upgrade(db_url)  # a store snapshotted before a migration: the same rows, the tables of today's code
        self.app = create_app(settings, open_demo=False)
        self.client = self.app.server.test_client()
        password = secrets.token_urlsafe(24)
        user = f"views-{role}"
        engine = make_engine(db_url)
        accounts.add_user(engine, user, password, role)
        engine.dispose()
        token = CSRF_RE.search(self.client.get("/login").get_data(as_text=True))[1]
        form = {"csrf_token": token, "username": user, "password": password, "next": "/"}
        assert self.client.post("/login", data=form, headers={"Origin": ORIGIN}).status_code == 302
        page = self.client.get("/").get_data(as_text=True)
        end_id = json.loads(CONFIG_RE.search(page)[1]).get("end_id")
        self.url = f"/_dash-update-component?endId={end_id}" if end_id else "/_dash-update-component"

    def post(self, body: dict) -> dict | None:
        response = self.client.post(self.url, data=json.dumps(body), headers=HEADERS)
        if response.status_code == 204:
            return None
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.get_data(as_text=True)[:300]}")
        return response.get_json()

    def get(self, path: str):
        return self.client.get(path, headers={"Origin": ORIGIN})


def docx_text(content: bytes) -> dict:
    from docx import Document

    document = Document(io.BytesIO(content))
    return {"paragraphs": [(p.style.name, p.text) for p in document.paragraphs],
            "tables": [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables],
            "pictures": len(document.inline_shapes)}


def pdf_text(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def download(result: dict | None, output: str) -> dict | None:
    """The base64 content of a dcc.Download in a callback response."""
    if not result:
        return None
    return result["response"][output]["data"]


def snapshot_role(client: Client, role: str, out: Path) -> None:
    import base64

    for lang in LANGS:
        for path in PATHS:
            filters = dict(FILTERS, **EXTRA.get(path, {}))
            for name, search in filters.items():
                result = client.post(routing(path, search, lang))
                text = json.dumps(result, sort_keys=True, ensure_ascii=False)
                maps = {}
                for url in sorted(set(MAP_RE.findall(text))):
                    maps[url] = client.get(url).get_data(as_text=True)
                numbers = {url: str(number) for number, url in enumerate(sorted(maps))}
                text = MAP_RE.sub(lambda m, numbers=numbers: "/_map/" + numbers[m[0]], text)
                view = {"layout": json.loads(text), "maps": [numbered_ids(doc) for doc in maps.values()]}
                caption = client.get(f"/export/caption?path={path}&lang={lang}&{search.lstrip('?')}")
                view["caption"] = caption.get_json() if caption.status_code == 200 else caption.status_code
                write(out, f"{role}.{lang}.page{path.replace('/', '_') or '_'}.{name}", view)
        for month, places in REPORTS:
            for fmt, button in (("docx", "report-docx"), ("pdf", "report-pdf")):
                state = {"places": list(places), "month": month, "lang": lang}
                result = client.post(payload([("report-download", "data"), ("report-status", "children")],
                                             [("report-docx", "n_clicks", 1 if fmt == "docx" else None),
                                              ("report-pdf", "n_clicks", 1 if fmt == "pdf" else None)],
                                             [("report-state", "data", state)], changed=[f"{button}.n_clicks"]))
                data = download(result, "report-download")
                content = base64.b64decode(data["content"]) if data else b""
                body = (docx_text(content) if fmt == "docx" else pdf_text(content)) if content else result
                write(out, f"{role}.{lang}.report.{month}.{'-'.join(places) or 'all'}.{fmt}",
                      {"file": data and data["filename"], "body": body})
        csvs = {
            "latest": payload([("handelser-latest-csv-download", "data")], [("handelser-latest-csv", "n_clicks", 1)],
                              [("handelser-categories", "value", ["sprutfynd"]),
                               ("handelser-filter", "data", {"places": ["tantolunden"], "lang": lang})]),
            "rejections": payload([("data-rejections-csv-download", "data")],
                                  [("data-rejections-csv", "n_clicks", 1)], [("shell-lang", "value", lang)]),
        }
        for name, body in csvs.items():
            result = client.post(body)
            output = body["output"]
            data = download(result, output.split(".")[0])
            content = base64.b64decode(data["content"]).decode("utf-8-sig") if data and data.get("base64") \
                else (data or {}).get("content")
            write(out, f"{role}.{lang}.csv.{name}", {"file": data and data["filename"], "content": content})


def copy_store(url: str, target: Path) -> str:
    import sqlite3

    live, copy = sqlite3.connect(url.removeprefix("sqlite:///")), sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        live.close()
        copy.close()
    return f"sqlite:///{target}"


def snapshot_cli(db_url: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for month, places in REPORTS:
            for fmt in ("docx", "pdf"):
                target = Path(tmp) / f"rapport.{fmt}"
                command = [sys.executable, "-c", "from lagesbild.cli import main; main()",  # any version of the CLI
                           "report", "--month", month, "--out", str(target),
                           "--db", db_url, *[arg for place in places for arg in ("--place", place)]]
                subprocess.run(command, check=True, capture_output=True)
                content = target.read_bytes()
                body = docx_text(content) if fmt == "docx" else pdf_text(content)
                write(out, f"cli.report.{month}.{'-'.join(places) or 'all'}.{fmt}", {"body": body})


FOLIUM_ID_RE = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")


def today_re() -> re.Pattern:
    """Today's date followed by a time of day, as the UI, the report and the ISO form write it: when the snapshot
    (and the store) were made, not what they show."""
    from datetime import date

    today = date.today()
    months = ("jan|januari|january|feb|februari|february|mar|mars|march|apr|april|maj|may|jun|juni|june|jul|juli|"
              "july|aug|augusti|august|sep|september|okt|oktober|oct|october|nov|november|dec|december")
    gap = r"(?:\s|\\n)+"  # a space, or a line break (in the JSON text: backslash n) where the PDF wrapped
    words = rf"{today.day}{gap}(?:{months})\.?{gap}{today.year}"
    return re.compile(rf"(?:{today.isoformat()}[ T]|{words}(?:{gap}|,)+(?:kl\.?\s)?)\d{{1,2}}[:.]\d{{2}}"
                      r"(?::\d{2}(?:\.\d+)?)?", re.IGNORECASE)


def numbered_ids(text: str) -> str:
    """folium's random element ids, numbered in the order they appear in one document."""
    ids: dict[str, str] = {}
    return FOLIUM_ID_RE.sub(lambda m: ids.setdefault(m[0], f"_id{len(ids)}"), text)


def normalise(text: str) -> str:
    return today_re().sub("<today>", text)


def write(out: Path, name: str, value) -> None:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1, default=str)
    (out / f"{name}.json").write_text(normalise(text), encoding="utf-8")


def compare(before: Path, after: Path, context: int = 3) -> int:
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    differing = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            print(f"only in {'after' if not a.exists() else 'before'}: {name}")
            differing += 1
            continue
        left, right = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
        if left != right:
            differing += 1
            diff = list(difflib.unified_diff(left.splitlines(), right.splitlines(), "before/" + name,
                                             "after/" + name, n=context, lineterm=""))
            print("\n".join(diff[:80]) + ("\n..." if len(diff) > 80 else ""))
    print(f"{len(names)} views compared, {differing} differ")
    return 1 if differing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    snap = commands.add_parser("snapshot")
    snap.add_argument("--db", required=True, help="the store (SQLAlchemy URL); built from the sample data with --build")
    snap.add_argument("--build", action="store_true", help="build the store from the bundled sample data first")
    snap.add_argument("--out", type=Path, required=True)
    snap.add_argument("--roles", nargs="+", default=list(ROLES))
    cmp_ = commands.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        sys.exit(compare(args.before, args.after))
    if args.build:
        from lagesbild.demo import build_demo_store

        build_demo_store(args.db)
    args.out.mkdir(parents=True, exist_ok=True)
    for role in args.roles:  # one app per process: dash.callback registers globally
        if len(args.roles) > 1:
            subprocess.run([sys.executable, __file__, "snapshot", "--db", args.db, "--out", str(args.out),
                            "--roles", role], check=True)
        else:
            with tempfile.TemporaryDirectory() as tmp:  # a copy: the audit log of this run's logins starts alike
                snapshot_role(Client(copy_store(args.db, Path(tmp) / "store.sqlite"), role), role, args.out)
    if len(args.roles) > 1:
        snapshot_cli(args.db, args.out)


if __name__ == "__main__":
    main()
