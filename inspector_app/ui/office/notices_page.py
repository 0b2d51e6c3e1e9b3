"""The office's conclusion-notices tab: the notices issued to units after their signed visits —
draft one from a unit's signed visits, edit its findings and requirements, issue it (a TB number
from the register), preview and export its PDF, sign it with a .p12 file, verify the signed file.

Reads are short sessions on the GUI thread; writes (draft, save, issue, sign) go through
``tasks.write``; rendering, opening the key and verifying through ``tasks.run``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.desk import notice_signing, notices
from inspector_app.core.models import Unit
from inspector_app.core.services.errors import ServiceError
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.office import notice_dialogs
from inspector_app.ui.office.notice_editor import BadInput, NoticeEditor
from inspector_app.ui.tasks import Tasks

DAY = "%d/%m/%Y"
STATUS_LABELS = {"draft": N_("Draft"), "issued": N_("Issued"), "signed": N_("Signed")}
NoticeIdRole = Qt.ItemDataRole.UserRole + 1


def error_text(exc: BaseException) -> str:
    from inspector_app.documents.base import DocumentError
    from inspector_app.documents.signing import SigningError

    if isinstance(exc, ServiceError | DocumentError | SigningError):
        return str(exc)
    return _("Unexpected error: {problem}").format(problem=exc)


def confirm(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, _("Conclusion notices"), text)
    return answer == QMessageBox.StandardButton.Yes


class NoticesPage(QWidget):
    """Conclusion notices at the office desk."""

    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.current_id: uuid.UUID | None = None
        self.current_status = ""
        self.dialog: Any = None  # the last dialog opened (tests look at it)
        # The page's questions, replaceable in tests.
        self.choose_export: Callable[[QWidget | None, Path], Path | None] = notice_dialogs.choose_export_file
        self.choose_p12: Callable[[QWidget | None], Path | None] = notice_dialogs.choose_p12
        self.ask_password: Callable[[QWidget | None, Path], str | None] = notice_dialogs.ask_password
        self.confirm: Callable[[QWidget, str], bool] = confirm

        self.new_button = QPushButton(_("New notice…"))
        self.new_button.clicked.connect(self.new_notice)
        self.discard_button = QPushButton(_("Discard draft"))
        self.discard_button.clicked.connect(self.discard)
        self.list = QTableWidget(0, 4)
        self.list.setHorizontalHeaderLabels([_("Number"), _("Unit"), _("Date"), _("Status")])
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().setVisible(False)
        self.list.setWordWrap(False)
        self.list.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (2, 86), (3, 80)):
            self.list.setColumnWidth(col, width)
        self.list.itemSelectionChanged.connect(self._selected)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.list, 1)

        self.editor = NoticeEditor()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        self.save_button = QPushButton(_("Save changes"))
        self.issue_button = QPushButton(_("Issue…"))
        self.preview_button = QPushButton(_("Preview"))
        self.export_button = QPushButton(_("Export PDF…"))
        self.sign_button = QPushButton(_("Sign digitally…"))
        self.verify_button = QPushButton(_("Verify signature"))
        actions = QHBoxLayout()
        for button, slot in (
            (self.save_button, self.save),
            (self.issue_button, self.issue),
            (self.preview_button, self.preview),
            (self.export_button, self.export),
            (self.sign_button, self.sign),
            (self.verify_button, self.verify),
        ):
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(scroll, 1)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.status)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 860])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        with self.ws.session() as session:
            rows = notices.list_notices(session)
        keep = self.current_id
        self.list.blockSignals(True)
        self.list.setRowCount(len(rows))
        for row, (n, unit) in enumerate(rows):
            cells = (
                n.number or "—",
                unit,
                n.issued_on.strftime(DAY),
                _(STATUS_LABELS.get(n.status, n.status)),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(NoticeIdRole, n.id)
                self.list.setItem(row, col, item)
        self.list.blockSignals(False)
        self.current_id = None
        if keep is not None and self.select(keep):
            return
        if rows:
            self.list.selectRow(0)
        else:
            self._show(None)

    def select(self, notice_id: uuid.UUID) -> bool:
        for row in range(self.list.rowCount()):
            item = self.list.item(row, 0)
            if item is not None and item.data(NoticeIdRole) == notice_id:
                self.list.selectRow(row)
                self._selected()
                return True
        return False

    def _selected(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        item = self.list.item(rows[0].row(), 0) if rows else None
        self._show(item.data(NoticeIdRole) if item is not None else None)

    def _show(self, notice_id: uuid.UUID | None) -> None:
        self.current_id, self.current_status = notice_id, ""
        if notice_id is not None:
            with self.ws.session() as session:
                notice = notices.get_notice(session, notice_id)
                unit = session.get(Unit, notice.unit_id)
            title = _("Notice {number} to {unit}").format(
                number=notice.number or _("(no number yet)"), unit=unit.name if unit else ""
            )
            self.editor.load(notice, f"<b>{title}</b> — {_(STATUS_LABELS.get(notice.status, notice.status))}")
            self.current_status = notice.status
        self.editor.setEnabled(notice_id is not None)
        draft, signed = self.current_status == notices.DRAFT, self.current_status == notices.SIGNED
        for button in (self.save_button, self.issue_button, self.discard_button):
            button.setEnabled(draft)
        self.preview_button.setEnabled(notice_id is not None)
        self.export_button.setEnabled(notice_id is not None)
        self.sign_button.setEnabled(self.current_status == notices.ISSUED)
        self.verify_button.setEnabled(signed)

    # --- writing -------------------------------------------------------------------------------

    def _write(self, fn: Callable[[Any], Any], done: Callable[[Any], None] | None = None) -> None:
        def ok(result: Any) -> None:
            self.reload()
            if done is not None:
                done(result)

        self.tasks.write(fn, on_done=ok, on_error=lambda exc: self.set_status(error_text(exc), error=True))

    def new_notice(self) -> notice_dialogs.NewNoticeDialog:
        dialog = notice_dialogs.NewNoticeDialog(self.ws, self)
        dialog.accepted.connect(lambda: self._draft(*dialog.chosen()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _draft(self, unit_id: uuid.UUID | None, visit_ids: list[uuid.UUID]) -> None:
        if unit_id is None:
            return
        editor = self.ws.editor

        def done(notice: Any) -> None:
            self.select(notice.id)
            self.set_status(_("Draft notice made from {n} signed visit(s).").format(n=len(visit_ids)))

        self._write(
            lambda s: notices.draft_notice(s, editor, unit_id=unit_id, visit_ids=visit_ids),
            done,
        )

    def _edits(self) -> dict[str, Any] | None:
        try:
            return self.editor.values()
        except BadInput as exc:
            self.set_status(str(exc), error=True)
            return None

    def save(self) -> None:
        values, notice_id, editor = self._edits(), self.current_id, self.ws.editor
        if values is None or notice_id is None:
            return
        self._write(
            lambda s: notices.update_notice(s, editor, notice_id=notice_id, **values),
            lambda _n: self.set_status(_("Saved.")),
        )

    def issue(self) -> None:
        """Save the edits and take the next TB number from the register, in one write."""
        values, notice_id, editor = self._edits(), self.current_id, self.ws.editor
        if values is None or notice_id is None:
            return
        if not self.confirm(
            self, _("Issue this notice? It takes a number from the register and can no longer be changed.")
        ):
            return

        def write(s: Any) -> Any:
            notices.update_notice(s, editor, notice_id=notice_id, **values)
            return notices.issue_notice(s, editor, notice_id=notice_id)

        self._write(write, lambda n: self.set_status(_("Issued as {number}.").format(number=n.number)))

    def discard(self) -> None:
        notice_id, editor = self.current_id, self.ws.editor
        if notice_id is None or not self.confirm(self, _("Throw this draft away?")):
            return
        self.current_id = None
        self._write(lambda s: notices.discard_notice(s, editor, notice_id=notice_id))

    # --- the PDF -------------------------------------------------------------------------------

    def preview(self) -> None:
        if self.current_id is None:
            return
        self.dialog = notice_dialogs.NoticePreviewDialog(self.ws, self.tasks, self.current_id, self)
        self.dialog.open()

    def export(self) -> bool:
        notice_id, ws = self.current_id, self.ws
        if notice_id is None:
            return False
        out = self.choose_export(self, Path.home() / f"Thong-bao-{str(notice_id)[:8]}.pdf")
        if out is None:
            return False

        def write() -> Path:
            with ws.session() as session:
                data = notice_signing.notice_pdf(session, ws.attachments, notice_id)
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(out.name + ".part")  # never a half-written file under the real name
            tmp.write_bytes(data)
            tmp.replace(out)
            return out

        self.tasks.run(
            write,
            on_done=lambda path: self.set_status(_("Wrote {path}").format(path=path)),
            on_error=lambda exc: self.set_status(error_text(exc), error=True),
        )
        return True

    def sign(self) -> bool:
        """Choose the .p12 file, ask its password, open the key off the GUI thread, then sign."""
        notice_id = self.current_id
        if notice_id is None:
            return False
        path = self.choose_p12(self)
        if path is None:
            return False
        password = self.ask_password(self, path)
        if password is None:
            return False
        self.set_status(_("Opening the key…"))
        self.sign_button.setEnabled(False)
        self.tasks.run(
            lambda: _open_p12(path, password),
            on_done=lambda signer: self._sign_with(notice_id, signer),
            on_error=self._sign_failed,
        )
        return True

    def _sign_with(self, notice_id: uuid.UUID, signer: Any) -> None:
        ws = self.ws
        self.set_status(_("Signing…"))

        def done(n: Any) -> None:
            self.reload()
            self.set_status(
                _("Signed; the signed PDF is stored with the notice {number}.").format(number=n.number)
            )

        self.tasks.write(
            lambda s: notice_signing.sign_notice(
                s, ws.editor, ws.attachments, notice_id=notice_id, signer=signer
            ),
            on_done=done,
            on_error=self._sign_failed,
        )

    def _sign_failed(self, exc: BaseException) -> None:
        self.sign_button.setEnabled(self.current_status == notices.ISSUED)
        self.set_status(error_text(exc), error=True)

    def verify(self) -> None:
        notice_id, ws = self.current_id, self.ws
        if notice_id is None:
            return

        def check() -> Any:
            with ws.session() as session:
                return notice_signing.verify_notice(session, ws.attachments, notice_id)

        self.tasks.run(
            check, on_done=self._verified, on_error=lambda e: self.set_status(error_text(e), error=True)
        )

    def _verified(self, report: Any) -> None:
        if report.ok:
            s = report.signatures[0]
            when = s.signed_at.strftime("%d/%m/%Y %H:%M") if s.signed_at else "?"
            self.set_status(
                _("The signature is valid: signed by {name} at {time}.").format(name=s.signer, time=when)
            )
        else:
            self.set_status(
                _("The signature does not verify: {reasons}").format(reasons="; ".join(report.reasons())),
                error=True,
            )

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #d32f2f;" if error else "")


def _open_p12(path: Path, password: str) -> Any:
    from inspector_app.documents.signing import load_pkcs12

    return load_pkcs12(path, password.encode("utf-8") or None)
