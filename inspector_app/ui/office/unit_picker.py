"""Choosing a unit by typing part of its name, with or without diacritics ("thach khe")."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from inspector_app.core.models import Unit, UnitType
from inspector_app.core.text import fold
from inspector_app.i18n import _

_SERVICE_TYPES = frozenset({UnitType.TT_PVHCC, UnitType.PHONG, UnitType.DON_VI_SU_NGHIEP})


def rank(unit: Unit, query: str) -> tuple[int, bool, str]:
    """Best first: the proper name is the query, then starts with it; the commune before its centre."""
    proper, wanted = fold(unit.proper_name), " ".join(fold(query).split())
    closeness = 0 if proper == wanted else 1 if wanted and proper.startswith(wanted) else 2
    return closeness, unit.unit_type in _SERVICE_TYPES, fold(unit.name)


def matches(unit: Unit, query: str) -> bool:
    """Every word of the query occurs in the unit's name or code, diacritics and case ignored."""
    haystack = f"{fold(unit.name)} {fold(unit.code)}"
    return all(word in haystack for word in fold(query).split())


class UnitPicker(QWidget):
    """A search field over a list of units; ``unit_id()`` is the chosen one."""

    changed = Signal()

    def __init__(self, units: list[Unit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._units = units
        self.search = QLineEdit(placeholderText=_("Type part of the unit's name, with or without accents…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.search.textChanged.connect(self.filter)
        self.list.currentItemChanged.connect(lambda *_a: self.changed.emit())
        self.filter("")

    def filter(self, query: str) -> None:
        self.list.clear()
        for unit in sorted(self._units, key=lambda u: rank(u, query)):
            if matches(unit, query):
                item = QListWidgetItem(unit.name)
                item.setData(Qt.ItemDataRole.UserRole, unit.id)
                item.setToolTip(unit.code)
                self.list.addItem(item)
        if query.strip() and self.list.count():
            self.list.setCurrentRow(0)

    def unit_id(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, unit_id: uuid.UUID) -> None:
        for n in range(self.list.count()):
            if self.list.item(n).data(Qt.ItemDataRole.UserRole) == unit_id:
                self.list.setCurrentRow(n)
                return
