"""Files (photos, drawn signatures, evidence) stored once by SHA-256 under the data folder.

Downscaling photos is the UI's job (Qt reads every image format); this module stores bytes.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from sqlmodel import Session, select

from inspector_app.core.ids import stable_id, uuid7
from inspector_app.core.models import Attachment, AttachmentLink, utcnow
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.visits import editable_visit
from inspector_app.i18n import _

MAX_BYTES = 20 * 1024 * 1024


def blob_path(store: Path, sha256: str) -> Path:
    return store / sha256[:2] / sha256


def write_blob(store: Path, data: bytes) -> str:
    """Write the bytes once (atomically: temp file, fsync, rename) and return their SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    path = blob_path(store, sha)
    if path.exists() and path.stat().st_size == len(data):
        return sha
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return sha


def store_attachment(
    session: Session,
    editor: Editor,
    store: Path,
    *,
    data: bytes,
    mime: str,
    original_name: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> Attachment:
    if not data:
        raise InvalidInput(_("The file is empty"))
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 20 MB"))
    sha = write_blob(store, data)  # the file is on disk before the row that points to it commits
    existing = session.exec(select(Attachment).where(Attachment.sha256 == sha)).first()
    if existing is not None:
        return existing
    row = Attachment(
        id=stable_id("attachment", sha),
        sha256=sha,
        mime=mime,
        size=len(data),
        width=width,
        height=height,
        original_name=original_name,
    )
    editor.stamp(row)
    session.add(row)
    return row


def attach_to_visit(
    session: Session,
    editor: Editor,
    *,
    visit_id: uuid.UUID,
    attachment_id: uuid.UUID,
    item_code: str | None = None,
    roll_call_id: uuid.UUID | None = None,
    caption: str | None = None,
    role: str = "photo",
) -> AttachmentLink:
    visit = editable_visit(session, visit_id)
    link = AttachmentLink(
        id=uuid7(),
        visit_id=visit.id,
        attachment_id=attachment_id,
        item_code=item_code,
        roll_call_id=roll_call_id,
        caption=caption,
        role=role,
        taken_at=utcnow(),
    )
    editor.stamp(link)
    session.add(link)
    audit.append(
        session,
        editor,
        action="attachment.link",
        entity="visit",
        entity_id=visit.id,
        detail={"attachment": str(attachment_id), "item": item_code},
    )
    return link


def detach_from_visit(session: Session, editor: Editor, *, link_id: uuid.UUID) -> None:
    """Take a photo off a visit (a tombstone, so sync carries the removal). The file stays:
    another item or visit may use the same bytes."""
    link = session.get(AttachmentLink, link_id)
    if link is None or link.deleted:
        return
    visit = editable_visit(session, link.visit_id)
    link.deleted = True
    editor.stamp(link)
    audit.append(
        session,
        editor,
        action="attachment.unlink",
        entity="visit",
        entity_id=visit.id,
        detail={"link": str(link.id), "attachment": str(link.attachment_id)},
    )
