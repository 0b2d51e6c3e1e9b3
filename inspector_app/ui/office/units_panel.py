"""The units of the registry as a tree (province → departments, wards, communes → their centres),
searched without diacritics; add, edit, close (merged into a successor) and reopen a unit."""

from __future__ import annotations

import uuid
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.models import Unit, UnitType
from inspector_app.core.registry.unit_edits import reopen_unit
from inspector_app.core.registry.units import is_open, list_units
from inspector_app.core.text import fold
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.registry_labels import ERROR_STYLE, UNIT_TYPE_LABELS, label, shown_date
from inspector_app.ui.office.unit_dialogs import CloseUnitDialog, UnitDialog
from inspector_app.ui.office.unit_picker import matches
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.checklist_data import error_text

D = TypeVar("D", UnitDialog, CloseUnitDialog)
COL_NAME, COL_TYPE, COL_CODE, COL_PERIOD = range(4)
_TYPE_ORDER = {t: n for n, t in enumerate(UNIT_TYPE_LABELS)} | {UnitType.PHUONG: 2, UnitType.XA: 3}
_PROVINCIAL_FIRST = (
    UnitType.TINH,
    UnitType.THANH_PHO_TW,
    UnitType.SO,
    UnitType.PHONG,
    UnitType.DON_VI_SU_NGHIEP,
)
ENDED_COLOUR = QColor("#8a8a8a")


def _order(unit: Unit) -> tuple[int, int, str]:
    group = 0 if unit.unit_type in _PROVINCIAL_FIRST else 1
    return (not is_open(unit), group * 100 + _TYPE_ORDER.get(unit.unit_type, 99), fold(unit.name))


