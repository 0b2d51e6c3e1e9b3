"""Idle lock on the real main window over a real SQLite workspace, with a 1-second idle time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout

from inspector_app.core.db import session_scope
from inspector_app.core.local_user import set_idle_minutes, set_local_password
from inspector_app.core.services.editor import get_setting, set_setting
from inspector_app.core.workspace import Workspace
from inspector_app.ui.idle_lock import IdleLock, install_idle_lock
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.settings import Settings
from inspector_app.ui.tasks import Tasks

IDLE_MS = 1_000
PASSWORD = "mat-khau-may-1"  # ASCII: QTest cannot type Vietnamese letters (unit tests cover them)


@pytest.fixture
def window(workspace: Workspace, qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    tasks = Tasks(workspace.engine)
    win = MainWindow(
        data_dir=tmp_path / "ui", session_factory=workspace.session, settings=Settings(), tasks=tasks
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    tasks.wait_idle()


@pytest.fixture
def locks() -> Iterator[list[IdleLock]]:
    made: list[IdleLock] = []
    yield made
    for lock in made:
        lock.uninstall()


def install(
    locks: list[IdleLock], window: MainWindow, workspace: Workspace, idle: object = IDLE_MS
) -> IdleLock:
    lock = install_idle_lock(QApplication.instance(), window, workspace, idle)  # type: ignore[arg-type]
    locks.append(lock)
    return lock


def with_password(workspace: Workspace) -> None:
    with session_scope(workspace.engine) as session:
        set_local_password(session, PASSWORD)


def covered(window: MainWindow) -> bool:
    covers = [c for c in window.findChildren(QLabel) if c.parentWidget().objectName() == "IdleLockCover"]
    return any(c.isVisible() for c in covers)


def test_locks_after_idle_and_right_password_unlocks(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    with_password(workspace)
    title = window.windowTitle()
    start = time.monotonic()
    lock = install(locks, window, workspace)
    assert not lock.is_locked and not lock.dialog.isVisible()
    with qtbot.waitSignal(lock.locked, timeout=5_000):
        pass
    assert time.monotonic() - start >= IDLE_MS / 1000 - 0.05
    assert lock.is_locked and lock.dialog.isVisible() and covered(window)
    assert lock.dialog.isModal() and lock.dialog.windowModality() == Qt.WindowModality.ApplicationModal
    assert window.windowTitle() == "Kiểm tra công vụ — Đã khóa màn hình"  # no visit name in the taskbar
    assert lock.dialog.password.isVisible() and not lock.dialog.continue_button.isVisible()

    qtbot.keyClicks(lock.dialog.password, PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=2_000):
        qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
    assert not lock.is_locked and not lock.dialog.isVisible() and not covered(window)
    assert window.windowTitle() == title
    assert lock.dialog.password.text() == ""  # the password is not kept in the widget


def test_input_resets_the_timer(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    with_password(workspace)
    lock = install(locks, window, workspace)
    search = window.home.search
    search.setFocus()
    # Type every 0.4 s for 1.2 s, then only move the mouse every 0.4 s for 1.2 s: 2.4 s in all,
    # more than twice the idle time, and each kind of input alone keeps the app unlocked.
    viewport = window.home.table.viewport()
    for i in range(6):
        qtbot.wait(400)
        if i < 3:
            qtbot.keyClick(search, Qt.Key.Key_A)
        else:
            qtbot.mouseMove(viewport, QPoint(10 + i * 7, 10))
        assert not lock.is_locked, f"locked at step {i}"
    last_input = time.monotonic()
    with qtbot.waitSignal(lock.locked, timeout=5_000):
        pass
    assert time.monotonic() - last_input >= IDLE_MS / 1000 - 0.05


def test_wrong_password_keeps_it_locked(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    with_password(workspace)
    lock = install(locks, window, workspace)
    search = window.home.search
    qtbot.keyClicks(search, "dang go do")  # half-typed text must survive the lock
    search.setFocus()
    with qtbot.waitSignal(lock.locked, timeout=5_000):
        pass

    with qtbot.waitSignal(lock.failed_attempt, timeout=2_000) as first:
        qtbot.keyClicks(lock.dialog.password, "sai-mat-khau")
        qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
    assert first.args == [1]
    assert lock.is_locked and lock.dialog.isVisible() and covered(window)
    assert "Sai mật khẩu (lần thử thứ 1)" in lock.dialog.message.text()
    assert lock.dialog.password.text() == ""

    with qtbot.waitSignal(lock.failed_attempt, timeout=2_000) as second:
        qtbot.keyClicks(lock.dialog.password, PASSWORD.upper())
        qtbot.mouseClick(lock.dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert second.args == [2] and lock.attempts == 2 and lock.is_locked
    assert "lần thử thứ 2" in lock.dialog.message.text()

    # Typing into the covered window while locked does nothing; Escape does not unlock.
    qtbot.keyClicks(search, "xyz")
    qtbot.keyClick(lock.dialog, Qt.Key.Key_Escape)
    lock.dialog.close()
    assert lock.is_locked and lock.dialog.isVisible()
    assert search.text() == "dang go do"

    qtbot.keyClicks(lock.dialog.password, PASSWORD)
    qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
    assert not lock.is_locked and not covered(window)
    assert search.text() == "dang go do"


def test_empty_password_is_not_checked(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    with_password(workspace)
    lock = install(locks, window, workspace)
    lock.lock()
    qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
    assert lock.is_locked and lock.attempts == 0
    assert lock.dialog.message.text() == "Hãy nhập mật khẩu rồi nhấn Enter."


def test_no_password_set_offers_continue_with_a_warning(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    lock = install(locks, window, workspace)
    with qtbot.waitSignal(lock.locked, timeout=5_000):
        pass
    assert covered(window)
    assert lock.dialog.continue_button.isVisible() and lock.dialog.continue_button.text() == "Tiếp tục"
    assert not lock.dialog.password.isVisible()
    assert lock.dialog.warning.isVisible() and "Cài đặt" in lock.dialog.warning.text()
    with qtbot.waitSignal(lock.unlocked, timeout=2_000):
        qtbot.mouseClick(lock.dialog.continue_button, Qt.MouseButton.LeftButton)
    assert not covered(window)


def test_background_writes_go_on_while_locked(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    with_password(workspace)
    lock = install(locks, window, workspace)
    lock.lock()
    assert window.tasks is not None
    with qtbot.waitSignal(window.tasks.finished, timeout=10_000):
        window.tasks.write(lambda s: set_setting(s, "ui.while_locked", "đã lưu"))
    with workspace.session() as session:
        assert get_setting(session, "ui.while_locked") == "đã lưu"
    assert lock.is_locked


def test_window_opened_while_locked_is_covered(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    with_password(workspace)
    lock = install(locks, window, workspace)
    lock.lock()
    other = QDialog()
    other.setWindowTitle("Nguyễn Văn A — cán bộ")
    QVBoxLayout(other).addWidget(QLabel("dữ liệu cá nhân"))
    qtbot.addWidget(other)
    other.show()
    qtbot.waitUntil(lambda: other.findChild(QLabel, "") is not None and covered(other), timeout=2_000)  # type: ignore[arg-type]
    assert other.windowTitle() == "Kiểm tra công vụ — Đã khóa màn hình"
    qtbot.keyClicks(lock.dialog.password, PASSWORD)
    qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
    assert not lock.is_locked and not covered(other)
    assert other.windowTitle() == "Nguyễn Văn A — cán bộ"


def test_zero_disables_and_the_stored_minutes_are_used(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    lock = install(locks, window, workspace, idle=lambda: 0)
    qtbot.wait(1_500)
    assert not lock.is_locked
    lock.uninstall()

    with session_scope(workspace.engine) as session:
        set_idle_minutes(session, 3)
    from_db = install(locks, window, workspace, idle=Settings())  # the app's settings: minutes from the DB
    assert from_db.idle_ms() == 3 * 60_000
    with session_scope(workspace.engine) as session:
        set_idle_minutes(session, 0)
    assert from_db.idle_ms() == 0


def test_uninstalled_lock_never_locks_again(window, workspace, qtbot, locks) -> None:  # type: ignore[no-untyped-def]
    lock = install(locks, window, workspace, idle=300)
    lock.lock()
    lock.uninstall()
    assert not lock.is_locked
    qtbot.wait(800)
    assert not lock.is_locked and not covered(window)
