"""Sync with the office from the main window: sign in, sync with progress and cancel, the last sync
time, how many changes wait to go up, and the rows the office refused (both versions side by side).

The network runs in ``Tasks.run`` (off the GUI thread); the client's progress callback crosses back
through a queued signal, and Cancel sets the client's cancel Event (it stops between two steps).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.sync import client, local
from inspector_app.sync.client import Progress, SyncCancelled, SyncReport
from inspector_app.ui.tasks import Tasks


def stage_label(stage: str) -> str:
    labels = {
        "upload": _("Uploading files"),
        "push": _("Sending changes"),
        "pull": _("Receiving changes"),
        "download": _("Downloading files"),
    }
    return labels.get(stage, stage)


class LoginDialog(QDialog):
    """Office address, user, password and (for an office with its own certificate) the CA file."""

    def __init__(
        self, parent: QWidget | None = None, *, server: str = "", user: str = "", ca: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign in to the office"))
        self.server = QLineEdit(server)
        self.server.setPlaceholderText("https://office.example.vn:8470")
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit(ca)
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file)
        ca_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Server:"), self.server)
        form.addRow(_("User:"), self.user)
        form.addRow(_("Password:"), self.password)
        form.addRow(_("CA file (optional):"), ca_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("CA file"), "", _("Certificates (*.pem *.crt)"))
        if path:
            self.ca_file.setText(path)

    def values(self) -> tuple[str, str, str, str | None]:
        ca = self.ca_file.text().strip()
        return self.server.text().strip(), self.user.text().strip(), self.password.text(), ca or None


def _fields(row: dict[str, Any] | None) -> dict[str, str]:
    return {
        k: json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v for k, v in (row or {}).items()
    }


class ConflictsView(QDialog):
    """Each refused row: the reason, and this laptop's version beside the office's (differences bold)."""

    def __init__(self, conflicts: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Changes the office refused"))
        self.resize(900, 500)
        self.conflicts = conflicts
        self.list = QListWidget()
        for c in conflicts:
            self.list.addItem(f"{c.get('at', '')}  {c['table']}  {c['id'][:8]}  — {c['reason']}")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Field"), _("This laptop"), _("Office")])
        self.table.horizontalHeader().setStretchLastSection(True)
        right = QWidget()
        box = QVBoxLayout(right)
        box.addWidget(self.reason)
        box.addWidget(self.table)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self.show_conflict)
        if conflicts:
            self.list.setCurrentRow(0)

    def show_conflict(self, index: int) -> None:
        if not 0 <= index < len(self.conflicts):
            return
        c = self.conflicts[index]
        self.reason.setText(c["reason"])
        mine, office = _fields(c.get("mine")), _fields(c.get("office"))
        names = sorted(set(mine) | set(office), key=lambda k: (k not in ("id", "updated_at"), k))
        self.table.setRowCount(len(names))
        bold = QFont()
        bold.setBold(True)
        for row, name in enumerate(names):
            cells = [
                name,
                mine.get(name, "—"),
                office.get(name, "—") if c.get("office") else _("(not at the office)"),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if mine.get(name) != office.get(name):
                    item.setFont(bold)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()


class SyncPanel(QWidget):
    progressed = Signal(object)  # Progress, from the worker thread (queued to the GUI thread)
    finished = Signal(object)  # SyncReport, or the exception that stopped the sync

    def __init__(self, workspace: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = workspace, tasks
        self.cancel_event: threading.Event | None = None
        self.last_report: SyncReport | None = None
        self.sync_action: QAction | None = None  # set by install_sync
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.last_sync = QLabel()
        self.pending = QLabel()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.sync_button = QPushButton(_("Sync now"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setEnabled(False)
        self.login_button = QPushButton(_("Sign in…"))
        self.conflicts_button = QPushButton()
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button.clicked.connect(self.cancel)
        self.login_button.clicked.connect(self.ask_login)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        buttons = QHBoxLayout()
        for b in (self.sync_button, self.cancel_button, self.login_button, self.conflicts_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        for w in (self.status, self.last_sync, self.pending, self.progress):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.refresh()

    # --- state ------------------------------------------------------------------------------
    def _settings(self) -> dict[str, str | None]:
        with self.ws.engine.connect() as conn:
            keys = ("sync.server", "sync.user", "sync.ca_cert", "sync.last")
            return {k: local.get(conn, k) for k in keys}

    def conflicts(self) -> list[dict[str, Any]]:
        with self.ws.engine.connect() as conn:
            return local.conflicts(conn)

    def refresh(self) -> None:
        s = self._settings()
        if s["sync.server"]:
            self.status.setText(
                _("Office: {server} (user {user})").format(server=s["sync.server"], user=s["sync.user"])
            )
        else:
            self.status.setText(_("Not signed in to an office"))
        last = s["sync.last"]
        when = dt.datetime.fromisoformat(last).astimezone().strftime("%d/%m/%Y %H:%M") if last else _("never")
        self.last_sync.setText(_("Last sync: {when}").format(when=when))
        self.pending.setText(_("Changes waiting to be sent: {n}").format(n=local.dirty_count(self.ws.engine)))
        n = len(self.conflicts())
        self.conflicts_button.setText(_("Refused changes ({n})…").format(n=n))
        self.conflicts_button.setEnabled(n > 0)
        self.sync_button.setEnabled(self.cancel_event is None and bool(s["sync.server"]))

    # --- sign in ------------------------------------------------------------------------------
    def ask_login(self) -> None:
        s = self._settings()
        dialog = LoginDialog(
            self, server=s["sync.server"] or "", user=s["sync.user"] or "", ca=s["sync.ca_cert"] or ""
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.login(*dialog.values())

    def login(self, server: str, user: str, password: str, ca_file: str | None) -> int:
        self.status.setText(_("Signing in…"))
        return self.tasks.run(
            lambda: client.login(self.ws, server, user, password, ca_file),
            on_done=lambda _result: self.refresh(),
            on_error=self._on_error,
        )

    # --- sync ---------------------------------------------------------------------------------
    def start_sync(self) -> int | None:
        if self.cancel_event is not None:
            return None  # one sync at a time
        self.cancel_event = threading.Event()
        cancel = self.cancel_event
        dock = self.parentWidget()
        if dock is not None and not dock.isVisible():
            dock.show()  # progress and cancel must be in sight while a sync runs
        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(_("Syncing…"))
        return self.tasks.run(
            lambda: client.sync(self.ws, progress=self.progressed.emit, cancel=cancel),
            on_done=self._on_done,
            on_error=self._on_error,
        )

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.status.setText(_("Cancelling…"))

    def _on_progress(self, p: Progress) -> None:
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        else:
            self.progress.setRange(0, 0)
        self.status.setText(f"{stage_label(p.stage)}: {p.done}")

    def _end(self) -> None:
        self.cancel_event = None
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        self.refresh()

    def _on_done(self, report: SyncReport) -> None:
        self.last_report = report
        self._end()
        text = _("Sync finished: {sent} sent, {received} received").format(
            sent=report.pushed, received=report.pulled
        )
        if report.rejected:
            text += " — " + _("{n} refused by the office").format(n=len(report.rejected))
        self.status.setText(text)
        self.finished.emit(report)

    def _on_error(self, exc: BaseException) -> None:
        self._end()
        self.status.setText(_("Sync cancelled") if isinstance(exc, SyncCancelled) else str(exc))
        self.finished.emit(exc)

    def show_conflicts(self) -> ConflictsView:
        view = ConflictsView(self.conflicts(), self)
        view.open()
        return view


def install_sync(main_window: QMainWindow, workspace: Workspace, tasks: Tasks) -> SyncPanel:
    """A dock with the panel, a toolbar action and a "Sync" menu on ``main_window``."""
    panel = SyncPanel(workspace, tasks, main_window)
    dock = QDockWidget(_("Sync with the office"), main_window)
    dock.setObjectName("SyncDock")
    dock.setWidget(panel)
    main_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()  # the list keeps the whole width; the panel opens from the menu or with a sync
    sync_action = QAction(_("Sync"), main_window)
    sync_action.setToolTip(_("Send this laptop's changes to the office and receive the team's"))
    sync_action.triggered.connect(panel.start_sync)
    menu = QMenu(_("&Sync"), main_window)
    bar = main_window.menuBar()
    actions = bar.actions()
    # Before Help, which stays last.
    bar.insertMenu(actions[-1], menu) if actions else bar.addMenu(menu)
    menu.addAction(sync_action)
    menu.addAction(_("Sign in to the office…")).triggered.connect(panel.ask_login)
    menu.addAction(_("Refused changes…")).triggered.connect(panel.show_conflicts)
    menu.addAction(dock.toggleViewAction())
    toolbar = main_window.findChild(QToolBar, "MainToolBar") or main_window.addToolBar(_("Sync"))
    toolbar.addAction(sync_action)
    panel.sync_action = sync_action
    return panel
