"""The conclusion-notices tab on the demo database (pytest-qt, offscreen): a notice drafted from a
unit's signed visits, its requirements edited, issued with a TB number, exported, signed with a
.p12 file and verified; no edit once issued."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlmodel import Session, select

from inspector_app.core.desk import notice_signing, notices
from inspector_app.core.models import ConclusionNotice, VisitLock
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.workspace import Workspace
from inspector_app.documents import demo_pki
from inspector_app.documents.verify import verify_pdf
from inspector_app.ui.office.notice_editor import COL_DEADLINE
from inspector_app.ui.office.notices_page import NoticesPage
from inspector_app.ui.tasks import Tasks

PASSWORD = "1234"


@pytest.fixture(scope="module")
def p12(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = demo_pki.make_root()
    leader = demo_pki.issue_signer(root, "Lê Văn Thắng")
    return demo_pki.write_pkcs12(
        leader, root, tmp_path_factory.mktemp("pki") / "leader.p12", PASSWORD.encode()
    )


def make_page(qtbot, ws: Workspace) -> NoticesPage:  # type: ignore[no-untyped-def]
    page = NoticesPage(ws, Tasks(ws.engine, synchronous=True))
    qtbot.addWidget(page)
    page.confirm = lambda _parent, _text: True
    page.resize(1280, 800)
    page.show()
    return page


def stored(ws: Workspace) -> list[ConclusionNotice]:
    with Session(ws.engine) as s:
        return list(s.exec(select(ConclusionNotice).where(ConclusionNotice.deleted == False)))  # noqa: E712


def draft_through_the_page(page: NoticesPage, unit: str) -> None:
    dialog = page.new_notice()
    dialog.unit.setCurrentIndex(
        next(i for i in range(dialog.unit.count()) if dialog.unit.itemText(i).startswith(unit))
    )
    assert dialog.visits.count() == 1 and dialog.ok.isEnabled()
    dialog.accept()


def test_draft_edit_issue_sign_verify_export(qtbot, demo_ws: Workspace, p12: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Session(demo_ws.engine) as s:
        locks = {lock.visit_id: lock.content_sha256 for lock in s.exec(select(VisitLock))}
    page = make_page(qtbot, demo_ws)
    assert page.list.rowCount() == 0 and not page.editor.isEnabled()
    draft_through_the_page(page, "UBND phường Thành Sen")
    assert page.list.rowCount() == 1 and page.current_id is not None
    assert page.save_button.isEnabled() and not page.sign_button.isEnabled()
    editor = page.editor
    assert editor.requirements.rowCount() == 4
    assert "03/BB-ĐKTCV" in editor.findings.toPlainText()

    # Edit: a fifth requirement, and a deadline typed wrong then right.
    row = editor.add_requirement(notices.Requirement("Bổ sung hòm thư góp ý", "Văn phòng UBND phường", None))
    editor.requirements.item(row, COL_DEADLINE).setText("31/13/2026")
    page.save()
    assert "31/13/2026" in page.status.text()
    assert len(notices.requirements_of(stored(demo_ws)[0])) == 4  # nothing saved
    editor.requirements.item(row, COL_DEADLINE).setText("30/05/2026")
    page.save()
    saved = notices.requirements_of(stored(demo_ws)[0])
    assert saved[-1] == notices.Requirement(
        "Bổ sung hòm thư góp ý", "Văn phòng UBND phường", saved[-1].deadline
    )
    assert saved[-1].deadline is not None and saved[-1].deadline.isoformat() == "2026-05-30"

    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    notice = stored(demo_ws)[0]
    assert notice.status == "issued" and notice.number and notice.number.endswith("/TB-ĐKTCV")
    assert notice.number in page.status.text() and page.list.item(0, 0).text() == notice.number
    assert notice.findings == editor.findings.toPlainText() and notice.findings.count("\n") > 5  # lines kept
    assert (
        editor.findings.isReadOnly()
        and not page.save_button.isEnabled()
        and not page.issue_button.isEnabled()
    )
    assert page.sign_button.isEnabled() and not page.verify_button.isEnabled()

    page.choose_p12 = lambda _parent: p12
    page.ask_password = lambda _parent, _path: "wrong"
    assert page.sign()
    assert "mật khẩu" in page.status.text() and stored(demo_ws)[0].status == "issued"
    page.ask_password = lambda _parent, _path: PASSWORD
    assert page.sign()
    notice = stored(demo_ws)[0]
    assert notice.status == "signed" and notice.pdf_sha256 and notice.number in page.status.text()
    assert page.verify_button.isEnabled() and not page.sign_button.isEnabled()
    page.verify()
    assert "Chữ ký hợp lệ" in page.status.text() and "Lê Văn Thắng" in page.status.text()

    out = tmp_path / "thong-bao.pdf"
    page.choose_export = lambda _parent, _suggested: out
    assert page.export()
    data = out.read_bytes()
    assert verify_pdf(data).ok
    with Session(demo_ws.engine) as s:
        assert data == notice_signing.notice_pdf(s, demo_ws.attachments, notice.id)
        assert {v: content_sha256(s, v) for v in locks} == locks  # the visits are as signed
    page.grab().save(str(tmp_path / "notices.png"))


def test_discard_a_draft_and_preview(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    draft_through_the_page(page, "UBND xã Thạch Khê")
    page.preview()
    dialog = page.dialog
    assert dialog.pages.page_count() >= 1 and "trang" in dialog.status.text()
    dialog.reject()
    page.discard()
    assert stored(demo_ws) == [] and page.list.rowCount() == 0 and page.current_id is None


def test_a_unit_without_signed_visits_left_cannot_be_drafted_again(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    draft_through_the_page(page, "UBND xã Thạch Khê")
    dialog = page.new_notice()
    dialog.unit.setCurrentIndex(
        next(i for i in range(dialog.unit.count()) if dialog.unit.itemText(i).startswith("UBND xã Thạch Khê"))
    )
    item = dialog.visits.item(0)
    assert item.checkState() == Qt.CheckState.Unchecked and "đã có trong thông báo" in item.text()
    assert not dialog.ok.isEnabled()
    dialog.reject()
