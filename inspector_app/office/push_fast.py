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
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Any

from pydantic_core import to_json
from sqlalchemy.dialects import postgresql

from inspector_app.office.push_checks import unique_sets
from inspector_app.sync.protocol import PushBatch
from inspector_app.sync.rows import column_decoders, python_type
from inspector_app.sync.tables import LOCK_TABLE, LOCKED_CHILDREN, table

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


@dataclass(frozen=True)
class Plan:
    """A table's rows sorted before the push lock is taken: the odd ones (positions, for the exact
    path) and the others as the JSON PostgreSQL reads. None of it needs the database, so the
    office does it for the next batch while PostgreSQL works on this one."""

    odd: set[int]
    plain: list[dict[str, Any]]
    rows_json: str


def plan(name: str, raws: list[dict[str, Any]], latest_ms: int) -> Plan:
    """``latest_ms``: the newest stamp taken here (a later one goes the exact way, which decides
    it with its own clock)."""
    odd = _odd_rows(name, raws, latest_ms)
    plain = [r for n, r in enumerate(raws) if n not in odd] if odd else raws
    return Plan(odd, plain, to_json(plain).decode() if plain else "")  # Rust-fast, unlike json.dumps


def plan_batch(dialect: str, batch: PushBatch, max_skew_ms: int) -> dict[str, Plan]:
    if dialect != "postgresql":
        return {}
    latest = time.time_ns() // 1_000_000 + max_skew_ms
    return {
        name: plan(name, raws, latest)
        for name, raws in batch.rows.items()
        if name in TABLES and len(raws) >= MIN_ROWS
    }


