"""Checks a pushed row passes before it is written, so that one bad row is refused with a
reason instead of failing (and endlessly retrying) the whole batch's transaction."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from inspector_app.i18n import _
from inspector_app.office import store
from inspector_app.sync.protocol import Reason
from inspector_app.sync.tables import table

if TYPE_CHECKING:
    from inspector_app.office.push import _Push

Decided = list[tuple[dict[str, Any], dict[str, Any] | None]]


def check_references(push: _Push, name: str, decided: Decided) -> Decided:
    """Every foreign key must point at a row the office holds (or one accepted just before in this
    batch). A missing parent is a retry, not a loss: batches can arrive out of order."""
    t = table(name)
    bad: set[uuid.UUID] = set()
    own_ids = {row["id"] for row, _old in decided}
    for fk in t.foreign_keys:
        col, target = fk.parent.name, fk.column.table
        wanted = {row[col] for row, _old in decided if row.get(col) is not None}
        if target.name == name:
            wanted -= own_ids
        if not wanted:
            continue
        missing = wanted - store.existing_ids(push.conn, target, wanted)
        if missing:
            bad |= {row["id"] for row, _old in decided if row.get(col) in missing}
    if not bad:
        return decided
    msg = _("A record it refers to has not reached the office yet")
    for row, _old in decided:
        if row["id"] in bad:
            push.reject(name, row, Reason.MISSING_PARENT, msg)
    return [(r, o) for r, o in decided if r["id"] not in bad]


def unique_sets(t: sa.Table) -> list[tuple[str, ...]]:
    sets = {
        tuple(c.name for c in con.columns) for con in t.constraints if isinstance(con, sa.UniqueConstraint)
    }
    sets |= {tuple(c.name for c in ix.columns) for ix in t.indexes if ix.unique}
    sets |= {(c.name,) for c in t.columns if c.unique}
    return sorted(s for s in sets if s and s != ("id",))


def check_uniques(push: _Push, name: str, decided: Decided) -> Decided:
    """Refuse a row whose unique values (a team code, a file hash…) another row already holds."""
    t = table(name)
    for cols in unique_sets(t):
        holders: dict[tuple[Any, ...], uuid.UUID] = {}
        firsts = {row[cols[0]] for row, _old in decided if row.get(cols[0]) is not None}
        for r in store.select_in(push.conn, t, cols[0], firsts, ("id", *cols)):
            holders[tuple(r[1:])] = r[0]
        kept: Decided = []
        for row, old in decided:
            key = tuple(row.get(c) for c in cols)
            holder = holders.get(key)
            if holder is not None and holder != row["id"] and None not in key:
                msg = _("Another record already has the same {columns}").format(columns=", ".join(cols))
                push.reject(name, row, Reason.DUPLICATE, msg, keep="refused", server=old)
                continue
            if None not in key:
                holders[key] = row["id"]
            kept.append((row, old))
        decided = kept
    return decided
