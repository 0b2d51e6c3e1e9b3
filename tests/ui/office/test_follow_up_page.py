"""The remedy follow-up tab on the demo database (pytest-qt, offscreen): progress recorded through
the page on a remedy of a signed visit leaves the visit's lock hash as signed; the overdue view
matches counts taken straight from the database; the week's reminders and the filters."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import Qt
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.desk.follow_up import today_vn
from inspector_app.core.models import Attachment, Remedy, RemedyFollowUp, Visit, VisitLock, VisitStatus
from inspector_app.core.services.findings import add_follow_up
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.workspace import Workspace
from inspector_app.ui.office.follow_up_model import COL_OVERDUE, COL_PROGRESS, COL_STATUS
from inspector_app.ui.office.follow_up_page import FollowUpPage
from inspector_app.ui.tasks import Tasks

TODAY = dt.date(2026, 4, 15)

RAW_OVERDUE_PER_UNIT = """
SELECT u.name, COUNT(*) FROM remedy r JOIN visit v ON v.id = r.visit_id JOIN unit u ON u.id = v.unit_id
WHERE r.deleted = 0 AND v.deleted = 0 AND v.status = 'signed'
  AND r.deadline IS NOT NULL AND r.deadline < :today
  AND COALESCE((SELECT f.status FROM remedy_follow_up f WHERE f.remedy_id = r.id AND f.deleted = 0
                ORDER BY f.reported_on DESC, f.updated_at DESC LIMIT 1), r.status) <> 'done'
