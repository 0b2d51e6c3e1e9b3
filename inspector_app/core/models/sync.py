"""Tables of the sync layer: the laptop's outbox, and the office's users, devices, batches,
conflict records, change counter and uploaded files. Both sides carry all of them (one Alembic
history); each side only fills its own."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inspector_app.core.ids import uuid7
from inspector_app.core.models.base import utc_field, utcnow
from inspector_app.core.models.field import (
    Answer,
    Attachment,
    AttachmentLink,
    Finding,
    Remedy,
    RemedyFollowUp,
    RollCall,
    Signature,
    Visit,
    VisitMember,
)
from inspector_app.core.models.records import Addendum, AuditEntry, VisitLock


class SyncOutbox(SQLModel, table=True):
    """Laptop: the push batch being sent, written before sending so that a crash between send and
    acknowledgement replays the very same batch (same batch_id: the office applies it once)."""

    __tablename__ = "sync_outbox"
    batch_id: str = Field(primary_key=True, max_length=36)
    body: str  # the JSON sent, byte for byte
    created_at: dt.datetime = utc_field(default_factory=utcnow)


class SyncCounter(SQLModel, table=True):
    """Office: the global change sequence. Bumped inside the push transaction, under a lock, so
    that seq order is commit order and a puller's cursor can never pass a row committed late."""

    __tablename__ = "sync_counter"
    id: int = Field(primary_key=True)
    value: int = Field(default=0, sa_type=sa.BigInteger)


class SyncBatch(SQLModel, table=True):
    """Office: a push batch already applied, with the answer given (a replay gets the same answer)."""

    __tablename__ = "sync_batch"
    batch_id: str = Field(primary_key=True, max_length=36)
    device_id: uuid.UUID = Field(index=True)
    result: str  # JSON of the PushResult
    applied_at: dt.datetime = utc_field(default_factory=utcnow)


class SyncConflict(SQLModel, table=True):
    """Office: a version of a row that lost (older, overwritten concurrently, or refused because
    the visit is signed). Never dropped: a leader can compare it with the kept version."""

    __tablename__ = "sync_conflict"
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    table_name: str = Field(max_length=40, index=True)
    row_id: uuid.UUID = Field(index=True)
    kind: str = Field(max_length=16)  # "stale" | "overwritten" | "locked" | "refused"
    reason: str
    hlc: str = Field(max_length=40)
    row: str  # JSON of the losing version
    device_id: uuid.UUID | None = None  # the office device record that pushed the batch
    batch_id: str = Field(max_length=36)
    recorded_at: dt.datetime = utc_field(default_factory=utcnow)


class OfficeUser(SQLModel, table=True):
    __tablename__ = "office_user"
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=16)  # "inspector" | "leader" | "admin"
    password_hash: str
    inspector_id: uuid.UUID | None = Field(default=None, foreign_key="inspector.id")
    disabled: bool = False
    created_at: dt.datetime = utc_field(default_factory=utcnow)


class OfficeDevice(SQLModel, table=True):
    """A laptop logged in as a user. Only the SHA-256 of its token is stored; revoking is immediate."""

    __tablename__ = "office_device"
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="office_user.id", index=True)
    token_sha256: str = Field(max_length=64, unique=True, index=True)
    tag: str = Field(max_length=40)  # the laptop's own device id (the last part of its HLC stamps)
    name: str = ""
    created_at: dt.datetime = utc_field(default_factory=utcnow)
    last_seen_at: dt.datetime | None = utc_field(default=None, nullable=True)
    revoked_at: dt.datetime | None = utc_field(default=None, nullable=True)


class OfficeBlob(SQLModel, table=True):
    """Office: a file fully uploaded and verified against its SHA-256 (partial uploads are not here)."""

    __tablename__ = "office_blob"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=sa.BigInteger)
    stored_at: dt.datetime = utc_field(default_factory=utcnow)


# "What to push" scans only dirty rows (TECH-NOTES §6): partial indexes keep them small on the laptop;
# queries must use the same ``dirty`` predicate.
_DIRTY_INDEXED = (
    Visit,
    VisitMember,
    Answer,
    RollCall,
    Finding,
    Remedy,
    RemedyFollowUp,
    Attachment,
    AttachmentLink,
    Signature,
    Addendum,
    AuditEntry,
    VisitLock,
)
for _model in _DIRTY_INDEXED:
    _table: sa.Table = _model.__table__  # type: ignore[union-attr]
    sa.Index(  # keyed by the constant flag, so in rowid order: the order rows are sent (sync/local.py)
        f"ix_{_table.name}_dirty",
        _table.c.dirty,
        sqlite_where=sa.text("dirty"),
        postgresql_where=sa.text("dirty"),
    )
