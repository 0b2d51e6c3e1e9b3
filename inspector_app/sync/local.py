"""The laptop side of sync in the database: collect dirty rows, keep the outbox, apply the
office's answer and pulled pages (each in one local transaction)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from inspector_app.core.bulk import encode_rows
from inspector_app.core.ids import uuid7
from inspector_app.core.models import utcnow
from inspector_app.core.models.sync import SyncOutbox
from inspector_app.sync import tables
from inspector_app.sync.protocol import (
    PROTOCOL_VERSION,
    RETRY_REASONS,
    PullPage,
    PushBatch,
    PushResult,
    Reason,
)
from inspector_app.sync.rows import LOCAL_ONLY, decode_row
from inspector_app.sync.stored import stored_rows
from inspector_app.sync.tables import table

OUTBOX = SyncOutbox.__table__  # type: ignore[attr-defined]
CONFLICTS_KEY = "sync.conflicts"  # JSON list in local_setting: what the office refused, both versions
MAX_CONFLICTS = 200
SYNC_CHECKPOINT_PAGES = 16_000  # 64 MB of WAL at 4 KB pages
_QUOTE = sqlite.dialect().identifier_preparer  # the laptop's database is SQLite
SETTING = sa.table("local_setting", sa.column("key"), sa.column("value"))


@contextmanager
def bookkeeping(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction of sync's own bookkeeping: the outbox, acks, a pulled page. A power cut may
    undo it without harm (the batch is sent again, the page pulled again, and the office takes
    both as no-ops), so it skips the flush to disk that every inspector's edit waits for
    (``core.db``: synchronous=FULL); the next such edit flushes it too. The flush cost 19 ms a
    commit here, two commits a batch."""
    with engine.connect() as conn:
        # Outside any transaction (pysqlite). A longer WAL before a checkpoint too: a batch rewrites
        # the same index pages as the one before, copied back to the database once, not each time.
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={SYNC_CHECKPOINT_PAGES}")
        conn.commit()
        try:
            with conn.begin():
                yield conn
        finally:
            conn.exec_driver_sql("PRAGMA synchronous=FULL")
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint=1000")  # SQLite's default
            conn.commit()


def get(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(SETTING.c.value).where(SETTING.c.key == key)).scalar_one_or_none()


