"""Columns every synced table carries, and the column types that keep stored data honest."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inspector_app.core.ids import uuid7


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """Stores aware datetimes as naive UTC; refuses naive input (a naive time has no zone to trust)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC time is stored; attach a time zone")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


def utc_field(*, nullable: bool = False, **kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, **kw)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Columns of DESIGN §3 that sync uses and that the canonical content hash leaves out.
SYNC_COLUMNS = frozenset({"updated_at", "deleted", "dirty", "seq"})


class SyncColumns(SQLModel):
    """Client-made UUID key, HLC version, tombstone; ``dirty`` (laptop: not pushed yet) and
    ``seq`` (office: server change sequence) are filled by the sync layer."""

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    updated_at: str = Field(default="", max_length=40)
    deleted: bool = Field(default=False)
    dirty: bool = Field(default=True)
    seq: int | None = Field(default=None, index=True)
