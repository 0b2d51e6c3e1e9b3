"""The thông báo kết luận kiểm tra as a real PDF: drafted from a signed demo visit, issued, rendered,
signed with the test PKI and verified; its text read back with pdftotext shows the number, the
findings and the requirements; fonts are embedded; the CLI exports and verifies it."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.desk import notice_signing, notices
from inspector_app.core.models import ConclusionNotice, Unit, VisitLock
from inspector_app.core.services.attachments import blob_path
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.workspace import Workspace
from inspector_app.documents import notice_commands
from inspector_app.documents.flowables import qr_matrix
from inspector_app.documents.notice import qr_payload, render_notice
from inspector_app.documents.signing import load_pkcs12
from inspector_app.documents.verify import load_trust_roots, verify_pdf
from tests.documents.conftest import PASSWORD, Pki, pdfsig, require_tool

UNIT = "UBND phường Thành Sen"


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        [require_tool("pdftotext", "poppler-utils"), "-enc", "UTF-8", str(path), "-"], capture_output=True
    )
    return " ".join(out.stdout.decode("utf-8").split())  # lines joined: table cells wrap


def in_order(phrase: str, text: str) -> bool:
    """The phrase's words appear in the text in order (a table cell that wraps is read by pdftotext
    line by line across the row, so the next cell's words can come in between)."""
    words = iter(text.split())
    return all(any(w == t for t in words) for w in phrase.split())


def issued_notice(ws: Workspace) -> uuid.UUID:
    with session_scope(ws.engine) as s:
        unit_id = s.exec(select(Unit.id).where(Unit.name == UNIT)).one()
        notice = notices.draft_notice(s, ws.editor, unit_id=unit_id, issued_on=dt.date(2026, 4, 20))
        notices.update_notice(
            s,
            ws.editor,
            notice_id=notice.id,
            requirements=[
                *notices.requirements_of(notice),
                notices.Requirement(
                    "Niêm yết số điện thoại đường dây nóng & hòm thư góp ý", "Văn phòng", None
                ),
            ],
        )
        notices.issue_notice(s, ws.editor, notice_id=notice.id)
        return notice.id


def sign(ws: Workspace, pki: Pki, notice_id: uuid.UUID) -> ConclusionNotice:
    signer = load_pkcs12(pki.leader_p12, PASSWORD)
    with session_scope(ws.engine) as s:
        return notice_signing.sign_notice(s, ws.editor, ws.attachments, notice_id=notice_id, signer=signer)


