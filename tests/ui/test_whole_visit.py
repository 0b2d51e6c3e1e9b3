"""A whole surprise visit driven from the keyboard, as an inspector would, through the real threaded
single DB writer: Ctrl+N → "can loc" Enter → roll call with the number keys → the required checklist
items → a finding edited and a remedy added → completed → three signatures drawn → "Ký và khóa".
Then what is STORED is read with a fresh Session, and every tab is read-only."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlmodel import Session, select

from inspector_app.core.models import (
    Badge,
    Finding,
    Remedy,
    RollCall,
    Signature,
    Visit,
    VisitLock,
    VisitStatus,
)
from inspector_app.core.services import locking, visits
from inspector_app.core.services.roll_call import ABSENT
from inspector_app.core.workspace import Workspace
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.settings import Settings
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.remedies_model import from_qdate
from inspector_app.ui.visit.visit_window import (
    CHECKLIST_TAB,
    FINDINGS_TAB,
    ROLL_CALL_TAB,
    SIGNATURES_TAB,
    VisitWindow,
)

Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier
STATUS_OF_KEY = {
    "1": "co_mat", "2": "di_muon", "3": "vang_co_ly_do", "4": "vang_khong_ly_do", "5": "di_cong_tac",
    "6": "nghi_phep_om", "7": "khong_ro_ly_do",
}  # fmt: skip
# One entry per official, in table order: the letters pressed first (T badge, B name plate; they
# stay on the person), then the status digit (which moves to the next person).
ROLL_CALL = ["1", "1", "T2", "1", "TT1", "B1", "3", "1", "BB4", "1",
             "2", "1", "5", "T1", "6", "1", "1", "7", "TB2", "1",
             "1", "1", "TTBB1", "1", "3", "1", "1", "1", "2", "1", "1"]  # fmt: skip
BADGE_AFTER = {1: "co", 2: "khong_deo"}  # presses of T from an empty cell → stored value
PLATE_AFTER = {1: "co", 2: "khong"}
SCRIBBLE = [(40, 90), (60, 60), (80, 100), (100, 55), (130, 95), (160, 70), (200, 80)]
EDITED_FINDING = "Lịch công tác tuần chưa được công khai tại bảng tin (Đoàn đã sửa)."
REMEDY = "Công khai lịch công tác tuần tại bảng tin trụ sở"
OWNER = "Văn phòng HĐND và UBND xã Can Lộc"


def settle(qtbot, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    """Every queued write committed and its callbacks run (they may queue more)."""
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=30_000)
    qtbot.wait(20)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=30_000)


def focus(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    top = widget.window()
    if not top.isActiveWindow():  # offscreen, a window closing elsewhere can take the activation
        top.activateWindow()
        qtbot.waitUntil(top.isActiveWindow, timeout=3_000)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=3_000)


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` as key presses; QTest's keyClicks only knows ASCII, so Vietnamese letters go as
    key events carrying their text (what an input method delivers)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def replace_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select all and type over it, then Tab away (text boxes save when they lose the focus)."""
    focus(qtbot, widget)
    qtbot.keyClick(widget, Key.Key_A, Ctrl)
    type_text(qtbot, widget, text)
    qtbot.keyClick(widget, Key.Key_Tab)


def draw(pad: QWidget) -> None:
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*SCRIBBLE[0]))
    for x, y in SCRIBBLE[1:]:
        QTest.mouseMove(pad, QPoint(x, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*SCRIBBLE[-1]))


def start_from_home(qtbot, demo_ws: Workspace, tasks: Tasks, data_dir: Path) -> VisitWindow:  # type: ignore[no-untyped-def]
    main = MainWindow(
        data_dir=data_dir,
        settings=Settings(),
        tasks=tasks,
        session_factory=demo_ws.session,
        workspace=demo_ws,
    )
    qtbot.addWidget(main)
    main.show()
    assert main.home is not None
    main.home.reload()
    # Offscreen there is no active window for shortcuts to reach: trigger the action Ctrl+N is on.
    assert main.new_visit_action.shortcut().toString() == "Ctrl+N"
    main.new_visit_action.trigger()
    dialog = main.start_dialog
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "can loc")
    assert dialog.units.currentItem().text() == "UBND xã Can Lộc"
    with qtbot.waitSignal(dialog.visit_started, timeout=10_000):
        qtbot.keyClick(dialog.search, Key.Key_Return)
    assert dialog.visit_id is not None
    window = main.visit_windows[dialog.visit_id]
    assert isinstance(window, VisitWindow)  # closed (and deleted) by the main window at teardown
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3_000)
    return window


