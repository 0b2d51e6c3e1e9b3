"""The visit window's document actions: "Xuất biên bản (PDF/Word)…", "Xem trước", "In…", "Ký số…".

Export, print and signing are for signed visits (the minutes are final); the preview also shows a
draft or completed visit, marked DỰ THẢO when it is a draft.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar

from inspector_app.core.models import VisitStatus
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.documents.export import ChooseFile, choose_export_file, export_minutes
from inspector_app.ui.tasks import Tasks


class DocumentActions(QObject):
    """Creates the four actions on a toolbar and runs them for one visit."""

    signed = Signal(object)  # a DigitalSignature row, after its write committed

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, window: QMainWindow, toolbar: QToolBar
    ) -> None:
        super().__init__(window)
        self._ws, self._tasks, self.visit_id = ws, tasks, visit_id
        self.choose_file: ChooseFile = choose_export_file  # tests put their own here
        self.export_action = QAction(_("Export the minutes (PDF/Word)…"), window)
        self.preview_action = QAction(_("Preview"), window)
        self.print_action = QAction(_("Print…"), window)
        self.sign_action = QAction(_("Sign digitally…"), window)
        self.export_action.triggered.connect(self.export)
        self.preview_action.triggered.connect(self.preview)
        self.print_action.triggered.connect(self.print_minutes)
        self.sign_action.triggered.connect(self.sign)
        toolbar.addSeparator()
        for action in (self.export_action, self.preview_action, self.print_action, self.sign_action):
            toolbar.addAction(action)
        self.unit_name = ""
        self.dialog: object | None = None  # the last dialog opened (tests look at it)

    @property
    def _window(self) -> QMainWindow:
        # The parent, not a stored reference: an attribute pointing back at the window would keep its
        # Python wrapper alive after Qt deleted the window (WA_DeleteOnClose).
        return self.parent()  # type: ignore[return-value]

    def set_status(self, status: str, unit_name: str = "") -> None:
        signed = status == VisitStatus.SIGNED
        for action in (self.export_action, self.print_action, self.sign_action):
            action.setEnabled(signed)
        self.preview_action.setEnabled(True)
        self.unit_name = unit_name

    def _message(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 10000)

    def export(self) -> bool:
        name = f"Bien-ban-{_slug(self.unit_name) or self.visit_id}.pdf"
        return export_minutes(
            self._ws,
            self._tasks,
            self.visit_id,
            self._window,
            suggested_name=name,
            choose=self.choose_file,
            on_done=lambda path: self._message(_("Wrote {path}").format(path=path)),
            on_error=lambda exc: self._message(
                _("The minutes cannot be exported: {error}").format(error=exc)
            ),
        )

    def preview(self) -> None:
        from inspector_app.ui.documents.preview import PreviewDialog

        dialog = PreviewDialog(self._ws, self._tasks, self.visit_id, self._window)
        self.dialog = dialog
        dialog.show()

    def print_minutes(self) -> None:
        from inspector_app.ui.documents.printing import print_pdf
        from inspector_app.ui.documents.sources import minutes_pdf

        ws, visit_id = self._ws, self.visit_id
        self._tasks.run(
            lambda: minutes_pdf(ws, visit_id).data,
            on_done=lambda data: print_pdf(data, self._window, tasks=self._tasks),
            on_error=lambda exc: self._message(str(exc)),
        )

    def sign(self) -> None:
        from inspector_app.ui.documents.sign_dialog import SignDialog

        dialog = SignDialog(self._ws, self._tasks, self.visit_id, self._window)
        dialog.signed.connect(self._signed)
        self.dialog = dialog
        dialog.open()

    def _signed(self, row: object) -> None:
        self._message(
            _("The minutes were signed digitally by {name}.").format(name=getattr(row, "signer_name", ""))
        )
        self.signed.emit(row)


def _slug(text: str) -> str:
    from inspector_app.core.text import fold

    return "-".join(fold(text).split())
