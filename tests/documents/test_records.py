"""Digital signatures recorded beside the locked visit; the lock's pdf_sha256 filled once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlmodel import select

from inspector_app.core.db import session_scope
from inspector_app.core.ids import stable_id
from inspector_app.core.models import Attachment, VisitLock
from inspector_app.core.models.documents import DigitalSignature
from inspector_app.core.services.attachments import blob_path
from inspector_app.core.services.errors import InvalidInput, VisitLocked
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.workspace import Workspace
from inspector_app.documents.records import (
    fill_lock_pdf_sha256,
    first_revision,
    matches_lock,
    sign_visit_minutes,
    signatures_of,
)
from inspector_app.documents.signing import load_pkcs12
from inspector_app.documents.verify import load_trust_roots, verify_pdf
from tests.documents.conftest import PASSWORD, Pki, pdfsig

SIGNED = stable_id("demo", "visit", "v1")
COMPLETED = stable_id("demo", "visit", "v3")


def sign(ws: Workspace, pki: Pki, role: str, p12: Path, visit=SIGNED) -> DigitalSignature:  # type: ignore[no-untyped-def]
    with session_scope(ws.engine) as session:
        return sign_visit_minutes(
            session, ws.editor, ws.attachments, visit_id=visit, role=role, signer=load_pkcs12(p12, PASSWORD)
        )


def lock_of(ws: Workspace) -> VisitLock:
    with ws.session() as session:
        return session.exec(select(VisitLock).where(VisitLock.visit_id == SIGNED)).one()


def test_leader_then_representative_recorded_beside_the_lock(
    demo_ws: Workspace, pki: Pki, tmp_path: Path
) -> None:
    before = lock_of(demo_ws)
    assert before.pdf_sha256 is None
    with demo_ws.session() as session:
        content_before = content_sha256(session, SIGNED)
    first = sign(demo_ws, pki, "truong_doan", pki.leader_p12)
    lock = lock_of(demo_ws)
    first_pdf = blob_path(demo_ws.attachments, first.pdf_sha256).read_bytes()
    assert hashlib.sha256(first_pdf).hexdigest() == first.pdf_sha256
    assert lock.pdf_sha256 == hashlib.sha256(first_revision(first_pdf)).hexdigest()
    assert lock.updated_at > before.updated_at and lock.dirty, "the filled lock goes out with the next sync"
    assert (first.signer_name, first.role) == ("Lê Văn Thắng", "truong_doan")
    assert "CN=Lê Văn Thắng" in first.signer_subject
    assert first.cert_sha256 == hashlib.sha256(pki.leader.cert_der).hexdigest()
    assert int(first.cert_serial, 16) == pki.leader.cert.serial_number

    second = sign(demo_ws, pki, "dai_dien_don_vi", pki.representative_p12)
    assert lock_of(demo_ws).pdf_sha256 == lock.pdf_sha256, "filled once, never overwritten"
    final = blob_path(demo_ws.attachments, second.pdf_sha256).read_bytes()
    assert final.startswith(first_pdf)
    assert matches_lock(lock, first_pdf) and matches_lock(lock, final)
    report = verify_pdf(final, load_trust_roots([pki.root_pem]))
    assert report.ok and [s.signer for s in report.signatures] == ["Lê Văn Thắng", "Võ Thị Hồng"]
    path = tmp_path / "final.pdf"
    path.write_bytes(final)
    assert pdfsig(path).count("Signature is Valid.") == 2

    with demo_ws.session() as session:
        rows = signatures_of(session, SIGNED)
        assert [r.role for r in rows] == ["truong_doan", "dai_dien_don_vi"]
        assert all(session.get(Attachment, r.attachment_id) is not None for r in rows)
        # Recording beside the visit leaves the signed content as it was.
        assert content_sha256(session, SIGNED) == content_before == lock.content_sha256


def test_same_role_twice_and_unlocked_visit_are_refused(demo_ws: Workspace, pki: Pki) -> None:
    sign(demo_ws, pki, "truong_doan", pki.leader_p12)
    with pytest.raises(InvalidInput, match="Lê Văn Thắng"):
        sign(demo_ws, pki, "truong_doan", pki.leader_p12)
    with pytest.raises(InvalidInput):
        sign(demo_ws, pki, "truong_doan", pki.leader_p12, visit=COMPLETED)
    with demo_ws.session() as session:
        assert signatures_of(session, COMPLETED) == []


def test_lock_pdf_hash_set_only_when_empty_and_orm_still_refused(demo_ws: Workspace) -> None:
    with session_scope(demo_ws.engine) as session:
        assert fill_lock_pdf_sha256(session, demo_ws.editor, SIGNED, "a" * 64) is True
        assert fill_lock_pdf_sha256(session, demo_ws.editor, SIGNED, "b" * 64) is False
    assert lock_of(demo_ws).pdf_sha256 == "a" * 64
    with pytest.raises(VisitLocked), session_scope(demo_ws.engine) as session:
        lock = session.exec(select(VisitLock).where(VisitLock.visit_id == SIGNED)).one()
        lock.pdf_sha256 = "c" * 64
        session.flush()
    assert lock_of(demo_ws).pdf_sha256 == "a" * 64