def roll_call(qtbot, window: VisitWindow) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    view = window.view(ROLL_CALL_TAB)
    assert view.model.rowCount() == len(ROLL_CALL)  # UBND xã Can Lộc: 31 on the demo registry
    ids = [view.model.row_at(n).id for n in range(len(ROLL_CALL))]
    focus(qtbot, view.table)
    for keys in ROLL_CALL:
        for key in keys:
            qtbot.keyClicks(view.table, key)
    return ids


def checklist(qtbot, window: VisitWindow, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.tabs, Key.Key_Tab, Ctrl)  # Ctrl+Tab: the next tab
    assert window.tabs.currentIndex() == CHECKLIST_TAB
    view = window.view(CHECKLIST_TAB)
    rows = view.rows
    replace_text(qtbot, rows["A2"].editor.box, "Trụ sở UBND xã Can Lộc, tầng 1")
    for code, text in (("A3", "7h20"), ("A6", "7:30")):
        line = rows[code].editor.line
        focus(qtbot, line)
        qtbot.keyClick(line, Key.Key_A, Ctrl)
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Key.Key_Return)
    combo = rows["A5"].editor.combo
    focus(qtbot, combo)
    qtbot.keyClick(combo, Key.Key_Down)  # the first answer: "Đột xuất"
    settle(qtbot, tasks)
    # Section D: the unit has a one-stop section (Space on the focused "Có" button).
    focus(qtbot, view.sections)
    for _n in range(3):
        qtbot.keyClick(view.sections, Key.Key_Down)
    assert view.stack.currentIndex() == 3
    yes = rows_of(view)["D0"].editor.buttons["yes"]
    focus(qtbot, yes)
    qtbot.keyClick(yes, Key.Key_Space)
    # Section B: the weekly schedule is not posted — a failing answer, drafted as a finding.
    for _n in range(2):
        qtbot.keyClick(view.sections, Key.Key_Up)
    no = rows_of(view)["B9"].editor.buttons["no"]
    focus(qtbot, no)
    qtbot.keyClick(no, Key.Key_Space)
    settle(qtbot, tasks)
    assert view.rows["B9"].property("failing") is True
    assert view.missing_list.count() == 0, [view.missing_list.item(n).text() for n in range(3)]


def rows_of(view: QWidget) -> dict:  # type: ignore[type-arg]
    return view.rows  # type: ignore[attr-defined,no-any-return]


def findings(qtbot, window: VisitWindow, tasks: Tasks) -> dt.date:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.tabs, Key.Key_Tab, Ctrl)
    assert window.tabs.currentIndex() == FINDINGS_TAB
    view = window.view(FINDINGS_TAB)
    row = next(r for r in view.finding_rows if r.stored.startswith("Lịch công tác tuần"))
    replace_text(qtbot, row.text, EDITED_FINDING)
    settle(qtbot, tasks)
    focus(qtbot, view.remedy_content)
    type_text(qtbot, view.remedy_content, REMEDY)
    replace_text(qtbot, view.remedy_owner, OWNER)
    deadline = view.remedy_deadline
    focus(qtbot, deadline)
    qtbot.keyClick(deadline, Key.Key_Up)  # one day later than the default
    chosen = from_qdate(deadline.date())
    focus(qtbot, view.add_remedy_button)
    qtbot.keyClick(view.add_remedy_button, Key.Key_Space)
    settle(qtbot, tasks)
    assert chosen is not None
    return chosen


