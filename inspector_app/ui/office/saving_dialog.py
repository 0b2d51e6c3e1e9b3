"""The registry's dialogs share one shape: fields, a red line for refusals, Cancel + an action that
is one write through the single DB writer; the dialog closes only once the transaction committed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget
from sqlmodel import Session

from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.registry_labels import error_label
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.checklist_data import error_text


def dialog_buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel + the dialog's own action (default button); the action is connected by the caller."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.rejected.connect(dialog.reject)
    ok.setDefault(True)
    return buttons, ok


class SavingDialog(QDialog):
    """A dialog whose action is one write: closes after the commit, shows a refusal in red."""

    saved = Signal(object)  # what the write returned (an id)

    def __init__(self, ws: Workspace, tasks: Tasks, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.error = error_label()
        self.buttons, self.ok_button = dialog_buttons(self, ok_text)
        self.ok_button.clicked.connect(self.save)

    def save(self) -> None:
        raise NotImplementedError

    def write(self, fn: Callable[[Session], Any]) -> None:
        self.ok_button.setEnabled(False)
        self.error.hide()
        self.tasks.write(fn, on_done=self._saved, on_error=self.refuse)

    def _saved(self, result: object) -> None:
        self.saved.emit(result)
        self.accept()

    def refuse(self, exc: BaseException) -> None:
        self.error.setText(str(exc) if isinstance(exc, ValueError) else error_text(exc))
        self.error.show()
        self.ok_button.setEnabled(True)
