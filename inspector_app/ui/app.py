"""The desktop app: ``run(data_dir)`` makes the one QApplication and shows the main window at once,
painted, with "opening the data…"; only then are the core (SQLAlchemy, SQLModel, Alembic) imported
and the workspace opened in the background (it may migrate and back up the database). The Home
list is filled when the workspace is open and, on a new data folder, the first-start guide opens
(language, who uses the laptop, its password, then the office or the demo province). A damaged
database is offered its newest sound copy back; the app restores it only when the person agrees.

This module imports Qt, the theme and the settings only: anything that pulls in the core is
imported inside a function, so the window is on screen before the database layer has loaded.
"""

from __future__ import annotations

import faulthandler
import gc
import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from inspector_app.i18n import _, set_language
from inspector_app.logs import enable_faulthandler, setup_logging
from inspector_app.paths import shipped, user_data_dir
from inspector_app.ui.crash import CrashHandler
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.settings import Settings, load_settings
from inspector_app.ui.theme import apply_theme

if TYPE_CHECKING:
    from inspector_app.core.workspace import Workspace
    from inspector_app.ui.idle_lock import IdleLock
    from inspector_app.ui.tasks import Tasks

log = logging.getLogger(__name__)

EXIT_DAMAGED = 2
EXIT_FAILED = 1
# Loading starts at the first paint; a window that is never painted (minimised) must not wait forever.
LOAD_ANYWAY_MS = 250
# What the GUI needs once the workspace is open, imported off the GUI thread (~0.6 s of Python).
CORE_MODULES = (
    "inspector_app.ui.tasks",
    "inspector_app.core.workspace",
    "inspector_app.ui.home_view",
    "inspector_app.ui.demo_dialog",
    "inspector_app.ui.damaged_dialog",
    "inspector_app.ui.first_run",
)


