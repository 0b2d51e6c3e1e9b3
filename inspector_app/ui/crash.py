"""Unexpected errors: write a crash report into ``logs/``, then tell the user in a dialog that the
data is safe (every edit is committed when it is made) and where the report is.

Three doors lead here: ``sys.excepthook`` (an exception in a slot or in the main code),
``threading.excepthook`` (a plain thread), and Qt's message handler (a fatal Qt message: the
process aborts right after, so only the report is written). The report is written on the thread
that failed; the dialog always opens on the GUI thread, through a queued signal.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from inspector_app.i18n import _
from inspector_app.logs import log_dir, write_crash_report
from inspector_app.ui.message_boxes import widen

log = logging.getLogger(__name__)

ShowCrash = Callable[[QWidget | None, Path, str], Any]
MAX_DIALOGS = 3  # an error repeated on every repaint must not bury the screen under dialogs


def _widen(box: QMessageBox, width: int = 560) -> None:
    widen(box, width)


def crash_box(parent: QWidget | None, report: Path, summary: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Unexpected error"))
    box.setText(
        _(
            "Something went wrong in the app. Your data is safe: every change was saved the moment "
            "you made it, and nothing has been changed since."
        )
    )
    box.setInformativeText(
        _(
            "A report was written to {path}. You can keep working, or close the app and open it "
            "again. If this happens again, send the report to your IT support."
        ).format(path=report)
        + "\n\n"
        + summary
    )
    open_logs = box.addButton(_("Open the log folder"), QMessageBox.ButtonRole.ActionRole)
    open_logs.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.parent))))
    keep = box.addButton(_("Keep working"), QMessageBox.ButtonRole.AcceptRole)
    # Without an escape button a QMessageBox refuses to close, and that stops the app from quitting.
    box.setEscapeButton(keep)
    box.setDefaultButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _widen(box)
    return box


def show_crash(parent: QWidget | None, report: Path, summary: str) -> QMessageBox:
    """Open the dialog without blocking: the event loop (and the autosave behind it) keeps running."""
    box = crash_box(parent, report, summary)
    box.open()
    return box


class CrashHandler(QObject):
    """Installs the three hooks; ``reports`` lists the files written this run."""

    crashed = Signal(object, str)  # report path, one-line summary (queued to the GUI thread)

    def __init__(
        self, data_dir: Path, *, show: ShowCrash | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.show = show or show_crash
        self.reports: list[Path] = []
        self.shown = 0
        self._previous: tuple[Any, Any, Any] | None = None
        self._passthrough: Any = None  # after uninstall: the handler that was there before ours
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> CrashHandler:
        previous_qt = qInstallMessageHandler(self.qt_message)
        self._previous = (sys.excepthook, threading.excepthook, previous_qt)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook, previous_qt = self._previous
            self._previous = None
            # Only the default handler is put back. Re-installing a handler another library put in
            # (pytest-qt's, in tests) through the object PySide6 returned crashed Qt on its next
            # message; ours stays in place and passes messages on (see qt_message).
            if previous_qt is None:
                qInstallMessageHandler(None)
            else:
                self._passthrough = previous_qt

    # --- hooks (any thread) ---------------------------------------------------------------------

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report(exc_type, exc, tb, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        thread = args.thread.name if args.thread is not None else ""
        self.report(args.exc_type, args.exc_value, args.exc_traceback, thread)

    def qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if self._previous is None and self._passthrough is not None:  # uninstalled: hand it on
            self._passthrough(kind, context, message)
            return
        where = f"{context.file}:{context.line}" if context.file else ""
        if kind == QtMsgType.QtFatalMsg:
            # Qt aborts the process when this returns: no dialog is possible, the report is all.
            error = RuntimeError(f"Qt fatal: {message} {where}".strip())
            self.report(RuntimeError, error, None, threading.current_thread().name, dialog=False)
            return
        level = {
            QtMsgType.QtCriticalMsg: logging.ERROR,
            QtMsgType.QtWarningMsg: logging.WARNING,
            QtMsgType.QtInfoMsg: logging.INFO,
        }.get(kind, logging.DEBUG)
        logging.getLogger("qt").log(level, "%s %s", message, where)

    def report(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread: str = "",
        *,
        dialog: bool = True,
    ) -> Path | None:
        try:
            path = write_crash_report(self.data_dir, exc_type, exc, tb, thread=thread)
        except Exception:  # a full disk must not turn one error into a loop of them
            log.exception("could not write the crash report")
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return None
        self.reports.append(path)
        summary = f"{exc_type.__name__}: {exc}" if exc is not None else exc_type.__name__
        if dialog:
            self.crashed.emit(path, summary[:500])
        return path

    # --- GUI thread -------------------------------------------------------------------------------

    @Slot(object, str)
    def _show(self, path: Path, summary: str) -> None:
        if self.shown >= MAX_DIALOGS:
            return
        self.shown += 1
        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        self.show(parent, path, summary)


def open_folder(path: Path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_log_folder(data_dir: Path) -> bool:
    return open_folder(log_dir(data_dir))