def apply(push: _Push, name: str, raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the plainly new, clean rows; return the others for the exact path."""
    planned = push.plans.get(name)
    if planned is None:
        planned = plan(name, raws, push.now_ms + push.max_skew_ms)
    odd, plain = planned.odd, planned.plain
    if not plain:
        return raws
    conn = push.conn
    savepoint = conn.begin_nested()
    try:
        dbapi = conn.connection.driver_connection
        assert dbapi is not None
        with dbapi.cursor() as cur:  # the same connection, so the same transaction
            params = {
                "rows": planned.rows_json,
                "base": push.seq,
                "admin": push.p.is_admin,
                "teams": sorted(push.p.team_ids),
                "device": push.p.device_tag,
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


def _odd_rows(name: str, raws: list[dict[str, Any]], latest: int) -> set[int]:
    """Positions of rows holding a value the exact path would refuse or change (unknown column,
    wrong type, missing value, text not NFC, time without zone, stamp malformed or from the
    future). A whole column at a time in C (``_plain_column``: about a millisecond for 5,000
    rows); value by value only in a column where something is odd."""
    decoders = column_decoders(name)
    names = list(decoders)
    if set(map(type, raws)) == {dict} and set().union(*raws) <= decoders.keys():
        odd: set[int] = set()
        try:  # the laptops send every column: one C-level pass takes them all
            rows = zip(*map(itemgetter(*names), raws), strict=True)
            columns = dict(zip(names, map(list, rows), strict=True))
        except KeyError:
            columns = {c: list(map(methodcaller("get", c), raws)) for c in names}
    else:
        odd = {n for n, r in enumerate(raws) if type(r) is not dict or not decoders.keys() >= r.keys()}
        raws = [r if n not in odd else {} for n, r in enumerate(raws)]
        columns = {c: list(map(methodcaller("get", c), raws)) for c in names}
    t = table(name)
    for col, (_decode, required) in decoders.items():
        py, needed = python_type(t.c[col]), required and col != "seq"
        values = columns[col]
        if not _plain_column(py, needed, values):
            check = _value_check(py, needed)
            odd |= {n for n, v in enumerate(values) if not check(v)}
    stamps = columns["updated_at"]
    if not _plain_stamps(stamps) or int(max(stamps)[:13]) > latest:
        odd |= {n for n, v in enumerate(stamps) if not (_stamp_check(v) and int(str(v)[:13]) <= latest)}
    return odd


# Whole columns: the values joined by a separator and checked by one C-level call. U+001F never
# composes with a neighbour, so the joined text is NFC exactly when every value is; a value that
# holds the separator itself fails the joined pattern and only sends the column value by value.
_SEP = "\x1f"
_JOINED = {
    uuid.UUID: re.compile(f"(?:{_UUID.pattern}{_SEP})*{_UUID.pattern}"),
    dt.date: re.compile(f"(?:{_DATE.pattern}{_SEP})*{_DATE.pattern}"),
    dt.datetime: re.compile(f"(?:[^{_SEP}]*{_ZONED.pattern[:-1]}{_SEP})*[^{_SEP}]*{_ZONED.pattern[:-1]}"),
}
_ONE_STAMP = f"[0-9]{{13}}-[0-9]{{5}}-[^\n{_SEP}]+"  # _STAMP, but not across a separator
_JOINED_STAMPS = re.compile(f"(?:{_ONE_STAMP}{_SEP})*{_ONE_STAMP}")


def _plain_column(py: type, required: bool, values: list[Any]) -> bool:
    """True only if every value would pass ``_value_check`` (False may still be all plain)."""
    types = set(map(type, values))
    if not required and type(None) in types:
        types.discard(type(None))
        values = [v for v in values if v is not None]
    if not values:
        return True
    if py is bool or py is int:
        return types == {py}
    if types != {str}:
        return False
    joined = _SEP.join(values)
    if py is str:
        return "\x00" not in joined and unicodedata.is_normalized("NFC", joined)
    pattern = _JOINED.get(py)
    return pattern is not None and pattern.fullmatch(joined) is not None


def _plain_stamps(stamps: list[Any]) -> bool:
    if set(map(type, stamps)) != {str}:
        return False
    return _JOINED_STAMPS.fullmatch(_SEP.join(stamps)) is not None


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


@cache
def _statement(name: str) -> str:
    """One statement: read the rows from JSON, find those the exact path must see (already here,
    a refused visit, a missing parent, a unique value already held), insert the rest with seqs
    after ``base``. Answers acks (id, hlc, seq, n) and the positions n of the others (id NULL)."""
    t = table(name)
    q = postgresql.dialect().identifier_preparer.quote
    target = q(name)
    columns = [c.name for c in t.columns]
    # Lookups by key go through ``= ANY(ARRAY(...))`` of the batch's own values: index probes for
    # those few thousand keys whatever the planner guesses of the batch's size. A correlated
    # EXISTS was planned as a hash of the whole table, read again for every batch.
    visits = "ARRAY(SELECT DISTINCT visit_id FROM i)"
    writable = "v.team_id = ANY(%(teams)s::uuid[]) OR (v.team_id IS NULL AND v.device_id = %(device)s)"
    slow = [
        f"i.id IN (SELECT x.id FROM {target} x WHERE x.id = ANY(ARRAY(SELECT id FROM i)))",
        # a visit the office has not got or the device may not write (an admin writes any) …
        "NOT %(admin)s::boolean AND i.visit_id NOT IN "
        f"(SELECT v.id FROM visit v WHERE v.id = ANY({visits}) AND ({writable}))",
        # … or one signed already: the exact path refuses these rows with the reason
        f"i.visit_id IN (SELECT l.visit_id FROM {q(LOCK_TABLE)} l "
        f"WHERE NOT l.deleted AND l.visit_id = ANY({visits}))",
    ]
    for fk in t.foreign_keys:
        col, parent, key = q(fk.parent.name), fk.column.table, q(fk.column.name)
        batch_keys = f"ARRAY(SELECT DISTINCT {col} FROM i)"
        held = f"SELECT x.{key} FROM {q(parent.name)} x WHERE x.{key} = ANY({batch_keys})"
        missing = f"i.{col} IS NOT NULL AND i.{col} NOT IN ({held})"
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
