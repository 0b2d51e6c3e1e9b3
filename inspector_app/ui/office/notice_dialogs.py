"""Dialogs of the notices tab: “New notice…” (a unit and which of its signed visits to conclude)
and the preview of a notice's PDF (pages drawn with pypdfium2, signature stamp included)."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.desk.notices import signed_visits_of, units_to_conclude
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _, ngettext
from inspector_app.ui.documents.preview import PagesView
from inspector_app.ui.documents.sources import render_pages
from inspector_app.ui.tasks import Tasks

DAY = "%d/%m/%Y"
VisitIdRole = Qt.ItemDataRole.UserRole + 1


class NewNoticeDialog(QDialog):
    """Choose a unit with signed visits and the visits the notice concludes."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWindowTitle(_("New conclusion notice"))
        self.resize(620, 420)
        self.unit = QComboBox()
        with ws.session() as session:
            units = units_to_conclude(session)
        for u in units:
            waiting = ngettext(
                "{n} signed visit without a notice", "{n} signed visits without a notice", u.without_notice
            ).format(n=u.without_notice)
            self.unit.addItem(f"{u.unit_name} — {waiting}", u.unit_id)
        self.visits = QListWidget()
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Unit"), self.unit)
        form.addRow(_("Signed visits"), self.visits)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(_("Draft the notice"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.visits.itemChanged.connect(lambda _item: self._check())
        if units:
            self._unit_changed()
        else:
            self.note.setText(_("No visit is signed yet: a conclusion notice is drafted from signed visits."))
            self.ok.setEnabled(False)

    def _unit_changed(self, *_args: object) -> None:
        self.visits.clear()
        unit_id = self.unit.currentData()
        if unit_id is None:
            return
        with self._ws.session() as session:
            choices = signed_visits_of(session, unit_id)
        for v in choices:
            text = _("{day} — minutes {number}").format(day=v.day.strftime(DAY), number=v.number or "—")
            if v.notice:
                text += " · " + _("already in notice {number}").format(number=v.notice)
            item = QListWidgetItem(text)
            item.setData(VisitIdRole, v.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if v.notice else Qt.CheckState.Checked)
            self.visits.addItem(item)
        self._check()

    def chosen(self) -> tuple[uuid.UUID | None, list[uuid.UUID]]:
        ids = []
        for n in range(self.visits.count()):
            item = self.visits.item(n)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(item.data(VisitIdRole))
        return self.unit.currentData(), ids

    def _check(self) -> None:
        unit_id, ids = self.chosen()
        self.ok.setEnabled(unit_id is not None and bool(ids))


class NoticePreviewDialog(QDialog):
    """The notice as it prints: rendered (or the signed file read) off the GUI thread."""

    def __init__(
        self, ws: Workspace, tasks: Tasks, notice_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Preview of the notice"))
        self.resize(980, 900)
        self.status = QLabel(_("Rendering the notice…"))
        self.pages = PagesView()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        tasks.run(lambda: _pages(ws, notice_id), on_done=self._shown, on_error=self._failed)

    def _shown(self, images: list[QImage]) -> None:
        self.pages.set_pages(images)
        self.status.setText(ngettext("{n} page", "{n} pages", len(images)).format(n=len(images)))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(_("The notice cannot be shown: {error}").format(error=exc))


def _pages(ws: Workspace, notice_id: uuid.UUID) -> list[QImage]:
    from inspector_app.core.desk.notice_signing import notice_pdf

    with ws.session() as session:
        data = notice_pdf(session, ws.attachments, notice_id)
    return render_pages(data)


# --- the choices of the notices tab, as functions tests can replace ------------------------------


def choose_export_file(parent: QWidget | None, suggested: Path) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Export the notice"), str(suggested), _("PDF document (*.pdf)")
    )
    if not path:
        return None
    out = Path(path)
    return out if out.suffix.lower() == ".pdf" else out.with_suffix(".pdf")


def choose_p12(parent: QWidget | None) -> Path | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Certificate file"), "", _("Certificates (*.p12 *.pfx)")
    )
    return Path(path) if path else None


def ask_password(parent: QWidget | None, path: Path) -> str | None:
    text, ok = QInputDialog.getText(
        parent,
        _("Password"),
        _("Password of {file}:").format(file=path.name),
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None
