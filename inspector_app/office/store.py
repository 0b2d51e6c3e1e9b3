"""Database helpers of the office: the serialized change counter, chunked lookups, set-based
upserts straight to the driver, and conflict records."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from inspector_app.core.bulk import encode_rows, insert_rows
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


def rows_by_id(conn: sa.Connection, name: str, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    t = table(name)
    out: dict[uuid.UUID, dict[str, Any]] = {}
    for part in chunks(sorted(set(ids))):
        for r in conn.execute(sa.select(t).where(t.c.id.in_(part))):
            out[r.id] = dict(r._mapping)
    return out


def existing_ids(conn: sa.Connection, t: sa.Table, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    key = next(iter(t.primary_key.columns))
    found: set[uuid.UUID] = set()
    for part in chunks(sorted(set(ids))):
        found.update(conn.execute(sa.select(key).where(key.in_(part))).scalars())
    return found


def upsert(conn: sa.Connection, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Write decided rows: ``INSERT … ON CONFLICT (id) DO UPDATE``, the same SQL on both databases."""
    if not rows:
        return
    t = table(name)
    columns = [c.name for c in t.columns]
    q = conn.dialect.identifier_preparer.quote
    ph = "?" if conn.dialect.paramstyle in ("qmark", "numeric") else "%s"
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns if c != "id")
    sql = (
        f"INSERT INTO {q(name)} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join([ph] * len(columns))}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    conn.exec_driver_sql(sql, encode_rows(t, columns, rows, conn.dialect))


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
