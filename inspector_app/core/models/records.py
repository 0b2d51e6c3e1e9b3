"""Append-only records beside a visit: the lock, addenda, and the per-device audit chain."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inspector_app.core.models.base import SyncColumns, utc_field


class VisitLock(SyncColumns, table=True):
    """Made when a visit is signed: the SHA-256 of its canonical content (and, once rendered,
    of the minutes' PDF). Any later edit of the visit or its children is refused."""

    __tablename__ = "visit_lock"
    visit_id: uuid.UUID = Field(foreign_key="visit.id", unique=True)
    content_sha256: str = Field(max_length=64)
    pdf_sha256: str | None = Field(default=None, max_length=64)
    locked_at: dt.datetime = utc_field()
    locked_by: str
    device_id: str = Field(max_length=40)


class Addendum(SyncColumns, table=True):
    """A correction written after signing; it references the visit and never changes it."""

    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    text: str
    author: str
    created_at: dt.datetime = utc_field()


class AuditEntry(SyncColumns, table=True):
    """One link of a device's hash chain: each entry hashes the previous entry of that device."""

    __tablename__ = "audit_entry"
    __table_args__ = (sa.UniqueConstraint("device_id", "n"),)
    device_id: str = Field(max_length=40, index=True)
    n: int  # 1, 2, 3… per device
    at: dt.datetime = utc_field()
    actor: str
    action: str = Field(max_length=48)
    entity: str = Field(max_length=32)
    entity_id: str = Field(max_length=64)
    detail: str = "{}"  # canonical JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class LocalSetting(SQLModel, table=True):
    """Per-laptop state that never syncs (device id, sync cursor…)."""

    __tablename__ = "local_setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str
