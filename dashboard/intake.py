"""The intake's server side: uploaded files staged until "Läs in" or "Avbryt", the upload and template routes, and
preview, load and undo through the loaders for the user of the request (the CLI's functions: one code path).

An upload is one file per request to UPLOAD_ROUTE (multipart, field `file`), with the session's CSRF token in the
X-CSRFToken header and an Origin of this server (dashboard/auth.py), by a user whose role or rights allow loading;
its body may be LAGESBILD_MAX_UPLOAD_MB, every other request's LAGESBILD_MAX_REQUEST_MB. The bytes are kept in a
directory of their own, owned by that user, until the file is loaded or discarded (or two hours have passed).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import ValidationError

from dashboard import auth
from lagesbild import accounts
from lagesbild.accounts import Uploader, UploadRefused
from lagesbild.i18n import lang_or_default, t
from lagesbild.settings import Settings
from lagesbild.store.db import cached_engine
from loaders.load import load_file, make_context, preview_file
from loaders.mappings import IGNORE, ColumnMapping, remember
from loaders.pipeline import ColumnsError, LoadRejected, StoreChanged
from loaders.registry import SOURCES, read_for
from loaders.templates import template_bytes
from loaders.undo import UndoRefused, undo_load

UPLOAD_ROUTE = "/intake/upload"
TEMPLATE_ROUTE = "/intake/template/<kind>.xlsx"
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".json")
KINDS = ("incidents", "outreach", "events", "surveys")
STAGED_SECONDS = 2 * 3600
FORM_OVERHEAD = 64 * 1024  # multipart headers around the one file
SHOWN_ERRORS = 10  # rejected rows shown in a preview
STAGING_KEY = "lagesbild_staging"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class UploadError(ValueError):
    """An upload refused; the message is for the user (in their language)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ---- files waiting for "Läs in" -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Staged:
    id: str
    name: str  # as the user named it, made safe: shown, and recorded as the load's file name
    size: int
    path: Path


