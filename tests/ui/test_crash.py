"""When things go wrong: an exception in a slot or a thread writes a crash report and shows the
dialog; a damaged database at start is restored from its newest sound copy only after a yes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from inspector_app.core.backups import backup_dir, is_sound, list_backups
from inspector_app.core.db import DB_FILENAME
from inspector_app.core.workspace import Workspace
from inspector_app.ui.app import EXIT_DAMAGED, Startup
from inspector_app.ui.crash import CrashHandler, crash_box
from inspector_app.ui.damaged_dialog import restore_box
from inspector_app.ui.settings import Settings
from inspector_app.ui.tasks import Tasks


@pytest.fixture
def handler(tmp_path: Path) -> Iterator[tuple[CrashHandler, list[tuple[Path, str]]]]:
    shown: list[tuple[Path, str]] = []
    crash = CrashHandler(tmp_path, show=lambda _parent, path, summary: shown.append((path, summary)))
    crash.install()
    yield crash, shown
    crash.uninstall()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_writes_a_report_and_shows_the_dialog(
    qtbot: QtBot, handler: tuple[CrashHandler, list[tuple[Path, str]]], tmp_path: Path
) -> None:
    crash, shown = handler
    button = QPushButton("Lưu")
    qtbot.addWidget(button)

    def broken() -> None:
        raise ValueError("hỏng trong slot")

    button.clicked.connect(broken)
    button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    report, summary = shown[0]
    assert report.parent == tmp_path / "logs" and report.exists()
    assert crash.reports == [report]
    assert summary == "ValueError: hỏng trong slot"
    text = report.read_text(encoding="utf-8")
    assert "ValueError: hỏng trong slot" in text and "in broken" in text


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_is_reported_on_the_gui_thread(
    qtbot: QtBot, handler: tuple[CrashHandler, list[tuple[Path, str]]]
) -> None:
    crash, _shown = handler
    shown_on: list[bool] = []
    crash.show = lambda _p, path, summary: shown_on.append(
        threading.current_thread() is threading.main_thread()
    )

    def work() -> None:
        raise OSError("ổ đĩa")

    worker = threading.Thread(target=work, name="worker-1")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown_on), timeout=5_000)
    assert shown_on == [True]
    assert "thread: worker-1" in crash.reports[0].read_text(encoding="utf-8")


def test_the_crash_dialog_says_the_data_is_safe(qtbot: QtBot, tmp_path: Path) -> None:
    box = crash_box(None, tmp_path / "logs" / "crash-1.txt", "ValueError: x")
    qtbot.addWidget(box)
    assert box.windowTitle() == "Lỗi không mong muốn"
    assert "Dữ liệu của bạn vẫn an toàn" in box.text()
    assert "crash-1.txt" in box.informativeText()
    assert {b.text() for b in box.buttons()} == {"Mở thư mục nhật ký", "Tiếp tục làm việc"}


# --- damaged database at start ------------------------------------------------------------------


@pytest.fixture
def damaged(demo_ws: Workspace) -> tuple[Path, bytes]:
    """The demo folder (with its daily copy) whose database is then overwritten with garbage."""
    folder = demo_ws.data_dir
    assert list_backups(folder)  # open_workspace made the day's copy
    demo_ws.close()
    garbage = b"not a database any more " * 400
    for suffix in ("-wal", "-shm"):
        (folder / (DB_FILENAME + suffix)).unlink(missing_ok=True)
    (folder / DB_FILENAME).write_bytes(garbage)
    return folder, garbage


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        if startup.window is not None:
            startup.window.close()
            startup.window.deleteLater()
        startup.close()


def test_a_damaged_database_is_restored_after_yes(
    qtbot: QtBot, damaged: tuple[Path, bytes], startups: list[Startup]
) -> None:
    folder, garbage = damaged
    asked: list[Path] = []

    def yes(_parent: object, db_path: Path, problem: str, backup: Path) -> bool:
        asked.append(backup)
        return True

    startup = Startup(folder, Settings(), Tasks(), ask_demo=lambda _p: False, ask_restore=yes)
    startups.append(startup)
    with qtbot.waitSignals([startup.restored, startup.ready], timeout=60_000):
        startup.start()
    assert asked and asked[0].parent == backup_dir(folder)
    assert is_sound(folder / DB_FILENAME)
    assert startup.window is not None and startup.window.home is not None
    assert startup.window.home.model.rowCount() == 6  # the demo visits are back
    aside = list(backup_dir(folder).glob(f"replaced-*-{DB_FILENAME}"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage  # moved aside, not deleted


def test_a_damaged_database_is_left_untouched_after_no(
    qtbot: QtBot, damaged: tuple[Path, bytes], startups: list[Startup]
) -> None:
    folder, garbage = damaged
    before = sorted(p.name for p in list_backups(folder))
    startup = Startup(folder, Settings(), Tasks(), ask_demo=lambda _p: False, ask_restore=lambda *_a: False)
    startups.append(startup)
    with qtbot.waitSignal(startup.failed, timeout=60_000) as blocker:
        startup.start()
    assert blocker.args == [EXIT_DAMAGED]
    assert (folder / DB_FILENAME).read_bytes() == garbage
    assert not list(backup_dir(folder).glob("replaced-*"))  # nothing moved aside
    assert sorted(p.name for p in list_backups(folder)) == before
    assert startup.window is None


def test_the_restore_offer_names_the_copy_and_its_date(qtbot: QtBot, tmp_path: Path) -> None:
    copy = tmp_path / "backups" / "inspector-20261130T081500123456Z-daily.sqlite3"
    box, restore = restore_box(None, tmp_path / DB_FILENAME, "file is not a database", copy)
    qtbot.addWidget(box)
    assert isinstance(box, QMessageBox)
    assert "30/11/2026" in box.text() and "30/11/2026" in restore.text()
    assert "không bị xóa" in box.informativeText()
    assert "file is not a database" in box.informativeText()


def test_help_opens_the_data_and_log_folders(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QUrl

    from inspector_app.ui import crash
    from inspector_app.ui.main_window import MainWindow

    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(crash.QDesktopServices, "openUrl", open_url)
    window = MainWindow(data_dir=tmp_path, settings=Settings())
    qtbot.addWidget(window)
    assert window.open_data_action.text() == "Mở thư mục dữ liệu"
    assert window.open_logs_action.text() == "Mở thư mục nhật ký"
    window.open_data_action.trigger()
    window.open_logs_action.trigger()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path), str(tmp_path / "logs")]
