"""Which tables sync, in which order, and how each relates to a visit (for locks and team scope)."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlmodel import SQLModel

import inspector_app.core.models  # noqa: F401  (registers every table on the metadata)

LOCK_TABLE = "visit_lock"
# Tables a signed visit covers (DESIGN §4): the visit row itself and these children.
LOCKED_CHILDREN = frozenset(
    {"visit_member", "answer", "roll_call", "finding", "remedy", "signature", "attachment_link"}
)
# Recorded beside a visit, never inside it: still accepted after signing.
BESIDE_VISIT = frozenset({"addendum", "remedy_follow_up", LOCK_TABLE})
# Field tables that are not tied to one visit by a visit_id column.
ATTACHMENT = "attachment"
AUDIT = "audit_entry"
FIELD_NOT_BY_VISIT = frozenset({"visit", ATTACHMENT, AUDIT, "remedy_follow_up"})
SYNC_MARKERS = frozenset({"id", "updated_at", "deleted", "dirty", "seq"})


def _is_synced(table: sa.Table) -> bool:
    return set(table.c.keys()) >= SYNC_MARKERS


@cache
def synced_tables() -> tuple[sa.Table, ...]:
    """Every synced table, parents before children (the metadata's foreign-key order), the lock
    last: it must reach the office after the data it covers."""
    tables = [t for t in SQLModel.metadata.sorted_tables if _is_synced(t) and t.name != LOCK_TABLE]
    return (*tables, SQLModel.metadata.tables[LOCK_TABLE])


@cache
def table_names() -> tuple[str, ...]:
    return tuple(t.name for t in synced_tables())


def table(name: str) -> sa.Table:
    if name not in table_names():
        raise KeyError(name)
    return SQLModel.metadata.tables[name]


@cache
def is_field_table(name: str) -> bool:
    """Field data flows from laptops; everything else synced is reference data the office owns."""
    return name in FIELD_NOT_BY_VISIT or "visit_id" in table(name).c


@cache
def is_reference_table(name: str) -> bool:
    return not is_field_table(name)


def order_index(name: str) -> int:
    return table_names().index(name)
