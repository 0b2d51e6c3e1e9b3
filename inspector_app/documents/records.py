"""Digital signatures of a visit's minutes as records beside the locked visit.

Each PAdES signature is its own append-only ``DigitalSignature`` row; the signed PDF (the whole
file after that signature) is a content-addressed attachment. Signers sign in turn: the second
signs the file the first produced, as an incremental update. The first digital signature also
fills the lock's ``pdf_sha256`` with the SHA-256 of the minutes as rendered — the first revision
that every later signed file begins with, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from pathlib import Path

import sqlalchemy as sa
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import Signer
from sqlmodel import Session, col, select

from inspector_app.core.ids import stable_id
from inspector_app.core.models import SignatureRole, VisitLock
from inspector_app.core.models.documents import DigitalSignature
from inspector_app.core.services import audit
from inspector_app.core.services.attachments import blob_path, store_attachment
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.documents.minutes import render_minutes
from inspector_app.documents.signing import DEFAULT_REASON, SignedPdf, sign_pdf
from inspector_app.documents.verify import verify_pdf
from inspector_app.i18n import _


def signatures_of(session: Session, visit_id: uuid.UUID) -> list[DigitalSignature]:
    """The visit's digital signatures, oldest first."""
    rows = session.exec(
        select(DigitalSignature)
        .where(DigitalSignature.visit_id == visit_id, DigitalSignature.deleted == sa.false())
        .order_by(col(DigitalSignature.signed_at), col(DigitalSignature.id))
    ).all()
    return list(rows)


def signed_pdf_bytes(session: Session, store: Path, row: DigitalSignature) -> bytes:
    path = blob_path(store, row.pdf_sha256)
    if not path.is_file():
        raise NotFound(
            _("The signed PDF {sha} is not on this computer yet (sync first)").format(sha=row.pdf_sha256[:12])
        )
    return path.read_bytes()


def latest_signed_pdf(session: Session, store: Path, visit_id: uuid.UUID) -> bytes | None:
    """The file the next signer signs: the newest signed PDF, or None before the first signature."""
    rows = signatures_of(session, visit_id)
    return signed_pdf_bytes(session, store, rows[-1]) if rows else None


def first_revision(data: bytes) -> bytes:
    """The bytes of the PDF's first revision (the document as rendered, before any signature)."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    start = reader.xrefs.get_startxref_for_revision(0)
    end = data.index(b"%%EOF", start) + 5
    while end < len(data) and data[end : end + 1] in (b"\r", b"\n"):
        end += 1
    return data[:end]


def matches_lock(lock: VisitLock, data: bytes) -> bool:
    """Whether a signed file's first revision is the minutes the lock recorded."""
    return lock.pdf_sha256 is not None and hashlib.sha256(first_revision(data)).hexdigest() == lock.pdf_sha256


def fill_lock_pdf_sha256(session: Session, editor: Editor, visit_id: uuid.UUID, pdf_sha256: str) -> bool:
    """Set the lock's ``pdf_sha256`` if it is still empty; True when this call set it.

    The lock guard in ``core/services/locking.py`` refuses every ORM change to a ``VisitLock``: the
    lock is append-only, and an ORM path could rewrite any column. Filling ``pdf_sha256`` is the one
    legitimate later write — empty to a value, once, never a value to another — so it is a Core
    UPDATE (no ORM flush, so the guard does not see it) whose ``WHERE pdf_sha256 IS NULL`` makes
    it a no-op once filled, also against a concurrent writer (the second UPDATE matches no row).
    """
    table = VisitLock.__table__  # type: ignore[attr-defined]
    result = session.execute(
        sa.update(table)
        .where(table.c.visit_id == visit_id, table.c.pdf_sha256.is_(None))
        .values(pdf_sha256=pdf_sha256, updated_at=editor.clock.now(), dirty=True)
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, VisitLock) and obj.visit_id == visit_id:
            session.expire(obj)  # the loaded copy is stale now
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _lock_of(session: Session, visit_id: uuid.UUID) -> VisitLock:
    lock = session.exec(select(VisitLock).where(VisitLock.visit_id == visit_id)).first()
    if lock is None:
        raise InvalidInput(_("Sign and lock the visit before signing its minutes digitally"))
    return lock


