"""The one background seam: a single database writer plus a pool for work that is not the database.

Every DB write is a callable ``fn(session) -> result`` run on the writer thread inside
``session_scope`` (one edit, one transaction: committed before the UI hears of it). Only one
thread ever writes, so SQLite never answers "database is locked" to ourselves (vorta #1032).
Results and errors come back on the GUI thread through queued signals, so callbacks may touch
widgets. PDF rendering, signing and network go to ``run`` (a separate, parallel pool).

``synchronous=True`` runs everything at once in the caller's thread — for unit tests, after
picard's FakeThreadPool; the callbacks and signals fire exactly as in the threaded mode.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot
from sqlmodel import Session

from inspector_app.core.db import session_scope
from inspector_app.core.services.errors import ServiceError

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


@dataclass
class _Pending:
    on_done: Callback | None
    on_error: Callback | None


class Tasks(QObject):
    """Submit work; get ``on_done(result)`` or ``on_error(exception)`` on the GUI thread."""

    # Public, emitted on the GUI thread after the callbacks: (job id, result or exception).
    finished = Signal(int, object)
    failed = Signal(int, object)
    # Internal: emitted from worker threads, delivered queued to this object's (GUI) thread.
    _result = Signal(int, object, bool)

    def __init__(
        self, engine: sa.Engine | None = None, *, synchronous: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._synchronous = synchronous
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)  # the single DB writer: writes run one after another
        self._writer.setExpiryTimeout(-1)  # keep the one thread (and its SQLite connection) alive
        self._pool = QThreadPool(self)
        self._result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def set_engine(self, engine: sa.Engine) -> None:
        """The workspace is opened in the background, so the engine can arrive after construction."""
        self._engine = engine

    # --- submitting ---------------------------------------------------------------------------

    def write(
        self,
        fn: Callable[[Session], Any],
        *,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> int:
        """One DB write in one transaction, on the writer thread."""

        def job() -> Any:
            if self._engine is None:
                raise RuntimeError("no database open yet")
            with session_scope(self._engine) as session:
                return fn(session)

        return self._submit(self._writer, job, on_done, on_error)

    def write_unscoped(
        self, fn: Callable[[], Any], *, on_done: Callback | None = None, on_error: Callback | None = None
    ) -> int:
        """A core function that opens its own transactions (demo loading, import): still serialized
        with every other write on the writer thread."""
        return self._submit(self._writer, fn, on_done, on_error)

    def run(
        self, fn: Callable[[], Any], *, on_done: Callback | None = None, on_error: Callback | None = None
    ) -> int:
        """Work that does not write the database (PDF, signing, network, opening files): in parallel."""
        return self._submit(self._pool, fn, on_done, on_error)

    def _submit(
        self, pool: QThreadPool, fn: Callable[[], Any], on_done: Callback | None, on_error: Callback | None
    ) -> int:
        job_id = next(self._ids)
        with self._lock:
            self._pending[job_id] = _Pending(on_done, on_error)
        if self._synchronous:
            self._execute(job_id, fn)
            self._deliver(job_id, *self._last)
        else:
            pool.start(lambda: self._execute(job_id, fn))
        return job_id

    def _execute(self, job_id: int, fn: Callable[[], Any]) -> None:
        try:
            outcome, ok = fn(), True
        except ServiceError as exc:  # a refused edit: the user sees why; no traceback in the log
            log.info("background job %s refused: %s", job_id, exc)
            outcome, ok = exc, False
        except Exception as exc:  # delivered to on_error; the worker thread must survive
            log.exception("background job %s failed", job_id)
            outcome, ok = exc, False
        if self._synchronous:
            self._last = (outcome, ok)
        else:
            self._result.emit(job_id, outcome, ok)

    @Slot(int, object, bool)
    def _deliver(self, job_id: int, outcome: object, ok: bool) -> None:
        with self._lock:
            pending = self._pending.pop(job_id, None)
        callback = None if pending is None else (pending.on_done if ok else pending.on_error)
        if callback is not None:
            callback(outcome)
        (self.finished if ok else self.failed).emit(job_id, outcome)

    # --- lifetime -----------------------------------------------------------------------------

    def busy(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until the queues are drained (at exit: let the last edit commit)."""
        return bool(self._writer.waitForDone(msecs) and self._pool.waitForDone(msecs))
