"""The roll-call tab: a keyboard-first table (one key per status), the key legend, the totals row
and a "saved" indicator that turns green only after the database committed."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.models import OfficialKind
from inspector_app.core.services.roll_call import RollCallTotals
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.roll_call_model import (
    CHOICES,
    COL_ARRIVAL,
    COL_ATTITUDE,
    COL_BADGE,
    COL_DRESS,
    COL_EVIDENCE,
    COL_LATE,
    COL_NAME,
    COL_NO,
    COL_NOTE,
    COL_PLATE,
    COL_POSITION,
    COL_REASON,
    COL_STATUS,
    CYCLE_KEYS,
    STATUS_KEYS,
    STATUS_LABELS,
    RollCallModel,
    ValueRole,
)

KIND_LABELS = {
    OfficialKind.CAN_BO: N_("Cadre"),
    OfficialKind.CONG_CHUC: N_("Civil servant"),
    OfficialKind.VIEN_CHUC: N_("Public employee"),
    OfficialKind.NGUOI_LAO_DONG: N_("Contract worker"),
    OfficialKind.KHONG_CHUYEN_TRACH: N_("Non-specialised staff"),
}
TOTALS = (
    ("total", N_("Total")),
    ("present", N_("Present")),
    ("late", N_("Late")),
    ("absent_with_reason", N_("Absent with a reason")),
    ("absent_without_reason", N_("Absent without a reason")),
    ("no_badge", N_("No badge")),
    ("no_name_plate", N_("No name plate")),
    ("unmarked", N_("Not marked yet")),
)
WIDTHS = {
    COL_NO: 44, COL_NAME: 190, COL_POSITION: 200, COL_STATUS: 170, COL_ARRIVAL: 58, COL_LATE: 70,
    COL_BADGE: 120, COL_DRESS: 100, COL_PLATE: 100, COL_ATTITUDE: 100, COL_REASON: 180, COL_EVIDENCE: 70,
}  # fmt: skip


def legend_html() -> str:
    statuses = " · ".join(f"<b>{key}</b> {_(STATUS_LABELS[s])}" for key, s in STATUS_KEYS.items())
    names = {"T": _("badge"), "A": _("dress"), "B": _("name plate"), "D": _("attitude")}
    letters = " · ".join(f"<b>{key}</b> {names[key]}" for key in CYCLE_KEYS)
    extra = " · ".join(
        (
            _("<b>G</b> arrived now"),
            _("<b>L</b> reason"),
            _("<b>P</b> evidence photo"),
            _("<b>Del</b> clear"),
            _("<b>Ins</b> add a person"),
            _("<b>F2</b> edit cell"),
        )
    )
    return (
        f"{_('Attendance (moves to the next person):')} {statuses}<br>"
        f"{_('Switch the answer (stays on the person):')} {letters} · {extra}"
    )


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of the column's answers for the enumerated columns."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        if index.column() not in CHOICES:
            return super().createEditor(parent, option, index)
        box = QComboBox(parent)
        box.addItem("", None)
        for value, label in CHOICES[index.column()].items():
            box.addItem(_(label), value)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(ValueRole)), 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class RollCallTable(QTableView):
    """The table that turns single keys into roll-call answers (see ``legend_html``)."""

    evidence_requested = Signal(int)  # row
    add_requested = Signal()

    def model(self) -> RollCallModel:  # type: ignore[override]
        return super().model()  # type: ignore[return-value]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if model is None or modifiers not in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ShiftModifier,
        ):
            super().keyPressEvent(event)
            return
        row = max(self.currentIndex().row(), 0)
        text = event.text().upper()
        if event.key() == Qt.Key.Key_Insert:
            self.add_requested.emit()
        elif model.read_only or model.rowCount() == 0:
            super().keyPressEvent(event)
        elif text in STATUS_KEYS:
            model.set_status(row, STATUS_KEYS[text])
            self.go_to(row + 1, COL_STATUS)
        elif text in CYCLE_KEYS:
            model.cycle(row, text)
            self.go_to(row, CYCLE_KEYS[text][0])
        elif text == "G":
            model.arrived_now(row)
            self.go_to(row, COL_ARRIVAL)
        elif text == "L":
            self.go_to(row, COL_REASON)
            self.edit(self.currentIndex())
        elif text == "P":
            self.evidence_requested.emit(row)
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            index = self.currentIndex()
            if index.isValid() and index.column() not in (COL_NO, COL_NAME, COL_POSITION, COL_LATE):
                if index.column() == COL_EVIDENCE:
                    model.write(index.row(), evidence_id=None)
                else:
                    model.setData(index, None)
        else:
            super().keyPressEvent(event)  # arrows, F2, Enter, Tab…

    def keyboardSearch(self, search: str) -> None:
        """Off: a mistyped letter must not jump to another person whose name starts with it."""

    def go_to(self, row: int, column: int | None = None) -> None:
        model = self.model()
        row = min(max(row, 0), model.rowCount() - 1)
        col = self.currentIndex().column() if column is None else column
        index = model.index(row, max(col, COL_STATUS) if column is None else col)
        self.setCurrentIndex(index)
        self.scrollTo(index)


class AddPersonDialog(QDialog):
    """Someone found at the unit who is not in the registry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a person not in the registry"))
        self.full_name = QLineEdit()
        self.position = QLineEdit()
        self.kind = QComboBox()
        for value, label in KIND_LABELS.items():
            self.kind.addItem(_(label), value.value)
        self.kind.setCurrentIndex(self.kind.findData(OfficialKind.CONG_CHUC.value))
        form = QFormLayout(self)
        form.addRow(_("Full name"), self.full_name)
        form.addRow(_("Position"), self.position)
        form.addRow(_("Kind of official"), self.kind)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.full_name.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.resize(460, self.sizeHint().height())