class Staging:
    """Uploaded files on disk, one directory each (a random id), with the owner's name beside them."""

    def __init__(self, root: Path):
        self.root = root

    def put(self, owner: str, name: str, stream, max_bytes: int, lang: str) -> Staged:
        self.expire()
        safe = clean_name(name)
        if not safe.lower().endswith(SUFFIXES):
            raise UploadError(t("intake.wrong_type", lang, name=safe or "?", types=", ".join(SUFFIXES)))
        upload_id = secrets.token_urlsafe(16)
        folder = self.root / upload_id
        folder.mkdir(parents=True, mode=0o700)
        path = folder / safe
        size = _copy(stream, path, max_bytes)
        if size is None:
            shutil.rmtree(folder, ignore_errors=True)
            raise UploadError(t("intake.too_large", lang, name=safe, mb=_mb(max_bytes)), 413)
        (folder / "owner.json").write_text(json.dumps({"owner": owner, "name": safe, "size": size}))
        return Staged(upload_id, safe, size, path)

    def get(self, owner: str, upload_id: str) -> Staged | None:
        folder = self._folder(upload_id)
        meta = folder / "owner.json" if folder else None
        if meta is None or not meta.exists():
            return None
        found = json.loads(meta.read_text())
        if found["owner"] != owner:
            return None
        return Staged(upload_id, found["name"], found["size"], folder / found["name"])

    def discard(self, owner: str, upload_id: str) -> None:
        if self.get(owner, upload_id) is not None:
            shutil.rmtree(self.root / upload_id, ignore_errors=True)

    def expire(self) -> None:
        if not self.root.exists():
            return
        old = time.time() - STAGED_SECONDS
        for folder in self.root.iterdir():
            if folder.is_dir() and folder.stat().st_mtime < old:
                shutil.rmtree(folder, ignore_errors=True)

    def _folder(self, upload_id: str) -> Path | None:
        if not isinstance(upload_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", upload_id):
            return None
        return self.root / upload_id


def clean_name(name: str) -> str:
    """A file name without directories, control characters or separators (`../../etc/passwd` -> `passwd`)."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    return UNSAFE_NAME.sub("_", base).strip(" .")[-120:]


def _copy(stream, path: Path, max_bytes: int) -> int | None:
    """Write the stream to `path`; None (and nothing kept) once it passes max_bytes."""
    size = 0
    with path.open("wb") as out:
        while block := stream.read(1 << 20):
            size += len(block)
            if size > max_bytes:
                return None
            out.write(block)
    return size


def _mb(n: int) -> str:
    return f"{n / 2**20:g}"


def staging(settings: Settings) -> Staging:
    root = settings.upload_dir or Path(tempfile.gettempdir()) / "lagesbild-uploads"
    return Staging(root)


# ---- who is asking ----------------------------------------------------------------------------------------------

def current_uploader() -> Uploader | None:
    """The user of this request with their rights, as the store holds them now; None in the open demo (it changes
    nothing) or when nobody is logged in."""
    name = auth.current_username()
    if auth.is_open() or not name:
        return None
    return accounts.uploader(_engine(), name)


def _settings() -> Settings:
    return flask.current_app.config[auth.SETTINGS_KEY]


def _engine():
    return cached_engine(_settings().db_url)


# ---- routes --------------------------------------------------------------------------------------------------------

def install(server: flask.Flask) -> None:
    server.add_url_rule(UPLOAD_ROUTE, "intake_upload", upload_view, methods=["POST"])
    server.add_url_rule(TEMPLATE_ROUTE, "intake_template", template_view, methods=["GET"])


def upload_view():
    request = flask.request
    settings = _settings()
    lang = lang_or_default(request.args.get("lang"))
    request.max_content_length = settings.max_upload_bytes + FORM_OVERHEAD
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        auth.audit("upload_refused", "no or wrong CSRF token")
        return _answer({"error": t("intake.csrf", lang)}, 400)
    who = current_uploader()
    if who is None or not who.may_upload:
        auth.audit("upload_refused", "the role or rights do not allow loading")
        return _answer({"error": t("intake.not_allowed", lang)}, 403)
    try:
        sent = request.files.getlist("file")
    except RequestEntityTooLarge:
        return _answer({"error": t("intake.too_large", lang, name="", mb=_mb(settings.max_upload_bytes))}, 413)
    if len(sent) != 1:
        return _answer({"error": t("intake.one_file", lang)}, 400)
    try:
        staged = staging(settings).put(who.username, sent[0].filename or "", sent[0].stream,
                                       settings.max_upload_bytes, lang)
    except UploadError as exc:
        return _answer({"error": str(exc)}, exc.status)
    auth.audit("upload", f"{staged.name} ({staged.size} bytes), waiting for preview")
    return _answer({"id": staged.id, "name": staged.name, "size": staged.size}, 200)


def _answer(body: dict, status: int) -> flask.Response:
    return flask.Response(json.dumps(body, ensure_ascii=False), status, mimetype="application/json",
                          headers={"Cache-Control": "no-store"})


def template_view(kind: str):
    if kind not in KINDS:
        flask.abort(404)
    name = f"mall-{kind}.xlsx"
    return flask.Response(template_bytes(kind, make_context(_settings())), mimetype=XLSX,
                          headers={"Content-Disposition": f'attachment; filename="{name}"',
                                   "Cache-Control": "no-store"})


# ---- preview, load, undo ------------------------------------------------------------------------------------------

def field_choices(kind: str, source: str) -> list[str]:
    """The fields a column of a file of this source may be mapped to."""
    found = next(s for s in SOURCES if s.kind == kind and s.name == source)
    return [f.name for f in found.fields]


@dataclass(frozen=True)
class Asker:
    """Who loads, with what settings: taken from the request, so that a load can go on in a thread after it."""

    who: Uploader
    settings: Settings
    username: str | None

    @classmethod
    def of_request(cls, who: Uploader) -> Asker:
        return cls(who, _settings(), auth.current_username())

    def engine(self):
        return cached_engine(self.settings.db_url)


def preview(who: Uploader, upload_id: str, kind: str | None, organisation: str | None, skip_invalid: bool,
            mapping: dict[str, Any] | None, lang: str, asker: Asker | None = None) -> dict[str, Any]:
    """What loading the staged file would do, as a plain dict for the page (and for a later `load`)."""
    asker = asker or Asker.of_request(who)
    staged = staging(asker.settings).get(who.username, upload_id)
    base = {"id": upload_id, "name": staged.name if staged else "?", "kind": kind, "organisation": organisation,
            "skip_invalid": skip_invalid, "mapping": mapping}
    if staged is None:
        return base | {"state": "gone", "message": t("intake.gone", lang)}
    wanted = ColumnMapping(dict(mapping["columns"]), dict(mapping["constants"]), organisation or "") \
        if mapping else None
    try:
        report = preview_file(asker.engine(), staged.path, asker.settings, kind=kind, skip_invalid=skip_invalid,
                              organisation=organisation, mapping=wanted, uploader=who)
    except LoadRejected as rejected:
        return base | _report(rejected.report, "rejected")
    except ColumnsError as exc:
        return base | {"state": "columns", "kind": exc.kind, "source": exc.source, "unknown": exc.unknown,
                       "missing": exc.missing, "fields": field_choices(exc.kind, exc.source), "message": str(exc)}
    except UploadRefused as exc:
        return base | {"state": "refused", "message": str(exc)}
    except ValueError as exc:  # unreadable, undetectable, identifying columns, unusable mapping
        return base | {"state": "error", "message": str(exc)}
    return base | _report(report, "unchanged" if report.status == "unchanged" else "ready")


def _report(report, state: str) -> dict[str, Any]:
    shown = report.as_json()
    return {"state": state, "kind": report.kind, "source": report.source, "detail": report.detail,
            "token": report.token, "counts": counts_of(shown), "errors": shown["errors"][:SHOWN_ERRORS],
            "error_count": len(report.errors), "unknown_categories": report.unknown_categories,
            "unknown_places": report.unknown_places, "previous_load_id": report.previous_load_id,
            "remembered": report.mapping}


def counts_of(report: dict[str, Any]) -> dict[str, int]:
    """The numbers a preview shows, from a load report as JSON (the CLI's `load --dry-run --json` too)."""
    counts = report.get("counts") or {}
    return {"read": report["rows_read"], "inserted": report["inserted"], "updated": report["updated"],
            "duplicate": report["duplicate"] + counts.get("duplicate_in_file", 0),
            "outside": sum((report.get("skipped") or {}).values()), "rejected": report["rejected"],
            "unplaced": counts.get("unplaced", 0), "other_category": counts.get("other_category", 0),
            "redacted": counts.get("redacted", 0)}


def load(who: Uploader, shown: dict[str, Any], lang: str, asker: Asker | None = None,
         progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Load the staged file exactly as its preview `shown` said, or nothing: when the store has changed since, the
    file is previewed again and loaded only if the numbers are the same (a file before it in the same upload may
    have been loaded meanwhile), else the new preview comes back to be looked at."""
    asker = asker or Asker.of_request(who)
    staged = staging(asker.settings).get(who.username, shown["id"])
    if staged is None:
        return shown | {"state": "gone", "message": t("intake.gone", lang)}
    try:
        mapping = _remembered(asker, staged, shown)
        options = dict(kind=shown["kind"], skip_invalid=shown["skip_invalid"], organisation=shown["organisation"],
                       mapping=mapping, uploader=who)
        report = _load_as_shown(asker, staged, shown, options, progress)
    except StoreChanged:
        again = preview(who, shown["id"], shown["kind"], shown["organisation"], shown["skip_invalid"],
                        shown["mapping"], lang, asker)
        return again | {"message": t("intake.store_changed", lang)}
    except (LoadRejected, UploadRefused, ValueError) as exc:
        return shown | {"state": "error", "message": str(exc)}
    staging(asker.settings).discard(who.username, shown["id"])
    return shown | {"state": "loaded", "load_id": report.load_id, "counts": counts_of(report.as_json()),
                    "previous_load_id": report.previous_load_id, "status": report.status}


def _load_as_shown(asker: Asker, staged: Staged, shown: dict[str, Any], options: dict, progress):
    settings, engine = asker.settings, asker.engine()
    try:
        return load_file(engine, staged.path, settings, username=asker.username, expect_token=shown["token"],
                         progress=progress, **options)
    except StoreChanged:
        fresh = preview_file(engine, staged.path, settings, **options)
        if counts_of(fresh.as_json()) != shown["counts"]:
            raise
        return load_file(engine, staged.path, settings, username=asker.username, expect_token=fresh.token,
                         progress=progress, **options)


def _remembered(asker: Asker, staged: Staged, shown: dict[str, Any]) -> ColumnMapping | None:
    """The mapping the steward made in the preview, remembered for the sender and these headers (so next month's
    file loads at once, through the CLI too); None when the file needed none."""
    made = shown.get("mapping")
    if not made:
        return None
    source, table = read_for(staged.path, shown["kind"], asker.settings.max_file_bytes)
    wanted = ColumnMapping(dict(made["columns"]), dict(made["constants"]), asker.who.load_organisation
                           or shown["organisation"] or "")
    return remember(asker.engine(), source, table.headers, wanted, username=asker.username)


# ---- loading in the background: a thread per "Läs in", its progress in a file the page polls ---------------------

def start_load(who: Uploader, previews: list[dict], lang: str) -> str:
    """Load the files ready to load, in a thread of this process; the page follows it by the job's id (and finds
    it again when the user comes back: `current_job`)."""
    asker = Asker.of_request(who)
    jobs = _jobs(asker.settings)
    job_id = secrets.token_urlsafe(12)
    files = [{"name": e["name"], "total": (e.get("counts") or {}).get("read", 0), "rows": 0,
              "load": e["state"] == "ready"} for e in previews]
    _write_job(jobs, job_id, {"owner": who.username, "state": "running", "started": time.time(), "files": files,
                              "results": None, "seen": False})
    threading.Thread(target=_run_job, args=(asker, jobs, job_id, previews, lang), daemon=True,
                     name=f"intake-load-{job_id}").start()
    return job_id


def _run_job(asker: Asker, jobs: Path, job_id: str, previews: list[dict], lang: str) -> None:
    job = _read_job(jobs, job_id)
    results = []
    try:
        for index, entry in enumerate(previews):
            if entry["state"] != "ready":
                results.append(entry)
                continue

            def progress(rows: int, index: int = index) -> None:
                job["files"][index]["rows"] = rows
                _write_job(jobs, job_id, job)

            results.append(load(asker.who, entry, lang, asker, progress))
    except Exception as exc:  # the thread must end its job whatever happens; the page says so
        results += [e | {"state": "error", "message": f"{type(exc).__name__}"} for e in previews[len(results):]]
    job.update(state="done", results=results, finished=time.time())
    _write_job(jobs, job_id, job)


def job_status(who: Uploader, job_id: str | None) -> dict | None:
    if not job_id or not re.fullmatch(r"[A-Za-z0-9_-]{8,40}", job_id):
        return None
    job = _read_job(_jobs(_settings()), job_id)
    return job if job and job["owner"] == who.username else None


def current_job(who: Uploader) -> str | None:
    """The user's job still running, or finished but not yet seen (they left the page while it loaded)."""
    jobs = _jobs(_settings())
    found = [(path.stat().st_mtime, path.stem) for path in jobs.glob("*.json")] if jobs.exists() else []
    for _, job_id in sorted(found, reverse=True):
        job = _read_job(jobs, job_id)
        if job and job["owner"] == who.username and not job["seen"]:
            return job_id
    return None


def mark_seen(who: Uploader, job_id: str) -> None:
    job = job_status(who, job_id)
    if job is not None:
        job["seen"] = True
        _write_job(_jobs(_settings()), job_id, job)


def _jobs(settings: Settings) -> Path:
    return staging(settings).root / "jobs"


def _write_job(jobs: Path, job_id: str, job: dict) -> None:
    jobs.mkdir(parents=True, exist_ok=True)
    partial = jobs / f".{job_id}.tmp"
    partial.write_text(json.dumps(job, ensure_ascii=False, default=str))
    partial.replace(jobs / f"{job_id}.json")  # whole, never half-written, for the page that polls


def _read_job(jobs: Path, job_id: str) -> dict | None:
    path = jobs / f"{job_id}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def discard(who: Uploader, upload_id: str) -> None:
    staging(_settings()).discard(who.username, upload_id)
    auth.audit("upload_discarded", upload_id[:8])


def undo(who: Uploader, load_id: int):
    """Undo a load as the CLI's `lagesbild unload` does, with the user's rights (UndoRefused, UploadRefused)."""
    return undo_load(_engine(), load_id, username=auth.current_username(), uploader=who)


def may_undo(who: Uploader | None, load: dict) -> bool:
    if who is None or load.get("status") == "undone":
        return False
    try:
        who.check_undo(load)
    except UploadRefused:
        return False
    return True


__all__ = ["IGNORE", "UndoRefused", "UploadError"]
