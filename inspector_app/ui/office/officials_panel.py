"""The officials of the chosen unit: the roster table (current ones, optionally those who left), the
edits (add, edit, move, mark as left) and the import of the unit's list from an Excel workbook."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.models import Official, Unit
from inspector_app.core.registry.import_plan import ImportPreview, ImportResult, preview_import
from inspector_app.core.registry.officials_import import read_officials
from inspector_app.core.registry.units import is_open, list_officials, local_today
from inspector_app.core.services.errors import ServiceError
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.office.import_preview_dialog import ImportPreviewDialog, result_text
from inspector_app.ui.office.official_dialog import OfficialDialog
from inspector_app.ui.office.official_moves import MarkLeftDialog, MoveOfficialDialog
from inspector_app.ui.office.registry_labels import (
    GENDER_LABELS,
    KIND_LABELS,
    label,
    show_message,
    shown_date,
)
from inspector_app.ui.tasks import Tasks

COLUMNS = (
    N_("No."),
    N_("Full name"),
    N_("Position"),
    N_("Department"),
    N_("Kind"),
    N_("Gender"),
    N_("Birth date"),
    N_("Left on"),
)
COL_NO, COL_NAME, COL_POSITION, COL_DEPARTMENT, COL_KIND, COL_GENDER, COL_BIRTH, COL_LEFT = range(8)
OfficialRole = Qt.ItemDataRole.UserRole + 1
LEFT_COLOUR = QColor("#8a8a8a")
D = TypeVar("D", OfficialDialog, MoveOfficialDialog, MarkLeftDialog, ImportPreviewDialog)


class OfficialsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Official] = []

    def set_rows(self, rows: list[Official]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        o = self.rows[index.row()]
        if role == OfficialRole:
            return o
        if role == Qt.ItemDataRole.ForegroundRole and o.left_on is not None and o.left_on <= local_today():
            return QBrush(LEFT_COLOUR)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        values = (
            str(index.row() + 1),
            o.full_name,
            o.position,
            o.department or "",
            label(KIND_LABELS, o.kind),
            label(GENDER_LABELS, o.gender),
            shown_date(o.birth_date),
            shown_date(o.left_on),
        )
        return values[index.column()]


class OfficialsPanel(QWidget):
    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.unit: Unit | None = None
        self.dialog: QWidget | None = None
        self.message: QMessageBox | None = None
        self.title = QLabel(_("Officials"))
        self.title.setStyleSheet("font-weight: bold;")
        self.show_left = QCheckBox(_("Also those who have left"))
        self.model = OfficialsModel(self)
        self.table = QTableView()
        self.table.setObjectName("officialsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col in (COL_NAME, COL_POSITION):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_DEPARTMENT, 170), (COL_KIND, 120)):  # long texts: elided, full in the tooltip
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.add_button = QPushButton(_("Add official…"))
        self.edit_button = QPushButton(_("Edit official…"))
        self.move_button = QPushButton(_("Move to another unit…"))
        self.left_button = QPushButton(_("Mark as left…"))
        self.import_button = QPushButton(_("Import from Excel…"))
        self.import_button.setToolTip(
            _("Add and update this unit's officials from its list in an .xlsx file")
        )
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.hide()

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.show_left)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.move_button, self.left_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.show_left.toggled.connect(lambda _on: self.reload())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.table.doubleClicked.connect(lambda _i: self.edit_official())
        self.add_button.clicked.connect(self.add_official)
        self.edit_button.clicked.connect(self.edit_official)
        self.move_button.clicked.connect(self.move_official)
        self.left_button.clicked.connect(self.mark_left)
        self.import_button.clicked.connect(self.choose_import_file)
        self.set_unit(None)

    # --- reading -------------------------------------------------------------------------------

    def set_unit(self, unit: Unit | None) -> None:
        if unit is None or self.unit is None or unit.id != self.unit.id:
            self.status.hide()
        self.unit = unit
        self.reload()

    def reload(self, select: uuid.UUID | None = None) -> None:
        chosen = self.current()
        keep = select or (chosen.id if chosen else None)
        rows: list[Official] = []
        if self.unit is not None:
            with self.ws.session() as session:
                rows = list_officials(session, self.unit.id, include_left=self.show_left.isChecked())
        self.model.set_rows(rows)
        self.table.setColumnHidden(COL_LEFT, not self.show_left.isChecked())
        if self.unit is None:
            self.title.setText(_("Officials"))
            self.note.setText(_("Choose a unit to see its officials."))
        else:
            self.title.setText(_("Officials of {unit} ({n})").format(unit=self.unit.name, n=len(rows)))
            closed = not is_open(self.unit)
            self.note.setText(
                _("This unit no longer exists: its officials are kept as history and cannot be changed.")
                if closed
                else ""
            )
        self.note.setVisible(bool(self.note.text()))
        for n, o in enumerate(rows):
            if o.id == keep:
                self.table.selectRow(n)
        self._enable()

    def current(self) -> Official | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def select_official(self, official_id: uuid.UUID) -> None:
        for n, o in enumerate(self.model.rows):
            if o.id == official_id:
                self.table.selectRow(n)

    def _enable(self) -> None:
        editable = self.unit is not None and is_open(self.unit)
        chosen = editable and self.current() is not None
        self.add_button.setEnabled(editable)
        self.import_button.setEnabled(editable)
        for button in (self.edit_button, self.move_button, self.left_button):
            button.setEnabled(chosen)

    # --- edits ---------------------------------------------------------------------------------

    def _open(self, dialog: D) -> D:
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self, result: object) -> None:
        self.status.setText(result_text(result) if isinstance(result, ImportResult) else "")
        self.status.setVisible(isinstance(result, ImportResult))
        self.reload(result if isinstance(result, uuid.UUID) else None)

    def add_official(self) -> OfficialDialog | None:
        if self.unit is None:
            return None
        unit = self.unit
        return self._open(
            OfficialDialog(self.ws, self.tasks, unit_id=unit.id, unit_name=unit.name, parent=self)
        )

    def edit_official(self) -> OfficialDialog | None:
        official = self.current()
        if self.unit is None or official is None or not self.edit_button.isEnabled():
            return None
        return self._open(
            OfficialDialog(
                self.ws,
                self.tasks,
                unit_id=self.unit.id,
                unit_name=self.unit.name,
                official=official,
                parent=self,
            )
        )

    def move_official(self) -> MoveOfficialDialog | None:
        official = self.current()
        if official is None or not self.move_button.isEnabled():
            return None
        return self._open(MoveOfficialDialog(self.ws, self.tasks, official, parent=self))

    def mark_left(self) -> MarkLeftDialog | None:
        official = self.current()
        if official is None or not self.left_button.isEnabled():
            return None
        return self._open(MarkLeftDialog(self.ws, self.tasks, official, parent=self))

    # --- import from Excel ---------------------------------------------------------------------

    def choose_import_file(self) -> None:
        if self.unit is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Officials of {unit} from an Excel workbook").format(unit=self.unit.name),
            str(Path.home()),
            _("Excel workbooks (*.xlsx *.xlsm);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read the workbook and preview it in the background; nothing is written before Apply."""
        if self.unit is None:
            return
        unit_id, ws = self.unit.id, self.ws

        def preview() -> ImportPreview:
            source = read_officials(path)
            with ws.session() as session:
                return preview_import(session, unit_id, source)

        self.import_button.setEnabled(False)
        self.tasks.run(preview, on_done=self._previewed, on_error=lambda exc: self._unreadable(path, exc))

    def _previewed(self, preview: ImportPreview) -> None:
        self._enable()
        self._open(ImportPreviewDialog(self.ws, self.tasks, preview, parent=self))

    def _unreadable(self, path: Path, exc: BaseException) -> None:
        self._enable()
        problem = str(exc) if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
        text = _("The file {file} cannot be imported.").format(file=path.name) + "\n\n" + problem
        self.message = show_message(self, _("Import officials"), text)