class UnitsPanel(QWidget):
    selected = Signal(object)  # uuid.UUID of the chosen unit, or None
    edited = Signal()  # a unit was added, changed, closed or reopened (after the commit)

    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.units: dict[uuid.UUID, Unit] = {}
        self._items: dict[uuid.UUID, QTreeWidgetItem] = {}
        self.dialog: UnitDialog | CloseUnitDialog | None = None
        self.search = QLineEdit(placeholderText=_("Search units (with or without accents)…"))
        self.search.setClearButtonEnabled(True)
        self.show_ended = QCheckBox(_("Also units that no longer exist"))
        self.tree = QTreeWidget()
        self.tree.setObjectName("unitsTree")
        self.tree.setHeaderLabels([_("Unit"), _("Unit type"), _("Unit code"), _("Exists")])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_TYPE, COL_CODE, COL_PERIOD):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnHidden(COL_CODE, True)  # codes matter to the command line, less here
        self.count = QLabel()
        self.add_button = QPushButton(_("Add unit…"))
        self.edit_button = QPushButton(_("Edit unit…"))
        self.close_button = QPushButton(_("Close (merged)…"))
        self.close_button.setToolTip(_("The unit ends, e.g. merged into another on 1 July 2025"))
        self.reopen_button = QPushButton(_("Reopen"))
        self.reopen_button.setToolTip(_("Take back a closure made by mistake"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.close_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        below = QHBoxLayout()
        below.addWidget(self.count, 1)
        below.addWidget(self.show_ended)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addLayout(below)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        self.search.textChanged.connect(lambda _t: self._fill())
        self.show_ended.toggled.connect(lambda _on: self._fill())
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(lambda *_a: self.edit_unit())
        self.add_button.clicked.connect(self.add_unit)
        self.edit_button.clicked.connect(self.edit_unit)
        self.close_button.clicked.connect(self.close_unit)
        self.reopen_button.clicked.connect(self.reopen_unit)

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        with self.ws.session() as session:
            self.units = {u.id: u for u in list_units(session)}
        self._fill()

    def _fill(self) -> None:
        keep = self.current_id()
        query = self.search.text()
        shown = {i: u for i, u in self.units.items() if self.show_ended.isChecked() or is_open(u)}
        wanted = {i for i, u in shown.items() if matches(u, query)}
        for unit_id in list(wanted):  # a match keeps its ancestors, so it is seen in its place
            parent = shown[unit_id].parent_id
            while parent is not None and parent in shown and parent not in wanted:
                wanted.add(parent)
                parent = shown[parent].parent_id
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[uuid.UUID, QTreeWidgetItem] = {}
        for unit in self._tree_order(shown, wanted):
            item = self._item(unit)
            parent_item = items.get(unit.parent_id) if unit.parent_id else None
            if parent_item is not None:
                parent_item.addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            items[unit.id] = item
        if query.strip():
            self.tree.expandAll()
        else:
            for item in items.values():
                if item.parent() is None:
                    item.setExpanded(True)
        self.tree.blockSignals(False)
        self._items = items
        self.count.setText(
            _("{shown} of {total} units shown").format(shown=len(items), total=len(self.units))
        )
        first = next((u for u in self._tree_order(shown, wanted) if matches(u, query)), None)
        if keep in items and (not query.strip() or matches(self.units[keep], query)):
            self.tree.setCurrentItem(items[keep])
        elif query.strip() and first is not None:  # the best match: what the clerk is looking for
            self.tree.setCurrentItem(items[first.id])
        elif keep in items:
            self.tree.setCurrentItem(items[keep])
        else:
            self.tree.setCurrentItem(None)
        self._current_changed()

    def _tree_order(self, shown: dict[uuid.UUID, Unit], wanted: set[uuid.UUID]) -> list[Unit]:
        """Parents before their children, siblings in display order."""
        children: dict[uuid.UUID | None, list[Unit]] = {}
        for unit_id in wanted:
            unit = shown[unit_id]
            parent = unit.parent_id if unit.parent_id in wanted else None
            children.setdefault(parent, []).append(unit)
        out: list[Unit] = []
        stack = sorted(children.get(None, []), key=_order, reverse=True)
        while stack:
            unit = stack.pop()
            out.append(unit)
            stack.extend(sorted(children.get(unit.id, []), key=_order, reverse=True))
        return out

    def _item(self, unit: Unit) -> QTreeWidgetItem:
        period = ""
        if unit.valid_to is not None:
            period = _("until {date}").format(date=shown_date(unit.valid_to))
        elif unit.valid_from is not None:
            period = _("from {date}").format(date=shown_date(unit.valid_from))
        item = QTreeWidgetItem([unit.name, label(UNIT_TYPE_LABELS, unit.unit_type), unit.code, period])
        item.setData(COL_NAME, Qt.ItemDataRole.UserRole, unit.id)
        item.setToolTip(COL_NAME, f"{unit.name} ({unit.code})")
        if not is_open(unit):
            for col in range(4):
                item.setForeground(col, QBrush(ENDED_COLOUR))
            font = item.font(COL_NAME)
            font.setItalic(True)
            item.setFont(COL_NAME, font)
        return item

    # --- selection -----------------------------------------------------------------------------

    def current_id(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        return item.data(COL_NAME, Qt.ItemDataRole.UserRole) if item is not None else None

    def current_unit(self) -> Unit | None:
        unit_id = self.current_id()
        return self.units.get(unit_id) if unit_id else None

    def select_unit(self, unit_id: uuid.UUID) -> None:
        """Show and choose the unit (turning on ended units, clearing the search, if it needs them)."""
        unit = self.units.get(unit_id)
        if unit is None:
            return
        if not is_open(unit) and not self.show_ended.isChecked():
            self.show_ended.setChecked(True)
        if unit_id not in self._items:
            self.search.clear()
        item = self._items.get(unit_id)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    def _current_changed(self, *_args: object) -> None:
        unit = self.current_unit()
        self.edit_button.setEnabled(unit is not None and is_open(unit))
        self.close_button.setEnabled(unit is not None and is_open(unit))
        self.reopen_button.setEnabled(unit is not None and unit.valid_to is not None)
        self.selected.emit(unit.id if unit else None)

    # --- edits ---------------------------------------------------------------------------------

    def add_unit(self) -> UnitDialog:
        current = self.current_unit()
        parent_id = None
        if current is not None:  # a sibling of the chosen unit (a commune next to a commune)
            parent_id = current.parent_id if current.parent_id else current.id
        return self._open(UnitDialog(self.ws, self.tasks, parent_id=parent_id, parent=self))

    def edit_unit(self) -> UnitDialog | None:
        unit = self.current_unit()
        if unit is None or not is_open(unit):
            return None
        return self._open(UnitDialog(self.ws, self.tasks, unit, parent=self))

    def close_unit(self) -> CloseUnitDialog | None:
        unit = self.current_unit()
        if unit is None or not is_open(unit):
            return None
        return self._open(CloseUnitDialog(self.ws, self.tasks, unit, parent=self))

    def _open(self, dialog: D) -> D:
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def reopen_unit(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        editor, unit_id = self.ws.editor, unit.id
        self.tasks.write(
            lambda s: reopen_unit(s, editor, unit_id).id, on_done=self._saved, on_error=self._refused
        )

    def _saved(self, unit_id: uuid.UUID) -> None:
        self.status.hide()
        self.reload()
        self.select_unit(unit_id)
        self.edited.emit()

    def _refused(self, exc: BaseException) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
        self.status.show()
