"""“Record progress…”: a progress report on one remedy of a signed visit, with a new status and
an optional evidence file. The write (``core.desk.follow_up.record_follow_up``) adds a follow-up
row and the evidence attachment beside the visit; the signed visit itself is never touched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.desk.follow_up import RemedyItem, follow_ups_of, record_follow_up, today_vn
from inspector_app.core.models import RemedyStatus
from inspector_app.core.services.errors import ServiceError
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.remedies_model import DATE_FORMAT, STATUS_LABELS, status_label

DAY = "%d/%m/%Y"


def error_text(exc: BaseException) -> str:
    if isinstance(exc, ServiceError):
        return str(exc)
    return _("Unexpected error: {problem}").format(problem=exc)


class FollowUpDialog(QDialog):
    """The remedy, its earlier reports, and the form of a new one; ``recorded`` carries the new row."""

    recorded = Signal(object)

    def __init__(self, ws: Workspace, tasks: Tasks, item: RemedyItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws, self._tasks, self.item = ws, tasks, item
        self.setWindowTitle(_("Record progress on a remedy"))
        self.resize(640, 560)
        minutes = item.minutes_number or _("no number")
        about = QLabel(
            "<b>{unit}</b><br>{visit}<br>{content}<br>{owner}<br>{deadline}<br>{status}".format(
                unit=_esc(item.unit_name),
                visit=_esc(
                    _("Visit of {day}, minutes {number}").format(
                        day=item.visit_day.strftime(DAY), number=minutes
                    )
                ),
                content=_esc(_("Requirement: {text}").format(text=item.content)),
                owner=_esc(_("Responsible: {name}").format(name=item.owner)),
                deadline=_esc(
                    _("Deadline: {day}").format(day=item.deadline.strftime(DAY) if item.deadline else "—")
                ),
                status=_esc(_("Current status: {status}").format(status=status_label(item.status))),
            )
        )
        about.setWordWrap(True)
        self.history = QListWidget()
        self.history.setMaximumHeight(110)
        with ws.session() as session:
            entries = follow_ups_of(session, item.id)
        for e in entries:
            name = e.evidence_name or (e.evidence_sha256 or "")[:12]
            evidence = " (" + _("evidence: {name}").format(name=name) + ")" if e.evidence_sha256 else ""
            self.history.addItem(
                f"{e.reported_on.strftime(DAY)} · {status_label(e.status)} · {e.progress}{evidence}"
            )
        if not entries:
            self.history.addItem(_("No progress reported yet."))
        self.reported_on = QDateEdit()
        self.reported_on.setCalendarPopup(True)
        self.reported_on.setDisplayFormat(DATE_FORMAT)
        today = today_vn()
        self.reported_on.setDate(QDate(today.year, today.month, today.day))
        self.reported_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.status_box = QComboBox()
        for status in RemedyStatus:
            self.status_box.addItem(_(STATUS_LABELS[status]), status.value)
        start = RemedyStatus.IN_PROGRESS if item.status == RemedyStatus.OPEN else RemedyStatus(item.status)
        self.status_box.setCurrentIndex(self.status_box.findData(start.value))
        self.progress = QPlainTextEdit()
        self.progress.setTabChangesFocus(True)
        self.progress.setPlaceholderText(_("What the unit reported, what was checked"))
        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText(_("optional: a scan, a photo, the unit's report"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence, 1)
        evidence_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Reported on"), self.reported_on)
        form.addRow(_("New status"), self.status_box)
        form.addRow(_("Progress"), self.progress)
        form.addRow(_("Evidence file"), evidence_row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(_("Record"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(QLabel(_("Earlier reports")))
        layout.addWidget(self.history)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Evidence file"), self.evidence.text())
        if path:
            self.evidence.setText(path)

    def values(self) -> dict[str, Any]:
        day = self.reported_on.date()
        evidence = self.evidence.text().strip()
        return {
            "progress": self.progress.toPlainText().strip(),
            "status": str(self.status_box.currentData()),
            "reported_on": dt.date(day.year(), day.month(), day.day()),
            "evidence": Path(evidence) if evidence else None,
        }

    def save(self) -> bool:
        """Check the form and record in the background; False when something is missing."""
        values = self.values()
        if not values["progress"]:
            return self._refuse(_("Describe the progress made"))
        evidence = values["evidence"]
        if evidence is not None and not evidence.is_file():
            return self._refuse(_("File not found: {path}").format(path=evidence))
        ws, remedy_id = self._ws, self.item.id
        self.save_button.setEnabled(False)
        self.message.setText(_("Saving…"))
        self._tasks.write(
            lambda session: record_follow_up(
                session, ws.editor, ws.attachments, remedy_id=remedy_id, **values
            ),
            on_done=self._done,
            on_error=self._failed,
        )
        return True

    def _done(self, row: Any) -> None:
        self.recorded.emit(row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._refuse(error_text(exc))

    def _refuse(self, text: str) -> bool:
        self.message.setText(text)
        self.message.setStyleSheet("color: #d32f2f;")
        return False


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
