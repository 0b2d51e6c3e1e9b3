"""Biên bản bổ sung: a correction written after signing. It is a new record beside the visit; the
signed minutes never change."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import col, select

from inspector_app.core.models import Addendum
from inspector_app.core.services.findings import add_addendum
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.tasks import Tasks


class AddendumDialog(QDialog):
    """Earlier addenda of the visit, and a box for a new one."""

    added = Signal(object)  # uuid.UUID of the addendum, after the commit

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = ws
        self._tasks = tasks
        self.visit_id = visit_id
        self.setWindowTitle(_("Addendum to the minutes"))
        self.earlier = QListWidget()
        self.earlier.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_("What is corrected or added, and why…"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(_("Save the addendum"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(
            lambda: self.save_button.setEnabled(bool(self.text.toPlainText().strip()))
        )
        note = QLabel(_("The signed minutes stay as they were signed; the addendum is kept beside them."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(QLabel(_("Earlier addenda")))
        layout.addWidget(self.earlier, 1)
        layout.addWidget(QLabel(_("New addendum")))
        layout.addWidget(self.text, 2)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.load()
        self.resize(620, 480)

    def load(self) -> None:
        with self._ws.session() as session:
            rows = session.exec(
                select(Addendum)
                .where(Addendum.visit_id == self.visit_id, Addendum.deleted == False)  # noqa: E712
                .order_by(col(Addendum.created_at))
            ).all()
        self.earlier.clear()
        for row in rows:
            when = row.created_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
            self.earlier.addItem(f"{when} — {row.author or '…'}\n{row.text}")
        if not rows:
            self.earlier.addItem(_("None yet."))

    def save(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            return
        editor, visit_id = self._ws.editor, self.visit_id
        self.save_button.setEnabled(False)
        self._tasks.write(
            lambda session: add_addendum(session, editor, visit_id=visit_id, text=text).id,
            on_done=self._saved,
            on_error=self._refused,
        )

    def _saved(self, addendum_id: uuid.UUID) -> None:
        self.added.emit(addendum_id)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(str(exc))
        self.error.show()
        self.save_button.setEnabled(True)