def sign(qtbot, window: VisitWindow, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.changed, timeout=10_000):
        window.complete_action.trigger()  # Ctrl+Enter
    assert window.status == VisitStatus.COMPLETED, window.missing_texts()
    qtbot.keyClick(window.tabs, Key.Key_Tab, Ctrl)
    assert window.tabs.currentIndex() == SIGNATURES_TAB
    view = window.view(SIGNATURES_TAB)
    for block in view.blocks.values():
        if not block.name.text():
            focus(qtbot, block.name)
            type_text(qtbot, block.name, "Nguyễn Thị Hoa")
            focus(qtbot, block.position)
            type_text(qtbot, block.position, "Chủ tịch UBND xã")
        draw(block.pad)
        assert not block.pad.is_empty()
        focus(qtbot, block.sign_button)
        qtbot.keyClick(block.sign_button, Key.Key_Space)
        settle(qtbot, tasks)
    view.confirm = lambda _parent, _text: True  # the user answers "Yes" to "lock now?"
    focus(qtbot, view.lock_button)
    with qtbot.waitSignal(view.locked, timeout=10_000):
        qtbot.keyClick(view.lock_button, Key.Key_Space)
    settle(qtbot, tasks)


def test_a_whole_visit_from_the_keyboard(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(demo_ws.engine)  # the real single writer thread
    window = start_from_home(qtbot, demo_ws, tasks, tmp_path)
    visit_id = window.visit_id
    ids = roll_call(qtbot, window)
    settle(qtbot, tasks)
    checklist(qtbot, window, tasks)
    deadline = findings(qtbot, window, tasks)
    sign(qtbot, window, tasks)

    with Session(demo_ws.engine) as session:  # a fresh session: what was committed
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.status == VisitStatus.SIGNED
        lock = session.exec(select(VisitLock).where(VisitLock.visit_id == visit_id)).one()
        assert lock.content_sha256 == locking.content_sha256(session, visit_id)
        stored = {r.id: r for r in session.exec(select(RollCall).where(RollCall.visit_id == visit_id)).all()}
        assert len(stored) == len(ROLL_CALL)
        for row_id, keys in zip(ids, ROLL_CALL, strict=True):
            row = stored[row_id]
            assert row.status == STATUS_OF_KEY[keys[-1]], (row.full_name, keys)
            # Nobody to look at: the core sets an absent person's badge to "not applicable".
            badge = Badge.NA if row.status in ABSENT else BADGE_AFTER.get(keys.count("T"))
            assert row.badge == badge, (row.full_name, keys)
            assert row.name_plate == PLATE_AFTER.get(keys.count("B")), (row.full_name, keys)
            assert (row.arrival_at is not None) == (row.status == "di_muon"), (row.full_name, keys)  # "now"
        answers = visits.answer_values(session, visit_id)
        assert {k: answers.get(k) for k in ("A2", "A3", "A5", "A6", "D0", "B9")} == {
            "A2": "Trụ sở UBND xã Can Lộc, tầng 1",
            "A3": "07:20",
            "A5": "dot_xuat",
            "A6": "07:30",
            "D0": "yes",
            "B9": "no",
        }
        assert answers["B1"] == len(ROLL_CALL) and answers["B3"] == 4  # automatic counts from the roll call
        live = session.exec(
            select(Finding).where(Finding.visit_id == visit_id, Finding.deleted == False)  # noqa: E712
        ).all()
        edited = next(f for f in live if f.source_ref == "B9")
        assert edited.text == EDITED_FINDING and edited.edited
        assert any(f.source_ref == "B3" for f in live)  # the late arrivals, drafted from the roll call
        remedy = session.exec(
            select(Remedy).where(Remedy.visit_id == visit_id, Remedy.content == REMEDY)
        ).one()
        assert (remedy.owner, remedy.deadline) == (OWNER, deadline)
        signatures = session.exec(select(Signature).where(Signature.visit_id == visit_id)).all()
        assert len(signatures) == 3 and all(s.attachment_id and not s.refused for s in signatures)

    # Every tab is read-only now, and a key in the roll call changes nothing.
    assert window.read_only and window.status_label.text() == "Đã ký"
    assert window.view(ROLL_CALL_TAB).model.read_only
    assert window.view(CHECKLIST_TAB).is_read_only()
    assert window.view(FINDINGS_TAB).is_read_only()
    assert window.view(SIGNATURES_TAB).is_read_only()
    table = window.view(ROLL_CALL_TAB).table
    qtbot.keyClick(window.tabs, Key.Key_Tab, Ctrl)
    table.setCurrentIndex(table.model().index(0, 3))
    qtbot.keyClicks(table, "4T")
    settle(qtbot, tasks)
    with Session(demo_ws.engine) as session:
        first = session.get(RollCall, ids[0])
        assert first is not None and (first.status, first.badge) == ("co_mat", None)
    window.close()
