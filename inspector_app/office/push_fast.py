"""The bulk of a push, set-wise in PostgreSQL: new rows of a visit's children (answers, roll call…).

A laptop back from the field sends thousands of rows the office has never seen. Deciding them one
by one in Python cost four times a plain ``executemany`` (bench/sync.py). Here PostgreSQL reads the
table's rows from their JSON in one statement, checks types, stamps, parents and visits set-wise,
and inserts the clean ones with fresh seqs. A row that is not plainly new and clean (it exists
already, is not NFC, has a wrong type, names a parent the office lacks, belongs to a signed visit
or another team's…) is handed back to the exact path (``push._apply_table``), which decides it
with its reason. Any error here rolls back to a savepoint and hands every row back: this path may
only ever be faster, never different.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
import uuid
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic_core import to_json
from sqlalchemy.dialects import postgresql

from inspector_app.office.push_checks import unique_sets
from inspector_app.sync.rows import column_decoders, python_type
from inspector_app.sync.tables import LOCKED_CHILDREN, table

if TYPE_CHECKING:
    from inspector_app.office.push import _Push

log = logging.getLogger(__name__)
MIN_ROWS = 200  # below this the exact path is as fast
TABLES = LOCKED_CHILDREN  # every one has a visit_id and no rule of its own for a new row
# A stamp as the laptops write it (``core.hlc``); anything else goes the exact way.
_STAMP = re.compile(r"[0-9]{13}-[0-9]{5}-[^\n]+")
_ZONED = re.compile(r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)$")  # a time with its offset, as DESIGN §3 asks
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # as str(uuid) writes it


def eligible(push: _Push, name: str, raws: list[dict[str, Any]]) -> bool:
    return push.conn.dialect.name == "postgresql" and name in TABLES and len(raws) >= MIN_ROWS


def apply(push: _Push, name: str, raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the plainly new, clean rows; return the others for the exact path."""
    odd = _odd_rows(push, name, raws)
    plain = [r for n, r in enumerate(raws) if n not in odd] if odd else raws
    if not plain:
        return raws
    conn = push.conn
    savepoint = conn.begin_nested()
    try:
        dbapi = conn.connection.driver_connection
        assert dbapi is not None
        with dbapi.cursor() as cur:  # the same connection, so the same transaction
            params = {
                "rows": to_json(plain).decode(),  # Rust-fast, unlike json.dumps
                "base": push.seq,
                "refused": _refused_visits(push, name, {r["visit_id"] for r in plain}),
            }
            cur.execute(_statement(name), params)
            answer = cur.fetchall()
    except Exception as exc:  # any surprise: the exact path decides every row, with its reason
        log.info("set-wise push of %s rows of %s fell back to row by row: %s", len(raws), name, exc)
        savepoint.rollback()
        return raws
    savepoint.commit()
    acks = [(rid, hlc, seq) for rid, hlc, seq, _n in answer if rid is not None]
    push.seq += len(acks)
    push.result.acks.setdefault(name, []).extend(acks)
    return [raws[n] for n in sorted(odd)] + [plain[n - 1] for rid, _hlc, _seq, n in answer if rid is None]


def _odd_rows(push: _Push, name: str, raws: list[dict[str, Any]]) -> set[int]:
    """Positions of rows holding a value the exact path would refuse or change (unknown column,
    wrong type, missing value, text not NFC, time without zone, stamp malformed or from the
    future). Column by column with C-level ``map`` (a few milliseconds for 5,000 rows); value by
    value only in a column where something is odd."""
    decoders = column_decoders(name)
    odd = {n for n, r in enumerate(raws) if type(r) is not dict or not decoders.keys() >= r.keys()}
    if odd:
        raws = [r if n not in odd else {} for n, r in enumerate(raws)]
    t = table(name)
    for col, (_decode, required) in decoders.items():
        check = _value_check(python_type(t.c[col]), required and col != "seq")
        values = [r.get(col) for r in raws]
        if not all(map(check, values)):
            odd |= {n for n, v in enumerate(values) if not check(v)}
    latest = push.now_ms + push.max_skew_ms
    stamps = [r.get("updated_at") for r in raws]
    if not all(map(_stamp_check, stamps)) or int(max(stamps)[:13]) > latest:  # type: ignore[index, type-var]
        odd |= {n for n, v in enumerate(stamps) if not (_stamp_check(v) and int(str(v)[:13]) <= latest)}
    return odd


