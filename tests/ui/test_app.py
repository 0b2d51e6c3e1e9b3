"""The app offscreen: the main window on the demo, the first-start demo offer, a damaged database,
window state and settings kept across runs, and the screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from inspector_app.core.db import DB_FILENAME
from inspector_app.core.workspace import Workspace
from inspector_app.ui.app import EXIT_DAMAGED, Startup
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.settings import Settings, load_settings
from inspector_app.ui.tasks import Tasks


def never_asked(_parent: object) -> bool:
    pytest.fail("the demo must only be offered on an empty database")


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        if startup.window is not None:
            startup.window.close()
            startup.window.deleteLater()
        startup.close()


def start(qtbot, startups: list[Startup], data_dir: Path, **kw) -> Startup:  # type: ignore[no-untyped-def]
    startup = Startup(data_dir, kw.pop("settings", Settings()), Tasks(), **kw)
    startups.append(startup)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        startup.start()
    return startup


def test_main_window_shows_the_demo_visits(demo_ws: Workspace, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    startup = start(qtbot, startups, demo_ws.data_dir, ask_demo=never_asked)
    window = startup.window
    assert isinstance(window, MainWindow) and window.isVisible()
    assert window.home.model.rowCount() == 6
    assert window.count_label.text() == "6 cuộc kiểm tra"
    assert window.home.status_buttons["all"].text() == "Tất cả (6)"
    assert window.home.status_buttons["draft"].text() == "Bản nháp (2)"
    assert window.home.status_buttons["signed"].text() == "Đã ký (2)"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&Tệp", "&Xem", "&Ngôn ngữ", "Đồng &bộ", "Trợ &giúp"]
    assert window.home.unit.count() > 40  # every unit of the demo province, plus "all"

    # Search as you type: one query after the pause, diacritics ignored.
    qtbot.keyClicks(window.home.search, "thanh sen")
    qtbot.waitUntil(lambda: window.home.model.rowCount() == 1, timeout=3_000)
    assert window.home.status_buttons["all"].text() == "Tất cả (1)"
    window.home.search.clear()
    window.home.apply_filter()
    qtbot.mouseClick(window.home.status_buttons["completed"], Qt.MouseButton.LeftButton)
    assert window.home.model.rowCount() == 2
    assert window.count_label.text() == "2 cuộc kiểm tra"
    # Header click sorts in SQL.
    window.home.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
    assert window.home.model.sort_key == ("unit", False)
    window.home.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # not sortable
    assert window.home.table.horizontalHeader().sortIndicatorSection() == 1


def test_first_start_offers_the_demo_and_loads_it(tmp_path: Path, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    asked: list[object] = []

    def accept(parent: object) -> bool:
        asked.append(parent)
        return True

    startup = Startup(tmp_path / "fresh", Settings(), Tasks(), ask_demo=accept)
    startups.append(startup)
    with qtbot.waitSignal(startup.demo_loaded, timeout=120_000) as blocker:
        startup.start()
    assert len(asked) == 1 and asked[0] is startup.window
    assert blocker.args[0].visits_total == 6
    assert startup.window is not None
    assert startup.window.home.model.rowCount() == 6  # the list refreshed after the load
    assert startup.window.home.unit.count() > 40


def test_declining_the_demo_leaves_the_database_empty(tmp_path: Path, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    startup = start(qtbot, startups, tmp_path / "fresh", ask_demo=lambda _parent: False)
    assert startup.window is not None and startup.window.home.model.rowCount() == 0
    assert startup.window.count_label.text() == "0 cuộc kiểm tra"


def test_a_damaged_database_is_named_and_left_untouched(tmp_path: Path, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / DB_FILENAME
    garbage = b"this is not a database " * 200
    db.write_bytes(garbage)
    reported: list[tuple[Path, str]] = []
    startup = Startup(
        folder,
        Settings(),
        Tasks(),
        ask_demo=never_asked,
        report_damaged=lambda _p, path, problem: reported.append((path, problem)),
    )
    startups.append(startup)
    with qtbot.waitSignal(startup.failed, timeout=30_000) as blocker:
        startup.start()
    assert blocker.args == [EXIT_DAMAGED]
    assert reported and reported[0][0] == db
    assert db.read_bytes() == garbage
    assert startup.window is None


def test_damaged_dialog_names_the_file_and_the_backups(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from inspector_app.ui.damaged_dialog import damaged_box

    box = damaged_box(None, tmp_path / DB_FILENAME, "file is not a database")
    qtbot.addWidget(box)  # deleted after the test, not left for a later theme change to restyle
    assert str(tmp_path / DB_FILENAME) in box.text()
    assert str(tmp_path / "backups") in box.text()
    assert "file is not a database" in box.informativeText()


def test_window_state_and_language_are_remembered(demo_ws: Workspace, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    startup = start(qtbot, startups, demo_ws.data_dir, ask_demo=never_asked)
    window = startup.window
    assert window is not None
    window.resize(720, 500)  # the offscreen screen is 800×600: stay inside
    window.home.table.setColumnWidth(0, 222)
    with qtbot.waitSignal(startup.tasks.finished, timeout=10_000):
        window.set_language("en", confirm=False)  # saved in the background
    assert load_settings(demo_ws.data_dir).language == "en"
    window.close()
    saved = load_settings(demo_ws.data_dir)
    assert saved.window_geometry and saved.visits_header and saved.language == "en"

    again = start(qtbot, startups, demo_ws.data_dir, ask_demo=never_asked, settings=saved)
    assert again.window is not None
    assert (again.window.width(), again.window.height()) == (720, 500)
    assert again.window.home.table.columnWidth(0) == 222
    assert again.window.language_actions["en"].isChecked()


@pytest.mark.usefixtures("restore_style")
def test_theme_menu_switches_and_saves(demo_ws: Workspace, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    startup = start(qtbot, startups, demo_ws.data_dir, ask_demo=never_asked)
    assert startup.window is not None
    with qtbot.waitSignal(startup.tasks.finished, timeout=10_000):
        startup.window.theme_actions["dark"].trigger()
    assert load_settings(demo_ws.data_dir).theme == "dark"
    assert (demo_ws.data_dir / "theme" / "dark").is_dir()  # icons in the data folder, not in $HOME


@pytest.mark.usefixtures("restore_style")
def test_screenshots(demo_ws: Workspace, tmp_path: Path) -> None:
    from inspector_app.ui.shots import render_shots

    files = render_shots(demo_ws, tmp_path / "shots")
    names = {f.name for f in files}
    assert {"home-light.png", "home-dark.png", "demo-offer-light.png", "damaged-dark.png"} <= names
    image = QImage(str(tmp_path / "shots" / "home-light.png"))
    assert (image.width(), image.height()) == (1280, 800)


def test_a_laptop_wiped_by_the_office_says_so_on_start(tmp_path: Path, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    from inspector_app.sync.client import WIPE_NOTE

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / WIPE_NOTE).write_text("revoked by the office on 2026-12-01\n", encoding="utf-8")
    startup = start(qtbot, startups, folder, ask_demo=never_asked)
    qtbot.waitUntil(lambda: startup.wiped_box is not None and startup.wiped_box.isVisible(), timeout=5_000)
    assert startup.wiped_box is not None
    assert "văn phòng" in startup.wiped_box.text() and WIPE_NOTE in startup.wiped_box.text()
    assert startup.first_run is None  # no first-start guide as if nothing had happened


def test_an_office_admin_gets_the_office_workspace(demo_ws: Workspace, qtbot, startups) -> None:  # type: ignore[no-untyped-def]
    from inspector_app.core.db import session_scope
    from inspector_app.core.desk.access import ROLE_KEY
    from inspector_app.core.services.editor import set_setting

    startup = start(qtbot, startups, demo_ws.data_dir, ask_demo=never_asked)
    assert startup.window is not None and startup.window.office is None  # an inspector's laptop
    startup.window.close()
    with session_scope(demo_ws.engine) as session:
        set_setting(session, ROLE_KEY, "admin")
    admin = start(qtbot, startups, demo_ws.data_dir, ask_demo=never_asked).window
    assert admin is not None and admin.office is not None
    office = admin.office
    tabs = [office.tabText(i) for i in range(office.count())]
    assert tabs == [
        "Cuộc kiểm tra",
        "Danh mục",
        "Kế hoạch và đoàn",
        "Theo dõi khắc phục",
        "Thông báo kết luận",
        "Kết quả",
    ]
    assert office.widget(0) is admin.home and admin.home.model.rowCount() == 6
    assert office.pages == {}  # built when first shown
    office.setCurrentIndex(1)
    assert set(office.pages) == {"registry"} and office.currentWidget() is office.pages["registry"]