def record_digital_signature(
    session: Session,
    editor: Editor,
    store: Path,
    *,
    visit_id: uuid.UUID,
    role: str,
    signed: SignedPdf,
    base_sha256: str | None = None,
) -> DigitalSignature:
    """Store the signed PDF and its record. ``base_sha256``: SHA-256 of the minutes as rendered,
    given for the first signature of a visit (fills the lock's ``pdf_sha256``)."""
    _lock_of(session, visit_id)
    if role not in set(SignatureRole):
        raise InvalidInput(_("Unknown signer role: {value}").format(value=role))
    report = verify_pdf(signed.data)
    check = next((s for s in report.signatures if s.field == signed.field), None)
    if check is None or not check.ok or check.cert is None:
        reasons = "; ".join(report.reasons()) or signed.field
        raise InvalidInput(_("The signed PDF does not verify: {reasons}").format(reasons=reasons))
    attachment = store_attachment(
        session, editor, store, data=signed.data, mime="application/pdf", original_name=f"bien-ban-{role}.pdf"
    )
    session.flush()  # no relationship tells the unit of work that the attachment must go in first
    row = DigitalSignature(
        id=stable_id("digital-signature", visit_id, role),
        visit_id=visit_id,
        role=role,
        field_name=signed.field,
        signer_name=check.cert.common_name,
        signer_subject=check.cert.subject,
        cert_serial=check.cert.serial_hex,
        cert_sha256=check.cert.sha256,
        signed_at=signed.signed_at.astimezone(dt.UTC),
        attachment_id=attachment.id,
        pdf_sha256=attachment.sha256,
        device_id=editor.device_id,
        recorded_by=editor.actor,
    )
    editor.stamp(row)
    session.add(row)
    if base_sha256 is not None:
        fill_lock_pdf_sha256(session, editor, visit_id, base_sha256)
    audit.append(
        session,
        editor,
        action="visit.digital_sign",
        entity="visit",
        entity_id=visit_id,
        detail={
            "role": role,
            "signer": row.signer_name,
            "cert_sha256": row.cert_sha256,
            "pdf": row.pdf_sha256,
        },
    )
    return row


def sign_visit_minutes(
    session: Session,
    editor: Editor,
    store: Path,
    *,
    visit_id: uuid.UUID,
    role: str,
    signer: Signer,
    location: str | None = None,
    reason: str = DEFAULT_REASON,
    at: dt.datetime | None = None,
) -> DigitalSignature:
    """Sign the minutes of a locked visit for ``role``: the first signer signs the minutes as
    rendered now (and every signer's empty field is created), each later signer the newest signed
    file. The caller commits."""
    _lock_of(session, visit_id)
    done = {s.role: s for s in signatures_of(session, visit_id)}
    if role in done:
        raise InvalidInput(
            _("The minutes were already signed digitally for this role by {name}").format(
                name=done[role].signer_name
            )
        )
    current = latest_signed_pdf(session, store, visit_id)
    base_sha256 = None
    if current is None:
        minutes = render_minutes(session, visit_id, attachments=store)
        current, boxes = minutes.data, dict(minutes.signature_boxes)
        base_sha256 = hashlib.sha256(current).hexdigest()
    else:
        boxes = {}
    signed = sign_pdf(
        current,
        signer,
        field=role,
        box=boxes.get(role),
        other_boxes=boxes,
        reason=reason,
        location=location,
        at=at,
    )
    return record_digital_signature(
        session, editor, store, visit_id=visit_id, role=role, signed=signed, base_sha256=base_sha256
    )
