"""A conclusion notice's PDF: rendered (``documents.notice``) until it is signed; signed once,
PAdES in the team leader's field, the signed file kept as a content-addressed attachment whose
SHA-256 and time the notice records; verified against that record."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from inspector_app.core.desk.notices import DRAFT, ENTITY, SIGNED, get_notice
from inspector_app.core.models import ConclusionNotice
from inspector_app.core.services import audit
from inspector_app.core.services.attachments import blob_path, store_attachment
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.i18n import _

if TYPE_CHECKING:
    from inspector_app.documents.verify import VerifyReport

SIGN_FIELD = "truong_doan"
SIGN_REASON = "Ký thông báo kết luận kiểm tra công vụ"


def notice_pdf(session: Session, store: Path, notice_id: uuid.UUID) -> bytes:
    """The notice as a PDF: the signed file once signed, else rendered now (DỰ THẢO while a draft)."""
    notice = get_notice(session, notice_id)
    if notice.status == SIGNED and notice.pdf_sha256:
        return _signed_bytes(store, notice.pdf_sha256)
    from inspector_app.documents.notice import render_notice

    return render_notice(session, notice.id).data


def _signed_bytes(store: Path, sha256: str) -> bytes:
    path = blob_path(store, sha256)
    if not path.is_file():
        raise NotFound(
            _("The signed PDF {sha} is not on this computer yet (sync first)").format(sha=sha256[:12])
        )
    return path.read_bytes()


def sign_notice(
    session: Session,
    editor: Editor,
    store: Path,
    *,
    notice_id: uuid.UUID,
    signer: Any,  # a pyHanko Signer (PKCS#12 file or PKCS#11 token)
    location: str | None = None,
    at: dt.datetime | None = None,
) -> ConclusionNotice:
    """Sign the issued notice (PAdES, the leader's field), keep the signed PDF as an attachment and
    record its SHA-256 and time on the notice. The caller commits."""
    from inspector_app.documents.notice import render_notice
    from inspector_app.documents.signing import sign_pdf
    from inspector_app.documents.verify import verify_pdf

    notice = get_notice(session, notice_id)
    if notice.status == DRAFT:
        raise InvalidInput(_("Issue the notice before signing it: the signed file must carry its number"))
    if notice.status == SIGNED:
        raise InvalidInput(_("The notice {number} is already signed").format(number=notice.number))
    rendered = render_notice(session, notice.id)
    signed = sign_pdf(
        rendered.data,
        signer,
        field=SIGN_FIELD,
        box=rendered.signature_boxes.get(SIGN_FIELD),
        reason=SIGN_REASON,
        location=location,
        at=at,
    )
    report = verify_pdf(signed.data)
    if not report.ok:
        raise InvalidInput(
            _("The signed PDF does not verify: {reasons}").format(reasons="; ".join(report.reasons()))
        )
    attachment = store_attachment(
        session,
        editor,
        store,
        data=signed.data,
        mime="application/pdf",
        original_name=f"thong-bao-{notice.id}.pdf",
    )
    session.flush()  # the attachment row before the notice that points at it
    notice.pdf_attachment_id, notice.pdf_sha256 = attachment.id, attachment.sha256
    notice.signed_at, notice.status = signed.signed_at.astimezone(dt.UTC), SIGNED
    editor.stamp(notice)
    audit.append(
        session,
        editor,
        action="notice.sign",
        entity=ENTITY,
        entity_id=notice.id,
        detail={
            "signer": signed.signer_name,
            "pdf": attachment.sha256,
            "rendered": hashlib.sha256(rendered.data).hexdigest(),
        },
    )
    return notice


def verify_notice(
    session: Session, store: Path, notice_id: uuid.UUID, trust_roots: list[Any] | None = None
) -> VerifyReport:
    """Check the stored signed PDF: its bytes are the ones recorded, and its signature holds."""
    from inspector_app.documents.verify import VerifyReport, verify_pdf

    notice = get_notice(session, notice_id)
    if notice.status != SIGNED or not notice.pdf_sha256:
        raise InvalidInput(_("The notice is not signed yet"))
    data = _signed_bytes(store, notice.pdf_sha256)
    if hashlib.sha256(data).hexdigest() != notice.pdf_sha256:
        return VerifyReport((), (), (_("The stored file does not match the recorded SHA-256"),))
    return verify_pdf(data, trust_roots)
