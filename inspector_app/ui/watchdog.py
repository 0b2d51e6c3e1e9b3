"""A GUI-thread stall watchdog: a timer ticks every few milliseconds on the GUI thread; a tick that
comes late means the thread was busy (a query, a rebuild, a lock) for that long.

``longest_ms`` is the largest lateness seen beyond the expected interval — what a user would feel
as a frozen window. With ``report_ms`` every stall at least that long is logged as a warning.
The bench uses it to measure; the app installs it when ``INSPECTOR_WATCHDOG`` is set.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 5


class StallWatchdog(QObject):
    """Measures how late a ``INTERVAL_MS`` timer fires on the thread it lives on."""

    def __init__(
        self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS, report_ms: float | None = None
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.report_ms = report_ms
        self.longest_ms = 0.0
        self.stalls: list[float] = []  # every lateness of ``report_ms`` or more
        self.ticks = 0
        self._last: float | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may itself be 5 % late
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.reset()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._last = None

    def reset(self) -> None:
        self.longest_ms = 0.0
        self.stalls = []
        self.ticks = 0
        self._last = time.perf_counter()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            late = (now - self._last) * 1000 - self.interval_ms
            self.ticks += 1
            if late > self.longest_ms:
                self.longest_ms = late
            if self.report_ms is not None and late >= self.report_ms:
                self.stalls.append(late)
                log.warning("the GUI thread was blocked for %.0f ms", late)
        self._last = now
