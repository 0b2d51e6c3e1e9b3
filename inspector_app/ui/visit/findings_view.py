"""The findings tab: drafted and manual findings (edit, delete, add), remedies with owner, deadline
and status, the unit's explanation, the team's conclusion and the number of copies."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, col, select

from inspector_app.core.models import Finding, Remedy, Unit, VisitStatus
from inspector_app.core.services import findings, visits
from inspector_app.core.services.locking import is_locked
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.checklist_view import error_text
from inspector_app.ui.visit.remedies_model import (
    COL_CONTENT,
    COL_DEADLINE,
    COL_OWNER,
    COL_STATUS,
    DATE_FORMAT,
    RemediesModel,
    RemedyDelegate,
    RemedyRow,
    from_qdate,
    to_qdate,
)

FINDINGS_HEIGHT = 300  # px: about five findings in sight, the rest scroll
SOURCE_LABELS = {
    "answer": N_("From item {ref}"),
    "roll_call": N_("From the roll call"),
    "manual": N_("Added by hand"),
}


class _FocusOut(QObject):
    """Calls ``fn`` when a text box loses focus: long texts are saved when the user moves on."""

    def __init__(self, box: QPlainTextEdit, fn: Callable[[], None]) -> None:
        super().__init__(box)
        self._fn = fn
        box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._fn()
        return False


def _text_box(height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)  # a text box would otherwise take all the height it can get
    return box


class FindingRow(QFrame):
    """One finding: where it came from, its text, and a delete button."""

    def __init__(self, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding_id = finding.id
        self.stored = finding.text
        self.setObjectName("findingRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        source = _(SOURCE_LABELS.get(finding.source, finding.source)).format(ref=finding.source_ref or "")
        if finding.kind == "strength":
            source = _("Strength") + " · " + source
        self.source = QLabel(source)
        self.source.setFixedWidth(140)
        self.source.setWordWrap(True)
        self.text = _text_box(52)
        self.text.setPlainText(finding.text)
        self.delete_button = QPushButton(_("Delete"))
        top = Qt.AlignmentFlag.AlignTop
        layout.addWidget(self.source, 0, top)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.delete_button, 0, top)


class FindingsView(QWidget):
    """Findings, remedies, explanation and conclusion of one visit."""

    changed = Signal()

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws, self.tasks, self.visit_id = ws, tasks, visit_id
        self._read_only = False
        self._locked = False
        self._visit_day = dt.date.today()
        self.finding_rows: list[FindingRow] = []

        # Findings
        self.findings_box = QGroupBox(_("Shortcomings and strengths"))
        self.findings_layout = QVBoxLayout()
        self.findings_layout.setSpacing(4)
        self.empty_label = QLabel(_("No findings yet: failing answers are drafted here."))
        self.new_finding = QLineEdit(placeholderText=_("Add a finding…"))
        self.new_kind = QComboBox()
        self.new_kind.addItem(_("Shortcoming"), "shortcoming")
        self.new_kind.addItem(_("Strength"), "strength")
        self.add_finding_button = QPushButton(_("Add"))
        self.redraft_button = QPushButton(_("Draft again from the answers"))
        adder = QHBoxLayout()
        adder.addWidget(self.new_kind)
        adder.addWidget(self.new_finding, 1)
        adder.addWidget(self.add_finding_button)
        adder.addWidget(self.redraft_button)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addLayout(self.findings_layout)
        holder_layout.addStretch(1)
        # Findings scroll on their own: remedies and the conclusion stay in sight below them.
        self.findings_scroll = QScrollArea()
        self.findings_scroll.setWidgetResizable(True)
        self.findings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.findings_scroll.setWidget(holder)
        box = QVBoxLayout(self.findings_box)
        box.addWidget(self.empty_label)
        box.addWidget(self.findings_scroll)
        box.addLayout(adder)
        self.add_finding_button.clicked.connect(self.add_finding)
        self.new_finding.returnPressed.connect(self.add_finding)
        self.redraft_button.clicked.connect(self.redraft)

        # Remedies
        self.remedies = RemediesModel(self)
        self.remedies.edit_requested.connect(self.edit_remedy)
        self.table = QTableView()
        self.table.setModel(self.remedies)
        self.table.setItemDelegate(RemedyDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # one line per remedy; the tooltip holds the whole text
        self.table.setMinimumHeight(170)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_CONTENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_OWNER, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(COL_OWNER, 260)
        self.table.setColumnWidth(COL_DEADLINE, 120)
        self.table.setColumnWidth(COL_STATUS, 150)
        self.remedy_content = QLineEdit(placeholderText=_("What must be fixed"))
        self.remedy_owner = QLineEdit(placeholderText=_("Who is responsible"))
        self.remedy_deadline = QDateEdit(calendarPopup=True, displayFormat=DATE_FORMAT)
        self.add_remedy_button = QPushButton(_("Add remedy"))
        self.delete_remedy_button = QPushButton(_("Delete remedy"))
        add_row = QHBoxLayout()
        add_row.addWidget(self.remedy_content, 3)
        add_row.addWidget(self.remedy_owner, 2)
        add_row.addWidget(self.remedy_deadline)
        add_row.addWidget(self.add_remedy_button)
        add_row.addWidget(self.delete_remedy_button)
        self.remedies_box = QGroupBox(_("Required remedies"))
        rbox = QVBoxLayout(self.remedies_box)
        rbox.addWidget(self.table)
        rbox.addLayout(add_row)
        self.add_remedy_button.clicked.connect(self.add_remedy)
        self.delete_remedy_button.clicked.connect(self.delete_remedy)

        # Explanation, conclusion, copies
        self.explanation = _text_box(80)
        self.conclusion = _text_box(110)
        self.copies = QSpinBox(minimum=1, maximum=20)
        self.copies.setMaximumWidth(80)
        _FocusOut(self.explanation, lambda: self._save_text("explanation", self.explanation))
        _FocusOut(self.conclusion, lambda: self._save_text("conclusion", self.conclusion))
        self.copies.editingFinished.connect(self._save_copies)
        self.copies.valueChanged.connect(
            lambda _v: self._save_copies() if not self.copies.hasFocus() else None
        )
        form = QFormLayout()
        form.addRow(_("Explanation of the inspected unit"), self.explanation)
        form.addRow(_("Conclusion of the team"), self.conclusion)
        form.addRow(_("Number of copies"), self.copies)
        self.texts_box = QGroupBox(_("Explanation and conclusion"))
        self.texts_box.setLayout(form)

        body = QWidget()
        content = QVBoxLayout(body)
        content.addWidget(self.findings_box)
        content.addWidget(self.remedies_box)
        content.addWidget(self.texts_box)
        content.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(body)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.status)
        self._stored: dict[str, Any] = {}
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        with self.ws.session() as session:
            visit = visits.get_visit(session, self.visit_id)
            rows = findings.visit_findings(session, self.visit_id)
            remedies = session.exec(
                select(Remedy)
                .where(Remedy.visit_id == self.visit_id, Remedy.deleted == False)  # noqa: E712
                .order_by(col(Remedy.sort_order), col(Remedy.id))
            ).all()
            unit = session.get(Unit, visit.unit_id)
            self._locked = visit.status == VisitStatus.SIGNED or is_locked(session, self.visit_id)
        self._stored = {
            "explanation": visit.explanation or "",
            "conclusion": visit.conclusion or "",
            "copies": visit.copies,
        }
        self._visit_day = (visit.arrived_at or visit.started_at).date()
        self._show_findings(rows)
        self.remedies.set_rows([RemedyRow.of(r) for r in remedies])
        self.explanation.setPlainText(self._stored["explanation"])
        self.conclusion.setPlainText(self._stored["conclusion"])
        self.copies.blockSignals(True)
        self.copies.setValue(int(self._stored["copies"]))
        self.copies.blockSignals(False)
        if not self.remedy_owner.text() and unit is not None:
            self.remedy_owner.setText(_("Head of {unit}").format(unit=unit.name))
        self.remedy_deadline.setDate(to_qdate(self._visit_day + dt.timedelta(days=findings.REMEDY_DAYS)))
        self._apply_read_only()

    def _show_findings(self, rows: list[Finding]) -> None:
        for old in self.finding_rows:
            old.deleteLater()
        self.finding_rows = []
        for finding in rows:
            row = FindingRow(finding)
            fid = finding.id
            _FocusOut(row.text, lambda r=row: self._finding_text_done(r))  # type: ignore[misc]
            row.delete_button.clicked.connect(lambda _c=False, f=fid: self.delete_finding(f))
            self.findings_layout.addWidget(row)
            self.finding_rows.append(row)
        self.empty_label.setVisible(not rows)
        self.findings_scroll.setVisible(bool(rows))
        self.findings_scroll.setFixedHeight(min(FINDINGS_HEIGHT, 58 * len(rows) + 4))

    # --- writes -------------------------------------------------------------------------------

    def _write(self, fn: Callable[[Session], Any], done: Callable[[Any], None], saved: str) -> None:
        if self.is_read_only():
            self.reload()
            return

        def ok(result: Any) -> None:
            done(result)
            self.set_status(saved)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.reload()  # back to what is stored
            self.set_status(error_text(exc), error=True)

        self.tasks.write(fn, on_done=ok, on_error=failed)

    def _finding_text_done(self, row: FindingRow) -> None:
        text = row.text.toPlainText().strip()
        if text == row.stored:
            return
        ed, fid = self.ws.editor, row.finding_id

        def done(finding: Finding) -> None:
            row.stored = finding.text

        self._write(
            lambda s: findings.update_finding(s, ed, finding_id=fid, text=text), done, _("Finding saved.")
        )

    def delete_finding(self, finding_id: uuid.UUID) -> None:
        ed = self.ws.editor
        self._write(
            lambda s: findings.update_finding(s, ed, finding_id=finding_id, delete=True),
            lambda _r: self.reload(),
            _("Finding deleted."),
        )

    def add_finding(self) -> None:
        text, kind = self.new_finding.text().strip(), self.new_kind.currentData()
        ed, visit_id = self.ws.editor, self.visit_id

        def done(_row: Finding) -> None:
            self.new_finding.clear()
            self.reload()

        self._write(
            lambda s: findings.add_finding(s, ed, visit_id=visit_id, text=text, kind=kind),
            done,
            _("Finding added."),
        )

    def redraft(self) -> None:
        ed, visit_id = self.ws.editor, self.visit_id
        self._write(
            lambda s: findings.draft_findings(s, ed, visit_id=visit_id),
            lambda _r: self.reload(),
            _("Findings drafted again from the answers and the roll call."),
        )

    def add_remedy(self) -> None:
        content, owner = self.remedy_content.text().strip(), self.remedy_owner.text().strip()
        deadline = from_qdate(self.remedy_deadline.date())
        ed, visit_id = self.ws.editor, self.visit_id

        def done(remedy: Remedy) -> None:
            self.remedies.update_row(RemedyRow.of(remedy))
            self.remedy_content.clear()

        self._write(
            lambda s: findings.add_remedy(
                s, ed, visit_id=visit_id, content=content, owner=owner, deadline=deadline
            ),
            done,
            _("Remedy added."),
        )

    def edit_remedy(self, remedy_id: uuid.UUID, name: str, value: Any) -> None:
        ed = self.ws.editor
        self._write(
            lambda s: findings.update_remedy(s, ed, remedy_id=remedy_id, **{name: value}),
            lambda remedy: self.remedies.update_row(RemedyRow.of(remedy)),
            _("Remedy saved."),
        )

    def delete_remedy(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.set_status(_("Select a remedy first."))
            return
        remedy_id = self.remedies.rows()[index.row()].id
        ed = self.ws.editor
        self._write(
            lambda s: findings.update_remedy(s, ed, remedy_id=remedy_id, deleted=True),
            lambda _r: self.remedies.remove_row(remedy_id),
            _("Remedy deleted."),
        )

    def _save_text(self, name: str, box: QPlainTextEdit) -> None:
        text = box.toPlainText().strip()
        if text == self._stored.get(name, ""):
            return
        self._save_visit(name, text or None)

    def _save_copies(self) -> None:
        if self.copies.value() != self._stored.get("copies"):
            self._save_visit("copies", self.copies.value())

    def _save_visit(self, name: str, value: Any) -> None:
        ed, visit_id = self.ws.editor, self.visit_id

        def done(visit: Any) -> None:
            self._stored[name] = getattr(visit, name) or ("" if name != "copies" else 2)

        self._write(
            lambda s: visits.update_visit(s, ed, visit_id=visit_id, **{name: value}), done, _("Saved.")
        )

    # --- read-only ----------------------------------------------------------------------------

    def is_read_only(self) -> bool:
        return self._read_only or self._locked

    def set_read_only(self, flag: bool) -> None:
        self._read_only = flag
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        flag = self.is_read_only()
        for row in self.finding_rows:
            row.text.setReadOnly(flag)
            row.delete_button.setVisible(not flag)
        for widget in (
            self.new_finding,
            self.new_kind,
            self.add_finding_button,
            self.redraft_button,
            self.remedy_content,
            self.remedy_owner,
            self.remedy_deadline,
            self.add_remedy_button,
            self.delete_remedy_button,
        ):
            widget.setVisible(not flag)
        self.remedies.read_only = flag
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if flag
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.explanation.setReadOnly(flag)
        self.conclusion.setReadOnly(flag)
        self.copies.setReadOnly(flag)
        if self._locked:
            self.set_status(_("The visit is signed and locked: it can only be read."))

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #d32f2f;" if error else "")
