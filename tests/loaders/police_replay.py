"""A local HTTP server on 127.0.0.1 that answers like the police's events API, replaying the recorded responses of
../shared/data/polisen/ (and ones derived from them: 429, 500, a cut-off body, an empty array, a slow answer)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).resolve().parents[3] / "shared" / "data" / "polisen"
SNAPSHOT = RECORDED / "api_snapshot_2023-08-26.json"
STOCKHOLM = RECORDED / "stockholm_events_2023-03_to_2024-12.json"


@dataclass
class Answer:
    status: int = 200
    events: list | None = None  # filtered by the request's locationname, as the API does
    body: bytes | None = None  # sent as it is
    headers: dict = field(default_factory=dict)
    cut_after: int | None = None  # send only this many bytes of a longer Content-Length, then close
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    query: dict
    headers: dict
    at: float


class PoliceApi:
    """Answers the queued Answers in turn (the last one again when the queue is empty), recording each request."""

    def __init__(self):
        self.answers: list[Answer] = []
        self.seen: list[Seen] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                api.seen.append(Seen(parts.path, query, dict(self.headers), time.time()))
                answer = api.answers.pop(0) if len(api.answers) > 1 else api.answers[0]
                time.sleep(answer.delay)
                body = answer.body if answer.body is not None else json.dumps(
                    filtered(answer.events or [], query), ensure_ascii=False).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body[:answer.cut_after] if answer.cut_after is not None else body)
                self.wfile.flush()
                if answer.cut_after is not None:
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/api/events"

    def __enter__(self) -> PoliceApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def filtered(events: list[dict], query: dict) -> list[dict]:
    wanted = {n for value in query.get("locationname", []) for n in value.split(";")}
    return [e for e in events if not wanted or e["location"]["name"] in wanted]


def recorded(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))