def application() -> QApplication:
    """The process's one QApplication (tests share pytest-qt's)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Kiểm tra công vụ")
    app.setOrganizationName("KiemTraCongVu")
    app.setWindowIcon(QIcon(str(shipped("resources/icons/app.png"))))
    return app


def settle_heap() -> None:
    """Move everything alive after startup (Qt wrappers, SQLAlchemy's metadata and caches) out of
    the garbage collector's sight. A full collection otherwise walks that whole heap: measured,
    160–200 ms GUI-thread stalls while a 300-person roll call re-reads its rows (bench/ui.py 3b)."""
    gc.freeze()


def import_core() -> None:
    for name in CORE_MODULES:
        importlib.import_module(name)


class _Relay(QObject):
    """Brings one result from a pool thread back to the GUI thread (before ``Tasks`` is importable:
    the seam itself imports the core)."""

    arrived = Signal(object, bool)

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._on_done, self._on_error = on_done, on_error
        self.arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, bool)
    def _deliver(self, outcome: Any, ok: bool) -> None:
        if ok:
            self._on_done(outcome)
        else:
            self._on_error(outcome)

    def run(self, fn: Callable[[], Any]) -> None:
        def job() -> None:
            try:
                outcome, ok = fn(), True
            except Exception as exc:  # reported on the GUI thread
                outcome, ok = exc, False
            self.arrived.emit(outcome, ok)

        QThreadPool.globalInstance().start(job)


class Startup(QObject):
    """Show the window, then open the workspace off the GUI thread and fill the Home list."""

    shown = Signal(object)  # MainWindow, painted, still opening the data
    ready = Signal(object)  # MainWindow, the workspace open and the list filled
    demo_loaded = Signal(object)  # DemoSummary
    first_run_opened = Signal(object)  # FirstRun: the guide is on screen
    restored = Signal(object)  # core.backups.Restored: a sound copy replaced a damaged database
    failed = Signal(int)  # exit code: the app must stop

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        tasks: Tasks | None = None,
        *,
        ask_demo: Callable[[QWidget | None], bool] | None = None,
        report_damaged: Callable[[QWidget | None, Path, str], None] | None = None,
        ask_restore: Callable[[QWidget | None, Path, str, Path], bool] | None = None,
        show_window: bool = True,
    ) -> None:
        """``ask_demo``, when given, replaces the first-start guide with a yes/no demo question;
        ``report_damaged`` and ``ask_restore`` replace the damaged-database dialogs (tests)."""
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings
        self.tasks = tasks  # made once the core is imported, when not given
        self.ask_demo = ask_demo
        self.report_damaged = report_damaged
        self.ask_restore = ask_restore
        self.show_window = show_window
        self.workspace: Workspace | None = None
        self.window: MainWindow | None = None
        self.idle_lock: IdleLock | None = None
        self._loading = False
        self._relay: _Relay | None = None
        self._restored_once = False
        self.first_run: Any = None  # ui.first_run.FirstRun while the guide is open
        self.wiped_box: QMessageBox | None = None

    def start(self) -> None:
        window = MainWindow(data_dir=self.data_dir, settings=self.settings, tasks=self.tasks)
        window.demo_requested.connect(self.load_demo)
        self.window = window
        if not self.show_window:
            self._load()
            return
        window.painted.connect(self._painted)
        window.show()
        QTimer.singleShot(LOAD_ANYWAY_MS, self._load)

    def _painted(self) -> None:
        self.shown.emit(self.window)
        self._load()

    def _load(self) -> None:
        if self._loading:
            return
        self._loading = True
        self._relay = _Relay(self._core_imported, self._open_failed)
        self._relay.run(import_core)

    def _core_imported(self, _result: object) -> None:
        from inspector_app.core.workspace import open_workspace
        from inspector_app.ui.tasks import Tasks

        if self.tasks is None:
            self.tasks = Tasks()
        data_dir = self.data_dir
        keep = self.settings.backups_kept
        self.tasks.run(
            lambda: open_workspace(data_dir, keep_backups=keep),
            on_done=self._opened,
            on_error=self._open_failed,
        )

    def _opened(self, workspace: Workspace) -> None:
        from inspector_app.core.workspace import is_empty
        from inspector_app.ui.first_run import first_run_done

        assert self.tasks is not None and self.window is not None
        self.workspace = workspace
        self.tasks.set_engine(workspace.engine)
        window = self.window
        window.attach(workspace.session, workspace=workspace, tasks=self.tasks)
        self._install_idle_lock(window, workspace)
        assert window.home is not None
        window.home.reload()
        settle_heap()
        self.ready.emit(window)
        if not is_empty(workspace):
            return
        if self._explain_wipe(window, workspace):
            return
        if self.ask_demo is not None:
            if self.ask_demo(window):
                self.load_demo()
            return
        with workspace.session() as session:
            done = first_run_done(session)
        if not done:
            self.open_first_run()

    def _explain_wipe(self, window: MainWindow, workspace: Workspace) -> bool:
        """An empty database because the office revoked the laptop: say so instead of offering
        a first start as if nothing had happened."""
        from inspector_app.sync.client import wiped_message

        text = wiped_message(workspace.data_dir)
        if text is None:
            return False
        box = QMessageBox(QMessageBox.Icon.Warning, _("Data removed by the office"), text, parent=window)
        box.setObjectName("WipedNotice")
        box.open()
        self.wiped_box = box  # kept for tests
        return True

    def open_first_run(self) -> None:
        """The first-start guide over the main window; it saves its answers, then the demo is
        loaded or the first sync started from here."""
        from inspector_app.ui.first_run import FirstRun

        if self.workspace is None or self.window is None or self.tasks is None:
            return
        window = self.window
        guide = FirstRun(
            self.workspace, self.tasks, window, on_language=lambda c: window.set_language(c, confirm=False)
        )
        guide.demo_chosen.connect(self.load_demo)
        guide.sync_requested.connect(self._sync_now)
        guide.saved.connect(lambda _answers: window.sync_panel.refresh() if window.sync_panel else None)
        guide.failed.connect(
            lambda exc: QMessageBox.critical(
                window,
                _("Set up this laptop"),
                _("The answers could not be saved: {problem}").format(problem=exc),
            )
        )
        self.first_run = guide
        guide.open()
        self.first_run_opened.emit(guide)

    def _sync_now(self) -> None:
        if self.window is not None and self.window.sync_panel is not None:
            self.window.sync_panel.start_sync()

    def _install_idle_lock(self, window: MainWindow, workspace: Workspace) -> None:
        """Cover the screens after the laptop's idle time; Ctrl+L locks at once (officials' personal
        data on a laptop that can be left on a desk, Nghị định 13/2023/NĐ-CP)."""
        from PySide6.QtGui import QAction, QKeySequence

        from inspector_app.ui.idle_lock import install_idle_lock

        self.idle_lock = lock = install_idle_lock(application(), window, workspace, self.settings)
        # The filter sits on the application, which outlives the window: take it off with the window.
        window.destroyed.connect(lambda *_args: lock.uninstall())
        lock_now = QAction(_("Lock now"), window)
        lock_now.setShortcut(QKeySequence("Ctrl+L"))
        lock_now.triggered.connect(self.idle_lock.lock)
        window.addAction(lock_now)

    def load_demo(self) -> None:
        from inspector_app.ui.demo_dialog import load_demo_in_background

        if self.workspace is None or self.window is None or self.tasks is None:
            return  # the menu entry is there while the data is still opening
        window = self.window

        def loaded(summary: object) -> None:
            if window.home is not None:
                window.home.reload()
            window.statusBar().showMessage(_("Demo province loaded."), 8000)
            self.demo_loaded.emit(summary)

        load_demo_in_background(self.workspace, self.tasks, window, on_done=loaded)

    def _open_failed(self, exc: BaseException) -> None:
        from inspector_app.core.backups import newest_sound_backup
        from inspector_app.core.db import DatabaseDamaged

        if isinstance(exc, DatabaseDamaged) and self.tasks is not None and not self._restored_once:
            # Integrity checks read whole copies: off the GUI thread.
            data_dir = self.data_dir
            self.tasks.run(
                lambda: newest_sound_backup(data_dir),
                on_done=lambda backup: self._damaged(exc, backup),
                on_error=lambda _e: self._give_up(exc),
            )
            return
        self._give_up(exc)

    def _damaged(self, exc: BaseException, backup: Path | None) -> None:
        from inspector_app.core.backups import restore
        from inspector_app.core.db import DB_FILENAME
        from inspector_app.ui.damaged_dialog import ask_restore

        if backup is None:
            self._give_up(exc)
            return
        db_path = self.data_dir / DB_FILENAME
        log.error("damaged database %s: %s; newest sound copy %s", db_path, exc, backup)
        if not (self.ask_restore or ask_restore)(self.window, db_path, str(exc), backup):
            log.warning("restore of %s declined; the database is left as it is", backup)
            self._stop(EXIT_DAMAGED)
            return
        assert self.tasks is not None
        self._restored_once = True
        if self.window is not None:
            self.window.loading_label.setText(_("Restoring the copy…"))
        data_dir = self.data_dir
        self.tasks.run(lambda: restore(data_dir, backup), on_done=self._after_restore, on_error=self._give_up)

    def _after_restore(self, restored: Any) -> None:
        log.warning("restored %s; damaged files moved to %s", restored.source, restored.set_aside)
        self.restored.emit(restored)
        if self.window is not None:
            self.window.loading_label.setText(_("Opening the data…"))
        self._core_imported(None)

    def _stop(self, code: int) -> None:
        if self.window is not None:  # hidden, not closed: nothing of a failed start is saved
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        self.failed.emit(code)

    def _give_up(self, exc: BaseException) -> None:
        from inspector_app.core.db import DB_FILENAME, DatabaseDamaged
        from inspector_app.ui.damaged_dialog import show_damaged

        if self.window is not None:  # hidden, not closed: nothing of a failed start is saved
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        db_path = self.data_dir / DB_FILENAME
        if isinstance(exc, DatabaseDamaged):
            log.error("damaged database %s: %s", db_path, exc)
            (self.report_damaged or show_damaged)(None, db_path, str(exc))
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
        if self.idle_lock is not None:
            self.idle_lock.uninstall()
            self.idle_lock = None
        if self.tasks is not None:
            self.tasks.wait_idle()
        if self.workspace is not None:
            self.workspace.close()


def run(data_dir: str | None, *, language: str | None = None) -> int:
    """The desktop app; returns the process exit code. ``language`` (from ``--lang``) overrides
    the saved setting for this run only."""
    folder = user_data_dir(data_dir)
    setup_logging(folder)  # first: everything after, a failed start included, is in the log
    fatal = enable_faulthandler(folder)
    settings = load_settings(folder)
    chosen = set_language(language or settings.language)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if chosen == "vi" else QLocale.Language.English))
    app = application()
    crash = CrashHandler(folder).install()
    apply_theme(app, settings.theme, folder / "theme")
    startup = Startup(folder, settings)
    exit_code: list[int] = []
    if os.environ.get("INSPECTOR_WATCHDOG"):  # log every GUI-thread stall of 100 ms or more
        from inspector_app.ui.watchdog import StallWatchdog

        watchdog = StallWatchdog(app, report_ms=100)
        watchdog.start()

    def stop(code: int) -> None:
        exit_code.append(code)
        app.exit(code)

    startup.failed.connect(stop)
    startup.start()
    try:
        code = app.exec()
    finally:
        startup.close()
        crash.uninstall()
        faulthandler.disable()  # before its file is closed
        fatal.close()
    return exit_code[0] if exit_code else int(code)