GROUP BY u.name
"""


def make_page(qtbot, ws: Workspace) -> FollowUpPage:  # type: ignore[no-untyped-def]
    page = FollowUpPage(ws, Tasks(ws.engine, synchronous=True))
    qtbot.addWidget(page)
    page.today = lambda: TODAY
    page.reload()
    page.resize(1280, 800)
    page.show()
    return page


def raw_overdue(ws: Workspace) -> dict[str, int]:
    with ws.engine.connect() as conn:
        return dict(conn.execute(sa.text(RAW_OVERDUE_PER_UNIT), {"today": TODAY.isoformat()}).all())  # type: ignore[arg-type]


def table_counts(page: FollowUpPage, which: str) -> dict[str, int]:
    table = page.per_unit if which == "unit" else page.per_team
    return {table.item(r, 0).text(): int(table.item(r, 1).text()) for r in range(table.rowCount())}


def test_progress_recorded_through_the_page_leaves_the_lock_hash_unchanged(
    qtbot, demo_ws: Workspace, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    page.table.selectRow(0)
    item = page.selected_item()
    assert item is not None and item.overdue and item.status == "open"
    with Session(demo_ws.engine) as s:
        visit = s.get(Visit, item.visit_id)
        assert visit is not None and visit.status == VisitStatus.SIGNED
        lock = s.exec(select(VisitLock).where(VisitLock.visit_id == item.visit_id)).one()
        visit_stamp = visit.updated_at
    assert page.record_button.isEnabled()
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.item.id == item.id
    evidence = tmp_path / "anh-bien-ten.jpg"
    evidence.write_bytes(b"\xff\xd8\xff\xe0 anh chup bien ten")
    dialog.progress.setPlainText("Đơn vị đã bổ sung biển tên và kiểm điểm người đi muộn.")
    dialog.status_box.setCurrentIndex(dialog.status_box.findData("done"))
    dialog.evidence.setText(str(evidence))
    with qtbot.waitSignal(dialog.recorded, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    with Session(demo_ws.engine) as s:
        rows = s.exec(select(RemedyFollowUp).where(RemedyFollowUp.remedy_id == item.id)).all()
        assert [(r.status, r.reported_on) for r in rows] == [("done", today_vn())]  # the dialog's default day
        attachment = s.get(Attachment, rows[0].attachment_id)
        assert attachment is not None and attachment.original_name == "anh-bien-ten.jpg"
        # The canonical content hash recomputed now is the one the lock recorded at signing.
        assert content_sha256(s, item.visit_id) == lock.content_sha256
        assert s.get(Visit, item.visit_id).updated_at == visit_stamp  # type: ignore[union-attr]
        assert s.get(Remedy, item.id).status == "open"  # type: ignore[union-attr]  # as signed

    row = page.model.row_of(item.id)
    assert row >= 0 and page.selected_item() is not None and page.selected_item().id == item.id  # type: ignore[union-attr]
    assert page.model.index(row, COL_STATUS).data() == "Đã hoàn thành"
    assert page.model.index(row, COL_OVERDUE).data() == ""
    assert "bổ sung biển tên" in page.model.index(row, COL_PROGRESS).data()
    assert "Đã ghi nhận tiến độ" in page.summary.text()
    page.grab().save(str(tmp_path / "follow-up.png"))


def test_the_dialog_refuses_an_empty_report(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    page.table.selectRow(0)
    dialog = page.record_selected()
    assert dialog is not None
    assert dialog.save() is False and dialog.isVisible()
    assert dialog.message.text()
    dialog.progress.setPlainText("x")
    dialog.evidence.setText("/no/such/file.pdf")
    assert dialog.save() is False and "/no/such/file.pdf" in dialog.message.text()
    with Session(demo_ws.engine) as s:
        assert s.exec(select(RemedyFollowUp)).all() == []


def test_the_overdue_view_matches_counts_taken_straight_from_the_database(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    assert table_counts(page, "unit") == raw_overdue(demo_ws) == {"UBND phường Thành Sen": 4}
    # Two of the four are reported done (one later reopened): the view follows the database.
    with Session(demo_ws.engine) as s:
        late = s.exec(
            select(Remedy.id)
            .join(Visit, Visit.id == Remedy.visit_id)
            .where(Visit.status == VisitStatus.SIGNED, Remedy.deadline < TODAY)
            .order_by(Remedy.id)
        ).all()
    with session_scope(demo_ws.engine) as s:
        for remedy_id, status, day in (
            (late[0], "done", 2),
            (late[1], "done", 3),
            (late[2], "done", 4),
            (late[2], "in_progress", 5),
        ):
            add_follow_up(
                s,
                demo_ws.editor,
                remedy_id=remedy_id,
                progress="…",
                status=status,
                reported_on=dt.date(2026, 4, day),
            )
    page.reload()
    expected = raw_overdue(demo_ws)
    assert table_counts(page, "unit") == expected == {"UBND phường Thành Sen": 2}
    assert sum(table_counts(page, "team").values()) == 2
    assert page.tabs.tabText(1) == "Quá hạn (2)"
    page.overdue_only.setChecked(True)
    assert page.model.total == page.model.rowCount() == 2
    assert all(page.model.item_at(r).overdue for r in range(2))  # type: ignore[union-attr]

    page.overdue_only.setChecked(False)
    page.tabs.setCurrentIndex(1)
    page._show_overdue_of("unit", page.per_unit.item(0, 1))  # what a double-click does
    assert page.tabs.currentIndex() == 0 and page.overdue_only.isChecked()
    assert page.unit_box.currentText() == "UBND phường Thành Sen" and page.model.total == 2


def test_due_this_week_and_the_filters(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    assert page.week_box.title() == "Đến hạn trong tuần (13/04 – 19/04/2026): 1"
    assert page.week_list.count() == 1 and "UBND xã Thạch Khê" in page.week_list.item(0).text()
    page._week_activated(page.week_list.item(0))
    assert page.dialog is not None and page.dialog.item.deadline == dt.date(2026, 4, 17)
    page.dialog.reject()

    assert page.model.total == 8
    page.unit_box.setCurrentIndex(page.unit_box.findText("UBND xã Thạch Khê"))
    assert page.model.total == 4 and {page.model.item_at(r).unit_name for r in range(4)} == {
        "UBND xã Thạch Khê"
    }  # type: ignore[union-attr]
    page.status_box.setCurrentIndex(page.status_box.findData("done"))
    assert page.model.total == 0 and not page.record_button.isEnabled()
    page.status_box.setCurrentIndex(0)
    page.unit_box.setCurrentIndex(0)
    team = page.team_box.itemData(1)
    assert isinstance(team, uuid.UUID)
    page.team_box.setCurrentIndex(1)
    assert page.model.total == 8 and page.summary.text() == "8 yêu cầu khắc phục"