def test_a_conclusion_notice_renders_signs_and_verifies(demo_ws: Workspace, pki: Pki, tmp_path: Path) -> None:
    with Session(demo_ws.engine) as s:
        locks_before = {lock.visit_id: lock.content_sha256 for lock in s.exec(select(VisitLock))}
    notice_id = issued_notice(demo_ws)
    notice = sign(demo_ws, pki, notice_id)
    assert notice.status == "signed" and notice.signed_at is not None and notice.pdf_sha256
    with Session(demo_ws.engine) as s:
        data = notice_signing.notice_pdf(s, demo_ws.attachments, notice_id)
        stored = notices.get_notice(s, notice_id)
        report = notice_signing.verify_notice(s, demo_ws.attachments, notice_id)
        trusted = notice_signing.verify_notice(
            s, demo_ws.attachments, notice_id, load_trust_roots([pki.root_pem])
        )
        for visit_id, digest in locks_before.items():  # the visits concluded are as signed
            assert content_sha256(s, visit_id) == digest
    assert blob_path(demo_ws.attachments, stored.pdf_sha256 or "").read_bytes() == data
    assert stored.pdf_attachment_id is not None
    assert report.ok and trusted.ok
    check = report.signatures[0]
    assert check.field == "truong_doan" and check.signer == "Lê Văn Thắng" and check.trusted is None
    assert verify_pdf(data).ok

    text = pdf_text(data, tmp_path)
    number = stored.number or ""
    assert number.endswith("/TB-ĐKTCV") and f"Số: {number}" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "THÔNG BÁO" in text and f"Kết luận kiểm tra công vụ tại {UNIT}" in text
    assert "Hà Tĩnh, ngày 20 tháng 4 năm 2026" in text
    assert "Căn cứ Quyết định số 125/QĐ-UBND" in text and "Căn cứ Kế hoạch số 45/KH-UBND" in text
    assert "Căn cứ Biên bản kiểm tra số 03/BB-ĐKTCV ngày 10/03/2026;" in text
    assert "I. KẾT QUẢ KIỂM TRA" in text and "II. YÊU CẦU" in text
    for line in stored.findings.splitlines():
        assert line.lstrip("- ") in text, line
    for r in notices.requirements_of(stored):
        assert in_order(r.content, text) and in_order(r.owner, text), r
        if r.deadline:
            assert r.deadline.strftime("%d/%m/%Y") in text
    assert "trước ngày 20/05/2026" in text  # report_by: 30 days on, every deadline having passed
    assert "Nơi nhận:" in text and "Lưu: VT, ĐKTCV." in text
    assert "TM. ĐOÀN KIỂM TRA" in text and "TRƯỞNG ĐOÀN" in text
    assert "DỰ THẢO" not in text
    assert str(notice_id) in text and notices.content_sha256(stored) in text

    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    assert "Lê Văn Thắng" in pdfsig(path)
    fonts = subprocess.run(
        [require_tool("pdffonts", "poppler-utils"), str(path)], capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts  # every font embedded
    assert not any("Helvetica" in line for line in fonts)


def test_the_draft_is_marked_and_the_qr_carries_the_content_hash(demo_ws: Workspace, tmp_path: Path) -> None:
    with session_scope(demo_ws.engine) as s:
        unit_id = s.exec(select(Unit.id).where(Unit.name == UNIT)).one()
        notice_id = notices.draft_notice(s, demo_ws.editor, unit_id=unit_id).id
    with Session(demo_ws.engine) as s:
        pdf = render_notice(s, notice_id)
        notice = notices.get_notice(s, notice_id)
    text = pdf_text(pdf.data, tmp_path)
    assert "DỰ THẢO" in text and "/TB-ĐKTCV" in text
    assert pdf.qr_payload == qr_payload(notice_id, notices.content_sha256(notice))
    assert qr_matrix(pdf.qr_payload).size > 20
    box = pdf.signature_boxes["truong_doan"]
    assert box.x1 > 250 and box.y2 - box.y1 > 50  # the right half, a signature's height


def test_signing_is_refused_before_issue_and_twice(demo_ws: Workspace, pki: Pki) -> None:
    with session_scope(demo_ws.engine) as s:
        unit_id = s.exec(select(Unit.id).where(Unit.name == UNIT)).one()
        draft_id = notices.draft_notice(s, demo_ws.editor, unit_id=unit_id).id
    with pytest.raises(InvalidInput):
        sign(demo_ws, pki, draft_id)
    with session_scope(demo_ws.engine) as s:
        notices.issue_notice(s, demo_ws.editor, notice_id=draft_id)
    sign(demo_ws, pki, draft_id)
    with pytest.raises(InvalidInput):
        sign(demo_ws, pki, draft_id)


def test_a_tampered_stored_file_does_not_verify(demo_ws: Workspace, pki: Pki) -> None:
    notice_id = issued_notice(demo_ws)
    notice = sign(demo_ws, pki, notice_id)
    path = blob_path(demo_ws.attachments, notice.pdf_sha256 or "")
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01  # one bit of the first revision flipped
    path.write_bytes(bytes(data))
    with Session(demo_ws.engine) as s:
        report = notice_signing.verify_notice(s, demo_ws.attachments, notice_id)
    assert not report.ok and report.problems
    assert not verify_pdf(bytes(data)).ok  # the signature itself no longer covers the bytes


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    export = sub.add_parser("export")
    notice_commands.add_export_notice_parser(export.add_subparsers(dest="export_command"))
    notice_commands.add_notice_parser(sub)
    return parser.parse_args(argv)


def test_the_cli_exports_issues_signs_and_verifies(
    demo_ws: Workspace,
    pki: Pki,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with session_scope(demo_ws.engine) as s:
        unit_id = s.exec(select(Unit.id).where(Unit.name == UNIT)).one()
        notice_id = notices.draft_notice(s, demo_ws.editor, unit_id=unit_id).id
    assert notice_commands.notice_command(demo_ws, _parse("notice", "issue", str(notice_id)[:8])) == 0
    with Session(demo_ws.engine) as s:
        number = notices.get_notice(s, notice_id).number or ""
    monkeypatch.setenv("P12_PASSWORD", PASSWORD.decode())
    args = _parse("notice", "sign", number, "--p12", str(pki.leader_p12), "--password-env", "P12_PASSWORD")
    assert notice_commands.notice_command(demo_ws, args) == 0
    out = tmp_path / "tb.pdf"
    assert (
        notice_commands.export_notice_command(demo_ws, _parse("export", "notice", number, "-o", str(out)))
        == 0
    )
    with Session(demo_ws.engine) as s:
        assert out.read_bytes() == notice_signing.notice_pdf(s, demo_ws.attachments, notice_id)
    verify = _parse("notice", "verify", str(notice_id), "--trust", str(pki.root_pem))
    assert notice_commands.notice_command(demo_ws, verify) == 0
    assert notice_commands.notice_command(demo_ws, _parse("notice", "list", "--json")) == 0
    assert number in capsys.readouterr().out
    assert notice_commands.notice_command(demo_ws, _parse("notice", "verify", "nope")) == 1
    bad = _parse("export", "notice", number, "-o", str(tmp_path / "tb.docx"))
    assert notice_commands.export_notice_command(demo_ws, bad) == 2
