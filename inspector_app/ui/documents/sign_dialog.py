"""“Ký số…”: sign the visit's minutes digitally (PAdES) with a PKCS#12 file or a USB token.

Opening the key (decrypting the file, logging in to the token) runs in ``tasks.run``; then
``records.sign_visit_minutes`` — render or take the newest signed file, sign it, store it, record
the signature and, for the first one, fill the lock's ``pdf_sha256`` — runs as one write through
``tasks.write``, so two signers can never sign the same revision side by side.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.models import SignatureRole
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.tasks import Tasks

ROLES = (
    (SignatureRole.LEADER, N_("Team leader")),
    (SignatureRole.SECRETARY, N_("Secretary")),
    (SignatureRole.UNIT_REPRESENTATIVE, N_("Representative of the inspected unit")),
)
AskPin = Callable[[QWidget, str], str | None]


def ask_pin(parent: QWidget, token: str) -> str | None:
    pin, ok = QInputDialog.getText(
        parent,
        _("Token PIN"),
        _("PIN of the token {label}:").format(label=token),
        QLineEdit.EchoMode.Password,
    )
    return pin if ok else None


class SignDialog(QDialog):
    """Choose the signer's role and key, then sign; ``signed`` carries the DigitalSignature row."""

    signed = Signal(object)

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        visit_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        modules: list[tuple[Any, str]] | None = None,
        pin_prompt: AskPin = ask_pin,
    ) -> None:
        super().__init__(parent)
        self._ws, self._tasks, self.visit_id, self._ask_pin = ws, tasks, visit_id, pin_prompt
        self._stack: ExitStack | None = None
        self.setWindowTitle(_("Sign the minutes digitally"))
        self.role = QComboBox()
        for role, label in ROLES:
            self.role.addItem(_(label), role.value)
        self.use_file, self.use_token = (
            QRadioButton(_("Certificate file (.p12, .pfx)")),
            QRadioButton(_("USB token")),
        )
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_token)
        self.p12_path, self.password = QLineEdit(), QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.p12_path, 1)
        file_row.addWidget(browse)
        self.token_module, self.token_label, self.key_label = QComboBox(), QLineEdit(), QLineEdit()
        if modules is None:
            from inspector_app.documents.tokens import installed_modules

            modules = installed_modules(ws.data_dir)
        for module, path in modules:
            self.token_module.addItem(f"{module.name} — {path}", path)
        self.key_label.setPlaceholderText(_("only when the token holds several keys"))
        self.use_token.setEnabled(bool(modules))
        self.use_file.setChecked(True)
        form = QFormLayout()
        form.addRow(_("Sign as"), self.role)
        form.addRow(self.use_file)
        form.addRow(_("File"), file_row)
        form.addRow(_("Password"), self.password)
        form.addRow(self.use_token)
        form.addRow(_("Token driver"), self.token_module)
        form.addRow(_("Token label"), self.token_label)
        form.addRow(_("Key label"), self.key_label)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton(_("Sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Certificate file"), self.p12_path.text(), _("Certificates (*.p12 *.pfx)")
        )
        if path:
            self.p12_path.setText(path)

    # --- signing -------------------------------------------------------------------------------

    def start(self) -> bool:
        """Check the form, then open the key in the background; False when something is missing."""
        role = str(self.role.currentData())
        if self.use_token.isChecked():
            lib, label = self.token_module.currentData(), self.token_label.text().strip()
            if not lib or not label:
                return self._refuse(_("Choose the token driver and type the token label"))
            pin = self._ask_pin(self, label)
            if pin is None:
                return False
            key = self.key_label.text().strip() or None
            job: Callable[[], Any] = lambda: _open_token(lib, label, key, pin)  # noqa: E731
        else:
            path = Path(self.p12_path.text().strip())
            if not self.p12_path.text().strip():
                return self._refuse(_("Choose the certificate file"))
            password = self.password.text().encode("utf-8")
            job = lambda: _open_file(path, password)  # noqa: E731
        self._busy(True, _("Opening the key…"))
        self._tasks.run(job, on_done=lambda opened: self._sign(role, *opened), on_error=self._failed)
        return True

    def _sign(self, role: str, signer: Any, stack: ExitStack) -> None:
        from inspector_app.documents.records import sign_visit_minutes

        self._stack = stack
        ws, visit_id = self._ws, self.visit_id
        self.status.setText(_("Signing…"))
        self._tasks.write(
            lambda session: sign_visit_minutes(
                session, ws.editor, ws.attachments, visit_id=visit_id, role=role, signer=signer
            ),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, row: Any) -> None:
        self._close_key()
        self._busy(False, _("Signed by {name}.").format(name=row.signer_name))
        self.signed.emit(row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._close_key()
        self._busy(False, str(exc))

    def _refuse(self, message: str) -> bool:
        self.status.setText(message)
        return False

    def _busy(self, flag: bool, message: str) -> None:
        self.sign_button.setEnabled(not flag)
        self.status.setText(message)

    def _close_key(self) -> None:
        if self._stack is not None:
            self._stack.close()  # logs out of the token
            self._stack = None


def _open_file(path: Path, password: bytes) -> tuple[Any, ExitStack]:
    from inspector_app.documents.signing import load_pkcs12

    return load_pkcs12(path, password or None), ExitStack()


def _open_token(lib: str, label: str, key: str | None, pin: str) -> tuple[Any, ExitStack]:
    from inspector_app.documents.signing import pkcs11_signer

    stack = ExitStack()
    try:
        signer = stack.enter_context(pkcs11_signer(lib, label, key, pin or None))
    except BaseException:
        stack.close()
        raise
    return signer, stack