def put(conn: sa.Connection, key: str, value: str) -> None:
    if conn.execute(SETTING.update().where(SETTING.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(SETTING.insert().values(key=key, value=value))


def _json_expr(col: sa.Column[Any], q: str) -> str:
    """SQLite's JSON value of one stored column, as ``rows.encode_row`` would send it."""
    ctype = col.type.impl_instance if isinstance(col.type, sa.TypeDecorator) else col.type
    if isinstance(ctype, sa.Uuid):  # stored as 32 hex digits
        parts = "||'-'||".join(
            f"substr({q},{a},{n})" for a, n in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        )
        return f"CASE WHEN length({q}) = 32 THEN lower({parts}) ELSE {q} END"
    if isinstance(ctype, sa.DateTime):  # stored as naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff'
        return f"replace({q}, ' ', 'T') || '+00:00'"
    if isinstance(ctype, sa.Boolean):
        return f"json(CASE WHEN {q} IS NULL THEN NULL WHEN {q} THEN 'true' ELSE 'false' END)"
    return q  # text, integers, dates and times: stored as sent


@cache
def _dirty_sql(name: str) -> tuple[str, str]:
    """Two statements: the last rowid of this table's part of a batch, found in the partial
    index of dirty rows (keyed by the flag, so in rowid order: a seek, even when nothing is
    dirty), then the rowid, id and JSON object of each dirty row of that rowid range, the JSON
    made by SQLite itself (no per-row Python on the laptop).

    Rows go up in rowid (insertion) order, not id order: a visit's rows sit together on disk
    while their ids are hashes spread over the whole table, so marking 5,000 sent rows clean
    rewrites a few hundred pages instead of thousands."""
    t = table(name)
    quote = _QUOTE.quote
    pairs = ", ".join(
        f"'{c.name}', {_json_expr(c, quote(c.name))}" for c in t.columns if c.name not in LOCAL_ONLY
    )
    # ``dirty`` as the partial index is written (SQLite uses it only then), ``dirty = 1`` to seek.
    ends = (
        f"SELECT max(rowid) FROM (SELECT rowid FROM {quote(name)} "
        "WHERE dirty AND dirty = 1 AND rowid > ? ORDER BY rowid LIMIT ?)"
    )
    rows = (
        f"SELECT rowid, id, json_object({pairs}) FROM {quote(name)} "
        "WHERE dirty AND rowid > ? AND rowid <= ? ORDER BY rowid"
    )
    return ends, rows


def outbox_entries(conn: sa.Connection) -> list[tuple[str, str]]:
    """Batches built but not acknowledged (a crash, a cut network), oldest first: sent again as they are."""
    q = sa.select(OUTBOX.c.batch_id, OUTBOX.c.body).order_by(OUTBOX.c.created_at, OUTBOX.c.batch_id)
    return [(r.batch_id, r.body) for r in conn.execute(q)]


@dataclass(frozen=True)
class Built:
    batch_id: str
    body: str
    count: int
    # table → stored id → rowid of the rows sent: acks find their rows by rowid, a third faster
    # than through the id index (each ack is checked against the id too).
    rowids: dict[str, dict[str, int]] = field(default_factory=dict)


def build_batch(
    engine: sa.Engine, device_tag: str, max_rows: int, after: dict[str, int] | None = None
) -> Built | None:
    """Dirty rows, parents before children and the lock last, written to the outbox *before*
    sending: a crash after sending replays exactly this batch.

    ``after`` holds, per table, the last rowid already put in a batch of this pass and is moved on
    here: the next batch can be built while the office still works on this one (its rows are
    still dirty until the answer comes back)."""
    after = {} if after is None else after
    with bookkeeping(engine) as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        parts: list[str] = []
        rowids: dict[str, dict[str, int]] = {}
        count = 0
        for t in tables.synced_tables():
            if count >= max_rows:
                break
            ends, rows = _dirty_sql(t.name)
            start = after.get(t.name, 0)
            end = conn.exec_driver_sql(ends, (start, max_rows - count)).scalar()
            if end is not None:
                after[t.name] = end
                got = raw.execute(rows, (start, end)).fetchall()  # plain tuples: no Row objects
                parts.append(f'"{t.name}":[{",".join(map(itemgetter(2), got))}]')
                rowids[t.name] = dict(zip(map(itemgetter(1), got), map(itemgetter(0), got), strict=True))
                count += len(got)
        if not count:
            return None
        batch_id = str(uuid7())
        head = {"protocol": PROTOCOL_VERSION, "device_id": device_tag, "batch_id": batch_id}
        body = (
            json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
            + ',"rows":{'
            + ",".join(parts)
            + "}}"
        )
        conn.execute(OUTBOX.insert().values(batch_id=batch_id, body=body, created_at=utcnow()))
    return Built(batch_id, body, count, rowids)


@dataclass
class Applied:
    pushed: int = 0
    conflicts: int = 0
    rejected: list[tuple[str, str, str, str]] = field(default_factory=list)  # table, id, code, reason


def apply_result(
    engine: sa.Engine, body: str, result: PushResult, rowids: dict[str, dict[str, int]] | None = None
) -> Applied:
    """Acks mark rows clean only if unchanged since they were sent; the office's version replaces
    a refused row the laptop has not touched since; the outbox entry goes in the same transaction.
    ``rowids``: ``Built.rowids`` of this batch, if it was built in this run."""
    out = Applied(conflicts=result.conflicts)
    with bookkeeping(engine) as conn:
        for name, acks in result.acks.items():
            _ack(conn, name, acks, (rowids or {}).get(name, {}))
            out.pushed += len(acks)
        if not result.rejected:
            conn.execute(OUTBOX.delete().where(OUTBOX.c.batch_id == result.batch_id))
            return out
        sent = PushBatch.model_validate_json(body)  # only to settle refused rows
        sent_hlc = {(name, r["id"]): r.get("updated_at") for name, rows in sent.rows.items() for r in rows}
        server = {(n, r["id"]): r for n, rows in result.server_rows.items() for r in rows}
        mine = {(n, r.get("id")): r for n, rows in sent.rows.items() for r in rows}
        kept: list[dict[str, Any]] = []
        for rej in result.rejected:
            out.rejected.append((rej.table, rej.id, rej.code.value, rej.reason))
            if rej.code in RETRY_REASONS or rej.table not in tables.table_names():
                continue  # stays dirty: the parent may arrive with a later batch
            kept.append(
                {
                    "table": rej.table,
                    "id": rej.id,
                    "code": rej.code.value,
                    "reason": rej.reason,
                    "at": utcnow().isoformat(timespec="seconds"),
                    "mine": mine.get((rej.table, rej.id)),
                    "office": server.get((rej.table, rej.id)),
                }
            )
            _settle_refused(conn, rej.table, rej.id, rej.code, sent_hlc.get((rej.table, rej.id)), server)
        if kept:
            put(conn, CONFLICTS_KEY, json.dumps((kept + conflicts(conn))[:MAX_CONFLICTS], ensure_ascii=False))
        conn.execute(OUTBOX.delete().where(OUTBOX.c.batch_id == result.batch_id))
    return out


def _ack(conn: sa.Connection, name: str, acks: list[tuple[str, str, int]], rowids: dict[str, int]) -> None:
    """The office's seq on each acked row (the version a later edit is based on), and the row
    clean unless edited again since it was sent. Rows found by the rowid they were read with, in
    rowid order (neighbouring pages); a row not in ``rowids`` (a batch of an earlier run) by id."""
    q = _QUOTE.quote(table(name).name)
    clean = "CASE WHEN updated_at = ? THEN 0 ELSE dirty END"  # re-edited meanwhile: stays dirty
    by_rowid, by_id = [], []
    for rid, hlc, seq in acks:
        stored = rid.replace("-", "").lower()  # ids are stored as 32 hex digits (SQLAlchemy's Uuid)
        rowid = rowids.get(stored)
        if rowid is None:
            by_id.append((seq, hlc, stored))
        else:
            by_rowid.append((seq, hlc, rowid, stored))
    by_rowid.sort(key=itemgetter(2))
    by_id.sort(key=itemgetter(2))
    if by_rowid:
        sql = f"UPDATE {q} SET seq = ?, dirty = {clean} WHERE rowid = ? AND id = ?"
        if conn.exec_driver_sql(sql, by_rowid).rowcount < len(by_rowid):
            # A row moved since it was read (VACUUM renumbers rowids): all of them by id, again.
            by_id += [(seq, hlc, stored) for seq, hlc, _rowid, stored in by_rowid]
    if by_id:
        conn.exec_driver_sql(f"UPDATE {q} SET seq = ?, dirty = {clean} WHERE id = ?", by_id)


def conflicts(conn: sa.Connection) -> list[dict[str, Any]]:
    """Rows the office refused from this laptop, newest first: both versions, for the UI."""
    raw = get(conn, CONFLICTS_KEY)
    return list(json.loads(raw)) if raw else []


def clear_conflicts(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        put(conn, CONFLICTS_KEY, "[]")


def _settle_refused(
    conn: sa.Connection, name: str, rid: str, code: Reason, hlc: str | None, server: dict[Any, Any]
) -> None:
    t = table(name)
    try:
        row_id = uuid.UUID(rid)
    except ValueError:
        return
    local = conn.execute(sa.select(t.c.updated_at).where(t.c.id == row_id)).scalar_one_or_none()
    if local is None or local != hlc:
        return  # edited again meanwhile: that newer edit goes with the next batch
    office = server.get((name, rid))
    if office is not None:
        force_rows(conn, name, [decode_row(name, office)])
    elif code == Reason.LOCKED:
        # The office keeps the refused row as a conflict record; here it leaves the signed visit.
        conn.execute(t.update().where(t.c.id == row_id).values(deleted=True, dirty=False))
    else:
        conn.execute(t.update().where(t.c.id == row_id).values(dirty=False))


def _upsert_sql(conn: sa.Connection, t: sa.Table, columns: list[str], where: str) -> str:
    q = conn.dialect.identifier_preparer.quote
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns if c != "id")
    return (
        f"INSERT INTO {q(t.name)} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['?'] * len(columns))}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates} {where}"
    )


def force_rows(conn: sa.Connection, name: str, rows: list[dict[str, Any]]) -> None:
    t = table(name)
    columns = [c.name for c in t.columns]
    params = encode_rows(t, columns, [r | {"dirty": False} for r in rows], conn.dialect)
    conn.exec_driver_sql(_upsert_sql(conn, t, columns, ""), params)


def apply_page(conn: sa.Connection, page: PullPage) -> tuple[int, str | None, list[dict[str, Any]]]:
    """Newer-wins for rows not edited here since; the same version just takes the office's seq.
    A dirty local row is left alone: it goes up with the next push (the office keeps the loser).
    Returns (rows applied, newest HLC seen, attachment rows)."""
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # a page is consistent as a whole
    grouped: dict[str, list[dict[str, Any]]] = {}
    for ch in [*page.parents, *page.changes]:
        grouped.setdefault(ch.table, []).append(ch.row)
    newest: str | None = None
    attachments: list[dict[str, Any]] = []
    count = 0
    for t in tables.synced_tables():
        raw = grouped.get(t.name)
        if not raw:
            continue
        rows = list({r["id"]: r for r in raw}.values())  # a parent may also be a change of the page
        columns = [c.name for c in t.columns]
        where = (
            "WHERE (excluded.updated_at > {t}.updated_at AND NOT {t}.dirty) "
            "OR excluded.updated_at = {t}.updated_at"
        )
        conn.exec_driver_sql(
            _upsert_sql(conn, t, columns, where.format(t=t.name)), stored_rows(t.name, columns, rows)
        )
        count += len(rows)
        top = max(r["updated_at"] for r in rows)
        newest = top if newest is None or top > newest else newest
        if t.name == tables.ATTACHMENT:
            attachments += rows
    return count, newest, attachments


def dirty_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return sum(
            conn.execute(sa.select(sa.func.count()).select_from(t).where(sa.text("dirty"))).scalar_one()
            for t in tables.synced_tables()
        )
