"""Fair admission to a renderer: how many jobs it holds at once, and how many of them one user may have.

A renderer (the shared Chromium for PDFs, kaleido for figure images) draws one or two things at a time; a request
that waits for it holds a server thread. Without a bound one user who clicks eight exports at once holds eight
threads and everyone else's page, login included, waits. A Gate lets a job in only when the renderer holds fewer
than `capacity` jobs and the job's owner fewer than `per_owner`; otherwise it refuses at once (RendererBusy), so the
page can say "busy, try again" and no thread is held. Jobs without an owner (the CLI, a report's own charts drawn
inside an admitted job) count against the capacity only.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


class RendererBusy(Exception):
    """More jobs asked for at once than the renderer takes, or than one user may have; the client may try again."""


class Gate:
    def __init__(self, capacity: int, per_owner: int = 1):
        self.capacity, self.per_owner = capacity, per_owner
        self._lock = threading.Lock()
        self._held = 0
        self._by_owner: Counter[str] = Counter()

    @contextmanager
    def admit(self, owner: str | None = None) -> Iterator[None]:
        """Hold one place for the duration of the block, or raise RendererBusy at once."""
        with self._lock:
            if self._held >= self.capacity or (owner is not None and self._by_owner[owner] >= self.per_owner):
                raise RendererBusy(owner or "")
            self._held += 1
            if owner is not None:
                self._by_owner[owner] += 1
        try:
            yield
        finally:
            with self._lock:
                self._held -= 1
                if owner is not None:
                    self._by_owner[owner] -= 1
                    if not self._by_owner[owner]:
                        del self._by_owner[owner]

    def held(self, owner: str | None = None) -> int:
        with self._lock:
            return self._held if owner is None else self._by_owner[owner]
