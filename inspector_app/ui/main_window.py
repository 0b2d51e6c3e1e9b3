"""The main window: menu bar, status bar, the Home screen, and the window state kept across runs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QWidget
from sqlmodel import Session

from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _, ngettext
from inspector_app.ui.about_dialog import show_about
from inspector_app.ui.home_view import HomeView
from inspector_app.ui.settings import Settings, save_settings
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.theme import Theme, apply_theme

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # endonyms: the same in every language


class MainWindow(QMainWindow):
    """Home screen in a window with Tệp / Xem / Ngôn ngữ / Trợ giúp menus."""

    demo_requested = Signal()

    def __init__(
        self,
        *,
        data_dir: Path,
        session_factory: Callable[[], Session],
        settings: Settings,
        tasks: Tasks,
        workspace: Workspace | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.settings = settings
        self.tasks = tasks
        # The visit screens need the whole workspace (editor, attachment store). Until the app passes
        # it, the session factory is the workspace's bound ``session`` method: take it from there.
        owner = getattr(session_factory, "__self__", None)
        self.workspace = workspace or (owner if isinstance(owner, Workspace) else None)
        self.visit_windows: dict[uuid.UUID, QMainWindow] = {}
        self.setWindowTitle(_("Civil-service inspection"))
        self.setObjectName("MainWindow")  # saveState() needs named bars and docks
        self.home = HomeView(session_factory, self)
        self.setCentralWidget(self.home)
        self._build_menus()
        self._build_toolbar()
        self.home.visit_activated.connect(self.open_visit)
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        folder = QLabel(_("Data folder: {folder}").format(folder=data_dir))
        self.statusBar().addPermanentWidget(folder)
        self.home.model.counts_changed.connect(self._show_count)
        self.home.model.modelReset.connect(self._show_count)
        self.resize(1280, 800)
        self.restore_window_state()

    # --- menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.new_visit_action = QAction(_("New surprise inspection…"), self)
        self.new_visit_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_visit_action.setToolTip(_("Start a surprise inspection at a unit (Ctrl+N)"))
        self.new_visit_action.setEnabled(self.workspace is not None)
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
        refresh = view_menu.addAction(_("&Refresh"))
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.home.reload)
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

        if self.workspace is None:
            return
        dialog = StartVisitDialog(self.workspace, self.tasks, self)
        dialog.visit_started.connect(self._visit_started)
        dialog.open()
        self.start_dialog = dialog  # kept for tests and screenshots

    def _visit_started(self, visit_id: uuid.UUID) -> None:
        self.home.model.refresh()
        self.open_visit(visit_id)

    def open_visit(self, visit_id: uuid.UUID) -> QMainWindow | None:
        """The visit's own window; a visit already open is brought to the front."""
        from inspector_app.ui.visit.visit_window import VisitWindow

        if self.workspace is None:
            return None
        window = self.visit_windows.get(visit_id)
        if window is None:
            window = VisitWindow(self.workspace, self.tasks, visit_id)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.changed.connect(lambda _id: self.home.model.refresh())
            window.destroyed.connect(lambda _obj=None, v=visit_id: self.visit_windows.pop(v, None))
            self.visit_windows[visit_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

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
        snapshot = self.settings.model_copy()
        self.tasks.run(lambda: save_settings(self.data_dir, snapshot))

    def _show_count(self, *_args: object) -> None:
        n = self.home.model.total
        self.count_label.setText(ngettext("{n} visit", "{n} visits", n).format(n=n))

    # --- window state --------------------------------------------------------------------------

    def restore_window_state(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(Settings.decode(self.settings.window_geometry))
        if self.settings.window_state:
            self.restoreState(Settings.decode(self.settings.window_state))
        if self.settings.visits_header:
            self.home.table.horizontalHeader().restoreState(Settings.decode(self.settings.visits_header))

    def remember_window_state(self) -> None:
        self.settings.window_geometry = Settings.encode(self.saveGeometry().data())
        self.settings.window_state = Settings.encode(self.saveState().data())
        self.settings.visits_header = Settings.encode(self.home.table.horizontalHeader().saveState().data())

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in list(self.visit_windows.values()):
            window.close()
        self.remember_window_state()
        # At exit the write is allowed to block: the app is going away, and the last edit must commit.
        self.tasks.wait_idle()
        save_settings(self.data_dir, self.settings)
        super().closeEvent(event)
