"""Database helpers of the office: the serialized change counter, chunked lookups, set-based
upserts straight to the driver, and conflict records."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from inspector_app.core.bulk import insert_rows
from inspector_app.core.ids import uuid7
from inspector_app.core.models import utcnow
from inspector_app.core.models.sync import SyncConflict
from inspector_app.sync.rows import encode_row
from inspector_app.sync.tables import table

CHUNK = 900  # SQLite's default limit of bound parameters is 999
_ADVISORY_KEY = 727_001  # any constant shared by every office process


def lock_counter(conn: sa.Connection) -> int:
    """Take the push lock and return the counter. Held until commit, so seq order is commit order
    (a PostgreSQL SEQUENCE hands numbers out in start order and would let a puller skip rows)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_ADVISORY_KEY})")
    else:
        # A write as the first statement: SQLite takes its single writer lock now (waiting on the
        # busy timeout) rather than failing to upgrade a read snapshot later.
        conn.exec_driver_sql("UPDATE sync_counter SET value = value WHERE id = 1")
    return int(conn.exec_driver_sql("SELECT value FROM sync_counter WHERE id = 1").scalar_one())


def save_counter(conn: sa.Connection, value: int) -> None:
    conn.exec_driver_sql(f"UPDATE sync_counter SET value = {int(value)} WHERE id = 1")


def read_counter(conn: sa.Connection) -> int:
    return int(conn.exec_driver_sql("SELECT value FROM sync_counter WHERE id = 1").scalar_one())


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def select_in(
    conn: sa.Connection, t: sa.Table, key: str, values: Iterable[Any], columns: Sequence[str]
) -> list[list[Any]]:
    """``SELECT columns FROM t WHERE key IN values`` straight to the driver, values converted by
    the column types (no per-statement compile): PostgreSQL gets one ``= ANY(array)``, SQLite
    chunks of bound parameters."""
    dialect = conn.dialect
    q = dialect.identifier_preparer.quote
    bind = t.c[key].type._cached_bind_processor(dialect)
    wanted = list(set(values))  # no sort: comparing thousands of UUIDs in Python costs more than the query
    params = [bind(v) for v in wanted] if bind is not None else wanted
    head = f"SELECT {', '.join(q(c) for c in columns)} FROM {q(t.name)} WHERE {q(key)}"
    found: list[Any] = []
    if dialect.name == "postgresql":
        if params:
            found += conn.exec_driver_sql(f"{head} = ANY(%s)", (params,)).fetchall()
    else:
        for part in chunks(params):
            found += conn.exec_driver_sql(f"{head} IN ({', '.join('?' * len(part))})", tuple(part)).fetchall()
    procs = [
        (i, p)
        for i, c in enumerate(columns)
        if (p := t.c[c].type._cached_result_processor(dialect, None)) is not None
    ]
    out = [list(r) for r in found]
    for i, proc in procs:
        for r in out:
            r[i] = proc(r[i])
    return out


def rows_by_id(conn: sa.Connection, name: str, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    t = table(name)
    columns = [c.name for c in t.columns]
    return {r[0]: dict(zip(columns, r, strict=True)) for r in select_in(conn, t, "id", ids, columns)}


def existing_ids(conn: sa.Connection, t: sa.Table, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    key = next(iter(t.primary_key.columns)).name
    return {r[0] for r in select_in(conn, t, key, ids, [key])}


def _params(
    t: sa.Table, columns: Sequence[str], rows: Sequence[dict[str, Any]], dialect: sa.Dialect
) -> list[Any]:
    """Rows as driver values: one C-level ``map`` per row, the column types' converters only on
    the columns that have one (``core.bulk.encode_rows`` calls a check per value)."""
    out = [list(map(r.get, columns)) for r in rows]
    for i, name in enumerate(columns):
        proc = t.c[name].type._cached_bind_processor(dialect)
        if proc is None:
            continue
        for r in out:
            if r[i] is not None:
                r[i] = proc(r[i])
    return out


COPY_MIN_ROWS = 50  # below this a plain executemany is as fast as COPY plus the INSERT … SELECT


def upsert(conn: sa.Connection, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Write decided rows (ids unique within ``rows``): ``INSERT … ON CONFLICT (id) DO UPDATE``.

    On PostgreSQL a large set goes by ``COPY`` into a temporary staging table and one set-based
    ``INSERT … SELECT … ON CONFLICT`` (TECH-NOTES §6: per-row round trips were the cost)."""
    if not rows:
        return
    t = table(name)
    columns = [c.name for c in t.columns]
    q = conn.dialect.identifier_preparer.quote
    cols = ", ".join(q(c) for c in columns)
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns if c != "id")
    params = _params(t, columns, rows, conn.dialect)
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_MIN_ROWS:
        _copy_upsert(conn, q(name), cols, updates, params)
        return
    ph = "?" if conn.dialect.paramstyle in ("qmark", "numeric") else "%s"
    sql = f"INSERT INTO {q(name)} ({cols}) VALUES ({', '.join([ph] * len(columns))}) "
    conn.exec_driver_sql(sql + f"ON CONFLICT (id) DO UPDATE SET {updates}", [tuple(r) for r in params])


def _copy_upsert(conn: sa.Connection, name: str, cols: str, updates: str, params: list[Any]) -> None:
    stage = f"_stage_{name.strip(chr(34))}"
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    with dbapi.cursor() as cur:  # the same connection, so the same transaction
        # Emptied at every commit; created once per pooled connection.
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {name}) ON COMMIT DELETE ROWS")
        cur.execute(f"TRUNCATE {stage}")
        with cur.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
            for row in params:
                copy.write_row(row)
        cur.execute(
            f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {stage} ON CONFLICT (id) DO UPDATE SET {updates}"
        )


def conflict_row(
    *,
    name: str,
    row: dict[str, Any],
    kind: str,
    reason: str,
    device_id: uuid.UUID,
    batch_id: str,
) -> dict[str, Any]:
    return {
        "id": uuid7(),
        "table_name": name,
        "row_id": row["id"],
        "kind": kind,
        "reason": reason,
        "hlc": row.get("updated_at") or "",
        "row": json.dumps(encode_row(row), ensure_ascii=False, sort_keys=True),
        "device_id": device_id,
        "batch_id": batch_id,
        "recorded_at": utcnow(),
    }


def save_conflicts(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    insert_rows(conn, SyncConflict.__table__, rows)  # type: ignore[attr-defined]
