"""Hybrid logical clock: versions that sort across devices even when their wall clocks disagree.

A stamp is ``"<wall ms, 13 digits>-<counter, 5 digits>-<device>"``: plain string comparison
orders stamps, the device part breaks ties. ``now()`` stamps a local change; ``observe()`` takes
in a stamp seen from elsewhere (sync, or the newest stamp in the local DB at start) so that the
next local stamp is later than anything already seen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_MAX_COUNTER = 99_999


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        try:
            wall, counter, device = text.split("-", 2)
            stamp = cls(int(wall), int(counter), device)
        except ValueError as exc:
            raise ValueError(f"not a clock stamp: {text!r}") from exc
        if len(wall) != 13 or len(counter) != 5 or not device:
            raise ValueError(f"not a clock stamp: {text!r}")
        return stamp


class HybridClock:
    """One per device. Thread-safe; ``wall`` is injectable for tests (milliseconds since the epoch)."""

    def __init__(self, device: str, wall: Callable[[], int] | None = None) -> None:
        if "-" in device or not device:
            raise ValueError("device tag must be non-empty and contain no '-'")
        self.device = device
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._last = Stamp(0, 0, device)
        self._lock = threading.Lock()

    def now(self) -> str:
        with self._lock:
            wall = self._wall()
            if wall > self._last.wall_ms:
                self._last = Stamp(wall, 0, self.device)
            else:
                self._last = self._next_counter(self._last.wall_ms, self._last.counter)
            return str(self._last)

    def observe(self, stamp: str) -> None:
        """Move past a stamp made elsewhere, so later local stamps sort after it."""
        seen = Stamp.parse(stamp)
        with self._lock:
            wall = self._wall()
            top = max(wall, self._last.wall_ms, seen.wall_ms)
            if top == wall and top > self._last.wall_ms and top > seen.wall_ms:
                self._last = Stamp(top, 0, self.device)
            else:
                counter = max(
                    self._last.counter if top == self._last.wall_ms else -1,
                    seen.counter if top == seen.wall_ms else -1,
                )
                self._last = self._next_counter(top, counter)

    def _next_counter(self, wall: int, counter: int) -> Stamp:
        if counter + 1 > _MAX_COUNTER:
            # 100,000 stamps in one millisecond: borrow the next millisecond rather than overflow.
            return Stamp(wall + 1, 0, self.device)
        return Stamp(wall, counter + 1, self.device)
