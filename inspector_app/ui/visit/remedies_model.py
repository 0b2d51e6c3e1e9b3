"""The remedies of a visit as a table model (content, owner, deadline, status) and its delegate.

The model never writes: an edit becomes ``edit_requested(remedy_id, field, value)``; the view sends
it through the DB writer and calls ``update_row`` with the stored row once it has committed. Until
then the table keeps showing the stored value, so a refused edit simply never appears.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QComboBox, QDateEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from inspector_app.core.models import Remedy, RemedyStatus
from inspector_app.i18n import N_, _

COL_CONTENT, COL_OWNER, COL_DEADLINE, COL_STATUS = range(4)
COLUMNS = (N_("Content"), N_("Responsible"), N_("Deadline"), N_("Status"))
FIELDS = ("content", "owner", "deadline", "status")
STATUS_LABELS = {
    RemedyStatus.OPEN: N_("Not started"),
    RemedyStatus.IN_PROGRESS: N_("In progress"),
    RemedyStatus.DONE: N_("Done"),
}
DATE_FORMAT = "dd/MM/yyyy"
RemedyIdRole = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


def status_label(status: str) -> str:
    return _(STATUS_LABELS[RemedyStatus(status)]) if status in set(RemedyStatus) else status


@dataclass(frozen=True)
class RemedyRow:
    id: uuid.UUID
    content: str
    owner: str
    deadline: dt.date | None
    status: str
    finding_id: uuid.UUID | None = None

    @classmethod
    def of(cls, remedy: Remedy) -> RemedyRow:
        return cls(remedy.id, remedy.content, remedy.owner, remedy.deadline, remedy.status, remedy.finding_id)


def to_qdate(day: dt.date | None) -> QDate:
    return QDate(day.year, day.month, day.day) if day else QDate()


def from_qdate(day: QDate) -> dt.date | None:
    return dt.date(day.year(), day.month(), day.day()) if day.isValid() else None


class RemediesModel(QAbstractTableModel):
    """One row per remedy; editable unless read-only."""

    edit_requested = Signal(object, str, object)  # remedy id, field name, new value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RemedyRow] = []
        self.read_only = False

    def set_rows(self, rows: list[RemedyRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RemedyRow]:
        return list(self._rows)

    def update_row(self, row: RemedyRow) -> None:
        """Show a committed change (or append a new remedy)."""
        for n, old in enumerate(self._rows):
            if old.id == row.id:
                self._rows[n] = row
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUMNS) - 1))
                return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()

    def remove_row(self, remedy_id: uuid.UUID) -> None:
        for n, old in enumerate(self._rows):
            if old.id == remedy_id:
                self.beginRemoveRows(QModelIndex(), n, n)
                del self._rows[n]
                self.endRemoveRows()
                return

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section]) if 0 <= section < len(COLUMNS) else None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base if self.read_only else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == RemedyIdRole:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == COL_DEADLINE:
                return row.deadline.strftime("%d/%m/%Y") if row.deadline else ""
            if col == COL_STATUS:
                return status_label(row.status)
            return getattr(row, FIELDS[col])
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_DEADLINE:
                return to_qdate(row.deadline)
            return getattr(row, FIELDS[col])
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if self.read_only or role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        name = FIELDS[index.column()]
        if isinstance(value, QDate):
            value = from_qdate(value)
        elif isinstance(value, str):
            value = value.strip()
        if getattr(row, name) == value:
            return False
        self.edit_requested.emit(row.id, name, value)
        return False  # shown once committed, through update_row

    def with_change(self, remedy_id: uuid.UUID, name: str, value: Any) -> RemedyRow | None:
        row = next((r for r in self._rows if r.id == remedy_id), None)
        return None if row is None else replace(row, **{name: value})


class RemedyDelegate(QStyledItemDelegate):
    """A date editor (dd/MM/yyyy, calendar) for the deadline and a list for the status."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        if index.column() == COL_DEADLINE:
            editor = QDateEdit(parent, calendarPopup=True, displayFormat=DATE_FORMAT)
            return editor
        if index.column() == COL_STATUS:
            combo = QComboBox(parent)
            for status in RemedyStatus:
                combo.addItem(status_label(status), status.value)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QDateEdit):
            day = index.data(Qt.ItemDataRole.EditRole)
            editor.setDate(day if isinstance(day, QDate) and day.isValid() else QDate.currentDate())
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, QDateEdit):
            model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
