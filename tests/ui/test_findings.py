"""The findings tab on the demo database: findings edited, deleted and added, remedies added and
edited through the model, explanation, conclusion and copies stored; a signed visit is read-only."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from sqlmodel import Session, select

from inspector_app.core.models import Finding, Remedy, RemedyStatus, Visit, VisitStatus
from inspector_app.core.workspace import Workspace
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.findings_view import FindingsView
from inspector_app.ui.visit.remedies_model import (
    COL_CONTENT,
    COL_DEADLINE,
    COL_OWNER,
    COL_STATUS,
    RemediesModel,
    RemedyRow,
)


def visit_ids(ws: Workspace, status: str) -> list[uuid.UUID]:
    with Session(ws.engine) as session:
        rows = session.exec(select(Visit).where(Visit.status == status).order_by(Visit.started_at)).all()
        return [v.id for v in rows]


def make_view(qtbot, ws: Workspace, visit_id: uuid.UUID) -> FindingsView:  # type: ignore[no-untyped-def]
    view = FindingsView(ws, Tasks(ws.engine, synchronous=True), visit_id)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    return view


def live_findings(ws: Workspace, visit_id: uuid.UUID) -> list[Finding]:
    with Session(ws.engine) as session:
        return list(
            session.exec(
                select(Finding)
                .where(Finding.visit_id == visit_id, Finding.deleted == False)  # noqa: E712
                .order_by(Finding.sort_order)
            ).all()
        )


def live_remedies(ws: Workspace, visit_id: uuid.UUID) -> list[Remedy]:
    with Session(ws.engine) as session:
        return list(
            session.exec(
                select(Remedy).where(Remedy.visit_id == visit_id, Remedy.deleted == False)  # noqa: E712
            ).all()
        )


def test_remedies_model_without_a_window() -> None:
    model = RemediesModel()
    rid = uuid.uuid4()
    model.set_rows([RemedyRow(rid, "Niêm yết thủ tục", "Chủ tịch UBND xã", dt.date(2025, 8, 15), "open")])
    assert model.rowCount() == 1 and model.columnCount() == 4
    assert model.headerData(COL_OWNER, Qt.Orientation.Horizontal) == "Người chịu trách nhiệm"
    assert model.index(0, COL_DEADLINE).data() == "15/08/2025"
    assert model.index(0, COL_STATUS).data() == "Chưa thực hiện"
    asked: list[tuple[object, str, object]] = []
    model.edit_requested.connect(lambda *args: asked.append(args))
    assert not model.setData(model.index(0, COL_DEADLINE), QDate(2025, 9, 1))  # shown after commit
    assert asked == [(rid, "deadline", dt.date(2025, 9, 1))]
    assert model.index(0, COL_DEADLINE).data() == "15/08/2025"
    model.update_row(RemedyRow(rid, "Niêm yết thủ tục", "Chủ tịch UBND xã", dt.date(2025, 9, 1), "done"))
    assert model.index(0, COL_DEADLINE).data() == "01/09/2025"
    assert model.index(0, COL_STATUS).data() == "Đã hoàn thành"
    model.read_only = True
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_findings_are_edited_deleted_and_added(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.DRAFT)[0]
    view = make_view(qtbot, demo_ws, visit_id)
    before = live_findings(demo_ws, visit_id)
    assert before and len(view.finding_rows) == len(before)
    row = view.finding_rows[0]
    row.text.setFocus()
    row.text.setPlainText("Có 02 công chức đi muộn (đã sửa tay).")
    view._finding_text_done(row)
    first = live_findings(demo_ws, visit_id)[0]
    assert first.text == "Có 02 công chức đi muộn (đã sửa tay)." and first.edited

    view.new_finding.setText("Bộ phận Một cửa bố trí khoa học, thuận tiện cho người dân.")
    view.new_kind.setCurrentIndex(1)  # strength
    view.add_finding_button.click()
    added = [f for f in live_findings(demo_ws, visit_id) if f.source == "manual"]
    assert [(f.text, f.kind) for f in added] == [
        ("Bộ phận Một cửa bố trí khoa học, thuận tiện cho người dân.", "strength")
    ]
    assert view.new_finding.text() == ""
    assert len(view.finding_rows) == len(before) + 1

    manual = next(r for r in view.finding_rows if r.finding_id == added[0].id)
    manual.delete_button.click()
    assert added[0].id not in {f.id for f in live_findings(demo_ws, visit_id)}

    view.new_finding.setText("   ")  # refused by the service: the message is shown, nothing stored
    view.add_finding_button.click()
    assert "nội dung" in view.status.text().lower() or view.status.text()
    assert len(live_findings(demo_ws, visit_id)) == len(before)


def test_remedies_are_added_and_edited(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.DRAFT)[0]
    view = make_view(qtbot, demo_ws, visit_id)
    count = len(live_remedies(demo_ws, visit_id))
    assert view.remedies.rowCount() == count
    assert view.remedy_owner.text().startswith("Thủ trưởng")
    view.remedy_content.setText("Niêm yết công khai số điện thoại đường dây nóng")
    view.remedy_owner.setText("Văn phòng HĐND và UBND xã")
    view.remedy_deadline.setDate(QDate(2026, 3, 31))
    view.add_remedy_button.click()
    stored = {r.content: r for r in live_remedies(demo_ws, visit_id)}
    new = stored["Niêm yết công khai số điện thoại đường dây nóng"]
    assert (new.owner, new.deadline, new.status) == (
        "Văn phòng HĐND và UBND xã",
        dt.date(2026, 3, 31),
        "open",
    )
    row = next(n for n, r in enumerate(view.remedies.rows()) if r.id == new.id)

    model = view.remedies
    model.setData(model.index(row, COL_DEADLINE), QDate(2026, 4, 15))
    model.setData(model.index(row, COL_STATUS), RemedyStatus.IN_PROGRESS.value)
    model.setData(model.index(row, COL_CONTENT), "Niêm yết số điện thoại đường dây nóng tại quầy")
    with Session(demo_ws.engine) as session:
        again = session.get(Remedy, new.id)
        assert again is not None
        assert (again.deadline, again.status, again.content) == (
            dt.date(2026, 4, 15),
            "in_progress",
            "Niêm yết số điện thoại đường dây nóng tại quầy",
        )
    assert model.index(row, COL_DEADLINE).data() == "15/04/2026"
    assert model.index(row, COL_STATUS).data() == "Đang thực hiện"
    # An empty owner is refused: the table keeps the stored value and says why.
    model.setData(model.index(row, COL_OWNER), "")
    assert model.index(row, COL_OWNER).data() == "Văn phòng HĐND và UBND xã"
    assert view.status.text()
    # Delete.
    view.table.setCurrentIndex(model.index(row, 0))
    view.delete_remedy_button.click()
    assert new.id not in {r.id for r in live_remedies(demo_ws, visit_id)}
    assert len(live_remedies(demo_ws, visit_id)) == count


def test_explanation_conclusion_and_copies(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.DRAFT)[0]
    view = make_view(qtbot, demo_ws, visit_id)
    changes: list[None] = []
    view.changed.connect(lambda: changes.append(None))
    view.conclusion.setPlainText("Đơn vị cơ bản chấp hành tốt kỷ luật, kỷ cương hành chính.")
    view._save_text("conclusion", view.conclusion)
    view.explanation.setPlainText("Đơn vị tiếp thu, sẽ chấn chỉnh ngay.")
    view._save_text("explanation", view.explanation)
    view.copies.setValue(3)
    with Session(demo_ws.engine) as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit.conclusion == "Đơn vị cơ bản chấp hành tốt kỷ luật, kỷ cương hành chính."
        assert visit.explanation == "Đơn vị tiếp thu, sẽ chấn chỉnh ngay."
        assert visit.copies == 3
    assert len(changes) == 3


def test_a_signed_visit_is_read_only(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.SIGNED)[0]
    view = make_view(qtbot, demo_ws, visit_id)
    assert view.is_read_only()
    assert view.add_remedy_button.isHidden() and view.add_finding_button.isHidden()
    assert view.conclusion.isReadOnly() and view.explanation.isReadOnly()
    assert all(r.text.isReadOnly() and r.delete_button.isHidden() for r in view.finding_rows)
    assert view.remedies.read_only
    before = [(r.id, r.status) for r in live_remedies(demo_ws, visit_id)]
    view.remedies.setData(view.remedies.index(0, COL_STATUS), "done")
    assert [(r.id, r.status) for r in live_remedies(demo_ws, visit_id)] == before


def test_screenshot(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    out = Path(os.environ.get("INSPECTOR_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    view = make_view(qtbot, demo_ws, visit_ids(demo_ws, VisitStatus.DRAFT)[0])
    assert view.grab().save(str(out / "findings-draft.png"))
    signed = make_view(qtbot, demo_ws, visit_ids(demo_ws, VisitStatus.SIGNED)[0])
    assert signed.grab().save(str(out / "findings-signed.png"))
