"""Pushes first: one push at a time per office process, and pulls step aside while pushes wait.

Pushes are applied one at a time under the push lock (``store.lock_counter``), so whatever slows
the one holding it slows every laptop queued behind it. Pull pages are the office's heaviest
Python work, and in one process they compete with the lock holder for the interpreter: with 20
laptops syncing at once, a push of 1,200 rows held the lock for 0.7 s instead of 0.05 s. So:

- pushes queue here, in the process, rather than each holding a database connection while it
  waits for PostgreSQL's lock (which still orders pushes between office processes);
- a batch sent ahead of its predecessor's answer (``push.PredecessorPending``) waits for the next
  push to end rather than polling the database;
- a pull page waits while pushes are queued or applied, without holding a worker thread, and at
  most ``pulls_at_once`` pages are built at the same time. A laptop's pull waits ``patience``
  seconds at most in all, not per page: one laptop sending batch after batch (two in flight)
  keeps pushes queued almost all the time, and another laptop pulling 20 pages would otherwise
  wait 20 times.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

POLL_SECONDS = 0.005  # how often a waiting pull looks again
# Pages of one laptop this close together (from the end of one to the start of the next) are one
# sync and share one patience: the laptop asks for the next page as soon as a page arrives.
SESSION_GAP_SECONDS = 1.0


class PushFirst:
    def __init__(self, *, pulls_at_once: int = 2, patience: float = 2.0) -> None:
        self._counts = threading.Lock()
        self._one_push = threading.Lock()
        self._pushed = threading.Condition()  # notified whenever a push ends
        self.pushes = 0  # queued or being applied
        self.pulls = 0  # pages being built
        self.pulls_at_once = pulls_at_once
        self.patience = patience
        self._pulling: dict[str, tuple[float, float]] = {}  # laptop → (first page, last seen)

    @contextmanager
    def push(self) -> Iterator[None]:
        """Runs in a worker thread: blocks until the pushes before it are applied."""
        with self._counts:
            self.pushes += 1
        try:
            with self._one_push:
                yield
        finally:
            with self._counts:
                self.pushes -= 1
            with self._pushed:
                self._pushed.notify_all()

    def wait_for_push(self, timeout: float) -> None:
        """Until a push of this process ends, or ``timeout`` seconds (another process may apply it)."""
        with self._pushed:
            self._pushed.wait(max(timeout, 0.0))

    @asynccontextmanager
    async def pull(self, laptop: str = "") -> AsyncIterator[None]:
        """Awaited on the event loop: no thread is held while the pull waits its turn."""
        deadline = self._deadline(laptop, time.monotonic())
        while not self._take_pull(time.monotonic() >= deadline):
            await asyncio.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            with self._counts:
                self.pulls -= 1
                now = time.monotonic()
                self._pulling[laptop] = (self._pulling.get(laptop, (now, now))[0], now)

    def _deadline(self, laptop: str, now: float) -> float:
        with self._counts:
            first, seen = self._pulling.get(laptop, (now, now))
            if now - seen > SESSION_GAP_SECONDS:
                first = now  # a new sync of this laptop: patience afresh
            self._pulling[laptop] = (first, now)
            if len(self._pulling) > 10_000:  # forget laptops that stopped pulling
                self._pulling = {k: v for k, v in self._pulling.items() if now - v[1] <= SESSION_GAP_SECONDS}
        return first + self.patience

    def _take_pull(self, out_of_patience: bool) -> bool:
        with self._counts:
            if self.pulls < self.pulls_at_once and (self.pushes == 0 or out_of_patience):
                self.pulls += 1
                return True
            return False