class RollCallView(QWidget):
    """The "Điểm danh" tab of a visit."""

    changed = Signal()

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = RollCallModel(ws, tasks, visit_id, self)
        self.table = RollCallTable()
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col, width in WIDTHS.items():
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.setFocusProxy(self.table)
        self._fitted = False

        self.legend = QLabel(legend_html())
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setFrameShape(QFrame.Shape.StyledPanel)
        self.legend.setContentsMargins(8, 4, 8, 4)
        self.add_button = QPushButton(_("Add a person…"))
        self.add_button.setToolTip(_("Someone working at the unit who is not in the registry (Ins)"))
        self.photo_button = QPushButton(_("Evidence photo…"))
        self.photo_button.setToolTip(_("Attach a photo of the document to the current person (P)"))
        self.status = QLabel()
        self.status.setMinimumWidth(150)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        top = QHBoxLayout()
        top.addWidget(self.legend, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.photo_button)
        top.addLayout(buttons)

        self.total_labels: dict[str, QLabel] = {}
        totals = QHBoxLayout()
        for key, label in TOTALS:
            widget = QLabel()
            widget.setProperty("total_key", key)
            widget.setToolTip(_(label))
            self.total_labels[key] = widget
            totals.addWidget(widget)
        totals.addStretch(1)
        totals.addWidget(self.status)
        totals_box = QFrame()
        totals_box.setFrameShape(QFrame.Shape.StyledPanel)
        totals_box.setLayout(totals)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(totals_box)

        self.model.totals_changed.connect(self._show_totals)
        self.model.saving.connect(self._show_saving)
        self.model.saved.connect(self.changed)
        self.model.failed.connect(self._show_failure)
        self.add_button.clicked.connect(self.add_person)
        self.photo_button.clicked.connect(
            lambda: self.choose_evidence(max(self.table.currentIndex().row(), 0))
        )
        self.table.add_requested.connect(self.add_person)
        self.table.evidence_requested.connect(self.choose_evidence)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the header's font is known once the style sheet polished it
            self._fitted = True
            header = self.table.horizontalHeader()
            header.ensurePolished()
            for col, width in WIDTHS.items():
                self.table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))

    # --- the tab contract ----------------------------------------------------------------------

    def reload(self) -> None:
        current = self.table.currentIndex()
        self.model.reload()
        if not current.isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, COL_STATUS))

    def set_read_only(self, flag: bool) -> None:
        self.model.set_read_only(flag)
        self.add_button.setEnabled(not flag)
        self.photo_button.setEnabled(not flag)
        self.legend.setEnabled(not flag)

    # --- behaviour -----------------------------------------------------------------------------

    def add_person(self) -> None:
        if self.model.read_only:
            return
        dialog = AddPersonDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.model.add_person(
            dialog.full_name.text(),
            dialog.position.text(),
            dialog.kind.currentData(),
            on_added=lambda row: self.table.go_to(row, COL_STATUS),
        )

    def choose_evidence(self, row: int) -> None:
        if self.model.read_only or self.model.row_at(row) is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Evidence photo for {name}").format(name=self.model.row_at(row).full_name),  # type: ignore[union-attr]
            "",
            _("Images and PDF (*.jpg *.jpeg *.png *.heic *.webp *.bmp *.pdf);;All files (*)"),
        )
        if path:
            self.model.attach_evidence(row, Path(path))

    def _show_totals(self, totals: RollCallTotals) -> None:
        counts = totals.as_dict()
        for key, label in TOTALS:
            self.total_labels[key].setText(f"{_(label)}: <b>{counts[key]}</b>")

    def _show_saving(self, pending: int) -> None:
        if pending:
            self.status.setText(_("Saving…"))
            self.status.setStyleSheet("color: #8d6e00;")
        else:
            self.status.setText(_("Saved {time}").format(time=dt.datetime.now(VN_TZ).strftime("%H:%M:%S")))
            self.status.setStyleSheet("color: #2e7d32;")

    def _show_failure(self, message: str) -> None:
        self.status.setText(_("Not saved"))
        self.status.setStyleSheet("color: #c62828;")
        self.status.setToolTip(message)
