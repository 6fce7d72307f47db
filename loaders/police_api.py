"""The police's public events API fetched on a schedule (`lagesbild fetch-police`), loaded through the police-feed
loader like any file of it, and every fetch recorded in `feed_fetches`.

The feed's rules are kept: a User-Agent naming the app and whoever runs it, at least 10 s between calls and at most
60 an hour (counted over this process and the fetches the store recorded), a back-off on 429, 5xx and timeouts
(Retry-After honoured). A response cut off, malformed or not a list of events loads nothing. The API returns only the
latest ~500 events, so it must run often: `--every 15m` keeps one process fetching.
"""

from __future__ import annotations

import http.client
import json
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, select

from lagesbild import __version__
from lagesbild.settings import Settings
from lagesbild.store.schema import feed_fetches
from loaders.load import load_file
from loaders.pipeline import LoadRejected

MIN_INTERVAL = 10.0  # seconds between two calls
MAX_PER_HOUR = 60
TIMEOUT = 30.0  # seconds for one call
BACKOFF = (60, 300, 900, 3600)  # seconds after 1, 2, 3, 4+ failures in a row
FETCHER = "fetch-police"  # the loads' loaded_by and the audit's user
ORGANISATION = "Polisen"


@dataclass
class Fetch:
    """One call to the API and what came of it (recorded in feed_fetches)."""

    at: datetime
    url: str
    result: str  # loaded, unchanged, failed
    http_status: int | None = None
    events: int | None = None
    load_id: int | None = None
    message: str = ""
    retry_after: float | None = None  # the API asked to wait this long (429/503 Retry-After)


class Pacer:
    """At least MIN_INTERVAL between calls and at most MAX_PER_HOUR in any hour; sleeps until a call is allowed."""

    def __init__(self, min_interval: float = MIN_INTERVAL, per_hour: int = MAX_PER_HOUR,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep):
        self.min_interval, self.per_hour, self.clock, self.sleep = min_interval, per_hour, clock, sleep
        self.calls: deque[float] = deque()

    def remember(self, moments: list[float]) -> None:
        """Calls made before this process started (the store's recorded fetches of the last hour)."""
        self.calls.extend(sorted(moments))

    def wait(self) -> float:
        """Sleep until a call is allowed, count it, and say how long was slept."""
        now = self.clock()
        while self.calls and self.calls[0] <= now - 3600:
            self.calls.popleft()
        ready = now
        if self.calls:
            ready = max(ready, self.calls[-1] + self.min_interval)
        if len(self.calls) >= self.per_hour:
            ready = max(ready, self.calls[-self.per_hour] + 3600)
        slept = max(0.0, ready - now)
        if slept:
            self.sleep(slept)
        self.calls.append(ready)
        return slept


def user_agent(settings: Settings) -> str:
    contact = settings.police_contact or "no contact configured: set LAGESBILD_POLICE_CONTACT"
    return f"Lagesbild/{__version__} (lägesbild för trygghetsarbete; {contact})"


def location_names(location: str | None) -> list[str]:
    """The API's location names to ask for. Since 2026 the police name Stockholm's events 'Stockholms län' as well
    as 'Stockholm', so a municipality is asked for with its county's name too."""
    if not location:
        return []
    names = [name.strip() for name in location.split(";") if name.strip()]
    county = [f"{name}s län" for name in names if not name.endswith("län") and not name.endswith("s")]
    return list(dict.fromkeys(names + county))


def api_url(settings: Settings, location: str | None) -> str:
    names = location_names(location)
    if not names:
        return settings.police_api_url
    return f"{settings.police_api_url}?{urllib.parse.urlencode({'locationname': ';'.join(names)})}"


def fetch_once(engine: Engine, settings: Settings, location: str | None = None, pacer: Pacer | None = None,
               timeout: float = TIMEOUT) -> Fetch:
    """One paced call, its events loaded (new ones inserted, re-published ones updated), the fetch recorded."""
    pacer = pacer or store_pacer(engine)
    url = api_url(settings, location)
    pacer.wait()
    fetch = _call(url, settings, timeout)
    if fetch.result != "failed":
        _load(engine, settings, fetch)
    record(engine, fetch)
    return fetch


