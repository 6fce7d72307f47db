"""The process's one headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), for whatever must be drawn
by a browser: the lägesrapport's PDF here, the dashboard's page PDFs in dashboard/export/page.py.

Playwright objects belong to the event loop that made them, so the browser lives on a loop in a thread of its own and
request threads hand it jobs (`run`) and wait for the result. At most MAX_PARALLEL jobs draw at once; more than
MAX_WAITING held (drawing or queued), or a second job of the same user, are refused at once (RendererBusy, from
lagesbild.render.gate), so server threads are never all held by PDFs and one user cannot take every slot.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from lagesbild.render.gate import Gate, RendererBusy

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
RENDER_TIMEOUT_S = 60
MAX_PARALLEL = 2  # pages drawn at once
MAX_WAITING = 4  # jobs held at once (drawing or queued); more get RendererBusy so server threads stay free
PER_USER = 1  # jobs one user may have held at once: a second click waits for the first, it does not queue

__all__ = ["BrowserMissing", "RenderFailed", "RendererBusy", "SharedBrowser", "browser"]

T = TypeVar("T")


class RenderFailed(Exception):
    """The page reported an error while it was drawn, or the browser was not who it had to be."""


class BrowserMissing(Exception):
    """No Chromium to draw with."""


class SharedBrowser:
    """One headless Chromium for the process, started on first use and reused; safe to call from any thread."""

    def __init__(self, executable: Path = CHROMIUM):
        self.executable = executable
        self._lock = threading.Lock()
        self.gate = Gate(MAX_WAITING, PER_USER)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._playwright = None
        self._browser = None
        self._launching = asyncio.Lock()
        self._slots = asyncio.Semaphore(MAX_PARALLEL)

    def run(self, job: Callable[[Any], Awaitable[T]], timeout: float = RENDER_TIMEOUT_S,
            owner: str | None = None) -> T:
        """`await job(browser)` on the shared browser, from any thread, at most MAX_PARALLEL at a time; its result.

        owner: the user the job is for (at most PER_USER of theirs held at once); None for the CLI.
        Raises BrowserMissing, RendererBusy (too many held, or this user's: answer 503 rather than hold a server
        thread) or TimeoutError (the job is cancelled)."""
        if not self.executable.exists():
            raise BrowserMissing(str(self.executable))
        with self.gate.admit(owner):
            future = asyncio.run_coroutine_threadsafe(self._run(job), self._started())
            try:
                return future.result(timeout)
            except TimeoutError:
                future.cancel()
                raise

    def close(self) -> None:
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            self._launching, self._slots = asyncio.Lock(), asyncio.Semaphore(MAX_PARALLEL)  # for a next loop

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="shared-browser", daemon=True).start()
                atexit.register(self.close)
            return self._loop

    async def _browser_ready(self):
        async with self._launching:
            if self._browser is None or not self._browser.is_connected():
                from playwright.async_api import async_playwright

                self._playwright = self._playwright or await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(executable_path=str(self.executable),
                                                                       args=CHROMIUM_ARGS)
            return self._browser

    async def _run(self, job: Callable[[Any], Awaitable[T]]) -> T:
        browser = await self._browser_ready()
        async with self._slots:
            return await job(browser)

    async def _shutdown(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        self._browser = self._playwright = None


_shared: SharedBrowser | None = None
_shared_lock = threading.Lock()


def browser() -> SharedBrowser:
    """The process's one shared browser."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SharedBrowser()
        return _shared
