"""Hand signatures on the minutes and the lock that signing makes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, select

from inspector_app.core.ids import stable_id
from inspector_app.core.models import Signature, SignatureRole, VisitLock, VisitStatus, utcnow
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.services.visits import editable_visit
from inspector_app.core.text import nfc, nfc_or_none
from inspector_app.i18n import N_, _

# The team's two signatures are required; the unit's representative may refuse (with a note).
REQUIRED_ROLES = (SignatureRole.LEADER, SignatureRole.SECRETARY, SignatureRole.UNIT_REPRESENTATIVE)
ROLE_LABELS = {
    SignatureRole.LEADER: N_("team leader"),
    SignatureRole.SECRETARY: N_("secretary"),
    SignatureRole.UNIT_REPRESENTATIVE: N_("unit representative"),
}


def record_signature(
    session: Session,
    editor: Editor,
    *,
    visit_id: uuid.UUID,
    role: str,
    signer_name: str,
    signer_position: str = "",
    attachment_id: uuid.UUID | None = None,
    refused: bool = False,
    refusal_note: str | None = None,
    at: dt.datetime | None = None,
) -> Signature:
    visit = editable_visit(session, visit_id)
    if role not in set(SignatureRole):
        raise InvalidInput(_("Unknown signer role: {value}").format(value=role))
    if not nfc(signer_name):
        raise InvalidInput(_("The signer's name is required"))
    if refused and role != SignatureRole.UNIT_REPRESENTATIVE:
        raise InvalidInput(_("Only the unit's representative can refuse to sign"))
    if refused and not nfc_or_none(refusal_note):
        raise InvalidInput(_("Write down why the representative refused to sign"))
    if not refused and attachment_id is None:
        raise InvalidInput(_("Draw the signature first"))
    sid = stable_id("signature", visit.id, role)
    row = session.get(Signature, sid)
    if row is None:
        row = Signature(id=sid, visit_id=visit.id, role=role, signer_name="", signed_at=utcnow())
        session.add(row)
    row.signer_name, row.signer_position = nfc(signer_name), nfc(signer_position)
    row.attachment_id = None if refused else attachment_id
    row.refused, row.refusal_note = refused, nfc_or_none(refusal_note) if refused else None
    row.signed_at, row.deleted = at or utcnow(), False
    editor.stamp(row)
    audit.append(
        session,
        editor,
        action="signature.record",
        entity="visit",
        entity_id=visit.id,
        detail={"role": role, "signer": row.signer_name, "refused": refused},
    )
    return row


def sign_and_lock(
    session: Session, editor: Editor, *, visit_id: uuid.UUID, at: dt.datetime | None = None
) -> VisitLock:
    """Lock a completed visit whose signatures are all in. From here on it never changes."""
    visit = editable_visit(session, visit_id)
    if visit.status != VisitStatus.COMPLETED:
        raise InvalidInput(_("Complete the visit before signing it"))
    signed = {
        s.role
        for s in session.exec(
            select(Signature).where(Signature.visit_id == visit.id, Signature.deleted == False)  # noqa: E712
        ).all()
    }
    missing = [r for r in REQUIRED_ROLES if r not in signed]
    if missing:
        raise InvalidInput(
            _("Signatures still missing: {roles}").format(roles=", ".join(_(ROLE_LABELS[r]) for r in missing))
        )
    digest = content_sha256(session, visit.id)
    now = at or utcnow()
    lock = VisitLock(
        id=stable_id("visit-lock", visit.id),
        visit_id=visit.id,
        content_sha256=digest,
        locked_at=now,
        locked_by=editor.actor,
        device_id=editor.device_id,
    )
    editor.stamp(lock)
    visit.status, visit.signed_at = VisitStatus.SIGNED, now
    editor.stamp(visit)
    session.add(lock)
    audit.append(
        session,
        editor,
        action="visit.sign",
        entity="visit",
        entity_id=visit.id,
        detail={"content_sha256": digest},
    )
    return lock
