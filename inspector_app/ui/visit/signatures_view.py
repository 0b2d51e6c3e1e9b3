"""The signatures tab: team leader, secretary and the unit's representative sign on a pad (the
representative may refuse, with a note), then "sign and lock" makes the minutes unchangeable."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, select

from inspector_app.core.models import (
    Attachment,
    Inspector,
    Signature,
    SignatureRole,
    TeamRole,
    VisitMember,
    VisitStatus,
)
from inspector_app.core.services import attachments, numbering, signing, visits
from inspector_app.core.services.locking import is_locked
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.checklist_view import error_text
from inspector_app.ui.visit.signature_pad import SignaturePad

# Left to right as on the minutes (DOMAIN.md §3.2): the unit, the secretary, the team leader.
BLOCKS = (
    (SignatureRole.UNIT_REPRESENTATIVE, N_("Representative of the inspected unit")),
    (SignatureRole.SECRETARY, N_("Secretary")),
    (SignatureRole.LEADER, N_("Team leader")),
)
TEAM_ROLE = {SignatureRole.LEADER: TeamRole.LEADER, SignatureRole.SECRETARY: TeamRole.SECRETARY}


def ask_confirmation(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        _("Sign and lock the minutes"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class SignatureBlock(QGroupBox):
    """One signer: name and position, the pad, "Clear" and "Sign" (and refusal for the unit)."""

    sign_requested = Signal(object)  # the block

    def __init__(self, role: SignatureRole, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.role = role
        self.name = QLineEdit(placeholderText=_("Full name"))
        self.position = QLineEdit(placeholderText=_("Position"))
        self.pad = SignaturePad()
        self.clear_button = QPushButton(_("Clear"))
        self.sign_button = QPushButton(_("Sign"))
        self.state = QLabel(_("Not signed yet"))
        self.state.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Full name"), self.name)
        form.addRow(_("Position"), self.position)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.pad)
        layout.addLayout(buttons)  # pads and buttons line up across the three blocks
        self.refuse: QCheckBox | None = None
        self.refusal_note: QPlainTextEdit | None = None
        if role == SignatureRole.UNIT_REPRESENTATIVE:
            self.refuse = QCheckBox(_("Refuses to sign"))
            self.refusal_note = QPlainTextEdit()
            self.refusal_note.setPlaceholderText(_("Why the representative refuses to sign (required)"))
            self.refusal_note.setFixedHeight(56)
            self.refusal_note.setVisible(False)
            self.refuse.toggled.connect(self._refuse_toggled)
            layout.addWidget(self.refuse)
            layout.addWidget(self.refusal_note)
        layout.addWidget(self.state)
        layout.addStretch(1)
        self.clear_button.clicked.connect(self.pad.clear)
        self.sign_button.clicked.connect(lambda: self.sign_requested.emit(self))

    def refused(self) -> bool:
        return self.refuse is not None and self.refuse.isChecked()

    def _refuse_toggled(self, on: bool) -> None:
        assert self.refusal_note is not None
        self.refusal_note.setVisible(on)
        self.pad.setEnabled(not on)
        self.sign_button.setText(_("Record the refusal") if on else _("Sign"))

    def show_signature(self, signature: Signature | None, image: QImage | None) -> None:
        if signature is None:
            self.state.setText(_("Not signed yet"))
            self.pad.show_image(None)
            return
        when = signature.signed_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
        self.name.setText(signature.signer_name)
        self.position.setText(signature.signer_position)
        self.position.setCursorPosition(0)
        if signature.refused:
            if self.refuse is not None and self.refusal_note is not None:
                self.refuse.setChecked(True)
                self.refusal_note.setPlainText(signature.refusal_note or "")
            self.state.setText(
                _("Refused to sign ({when}): {note}").format(when=when, note=signature.refusal_note)
            )
        else:
            self.state.setText(_("Signed at {when}").format(when=when))
        self.pad.show_image(image)

    def set_read_only(self, flag: bool) -> None:
        self.name.setReadOnly(flag)
        self.position.setReadOnly(flag)
        self.pad.set_read_only(flag)
        self.clear_button.setVisible(not flag)
        self.sign_button.setVisible(not flag)
        if self.refuse is not None and self.refusal_note is not None:
            self.refuse.setEnabled(not flag)
            self.refusal_note.setReadOnly(flag)


class SignaturesView(QWidget):
    """The three signatures and the lock."""

    changed = Signal()
    locked = Signal()

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws, self.tasks, self.visit_id = ws, tasks, visit_id
        self.confirm: Callable[[QWidget, str], bool] = ask_confirmation  # tests answer for the user
        self._read_only = False
        self._locked = False
        self._status = VisitStatus.DRAFT
        self.blocks: dict[str, SignatureBlock] = {}
        row = QHBoxLayout()
        for role, title in BLOCKS:
            block = SignatureBlock(role, _(title))
            block.sign_requested.connect(self.sign)
            self.blocks[role] = block
            row.addWidget(block, 1)
        self.lock_button = QPushButton(_("Sign and lock the minutes"))
        self.lock_button.setToolTip(_("After this the minutes can no longer be changed"))
        self.lock_button.clicked.connect(self.sign_and_lock)
        # Số/ký hiệu of the minutes: given from this computer's block when the visit is locked;
        # typed here by hand when the block has run out (the office gives the number).
        self._number = ""
        self.number_label = QLabel(_("Minutes number:"))
        self.number = QLineEdit()
        self.number.setPlaceholderText(_("next number of this computer"))
        self.number.setToolTip(
            _("Leave empty for the next number of this computer's block, or type the one the office gave")
        )
        self.number.setMaximumWidth(220)
        self.number.returnPressed.connect(self.sign_and_lock)
        self.status = QLabel()
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.number_label)
        bottom.addWidget(self.number)
        bottom.addWidget(self.lock_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(bottom)
        layout.addStretch(1)
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        with self.ws.session() as session:
            visit = visits.get_visit(session, self.visit_id)
            self._status = VisitStatus(visit.status)
            self._locked = visit.status == VisitStatus.SIGNED or is_locked(session, self.visit_id)
            people = self._team(session)
            stored = {
                s.role: s
                for s in session.exec(
                    select(Signature).where(Signature.visit_id == self.visit_id, Signature.deleted == False)  # noqa: E712
                ).all()
            }
            images = {role: self._image(session, s) for role, s in stored.items()}
            representative = visit.unit_representative or ""
            self._number = visit.number or ""
        self.number.setText(self._number)
        rep_name, _sep, rep_position = representative.partition(" – ")
        defaults = people | {SignatureRole.UNIT_REPRESENTATIVE: (rep_name.strip(), rep_position.strip())}
        for role, block in self.blocks.items():
            name, position = defaults.get(role, ("", ""))
            block.name.setText(name)
            block.position.setText(position)
            block.position.setCursorPosition(0)  # long positions: show their beginning
            block.position.setToolTip(position)
            block.pad.clear()
            block.show_signature(stored.get(role), images.get(role))
        self._apply_read_only()

    def _team(self, session: Session) -> dict[str, tuple[str, str]]:
        members = session.exec(select(VisitMember).where(VisitMember.visit_id == self.visit_id)).all()
        found: dict[str, tuple[str, str]] = {}
        for role, team_role in TEAM_ROLE.items():
            member = next((m for m in members if m.role == team_role and not m.deleted), None)
            person = session.get(Inspector, member.inspector_id) if member else None
            if person is not None:
                found[role] = (person.full_name, person.position)
        return found

    def _image(self, session: Session, signature: Signature) -> QImage | None:
        if signature.attachment_id is None:
            return None
        att = session.get(Attachment, signature.attachment_id)
        if att is None:
            return None
        image = QImage(str(attachments.blob_path(self.ws.attachments, att.sha256)))  # a few kB
        return None if image.isNull() else image

    # --- writes -------------------------------------------------------------------------------

    def sign(self, block: SignatureBlock) -> None:
        if self.is_read_only():
            return
        name, position = block.name.text(), block.position.text()
        role, ws, visit_id = block.role, self.ws, self.visit_id
        refused = block.refused()
        note = block.refusal_note.toPlainText() if block.refusal_note is not None else None
        if refused and not (note or "").strip():
            self._error(block, _("Write down why the representative refused to sign"))
            return
        png = b"" if refused else block.pad.to_png()
        if not refused and not png:
            self._error(block, _("Draw the signature first"))
            return

        def write(session: Session) -> Signature:
            attachment_id = None
            if png:
                image = QImage.fromData(png)
                att = attachments.store_attachment(
                    session,
                    ws.editor,
                    ws.attachments,
                    data=png,
                    mime="image/png",
                    width=image.width(),
                    height=image.height(),
                    original_name=f"chu-ky-{role}.png",
                )
                session.flush()
                attachment_id = att.id
            return signing.record_signature(
                session,
                ws.editor,
                visit_id=visit_id,
                role=role,
                signer_name=name,
                signer_position=position,
                attachment_id=attachment_id,
                refused=refused,
                refusal_note=note if refused else None,
            )

        def done(signature: Signature) -> None:
            block.show_signature(signature, QImage.fromData(png) if png else None)
            self.status.setText(_("Signature recorded."))
            self.changed.emit()

        self.tasks.write(write, on_done=done, on_error=lambda exc: self._error(block, error_text(exc)))

    def sign_and_lock(self) -> None:
        if self.is_read_only():
            return
        text = _(
            "Once locked, the minutes, the checklist, the roll call, the findings and the remedies "
            "can no longer be changed. Sign and lock now?"
        )
        if not self.confirm(self, text):
            return
        ws, visit_id = self.ws, self.visit_id
        typed = self.number.text().strip()
        number = typed if typed and typed != self._number else None  # unchanged: the visit's own

        def done(_lock: Any) -> None:
            self.reload()
            self.status.setText(
                _("The minutes are signed and locked with number {number}.").format(number=self._number)
            )
            self.changed.emit()
            self.locked.emit()

        def failed(exc: BaseException) -> None:
            self._error(None, error_text(exc))
            if isinstance(exc, numbering.NoNumbersLeft | numbering.NumberTaken):
                self.number.setFocus()
                self.number.selectAll()

        self.tasks.write(
            lambda s: signing.sign_and_lock(s, ws.editor, visit_id=visit_id, number=number),
            on_done=done,
            on_error=failed,
        )

    def _error(self, block: SignatureBlock | None, message: str) -> None:
        if block is not None:
            block.state.setText(message)
        self.status.setText(message)
        self.status.setStyleSheet("color: #d32f2f;")

    # --- read-only ----------------------------------------------------------------------------

    def is_read_only(self) -> bool:
        return self._read_only or self._locked

    def set_read_only(self, flag: bool) -> None:
        self._read_only = flag
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        flag = self.is_read_only()
        for block in self.blocks.values():
            block.set_read_only(flag)
        self.lock_button.setVisible(not flag)
        self.number.setReadOnly(flag)
        self.number_label.setVisible(not flag or bool(self._number))
        self.number.setVisible(not flag or bool(self._number))
        self.status.setStyleSheet("")
        if self._locked:
            self.status.setText(_("The visit is signed and locked: it can only be read."))
        elif self._status == VisitStatus.DRAFT:
            self.status.setText(_("Complete the visit before signing it"))