def _stamp_check(value: Any) -> bool:
    return type(value) is str and _STAMP.fullmatch(value) is not None


def _value_check(py: type, required: bool) -> Callable[[Any], bool]:
    """Whether one JSON value is taken unchanged by the exact path's decoder (``sync.rows``)."""
    if py is bool or py is int:
        kind = py

        def plain(v: Any) -> bool:
            return type(v) is kind
    elif py is str:

        def plain(v: Any) -> bool:
            return type(v) is str and "\x00" not in v and unicodedata.is_normalized("NFC", v)
    elif py is dt.datetime:

        def plain(v: Any) -> bool:
            return type(v) is str and _ZONED.search(v) is not None
    elif py is dt.date:

        def plain(v: Any) -> bool:
            return type(v) is str and _DATE.fullmatch(v) is not None
    elif py is uuid.UUID:

        def plain(v: Any) -> bool:
            return type(v) is str and _UUID.fullmatch(v) is not None
    else:

        def plain(v: Any) -> bool:
            return False  # a type this path does not know: the exact way

    if required:
        return plain
    return lambda v: v is None or plain(v)


def _refused_visits(push: _Push, name: str, visit_ids: set[str]) -> list[uuid.UUID]:
    """Visits whose rows the exact path must see: unknown here, another team's, or signed."""
    from inspector_app.office.push import load_visits, locked_visits, may_write_visit

    ids = [uuid.UUID(v) for v in visit_ids]  # canonical: checked by _odd_rows
    load_visits(push, set(ids))
    locked = locked_visits(push, name, {v: v for v in ids})
    refused = []
    for vid in ids:
        known = push.visits.get(vid)
        if vid in locked or (not push.p.is_admin and (known is None or not may_write_visit(push.p, *known))):
            refused.append(vid)
    return refused


@cache
def _statement(name: str) -> str:
    """One statement: read the rows from JSON, find those the exact path must see (already here,
    a refused visit, a missing parent, a unique value already held), insert the rest with seqs
    after ``base``. Answers acks (id, hlc, seq, n) and the positions n of the others (id NULL)."""
    t = table(name)
    q = postgresql.dialect().identifier_preparer.quote
    target = q(name)
    columns = [c.name for c in t.columns]
    slow = [
        f"EXISTS (SELECT 1 FROM {target} x WHERE x.id = i.id)",
        "i.visit_id = ANY(%(refused)s::uuid[])",
    ]
    for fk in t.foreign_keys:
        col, parent, key = q(fk.parent.name), fk.column.table, q(fk.column.name)
        held = f"SELECT 1 FROM {q(parent.name)} x WHERE x.{key} = i.{col}"
        missing = f"i.{col} IS NOT NULL AND NOT EXISTS ({held})"
        if parent.name == name:
            missing += f" AND i.{col} NOT IN (SELECT id FROM i)"
        slow.append(missing)
    for unique in unique_sets(t):  # a clash inside the batch fails the insert: all go the exact way
        same = " AND ".join(f"x.{q(c)} = i.{q(c)}" for c in unique)
        slow.append(f"EXISTS (SELECT 1 FROM {target} x WHERE {same})")
    fixed = {"seq": "%(base)s + row_number() OVER (ORDER BY i._n)", "dirty": "false"}
    values = [fixed.get(c, f"i.{q(c)}") for c in columns]
    return (
        f"WITH i AS MATERIALIZED (SELECT r.*, r.ordinality AS _n "
        f"FROM json_populate_recordset(NULL::{target}, %(rows)s::json) WITH ORDINALITY AS r), "
        f"slow AS (SELECT i._n FROM i WHERE {' OR '.join(f'({c})' for c in slow)}), "
        f"ins AS (INSERT INTO {target} ({', '.join(q(c) for c in columns)}) "
        f"SELECT {', '.join(values)} FROM i WHERE i._n NOT IN (SELECT _n FROM slow) "
        "RETURNING id::text, updated_at, seq) "
        "SELECT id, updated_at, seq, NULL::bigint FROM ins UNION ALL SELECT NULL, NULL, NULL, _n FROM slow"
    )


def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)
