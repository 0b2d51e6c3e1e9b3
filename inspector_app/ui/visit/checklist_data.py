"""What the checklist tab reads and writes, as plain functions of a session (no widgets).

Reads are one short session: on the GUI thread when the tab opens (the form is needed at once),
later off it (``read_checklist`` through ``Tasks.run``). Writes are the functions the view hands to
``Tasks.write``: each returns what the view needs afterwards (the stored value and the new "still
missing" list), computed in the same transaction, so the GUI thread reads nothing more.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.forms import FormSpec, Item, Section
from inspector_app.core.ids import answer_id
from inspector_app.core.models import Answer, Attachment, AttachmentLink, Visit, VisitStatus
from inspector_app.core.services import visits
from inspector_app.core.services.errors import Missing, ServiceError
from inspector_app.core.services.forms_registry import form_spec
from inspector_app.core.services.locking import is_locked
from inspector_app.core.services.roll_call import auto_values
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.photos import Photo, store_visit_photo


@dataclass
class PhotoRef:
    link_id: uuid.UUID
    sha256: str
    name: str = ""


@dataclass
class ChecklistData:
    spec: FormSpec
    visit: Visit
    locked: bool
    answers: dict[str, Any] = field(default_factory=dict)  # stored values, roll-call totals included
    notes: dict[str, str] = field(default_factory=dict)
    photos: dict[str, list[PhotoRef]] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)


def error_text(exc: BaseException) -> str:
    """A service error's own (translated) message; anything else is named as unexpected."""
    if isinstance(exc, ServiceError):
        return str(exc)
    return _("Unexpected error: {problem}").format(problem=exc)


def load_checklist(session: Session, visit_id: uuid.UUID) -> ChecklistData:
    visit = visits.get_visit(session, visit_id)
    spec = form_spec(session, visit.form_id)
    rows = session.exec(
        select(Answer).where(Answer.visit_id == visit_id, Answer.deleted == False)  # noqa: E712
    ).all()
    answers = {a.item_code: json.loads(a.value) for a in rows if a.value is not None}
    answers = {k: v for k, v in answers.items() if v is not None}
    answers |= auto_values(session, visit_id, spec)  # live totals, even before they are written
    notes = {a.item_code: a.note for a in rows if a.note}
    photos: dict[str, list[PhotoRef]] = {}
    links = session.exec(
        select(AttachmentLink, Attachment)
        .join(Attachment, col(Attachment.id) == col(AttachmentLink.attachment_id))
        .where(AttachmentLink.visit_id == visit_id, AttachmentLink.deleted == False)  # noqa: E712
        .where(col(AttachmentLink.item_code).is_not(None))
        .order_by(col(AttachmentLink.taken_at))
    ).all()
    for link, attachment in links:
        refs = photos.setdefault(str(link.item_code), [])
        if all(r.sha256 != attachment.sha256 for r in refs):
            refs.append(PhotoRef(link.id, attachment.sha256, attachment.original_name or ""))
    return ChecklistData(
        spec=spec,
        visit=visit,
        locked=visit.status == VisitStatus.SIGNED or is_locked(session, visit_id),
        answers=answers,
        notes=notes,
        photos=photos,
        missing=visits.missing_for_completion(session, visit_id),
    )


def read_checklist(ws: Workspace, visit_id: uuid.UUID) -> ChecklistData:
    """``load_checklist`` in its own short session: callable from a worker thread."""
    with ws.session() as session:
        return load_checklist(session, visit_id)


def changed_items(before: ChecklistData, after: ChecklistData) -> set[str]:
    """Codes whose answer, note or photos differ between two readings (the rows to show again)."""
    codes = set(before.answers) | set(after.answers) | set(before.notes) | set(after.notes)
    codes |= set(before.photos) | set(after.photos)
    return {
        c
        for c in codes
        if before.answers.get(c) != after.answers.get(c)
        or (before.notes.get(c) or "") != (after.notes.get(c) or "")
        or [r.sha256 for r in before.photos.get(c, [])] != [r.sha256 for r in after.photos.get(c, [])]
    }


def section_progress(section: Section, visible: set[str], answers: dict[str, Any]) -> tuple[int, int]:
    """(answered, wanted): the visible required items, or every visible item of a section that
    has no required one."""
    shown = [i for i in section.items if i.code in visible]
    wanted = [i for i in shown if i.required and not i.auto] or shown
    done = sum(1 for i in wanted if answers.get(i.code) not in (None, "", []))
    return done, len(wanted)


# --- writes (run on the DB writer) ------------------------------------------------------------------


@dataclass
class Saved:
    value: Any
    note: str | None
    missing: list[Missing]


def save_answer(
    session: Session, ws: Workspace, visit_id: uuid.UUID, item: Item, value: Any, note: str | None = None
) -> Saved:
    """Record (or clear, for ``None`` without a note) one answer; the stored value comes back."""
    if value is None and note is None:
        visits.clear_answer(session, ws.editor, visit_id=visit_id, item_code=item.code)
    else:
        visits.record_answer(
            session, ws.editor, visit_id=visit_id, item_code=item.code, value=value, note=note
        )
    session.flush()
    row = session.get(Answer, answer_id(visit_id, item.code))
    stored = json.loads(row.value) if row is not None and row.value is not None else None
    return Saved(
        stored, row.note if row is not None else None, visits.missing_for_completion(session, visit_id)
    )


@dataclass
class PhotoSaved:
    ref: PhotoRef
    value: Any  # the item's answer after it (photo items only), else None
    missing: list[Missing]


def save_photo(
    session: Session, ws: Workspace, visit_id: uuid.UUID, item: Item, photo: Photo, name: str | None
) -> PhotoSaved:
    """Store the photo once by content and link it to the item (once per item); a photo item's
    answer is its list of fingerprints, so it grows too."""
    visits.editable_visit(session, visit_id)
    sha = hashlib.sha256(photo[0]).hexdigest()
    existing = session.exec(
        select(AttachmentLink)
        .join(Attachment, col(Attachment.id) == col(AttachmentLink.attachment_id))
        .where(AttachmentLink.visit_id == visit_id, AttachmentLink.item_code == item.code)
        .where(AttachmentLink.deleted == False, Attachment.sha256 == sha)  # noqa: E712
    ).first()
    if existing is not None:
        ref = PhotoRef(existing.id, sha, name or "")
    else:
        link, sha = store_visit_photo(
            session, ws, visit_id=visit_id, photo=photo, item_code=item.code, original_name=name
        )
        ref = PhotoRef(link.id, sha, name or "")
    value = None
    if item.type == "photo":
        current = visits.answer_values(session, visit_id).get(item.code) or []
        if sha not in current:
            visits.record_answer(
                session, ws.editor, visit_id=visit_id, item_code=item.code, value=[*current, sha]
            )
        value = visits.answer_values(session, visit_id).get(item.code)
    return PhotoSaved(ref, value, visits.missing_for_completion(session, visit_id))
