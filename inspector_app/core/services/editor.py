"""Who is editing, on which device, with which clock — passed to every service function."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.hlc import HybridClock
from inspector_app.core.models import AuditEntry, LocalSetting, SyncColumns


@dataclass
class Editor:
    device_id: str
    clock: HybridClock = field(repr=False)
    actor: str = ""
    inspector_id: uuid.UUID | None = None

    @classmethod
    def for_device(cls, device_id: str, actor: str = "", inspector_id: uuid.UUID | None = None) -> Editor:
        return cls(device_id, HybridClock(device_id), actor, inspector_id)

    def stamp(self, row: SyncColumns) -> None:
        """Mark a row as changed here and now (newer-wins in sync compares these stamps)."""
        row.updated_at = self.clock.now()
        row.dirty = True


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(LocalSetting, key)
    return row.value if row else None


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(LocalSetting, key)
    if row is None:
        session.add(LocalSetting(key=key, value=value))
    else:
        row.value = value


def local_editor(session: Session, actor: str = "") -> Editor:
    """The editor of this laptop: a device id made once and kept, a clock that starts past every
    stamp this device already wrote (a wall clock set back after a restart cannot reorder edits)."""
    device_id = get_setting(session, "device_id")
    if device_id is None:
        device_id = secrets.token_hex(6)
        set_setting(session, "device_id", device_id)
        session.commit()
    editor = Editor.for_device(device_id, actor or (get_setting(session, "actor") or ""))
    newest = session.exec(
        select(sa.func.max(AuditEntry.updated_at)).where(AuditEntry.device_id == device_id)
    ).one()
    if newest:
        editor.clock.observe(newest)
    return editor
