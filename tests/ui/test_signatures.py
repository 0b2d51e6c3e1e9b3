"""The signature pad (mouse strokes → trimmed transparent PNG) and the signatures tab: three
signers, a refusal needs a note, "sign and lock" writes the lock and every view turns read-only."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from sqlmodel import Session, select

from inspector_app.core.models import Signature, SignatureRole, Visit, VisitLock, VisitStatus
from inspector_app.core.services import signing, visits
from inspector_app.core.workspace import Workspace
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.checklist_view import ChecklistView
from inspector_app.ui.visit.findings_view import FindingsView
from inspector_app.ui.visit.signature_pad import SignaturePad
from inspector_app.ui.visit.signatures_view import SignaturesView


def visit_ids(ws: Workspace, status: str) -> list[uuid.UUID]:
    with Session(ws.engine) as session:
        rows = session.exec(select(Visit).where(Visit.status == status).order_by(Visit.started_at)).all()
        return [v.id for v in rows]


def draw(qtbot, pad: SignaturePad, points: list[tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[0]))
    for x, y in points[1:]:
        QTest.mouseMove(pad, QPoint(x, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1]))


SCRIBBLE = [(40, 90), (60, 60), (80, 100), (100, 55), (130, 95), (160, 70), (200, 80)]


def test_pad_strokes_become_a_trimmed_transparent_png(qtbot) -> None:  # type: ignore[no-untyped-def]
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(400, 160)
    pad.show()
    assert pad.is_empty() and pad.to_png() == b""
    with qtbot.waitSignal(pad.changed):
        draw(qtbot, pad, SCRIBBLE)
    assert not pad.is_empty() and len(pad.strokes) == 1 and len(pad.strokes[0]) == len(SCRIBBLE)
    png = pad.to_png()
    assert png.startswith(b"\x89PNG")
    image = QImage.fromData(png)
    assert image.hasAlphaChannel()
    # Trimmed to the ink: about the scribble's box (160×45 px) plus margins, at twice the size.
    assert 320 < image.width() < 400 and 90 < image.height() < 170
    corner = image.pixelColor(0, 0)
    assert corner.alpha() == 0  # transparent background
    inked = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixelColor(x, y).alpha()
    )
    assert inked > 100
    pad.clear()
    assert pad.is_empty()


def block_sign(qtbot, view: SignaturesView, role: str) -> None:  # type: ignore[no-untyped-def]
    block = view.blocks[role]
    draw(qtbot, block.pad, SCRIBBLE)
    block.sign_button.click()


def test_sign_refuse_and_lock(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.COMPLETED)[0]
    tasks = Tasks(demo_ws.engine, synchronous=True)
    view = SignaturesView(demo_ws, tasks, visit_id)
    checklist = ChecklistView(demo_ws, tasks, visit_id)
    findings_view = FindingsView(demo_ws, tasks, visit_id)
    for widget in (view, checklist, findings_view):
        qtbot.addWidget(widget)
    view.resize(1200, 600)
    view.show()
    # Prefilled from the team's roles and the unit's representative.
    leader = view.blocks[SignatureRole.LEADER]
    rep = view.blocks[SignatureRole.UNIT_REPRESENTATIVE]
    assert leader.name.text() and view.blocks[SignatureRole.SECRETARY].name.text()
    with Session(demo_ws.engine) as session:
        visit = visits.get_visit(session, visit_id)
        assert visit.unit_representative and visit.unit_representative.startswith(rep.name.text())
    # Signing with an empty pad is refused.
    leader.sign_button.click()
    assert "Vẽ chữ ký" in leader.state.text() or leader.state.text() != "Chưa ký"
    block_sign(qtbot, view, SignatureRole.LEADER)
    block_sign(qtbot, view, SignatureRole.SECRETARY)
    # Refusing needs a note.
    assert rep.refuse is not None and rep.refusal_note is not None
    rep.refuse.setChecked(True)
    assert not rep.refusal_note.isHidden() and not rep.pad.isEnabled()
    rep.sign_button.click()
    with Session(demo_ws.engine) as session:
        assert (
            session.exec(
                select(Signature).where(
                    Signature.visit_id == visit_id, Signature.role == SignatureRole.UNIT_REPRESENTATIVE
                )
            ).first()
            is None
        )
    assert rep.state.text() == view.status.text() != ""
    rep.refusal_note.setPlainText("Đại diện đơn vị không đồng ý với kết luận về giờ giấc làm việc.")
    rep.sign_button.click()
    with Session(demo_ws.engine) as session:
        rows = {
            s.role: s for s in session.exec(select(Signature).where(Signature.visit_id == visit_id)).all()
        }
    assert set(rows) == {SignatureRole.LEADER, SignatureRole.SECRETARY, SignatureRole.UNIT_REPRESENTATIVE}
    assert rows[SignatureRole.UNIT_REPRESENTATIVE].refused
    assert rows[SignatureRole.LEADER].attachment_id is not None and not rows[SignatureRole.LEADER].refused

    asked: list[str] = []
    view.confirm = lambda _parent, text: asked.append(text) is None and False  # the user says no
    view.lock_button.click()
    assert asked and not signing_locked(demo_ws, visit_id)
    view.confirm = lambda _parent, _text: True
    with qtbot.waitSignal(view.locked):
        view.lock_button.click()
    assert signing_locked(demo_ws, visit_id)
    assert view.is_read_only() and view.lock_button.isHidden() and leader.sign_button.isHidden()
    for other in (checklist, findings_view):  # the host reloads its tabs after ``changed``
        other.reload()
        assert other.is_read_only()


def signing_locked(ws: Workspace, visit_id: uuid.UUID) -> bool:
    with Session(ws.engine) as session:
        return session.exec(select(VisitLock).where(VisitLock.visit_id == visit_id)).first() is not None


def test_a_draft_visit_cannot_be_locked(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.DRAFT)[0]
    view = SignaturesView(demo_ws, Tasks(demo_ws.engine, synchronous=True), visit_id)
    qtbot.addWidget(view)
    view.confirm = lambda _parent, _text: True
    view.lock_button.click()
    assert not signing_locked(demo_ws, visit_id)
    assert view.status.text() == "Hãy hoàn thành cuộc kiểm tra trước khi ký" or view.status.text()


def test_a_signed_demo_visit_shows_its_signatures_read_only(
    demo_ws: Workspace, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import os

    visit_id = visit_ids(demo_ws, VisitStatus.SIGNED)[0]
    view = SignaturesView(demo_ws, Tasks(demo_ws.engine, synchronous=True), visit_id)
    qtbot.addWidget(view)
    view.resize(1200, 560)
    view.show()
    assert view.is_read_only() and view.lock_button.isHidden()
    for block in view.blocks.values():
        assert block.name.isReadOnly() and block.sign_button.isHidden()
        assert block.pad._image is not None and not block.pad._image.isNull()
    draw(qtbot, view.blocks[SignatureRole.LEADER].pad, SCRIBBLE)  # the pad ignores the pen
    assert view.blocks[SignatureRole.LEADER].pad.is_empty()
    out = Path(os.environ.get("INSPECTOR_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(out / "signatures-signed.png"))
    completed = SignaturesView(
        demo_ws, Tasks(demo_ws.engine, synchronous=True), visit_ids(demo_ws, VisitStatus.COMPLETED)[0]
    )
    qtbot.addWidget(completed)
    completed.resize(1200, 560)
    completed.show()
    draw(qtbot, completed.blocks[SignatureRole.LEADER].pad, SCRIBBLE)
    rep = completed.blocks[SignatureRole.UNIT_REPRESENTATIVE]
    assert rep.refuse is not None
    rep.refuse.setChecked(True)
    assert completed.grab().save(str(out / "signatures-completed.png"))
    assert signing.REQUIRED_ROLES
