"""The fields of one conclusion notice: date, findings, requirements (content, who, deadline),
the day to report by, signer and recipients. Editable while the notice is a draft only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.desk.notices import Requirement, recipients_of, requirements_of
from inspector_app.core.models import ConclusionNotice
from inspector_app.i18n import _
from inspector_app.ui.visit.remedies_model import DATE_FORMAT, from_qdate, to_qdate

DAY = "%d/%m/%Y"
COL_CONTENT, COL_OWNER, COL_DEADLINE = range(3)


class BadInput(ValueError):
    """A field the clerk typed cannot be read (the message says which)."""


def parse_day(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, DAY).date()
    except ValueError:
        return dt.date.fromisoformat(text)


def _date_edit() -> QDateEdit:
    box = QDateEdit()
    box.setCalendarPopup(True)
    box.setDisplayFormat(DATE_FORMAT)
    return box


class NoticeEditor(QWidget):
    """Edits a notice's fields; ``values()`` returns them for ``notices.update_notice``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.issued_on = _date_edit()
        self.findings = QPlainTextEdit()
        self.findings.setTabChangesFocus(True)
        self.findings.setMinimumHeight(170)
        self.findings.setToolTip(
            _('One paragraph per line; "1. …" starts a sub-heading, "- …" an item of a list.')
        )
        self.requirements = QTableWidget(0, 3)
        self.requirements.setHorizontalHeaderLabels(
            [_("Requirement"), _("Responsible"), _("Deadline (dd/mm/yyyy)")]
        )
        self.requirements.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.requirements.verticalHeader().setVisible(False)
        self.requirements.setWordWrap(True)
        header = self.requirements.horizontalHeader()
        header.setSectionResizeMode(COL_CONTENT, QHeaderView.ResizeMode.Stretch)
        self.requirements.setColumnWidth(COL_OWNER, 200)
        self.requirements.setColumnWidth(COL_DEADLINE, 150)
        self.requirements.setMinimumHeight(180)
        self.add_button, self.remove_button = QPushButton(_("Add a requirement")), QPushButton(_("Remove"))
        self.add_button.clicked.connect(lambda: self.add_requirement(Requirement("", "", None)))
        self.remove_button.clicked.connect(self.remove_selected)
        req_buttons = QHBoxLayout()
        req_buttons.addWidget(self.add_button)
        req_buttons.addWidget(self.remove_button)
        req_buttons.addStretch(1)
        self.report_by = _date_edit()
        self.signer, self.signer_position = QLineEdit(), QLineEdit()
        self.recipients = QPlainTextEdit()
        self.recipients.setTabChangesFocus(True)
        self.recipients.setFixedHeight(80)
        self.recipients.setToolTip(_('One recipient per line; "Lưu: VT" is added by itself.'))
        form = QFormLayout()
        form.addRow(_("Date of the notice"), self.issued_on)
        form.addRow(_("I. Findings"), self.findings)
        form.addRow(_("II. Requirements"), self.requirements)
        form.addRow("", req_buttons)
        form.addRow(_("Report by"), self.report_by)
        form.addRow(_("Signer"), self.signer)
        form.addRow(_("Signer's title"), self.signer_position)
        form.addRow(_("Recipients"), self.recipients)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)

    # --- in ------------------------------------------------------------------------------------

    def load(self, notice: ConclusionNotice, title: str) -> None:
        self.title.setText(title)
        self.issued_on.setDate(to_qdate(notice.issued_on))
        self.findings.setPlainText(notice.findings)
        self.requirements.setRowCount(0)
        for r in requirements_of(notice):
            self.add_requirement(r)
        self.report_by.setDate(to_qdate(notice.report_by) if notice.report_by else QDate.currentDate())
        self.signer.setText(notice.signer)
        self.signer_position.setText(notice.signer_position)
        self.recipients.setPlainText("\n".join(recipients_of(notice)))
        self.set_read_only(notice.status != "draft")

    def add_requirement(self, r: Requirement) -> int:
        row = self.requirements.rowCount()
        self.requirements.insertRow(row)
        cells = (r.content, r.owner, r.deadline.strftime(DAY) if r.deadline else "")
        for col, text in enumerate(cells):
            self.requirements.setItem(row, col, QTableWidgetItem(text))
        self.requirements.resizeRowToContents(row)
        return row

    def remove_selected(self) -> None:
        for index in sorted(
            (i.row() for i in self.requirements.selectionModel().selectedRows()), reverse=True
        ):
            self.requirements.removeRow(index)

    def set_read_only(self, flag: bool) -> None:
        for box in (self.findings, self.recipients):
            box.setReadOnly(flag)
        for line in (self.signer, self.signer_position):
            line.setReadOnly(flag)
        for date in (self.issued_on, self.report_by):
            date.setReadOnly(flag)
        self.requirements.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if flag
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.add_button.setEnabled(not flag)
        self.remove_button.setEnabled(not flag)

    # --- out -----------------------------------------------------------------------------------

    def requirement_rows(self) -> list[Requirement]:
        out = []
        for row in range(self.requirements.rowCount()):
            content, owner, deadline = (self._cell(row, c) for c in range(3))
            if not (content or owner or deadline):
                continue  # an empty row added and never filled
            try:
                day = parse_day(deadline)
            except ValueError as exc:
                raise BadInput(
                    _("Requirement {n}: the deadline {value} is not a date (dd/mm/yyyy)").format(
                        n=row + 1, value=deadline
                    )
                ) from exc
            out.append(Requirement(content, owner, day))
        return out

    def values(self) -> dict[str, Any]:
        """The fields for ``update_notice``; BadInput when a deadline cannot be read."""
        return {
            "issued_on": from_qdate(self.issued_on.date()),
            "findings": self.findings.toPlainText(),
            "requirements": self.requirement_rows(),
            "report_by": from_qdate(self.report_by.date()),
            "signer": self.signer.text(),
            "signer_position": self.signer_position.text(),
            "recipients": self.recipients.toPlainText(),
        }

    def _cell(self, row: int, col: int) -> str:
        item = self.requirements.item(row, col)
        return item.text().strip() if item is not None else ""
