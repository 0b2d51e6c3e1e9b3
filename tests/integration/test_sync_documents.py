"""Records of documents over sync: the lock's one legitimate change (pdf_sha256 filled once),
append-only digital signatures, and document numbers owned by the laptop that took them."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session
from sync_helpers import Office, laptop, office_fixture, start_visit  # noqa: F401

from inspector_app.core.db import session_scope
from inspector_app.core.ids import stable_id
from inspector_app.core.models import VisitLock
from inspector_app.core.models.documents import DigitalSignature
from inspector_app.core.services import numbering
from inspector_app.core.services.attachments import store_attachment
from inspector_app.core.workspace import Workspace
from inspector_app.documents.records import fill_lock_pdf_sha256
from inspector_app.office import admin
from inspector_app.sync import client
from inspector_app.sync.tables import table

LOCK = table("visit_lock")


def _lock(ws: Workspace, visit_id: uuid.UUID) -> None:
    with session_scope(ws.engine) as s:
        row = VisitLock(
            id=stable_id("visit-lock", visit_id),
            visit_id=visit_id,
            content_sha256="c" * 64,
            locked_at=dt.datetime.now(dt.UTC),
            locked_by="an",
            device_id=ws.editor.device_id,
        )
        ws.editor.stamp(row)
        s.add(row)


def _sign(ws: Workspace, visit_id: uuid.UUID, pdf: bytes) -> None:
    """What ``record_digital_signature`` leaves behind, without the PKI: file, record, lock fill."""
    with session_scope(ws.engine) as s:
        att = store_attachment(s, ws.editor, ws.attachments, data=pdf, mime="application/pdf")
        s.flush()
        row = DigitalSignature(
            id=stable_id("digital-signature", visit_id, "leader"),
            visit_id=visit_id,
            role="leader",
            field_name="leader",
            signer_name="Nguyễn Văn An",
            signer_subject="CN=Nguyễn Văn An",
            cert_serial="01",
            cert_sha256="d" * 64,
            signed_at=dt.datetime.now(dt.UTC),
            attachment_id=att.id,
            pdf_sha256=att.sha256,
            device_id=ws.editor.device_id,
        )
        ws.editor.stamp(row)
        s.add(row)
        assert fill_lock_pdf_sha256(s, ws.editor, visit_id, hashlib.sha256(b"minutes").hexdigest())


def _lock_row(engine: sa.Engine, visit_id: uuid.UUID) -> sa.Row[tuple[object, ...]]:
    with engine.connect() as conn:
        return conn.execute(sa.select(LOCK).where(LOCK.c.visit_id == visit_id)).one()


def _touch(ws: Workspace, name: str, row_id: uuid.UUID, **values: object) -> None:
    t = table(name)
    with ws.engine.begin() as conn:  # a Core write, as a faulty or tampered laptop could make
        conn.execute(
            t.update().where(t.c.id == row_id).values(dirty=True, updated_at=ws.editor.clock.now(), **values)
        )


def test_the_lock_takes_its_pdf_hash_once_and_nothing_else(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    visit_id = start_visit(a)
    _lock(a, visit_id)
    assert client.sync(a).rejected == []
    client.sync(b)
    assert _lock_row(b.engine, visit_id).pdf_sha256 is None

    _sign(a, visit_id, b"%PDF-1.7 signed minutes")
    report = client.sync(a)
    assert report.rejected == []
    want = hashlib.sha256(b"minutes").hexdigest()
    assert _lock_row(office.engine, visit_id).pdf_sha256 == want
    ds = table("digital_signature")
    with office.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(ds.c.visit_id == visit_id)).scalar_one() == 1
    client.sync(b)
    assert _lock_row(b.engine, visit_id).pdf_sha256 == want
    with Session(b.engine) as s:
        assert s.get(DigitalSignature, stable_id("digital-signature", visit_id, "leader")) is not None

    lock_id = stable_id("visit-lock", visit_id)
    before = _lock_row(office.engine, visit_id)
    for name, row_id, values in (
        ("visit_lock", lock_id, {"pdf_sha256": "e" * 64}),  # a value to another value
        ("visit_lock", lock_id, {"content_sha256": "f" * 64}),  # the signed content itself
        ("digital_signature", stable_id("digital-signature", visit_id, "leader"), {"signer_name": "X"}),
    ):
        _touch(b, name, row_id, **values)
        refused = client.sync(b).rejected
        assert [(r[0], r[2]) for r in refused] == [(name, "locked")], refused
        assert all(r[3] for r in refused)  # a reason the UI shows
    assert _lock_row(office.engine, visit_id) == before
    assert _lock_row(b.engine, visit_id).pdf_sha256 == want  # the office's version is back on B
    assert _lock_row(b.engine, visit_id).content_sha256 == "c" * 64


def test_a_second_fill_from_another_laptop_is_refused(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    visit_id = start_visit(a)
    _lock(a, visit_id)
    client.sync(a)
    client.sync(b)
    with session_scope(b.engine) as s:  # B fills its own, different hash offline
        fill_lock_pdf_sha256(s, b.editor, visit_id, "b" * 64)
    _sign(a, visit_id, b"%PDF-1.7 other")
    assert client.sync(a).rejected == []
    refused = client.sync(b).rejected
    assert [(r[0], r[2]) for r in refused] == [("visit_lock", "locked")]
    assert _lock_row(b.engine, visit_id).pdf_sha256 == hashlib.sha256(b"minutes").hexdigest()


def test_document_numbers_travel_and_stay_with_their_laptop(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    year = 2031 if office.engine.dialect.name == "sqlite" else 2032
    with Session(office.engine) as s:
        numbering.allocate_block(s, admin.office_editor(), "ĐKTCV", year, a.editor.device_id, 5)
        s.commit()
    with office.engine.begin() as conn:
        admin.sequence_new_rows(conn)
    client.sync(a)
    with session_scope(a.engine) as s:
        taken = numbering.next_number(s, a.editor, "ĐKTCV", year, "BB", summary="Biên bản")
        number_id, number = taken.id, taken.number
    assert client.sync(a).rejected == []
    client.sync(b)
    with Session(b.engine) as s:
        assert [r.number for r in numbering.register(s, "ĐKTCV", year)] == [number]
    _touch(b, "document_number", number_id, summary="B rewrites A's line", device_id=b.editor.device_id)
    refused = client.sync(b).rejected
    assert [(r[0], r[2]) for r in refused] == [("document_number", "duplicate")]
    _touch(b, "document_number", number_id, summary="B as A")  # device_id back to A's: not B's to push
    assert [(r[0], r[2]) for r in client.sync(b).rejected] == [("document_number", "forbidden")]
    dn = table("document_number")
    with office.engine.connect() as conn:
        assert conn.execute(sa.select(dn.c.summary).where(dn.c.id == number_id)).scalar_one() == "Biên bản"
