"""The visit window: header and tabs, "Hoàn thành" listing exactly what is missing or completing,
a signed visit read-only with its addendum action, and the way in from the main window."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.models import Addendum, FormVersion, RollCall, Unit, Visit
from inspector_app.core.services.roll_call import roll_call_rows
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.services.visits import record_answer, start_visit
from inspector_app.core.workspace import Workspace
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.settings import Settings
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.addendum_dialog import AddendumDialog
from inspector_app.ui.visit.roll_call_model import COL_STATUS
from inspector_app.ui.visit.visit_window import ROLL_CALL_TAB, VisitWindow

ARRIVED = dt.datetime(2026, 11, 30, 7, 20, tzinfo=VN_TZ)


def start_at(ws: Workspace, unit_name: str) -> uuid.UUID:
    with session_scope(ws.engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == unit_name)).one()
        form = session.exec(select(FormVersion).where(FormVersion.code == "kiem-tra-cong-vu-dot-xuat")).one()
        return start_visit(session, ws.editor, unit_id=unit.id, form_id=form.id, arrived_at=ARRIVED).id


def window_on(ws: Workspace, visit_id: uuid.UUID, qtbot) -> VisitWindow:  # type: ignore[no-untyped-def]
    window = VisitWindow(ws, Tasks(ws.engine, synchronous=True), visit_id)
    qtbot.addWidget(window)
    window.show()
    return window


def signed_visit(ws: Workspace) -> uuid.UUID:
    with Session(ws.engine) as session:
        return session.exec(
            select(Visit.id).join(Unit).where(Unit.name == "UBND xã Thạch Khê", Visit.status == "signed")
        ).one()


def test_header_and_tabs(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = window_on(demo_ws, start_at(demo_ws, "UBND xã Thạch Khê"), qtbot)
    assert window.unit_label.text() == "UBND xã Thạch Khê"
    assert "Đến lúc 30/11/2026 07:20 (giờ Việt Nam)" in window.info_label.text()
    assert "Kiểm tra công vụ đột xuất" in window.info_label.text()
    assert window.status_label.text() == "Bản nháp"
    titles = [window.tabs.tabText(n) for n in range(window.tabs.count())]
    assert titles == ["Điểm danh", "Phiếu kiểm tra", "Kết luận, kiến nghị", "Chữ ký"]
    assert window.view(ROLL_CALL_TAB).model.rowCount() == 25
    assert window.complete_action.isEnabled() and not window.addendum_action.isEnabled()


def test_incomplete_visit_lists_what_is_missing(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = start_at(demo_ws, "UBND xã Thạch Khê")
    window = window_on(demo_ws, visit_id, qtbot)
    window.complete_action.trigger()
    missing = window.missing_texts()
    assert missing[0].startswith("A2: ")  # form order: items first
    assert any(m.startswith("D0: ") for m in missing)
    roll = [m for m in missing if m.startswith("Điểm danh: chưa ghi tình trạng của")]
    assert len(roll) == 25
    assert "25" not in window.missing_title.text() and str(len(missing)) in window.missing_title.text()
    assert window.status_label.text() == "Bản nháp"
    # Activating a roll-call line shows that person in the roll call.
    window.missing_list.setCurrentRow(len(missing) - 1)
    window._go_to_missing(window.missing_list.currentItem())
    assert window.tabs.currentIndex() == ROLL_CALL_TAB
    assert window.view(ROLL_CALL_TAB).table.currentIndex().row() == 24
    with Session(demo_ws.engine) as session:
        assert session.get(Visit, visit_id).status == "draft"  # type: ignore[union-attr]


def test_complete_when_nothing_is_missing(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = start_at(demo_ws, "UBND xã Thạch Khê")
    with session_scope(demo_ws.engine) as session:
        for code, value in (("A2", "Ông Nguyễn Văn A"), ("A3", "07:20"), ("A5", "dot_xuat"), ("A6", "07:30"),
                            ("D0", "yes")):  # fmt: skip
            record_answer(session, demo_ws.editor, visit_id=visit_id, item_code=code, value=value)
    window = window_on(demo_ws, visit_id, qtbot)
    view = window.view(ROLL_CALL_TAB)
    view.table.setFocus()
    for _n in range(25):
        qtbot.keyClick(view.table, Qt.Key.Key_1)
    with qtbot.waitSignal(window.changed, timeout=5000):
        window.complete_action.trigger()
    assert window.missing_texts() == []
    assert window.status_label.text() == "Đã hoàn thành"
    assert not window.complete_action.isEnabled()
    with Session(demo_ws.engine) as session:
        assert session.get(Visit, visit_id).status == "completed"  # type: ignore[union-attr]


def test_signed_visit_is_read_only(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = signed_visit(demo_ws)
    with Session(demo_ws.engine) as session:
        before = [(r.id, r.status, r.badge) for r in roll_call_rows(session, visit_id)]
    window = window_on(demo_ws, visit_id, qtbot)
    assert window.status_label.text() == "Đã ký"
    assert window.read_only
    assert not window.complete_action.isEnabled() and window.addendum_action.isEnabled()
    view = window.view(ROLL_CALL_TAB)
    model = view.model
    assert model.read_only
    assert not model.flags(model.index(0, COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, COL_STATUS), "vang_khong_ly_do")
    view.table.setFocus()
    for key in (Qt.Key.Key_4, Qt.Key.Key_T, Qt.Key.Key_B, Qt.Key.Key_Delete):
        qtbot.keyClick(view.table, key)
    window.complete_action.trigger()
    with Session(demo_ws.engine) as session:
        after = [(r.id, r.status, r.badge) for r in roll_call_rows(session, visit_id)]
        assert session.get(Visit, visit_id).status == "signed"  # type: ignore[union-attr]
    assert after == before


def test_addendum_beside_a_signed_visit(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = signed_visit(demo_ws)
    window = window_on(demo_ws, visit_id, qtbot)
    dialog = AddendumDialog(demo_ws, window._tasks, visit_id, window)
    qtbot.addWidget(dialog)
    dialog.added.connect(lambda _id: window.reload_header())
    assert not dialog.save_button.isEnabled()
    dialog.text.setPlainText("Bổ sung: ông Nguyễn Văn B có giấy đi đường, đến lúc 09:00.")
    with qtbot.waitSignal(dialog.added, timeout=5000):
        dialog.save_button.click()
    with Session(demo_ws.engine) as session:
        rows = session.exec(select(Addendum).where(Addendum.visit_id == visit_id)).all()
        assert [r.text for r in rows] == ["Bổ sung: ông Nguyễn Văn B có giấy đi đường, đến lúc 09:00."]
    assert "1 biên bản bổ sung" in window.info_label.text()
    assert window.status_label.text() == "Đã ký"


def test_main_window_opens_visits(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(
        data_dir=tmp_path,
        session_factory=demo_ws.session,
        settings=Settings(),
        tasks=Tasks(demo_ws.engine, synchronous=True),
    )
    qtbot.addWidget(window)
    window.show()
    window.home.reload()
    assert window.workspace is demo_ws
    table = window.home.table
    table.setFocus()
    table.setCurrentIndex(window.home.model.index(0, 1))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the visit, as a double-click does
    assert len(window.visit_windows) == 1
    opened = next(iter(window.visit_windows.values()))
    qtbot.addWidget(opened)
    assert opened.unit_label.text() == window.home.model.visit_at(0)["unit"]  # type: ignore[index]
    window.open_visit(next(iter(window.visit_windows)))  # again: the same window, raised
    assert len(window.visit_windows) == 1

    # Offscreen there is no active window for shortcuts to reach: trigger the action Ctrl+N is on.
    assert window.new_visit_action.shortcut().toString() == "Ctrl+N"
    window.new_visit_action.trigger()
    dialog = window.start_dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.search, "thach lac")
    dialog.start()
    assert len(window.visit_windows) == 2
    assert window.home.model.total == 7
    with Session(demo_ws.engine) as session:
        assert len(session.exec(select(RollCall).join(Visit).where(Visit.id == dialog.visit_id)).all()) == 30
    for visit_window in list(window.visit_windows.values()):
        visit_window.close()
