"""The main window: menu bar, status bar, the Home screen, and the window state kept across runs.

The window is a light shell first: it imports only Qt, the theme and the settings, so it can be
painted before SQLAlchemy and the workspace are loaded (``attach`` brings in the Home screen once
the workspace is open in the background). Given a session factory, it attaches at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QWidget

from inspector_app.i18n import _, ngettext
from inspector_app.logs import log_dir
from inspector_app.ui.about_dialog import show_about
from inspector_app.ui.crash import open_folder
from inspector_app.ui.settings import Settings, save_settings
from inspector_app.ui.theme import Theme, apply_theme

if TYPE_CHECKING:  # the core is imported in the background, after the first paint
    from sqlmodel import Session

    from inspector_app.core.workspace import Workspace
    from inspector_app.ui.home_view import HomeView
    from inspector_app.ui.office.workspace import OfficeWorkspace
    from inspector_app.ui.sync_panel import SyncPanel
    from inspector_app.ui.tasks import Tasks

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # endonyms: the same in every language


class MainWindow(QMainWindow):
    """Home screen in a window with Tệp / Xem / Ngôn ngữ / Trợ giúp menus."""

    demo_requested = Signal()
    painted = Signal()  # the first paint: the window is on screen, background loading may begin

    def __init__(
        self,
        *,
        data_dir: Path,
        settings: Settings,
        tasks: Tasks | None = None,
        session_factory: Callable[[], Session] | None = None,
        workspace: Workspace | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.settings = settings
        self.tasks = tasks
        self.workspace: Workspace | None = None
        self.home: HomeView | None = None
        self.sync_panel: SyncPanel | None = None
        self.office: OfficeWorkspace | None = None
        self.visit_windows: dict[uuid.UUID, QMainWindow] = {}
        self._painted = False
        self._settings_unsaved = False
        self.setWindowTitle(_("Civil-service inspection"))
        self.setObjectName("MainWindow")  # saveState() needs named bars and docks
        self.loading_label = QLabel(_("Opening the data…"))
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setStyleSheet("font-size: 18px;")
        self.setCentralWidget(self.loading_label)
        self._build_menus()
        self._build_toolbar()
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        folder = QLabel(_("Data folder: {folder}").format(folder=data_dir))
        self.statusBar().addPermanentWidget(folder)
        self.resize(1280, 800)
        self.restore_window_state()
        if session_factory is not None:
            self.attach(session_factory, workspace=workspace, tasks=tasks)

    def attach(
        self,
        session_factory: Callable[[], Session],
        *,
        workspace: Workspace | None = None,
        tasks: Tasks | None = None,
    ) -> None:
        """The workspace is open: put the Home screen in place of the "opening" message. The
        caller fills the list (``home.reload()``)."""
        from inspector_app.core.workspace import Workspace
        from inspector_app.ui.home_view import HomeView

        if tasks is not None:
            self.tasks = tasks
        # The visit screens need the whole workspace (editor, attachment store). When only a session
        # factory is passed, it is the workspace's bound ``session`` method: take it from there.
        owner = getattr(session_factory, "__self__", None)
        self.workspace = workspace or (owner if isinstance(owner, Workspace) else None)
        self.home = HomeView(session_factory, self)
        self.setCentralWidget(self.home)  # the loading label is deleted with it
        self.refresh_office()
        self.home.visit_activated.connect(self.open_visit)
        self.home.model.counts_changed.connect(self._show_count)
        self.home.model.modelReset.connect(self._show_count)
        self.refresh_action.triggered.connect(self.home.reload)
        self.new_visit_action.setEnabled(self.workspace is not None)
        if self.workspace is not None and self.tasks is not None and self.sync_panel is None:
            from inspector_app.ui.sync_panel import install_sync

            self.sync_panel = install_sync(self, self.workspace, self.tasks)
            self.sync_panel.finished.connect(lambda _outcome: self.refresh_office())
        if self.settings.visits_header:
            self.home.table.horizontalHeader().restoreState(Settings.decode(self.settings.visits_header))
        if self._settings_unsaved:  # a theme or language chosen while the data was opening
            self._save_settings_later()

    def refresh_office(self) -> None:
        """Put the visits list inside the office workspace when this computer's user is an office
        admin (or on the demo): checked when the data opens and after each sync, since signing in
        with an admin account is what turns a laptop into the office's desk."""
        from inspector_app.core.desk.access import office_desk_enabled

        if self.office is not None or self.home is None or self.workspace is None or self.tasks is None:
            return
        with self.workspace.session() as session:
            if not office_desk_enabled(session):
                return
        from inspector_app.ui.office.workspace import OfficeWorkspace

        home = self.takeCentralWidget()
        self.office = OfficeWorkspace(self.workspace, self.tasks, home, self)
        self.setCentralWidget(self.office)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    # --- menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.new_visit_action = QAction(_("New surprise inspection…"), self)
        self.new_visit_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_visit_action.setToolTip(_("Start a surprise inspection at a unit (Ctrl+N)"))
        self.new_visit_action.setEnabled(False)  # until the workspace is open
        self.new_visit_action.triggered.connect(self.new_visit)
        file_menu.addAction(self.new_visit_action)
        file_menu.addSeparator()
        self.demo_action = file_menu.addAction(_("Load the Hà Tĩnh demo province…"))
        self.demo_action.triggered.connect(self.demo_requested)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(_("&Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        view_menu = bar.addMenu(_("&View"))
        self.refresh_action = view_menu.addAction(_("&Refresh"))
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        view_menu.addSeparator()
        themes = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme, label in ((Theme.LIGHT, _("Light theme")), (Theme.DARK, _("Dark theme"))):
            action = view_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(self.settings.theme == theme.value)
            action.triggered.connect(lambda _checked=False, t=theme: self.set_theme(t))
            themes.addAction(action)
            self.theme_actions[theme.value] = action

        language_menu = bar.addMenu(_("&Language"))
        languages = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            action = language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(self.settings.language == code)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            languages.addAction(action)
            self.language_actions[code] = action

        help_menu = bar.addMenu(_("&Help"))
        self.open_data_action = help_menu.addAction(_("Open the data folder"))
        self.open_data_action.triggered.connect(lambda: open_folder(self.data_dir))
        self.open_logs_action = help_menu.addAction(_("Open the log folder"))
        self.open_logs_action.triggered.connect(lambda: open_folder(log_dir(self.data_dir)))
        help_menu.addSeparator()
        about = help_menu.addAction(_("&About"))
        about.triggered.connect(lambda: show_about(self))

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(_("Main toolbar"))
        toolbar.setObjectName("MainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.new_visit_action)

    # --- visits ----------------------------------------------------------------------------------

    def new_visit(self) -> None:
        from inspector_app.ui.visit.start_visit_dialog import StartVisitDialog

        if self.workspace is None or self.tasks is None:
            return
        dialog = StartVisitDialog(self.workspace, self.tasks, self)
        dialog.visit_started.connect(self._visit_started)
        dialog.open()
        self.start_dialog = dialog  # kept for tests and screenshots

    def _visit_started(self, visit_id: uuid.UUID) -> None:
        if self.home is not None:
            self.home.model.refresh()
        self.open_visit(visit_id)

    def open_visit(self, visit_id: uuid.UUID) -> QMainWindow | None:
        """The visit's own window; a visit already open is brought to the front."""
        from inspector_app.ui.visit.visit_window import VisitWindow

        if self.workspace is None or self.tasks is None or self.home is None:
            return None
        window = self.visit_windows.get(visit_id)
        if window is None:
            window = VisitWindow(self.workspace, self.tasks, visit_id)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.changed.connect(lambda _id: self._visit_changed(_id))
            window.destroyed.connect(lambda _obj=None, v=visit_id: self.visit_windows.pop(v, None))
            self.visit_windows[visit_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _visit_changed(self, _visit_id: object) -> None:
        if self.home is not None:
            self.home.model.refresh()

    # --- behaviour -----------------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme, self.data_dir / "theme")
        self.settings.theme = theme.value
        self.theme_actions[theme.value].setChecked(True)
        self._save_settings_later()

    def set_language(self, language: str, *, confirm: bool = True) -> None:
        """Saved now, applied at the next start: every label was translated when it was built."""
        if language == self.settings.language:
            return
        self.settings.language = language  # type: ignore[assignment]
        self._save_settings_later()
        if confirm:
            QMessageBox.information(
                self,
                _("Language"),
                _("The new language will be used the next time you start the app."),
            )

    def _save_settings_later(self) -> None:
        if self.tasks is None:  # still opening: saved once the background seam is there
            self._settings_unsaved = True
            return
        self._settings_unsaved = False
        snapshot = self.settings.model_copy()
        self.tasks.run(lambda: save_settings(self.data_dir, snapshot))

    def _show_count(self, *_args: object) -> None:
        if self.home is None:
            return
        n = self.home.model.total
        self.count_label.setText(ngettext("{n} visit", "{n} visits", n).format(n=n))

    # --- window state --------------------------------------------------------------------------

    def restore_window_state(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(Settings.decode(self.settings.window_geometry))
        if self.settings.window_state:
            self.restoreState(Settings.decode(self.settings.window_state))
        # The visits header is restored in ``attach``, when the list exists.

    def remember_window_state(self) -> None:
        self.settings.window_geometry = Settings.encode(self.saveGeometry().data())
        self.settings.window_state = Settings.encode(self.saveState().data())
        if self.home is not None:
            header = self.home.table.horizontalHeader()
            self.settings.visits_header = Settings.encode(header.saveState().data())

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in list(self.visit_windows.values()):
            window.close()
        self.remember_window_state()
        if self.tasks is not None:
            # At exit the write may block: the app is going away, and the last edit must commit.
            self.tasks.wait_idle()
        save_settings(self.data_dir, self.settings)
        super().closeEvent(event)
