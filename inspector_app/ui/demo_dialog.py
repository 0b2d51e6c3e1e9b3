"""First start on an empty database: offer the Hà Tĩnh demo province, load it in the background."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from inspector_app.core.demo.load import DemoSummary, load_demo
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.message_boxes import widen
from inspector_app.ui.tasks import Tasks


def demo_question(parent: QWidget | None) -> tuple[QMessageBox, QAbstractButton]:
    """The question box and its "load" button (built apart from ``exec`` for screenshots)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Demo data"))
    box.setText(_("Load the Hà Tĩnh demo province?"))
    box.setInformativeText(
        _(
            "The database is empty. The demo adds the units and officials of Hà Tĩnh province, "
            "an inspection team and six sample visits, so you can try the app. "
            "You can also load it later from the File menu."
        )
    )
    load = box.addButton(_("Load demo data"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(load)
    widen(box, 480)
    return box, load


def ask_load_demo(parent: QWidget | None) -> bool:
    """Ask; True when the user accepts."""
    box, load = demo_question(parent)
    box.exec()
    return box.clickedButton() is load


def load_demo_in_background(
    workspace: Workspace,
    tasks: Tasks,
    parent: QWidget | None,
    *,
    on_done: Callable[[DemoSummary], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> QProgressDialog:
    """Queue the demo on the DB writer; a busy indicator shows until it has committed.

    ``load_demo`` reports no progress yet, so the bar is indeterminate; it cannot be cancelled
    half-way either (each visit is its own transaction, and a second run completes the first).
    """
    progress = QProgressDialog(_("Loading the Hà Tĩnh demo province…"), "", 0, 0, parent)
    progress.setWindowTitle(_("Demo data"))
    progress.setCancelButton(None)  # type: ignore[arg-type]
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)

    def done(summary: Any) -> None:
        progress.close()
        on_done(summary)

    def failed(exc: Any) -> None:
        progress.close()
        QMessageBox.critical(
            parent, _("Demo data"), _("The demo province could not be loaded: {problem}").format(problem=exc)
        )
        if on_error is not None:
            on_error(exc)

    tasks.write_unscoped(lambda: load_demo(workspace), on_done=done, on_error=failed)
    return progress
