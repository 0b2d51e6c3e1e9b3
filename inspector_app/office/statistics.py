"""Planner statistics for a fresh office's fast-growing tables (PostgreSQL only).

Until PostgreSQL has sampled a table it takes it for nearly empty, and a pull page joins the
visit table by nested loops over the whole seq range: 190 ms a page instead of 2 ms after a first
big push. Autovacuum gets there within minutes, too late for the laptops that sync right after.

So the office counts the rows its own pushes write to each table and, in one background thread,
ANALYZEs a table once those rows reach three times the rows PostgreSQL counted at the last
ANALYZE (and ``STALE_ROWS`` at the least): a handful while an office fills, none on the push's
path. Only the columns rows are found by (id, seq, references) are sampled, a third of the cost
of the whole table; autovacuum samples the rest in its own time. Counting here rather than reading
``pg_stat_user_tables`` matters: those figures reach the view up to a second late, after the
pushes of a busy minute have already been judged fresh.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import Counter
from collections.abc import Mapping
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from inspector_app.sync.tables import table

log = logging.getLogger(__name__)
STALE_ROWS = 100  # rows written since the planner last looked, at the least, before it looks again
GROWTH = 3  # rows written since, for each row it saw then


class _Refresher:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = weakref.ref(engine)
        self._lock = threading.Lock()
        self._written: Counter[str] = Counter()  # rows written since this process last sampled
        self._sampled: dict[str, float] = {}  # rows PostgreSQL counted then (reltuples)
        self._thread: threading.Thread | None = None
        self.analyzed: Counter[str] = Counter()  # ANALYZEs run, per table (tests, bench)

    def note(self, written: Mapping[str, int]) -> None:
        with self._lock:
            self._written.update({n: c for n, c in written.items() if c > 0})
            if self._thread is None and self._written:
                self._thread = threading.Thread(target=self._run, name="office-analyze", daemon=True)
                self._thread.start()

    def _stale(self) -> list[str]:
        return [
            name
            for name, count in self._written.items()
            if count >= max(STALE_ROWS, GROWTH * self._sampled.get(name, 0.0))
        ]

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    names = self._stale()
                    if not names:
                        self._thread = None
                        return
                    for name in names:
                        del self._written[name]
                self._analyze(names)
        except BaseException:
            with self._lock:
                self._thread = None
            raise

    def _analyze(self, names: list[str]) -> None:
        engine = self._engine()
        if engine is None:
            return
        try:
            with engine.connect() as conn:
                for name in names:
                    conn.exec_driver_sql(f"ANALYZE {_key_columns(name)}")
                    conn.commit()
                    self.analyzed[name] += 1
                found = conn.exec_driver_sql(
                    "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'",
                    (names,),
                ).fetchall()
        except sa.exc.SQLAlchemyError as exc:  # statistics are an optimisation: never fail for them
            log.warning("could not refresh the statistics of %s: %s", ", ".join(names), exc)
            return
        with self._lock:
            self._sampled.update({name: max(float(tuples), 0.0) for name, tuples in found})

    def wait(self, timeout: float) -> bool:
        """True once no ANALYZE is running or due (tests and the bench wait for this)."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        with self._lock:
            return self._thread is None


@cache
def _key_columns(name: str) -> str:
    t = table(name)
    keys = [c.name for c in t.columns if c.primary_key or c.foreign_keys or c.name == "seq"]
    quote = postgresql.dialect().identifier_preparer.quote
    return f"{quote(name)} ({', '.join(quote(k) for k in keys)})"


_refreshers: weakref.WeakKeyDictionary[sa.Engine, _Refresher] = weakref.WeakKeyDictionary()
_refreshers_lock = threading.Lock()


def refresher(engine: sa.Engine) -> _Refresher:
    with _refreshers_lock:
        found = _refreshers.get(engine)
        if found is None:
            found = _refreshers[engine] = _Refresher(engine)
        return found


def rows_written(engine: sa.Engine, written: Mapping[str, int]) -> None:
    """Count a push's new rows per table; stale tables are ANALYZEd in the background."""
    if engine.dialect.name == "postgresql":
        refresher(engine).note(written)