def _call(url: str, settings: Settings, timeout: float) -> Fetch:
    """GET the URL; a Fetch holding the body in `message` when it is a list of events, else the failure."""
    at = datetime.now()
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(settings), "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        wait = _retry_after(exc.headers.get("Retry-After"))
        return Fetch(at, url, "failed", exc.code, message=f"the API answered {exc.code} {exc.reason}; trying again "
                     "later", retry_after=wait)
    except http.client.IncompleteRead as exc:
        return Fetch(at, url, "failed", 200, message=f"the response was cut off after {len(exc.partial)} bytes; "
                                                     "nothing loaded")
    except TimeoutError:
        return Fetch(at, url, "failed", message=f"no answer within {timeout:g} s; trying again later")
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        return Fetch(at, url, "failed", message=f"could not reach the API ({getattr(exc, 'reason', exc)})")
    try:
        events = json.loads(body)
    except (ValueError, RecursionError):
        return Fetch(at, url, "failed", status, message="the response is not valid JSON (cut off or malformed); "
                                                        "nothing loaded")
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return Fetch(at, url, "failed", status, message="the response is not a list of events; nothing loaded")
    return Fetch(at, url, "unchanged", status, events=len(events), message=body.decode("utf-8"))


def _load(engine: Engine, settings: Settings, fetch: Fetch) -> None:
    body, fetch.message = fetch.message, ""
    if not fetch.events:
        fetch.message = "the API returned no events"
        return
    with tempfile.TemporaryDirectory(prefix="lagesbild-polisen-") as folder:
        path = Path(folder) / f"polisen_api_{fetch.at:%Y-%m-%dT%H%M%S}.json"
        path.write_text(body, encoding="utf-8")
        try:
            report = load_file(engine, path, settings, kind="incidents", username=FETCHER,
                               organisation=ORGANISATION)
        except (LoadRejected, ValueError) as exc:
            fetch.result, fetch.message = "failed", f"the events could not be loaded: {str(exc)[:500]}"
            return
    fetch.load_id = report.load_id or report.previous_load_id
    if report.status == "unchanged" or not (report.inserted or report.updated):
        fetch.message = f"nothing new ({report.duplicate} already there, {sum(report.skipped.values())} elsewhere)"
        return
    fetch.result = "loaded"
    fetch.message = (f"{report.inserted} new, {report.updated} updated, {report.duplicate} already there, "
                     f"{sum(report.skipped.values())} elsewhere or not incidents")


def _retry_after(value: str | None) -> float | None:
    if value and re.fullmatch(r"\d{1,6}", value.strip()):
        return float(value)
    return None


def record(engine: Engine, fetch: Fetch) -> None:
    with engine.begin() as conn:
        conn.execute(insert(feed_fetches).values(
            at=fetch.at, url=fetch.url[:500], result=fetch.result, http_status=fetch.http_status,
            events=fetch.events, load_id=fetch.load_id, message=fetch.message[:2000] or None))


def store_pacer(engine: Engine, **options) -> Pacer:
    """A pacer that knows the fetches the store recorded in the last hour (cron, a timer or another process)."""
    pacer = Pacer(**options)
    since = datetime.now() - timedelta(hours=1)
    with engine.connect() as conn:
        moments = conn.execute(select(feed_fetches.c.at).where(feed_fetches.c.at >= since)).scalars().all()
    pacer.remember([m.timestamp() for m in moments])
    return pacer


def next_wait(every: float, fetch: Fetch, failures: int) -> float:
    """Seconds until the next fetch: the schedule's, or after a failure the back-off (or the API's Retry-After)."""
    if fetch.result != "failed":
        return every
    return max(BACKOFF[min(max(failures, 1), len(BACKOFF)) - 1], fetch.retry_after or 0)


def run_every(engine: Engine, settings: Settings, every: float, location: str | None = None,
              pacer: Pacer | None = None, sleep: Callable[[float], None] = time.sleep,
              report: Callable[[Fetch], None] = lambda fetch: None, times: int | None = None,
              timeout: float = TIMEOUT) -> None:
    """Fetch every `every` seconds until stopped (or `times` fetches), backing off after failures."""
    pacer = pacer or store_pacer(engine)
    failures, done = 0, 0
    while times is None or done < times:
        fetch = fetch_once(engine, settings, location, pacer, timeout)
        failures = failures + 1 if fetch.result == "failed" else 0
        report(fetch)
        done += 1
        if times is None or done < times:
            sleep(next_wait(every, fetch, failures))


def parse_every(text: str) -> float:
    """'15m', '900s', '1h' -> seconds; at least one minute (the API's rules allow far more, but there is no need)."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text or "")
    if not found:
        raise ValueError(f"{text!r} is not a period; write e.g. 15m, 900s or 1h")
    seconds = float(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[found.group(2)]
    if seconds < 60:
        raise ValueError(f"{text!r} is too often; fetch at most once a minute (the API keeps the latest ~500 events)")
    return seconds
