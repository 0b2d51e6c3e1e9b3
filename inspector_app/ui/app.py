"""The desktop app: ``run(data_dir)`` makes the one QApplication, opens the workspace in the
background (it may migrate and back up the database), shows the main window and, on an empty
database, offers the demo province."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from inspector_app.core.db import DB_FILENAME, DatabaseDamaged
from inspector_app.core.workspace import Workspace, is_empty, open_workspace
from inspector_app.i18n import _, set_language
from inspector_app.paths import user_data_dir
from inspector_app.ui.damaged_dialog import show_damaged
from inspector_app.ui.demo_dialog import ask_load_demo, load_demo_in_background
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.settings import Settings, load_settings
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.theme import apply_theme

log = logging.getLogger(__name__)

EXIT_DAMAGED = 2
EXIT_FAILED = 1


def application() -> QApplication:
    """The process's one QApplication (tests share pytest-qt's)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Kiểm tra công vụ")
    app.setOrganizationName("KiemTraCongVu")
    return app


class Startup(QObject):
    """Open the workspace off the GUI thread, then show the window (and the demo offer)."""

    ready = Signal(object)  # MainWindow, shown
    demo_loaded = Signal(object)  # DemoSummary
    failed = Signal(int)  # exit code: the app must stop

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        tasks: Tasks,
        *,
        ask_demo: Callable[[QWidget | None], bool] = ask_load_demo,
        report_damaged: Callable[[QWidget | None, Path, str], None] = show_damaged,
        show_window: bool = True,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings
        self.tasks = tasks
        self.ask_demo = ask_demo
        self.report_damaged = report_damaged
        self.show_window = show_window
        self.workspace: Workspace | None = None
        self.window: MainWindow | None = None

    def start(self) -> None:
        self.tasks.run(
            lambda: open_workspace(self.data_dir), on_done=self._opened, on_error=self._open_failed
        )

    def _opened(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.tasks.set_engine(workspace.engine)
        window = MainWindow(
            data_dir=self.data_dir,
            session_factory=workspace.session,
            settings=self.settings,
            tasks=self.tasks,
            workspace=workspace,
        )
        window.demo_requested.connect(self.load_demo)
        self.window = window
        window.home.reload()
        if self.show_window:
            window.show()
        self.ready.emit(window)
        if is_empty(workspace) and self.ask_demo(window):
            self.load_demo()

    def load_demo(self) -> None:
        assert self.workspace is not None and self.window is not None
        window = self.window

        def loaded(summary: object) -> None:
            window.home.reload()
            window.statusBar().showMessage(_("Demo province loaded."), 8000)
            self.demo_loaded.emit(summary)

        load_demo_in_background(self.workspace, self.tasks, window, on_done=loaded)

    def _open_failed(self, exc: BaseException) -> None:
        db_path = self.data_dir / DB_FILENAME
        if isinstance(exc, DatabaseDamaged):
            log.error("damaged database %s: %s", db_path, exc)
            self.report_damaged(None, db_path, str(exc))
            self.failed.emit(EXIT_DAMAGED)
            return
        log.error("cannot open %s", db_path, exc_info=exc)
        QMessageBox.critical(
            None,
            _("Cannot open the database"),
            _("The database {path} could not be opened: {problem}").format(path=db_path, problem=exc),
        )
        self.failed.emit(EXIT_FAILED)

    def close(self) -> None:
        self.tasks.wait_idle()
        if self.workspace is not None:
            self.workspace.close()


def run(data_dir: str | None, *, language: str | None = None) -> int:
    """The desktop app; returns the process exit code. ``language`` (from ``--lang``) overrides
    the saved setting for this run only."""
    folder = user_data_dir(data_dir)
    settings = load_settings(folder)
    chosen = set_language(language or settings.language)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if chosen == "vi" else QLocale.Language.English))
    app = application()
    apply_theme(app, settings.theme, folder / "theme")
    tasks = Tasks()
    startup = Startup(folder, settings, tasks)
    exit_code: list[int] = []

    def stop(code: int) -> None:
        exit_code.append(code)
        app.exit(code)

    startup.failed.connect(stop)
    startup.start()
    try:
        code = app.exec()
    finally:
        startup.close()
    return exit_code[0] if exit_code else int(code)
