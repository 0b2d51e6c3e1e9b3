"""Signed means locked: the lock record, the visit's canonical content, and the guard that
refuses any later change to a signed visit or its children — whichever code path tries."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from inspector_app.core.canonical import sha256_hex
from inspector_app.core.models import (
    SYNC_COLUMNS,
    Answer,
    Attachment,
    AttachmentLink,
    Finding,
    Remedy,
    RollCall,
    Signature,
    Visit,
    VisitLock,
    VisitMember,
    VisitStatus,
)
from inspector_app.core.services.errors import VisitLocked

# The children that make up a signed visit. Follow-ups, addenda and audit entries live beside it.
CHILD_TABLES: tuple[type[SQLModel], ...] = (
    VisitMember,
    Answer,
    RollCall,
    Finding,
    Remedy,
    Signature,
    AttachmentLink,
)


def _row(obj: SQLModel) -> dict[str, Any]:
    return {k: v for k, v in obj.model_dump().items() if k not in SYNC_COLUMNS}


def visit_content(session: Session, visit_id: uuid.UUID) -> dict[str, Any]:
    """The visit and its children as plain data: what the lock hash covers."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise KeyError(visit_id)
    content: dict[str, Any] = {
        "visit": {k: v for k, v in _row(visit).items() if k not in {"status", "signed_at"}}
    }
    for table in CHILD_TABLES:
        rows = session.exec(
            select(table)
            .where(table.visit_id == visit_id)  # type: ignore[attr-defined]
            .where(table.deleted == sa.false())  # type: ignore[attr-defined]
            .order_by(table.id)  # type: ignore[attr-defined]
        ).all()
        content[str(table.__tablename__)] = [_row(r) for r in rows]
    # Attachments by content hash: a photo swapped for another changes the visit's hash.
    att_ids = [r["attachment_id"] for r in content["attachment_link"]]
    att_ids += [r["attachment_id"] for r in content["signature"] if r["attachment_id"]]
    att_ids += [r["evidence_id"] for r in content["roll_call"] if r["evidence_id"]]
    if att_ids:
        shas = session.exec(
            select(Attachment.id, Attachment.sha256).where(col(Attachment.id).in_(att_ids))
        ).all()
        content["attachment"] = sorted({str(i): s for i, s in shas}.items())
    return content


def content_sha256(session: Session, visit_id: uuid.UUID) -> str:
    return sha256_hex(visit_content(session, visit_id))


def visit_label(visit: Visit) -> str:
    return visit.number or str(visit.id)[:8]


def is_locked(session: Session, visit_id: uuid.UUID) -> bool:
    return session.exec(select(VisitLock.id).where(VisitLock.visit_id == visit_id)).first() is not None


def ensure_editable(session: Session, visit: Visit) -> None:
    if visit.status == VisitStatus.SIGNED or is_locked(session, visit.id):
        raise VisitLocked(visit_label(visit))


def _guard_locked_visits(session: Session, _context: Any, _instances: Any) -> None:
    """Before every ORM flush: refuse changes to signed visits and their children.

    Services check first and give the nicer message; this catches every other path.
    """
    touched: set[uuid.UUID] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Visit):
            if obj in session.new:
                continue
            touched.add(obj.id)
        elif isinstance(obj, CHILD_TABLES):
            touched.add(obj.visit_id)  # type: ignore[attr-defined]
        elif isinstance(obj, VisitLock) and obj not in session.new:
            raise VisitLocked(str(obj.visit_id)[:8])
    if not touched:
        return
    with session.no_autoflush:
        locked = session.exec(select(VisitLock.visit_id).where(col(VisitLock.visit_id).in_(touched))).all()
    if locked:
        visit = session.get(Visit, locked[0])
        raise VisitLocked(visit_label(visit) if visit else str(locked[0])[:8])


sa.event.listen(Session, "before_flush", _guard_locked_visits)
