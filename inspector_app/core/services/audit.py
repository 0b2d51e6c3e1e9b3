"""The audit chain: every action on this device is an entry that hashes the one before it.

Chains are per device so that laptops never need to agree on an order; the office verifies
each chain on its own. Changing, removing or reordering any entry breaks its chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.canonical import canonical_json
from inspector_app.core.models import AuditEntry, utcnow
from inspector_app.core.services.editor import Editor

GENESIS = "0" * 64


def entry_hash(entry: AuditEntry) -> str:
    body = {
        "device_id": entry.device_id,
        "n": entry.n,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def append(
    session: Session, editor: Editor, *, action: str, entity: str, entity_id: object, detail: dict[str, Any]
) -> AuditEntry:
    last = session.exec(
        select(AuditEntry)
        .where(AuditEntry.device_id == editor.device_id)
        .order_by(col(AuditEntry.n).desc())
        .limit(1)
    ).first()
    entry = AuditEntry(
        device_id=editor.device_id,
        n=(last.n + 1) if last else 1,
        at=utcnow(),
        actor=editor.actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail=canonical_json(detail),
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry)
    editor.stamp(entry)
    session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainProblem:
    device_id: str
    n: int
    reason: str

    def __str__(self) -> str:
        return f"{self.device_id} #{self.n}: {self.reason}"


def verify(session: Session) -> list[ChainProblem]:
    """Every break in every device's chain; empty when all chains are intact."""
    problems: list[ChainProblem] = []
    devices = session.exec(select(AuditEntry.device_id).distinct()).all()
    for device in devices:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.device_id == device).order_by(col(AuditEntry.n))
        ).all()
        prev = GENESIS
        for expected_n, entry in enumerate(entries, start=1):
            if entry.n != expected_n:
                problems.append(ChainProblem(device, expected_n, "entry missing"))
                break
            if entry.prev_hash != prev:
                problems.append(ChainProblem(device, entry.n, "does not follow the previous entry"))
            if entry_hash(entry) != entry.hash:
                problems.append(ChainProblem(device, entry.n, "content changed after it was written"))
            prev = entry.hash
    return problems
