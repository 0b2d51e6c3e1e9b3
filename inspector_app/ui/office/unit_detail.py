"""The selected unit: its particulars and its history — the units merged into it (predecessors) and,
for a unit that ended, the unit that took over (successor). Double-clicking a line of the history
goes to that unit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from inspector_app.core.models import Unit
from inspector_app.core.registry.units import is_open, predecessors, successor_chain
from inspector_app.i18n import _
from inspector_app.ui.office.registry_labels import UNIT_TYPE_LABELS, label, shown_date


@dataclass
class UnitHistory:
    unit: Unit
    parent: Unit | None
    predecessors: list[tuple[int, Unit]] = field(default_factory=list)
    successors: list[Unit] = field(default_factory=list)


def read_history(session: Session, unit: Unit) -> UnitHistory:
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    return UnitHistory(unit, parent, predecessors(session, unit.id), successor_chain(session, unit.id))


def period(unit: Unit) -> str:
    """ "01/07/2025 – " / " – 30/06/2025" / "" (no dates known)."""
    if unit.valid_from is None and unit.valid_to is None:
        return ""
    return f"{shown_date(unit.valid_from)} – {shown_date(unit.valid_to)}".strip()


class UnitDetail(QGroupBox):
    navigate = Signal(object)  # uuid.UUID of a unit named in the history

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Unit"), parent)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, text in (
            ("name", _("Name in documents")),
            ("type", _("Unit type")),
            ("code", _("Unit code")),
            ("parent", _("Parent unit")),
            ("address", _("Unit address")),
            ("period", _("Exists")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(text, value)
        self.history_title = QLabel(_("History"))
        self.history_title.setStyleSheet("font-weight: bold;")
        self.history = QListWidget()
        self.history.setObjectName("unitHistory")
        self.history.setToolTip(_("Double-click a unit to go to it"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history)
        self.history.itemDoubleClicked.connect(
            lambda item: self.navigate.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.show_history(None)

    def show_history(self, data: UnitHistory | None) -> None:
        self.history.clear()
        if data is None:
            self.setTitle(_("Unit"))
            for value in self.values.values():
                value.setText("")
            self.history_title.setText(_("History"))
            self.history.addItem(_("Choose a unit in the list."))
            self._fit()
            return
        unit = data.unit
        self.setTitle(unit.name if is_open(unit) else _("{unit} (no longer exists)").format(unit=unit.name))
        self.values["name"].setText(unit.name)
        self.values["type"].setText(label(UNIT_TYPE_LABELS, unit.unit_type))
        self.values["code"].setText(unit.code)
        self.values["parent"].setText(data.parent.name if data.parent else "—")
        self.values["address"].setText(unit.address or "—")
        self.values["period"].setText(period(unit) or _("no dates recorded"))
        for depth, old in data.predecessors:
            text = _("Merged into it: {unit} (until {date})").format(
                unit=old.name, date=shown_date(old.valid_to) or "?"
            )
            self._line("    " * (depth - 1) + text, old.id)
        for n, new in enumerate(data.successors):
            if n == 0:
                text = _("Merged into: {unit} (from {date})").format(
                    unit=new.name, date=shown_date(new.valid_from) or "?"
                )
            else:
                text = "    " + _("then into: {unit}").format(unit=new.name)
            self._line(text, new.id)
        if not is_open(unit) and not data.successors:
            self.history.addItem(
                _("Ended on {date}; no single successor.").format(date=shown_date(unit.valid_to))
            )
        count = len(data.predecessors) + len(data.successors)
        self.history_title.setText(_("History ({n})").format(n=count) if count else _("History"))
        if not self.history.count():
            self.history.addItem(_("No merger recorded for this unit."))
        self._fit()

    def _fit(self) -> None:
        """As high as its lines (one to four), so the officials below keep the room."""
        lines = min(max(self.history.count(), 1), 4)
        row = self.history.sizeHintForRow(0) if self.history.count() else self.fontMetrics().height()
        self.history.setFixedHeight(lines * row + 2 * self.history.frameWidth() + 4)

    def _line(self, text: str, unit_id: uuid.UUID) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, unit_id)
        self.history.addItem(item)
