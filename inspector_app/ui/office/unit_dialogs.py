"""Adding or editing a unit, and closing one with its successor (the 1 July 2025 merger).

Each dialog writes through the single DB writer and closes only once the transaction committed;
a refusal (code taken, successor that itself ended…) stays on screen in red, nothing written.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import func, select

from inspector_app.core.models import Official, Unit, UnitType
from inspector_app.core.registry.unit_edits import add_unit, close_unit, edit_unit, suggest_code, suggest_name
from inspector_app.core.registry.units import current_official, list_units, local_today
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.registry_labels import (
    UNIT_TYPE_LABELS,
    from_qdate,
    index_of,
    parse_date,
    shown_date,
    to_qdate,
)
from inspector_app.ui.office.saving_dialog import SavingDialog
from inspector_app.ui.office.unit_picker import UnitPicker
from inspector_app.ui.tasks import Tasks


class UnitDialog(SavingDialog):
    """Add a unit (``unit`` None) or edit one; ``saved`` carries the unit's id after the commit."""

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        unit: Unit | None = None,
        *,
        parent_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, tasks, _("Save"), parent)
        self.unit = unit
        self.setWindowTitle(_("Edit unit") if unit else _("Add a unit"))
        with ws.session() as session:
            candidates = [
                u for u in list_units(session, current_only=True) if unit is None or u.id != unit.id
            ]
        self._codes = {u.id: u.code for u in candidates}
        self._names = {u.id: u.name for u in candidates}

        self.unit_type = QComboBox()
        for value, text in UNIT_TYPE_LABELS.items():
            self.unit_type.addItem(_(text), str(value))
        self.proper_name = QLineEdit(placeholderText=_("e.g. Thạch Khê"))
        self.name = QLineEdit(placeholderText=_("As written in documents, e.g. UBND xã Thạch Khê"))
        self.code = QLineEdit(placeholderText=_("e.g. HT-XA-THACH-KHE"))
        self.parent_unit = QComboBox()
        self.parent_unit.addItem(_("(none)"), None)
        for u in sorted(candidates, key=lambda u: (u.unit_type not in ("tinh", "thanh_pho_tw"), u.name)):
            self.parent_unit.addItem(u.name, u.id)
        self.address = QLineEdit()
        self.valid_from = QLineEdit(placeholderText=_("dd/mm/yyyy (may be left empty)"))

        form = QFormLayout()
        form.addRow(_("Unit type"), self.unit_type)
        form.addRow(_("Proper name"), self.proper_name)
        form.addRow(_("Name in documents"), self.name)
        form.addRow(_("Unit code"), self.code)
        form.addRow(_("Parent unit"), self.parent_unit)
        form.addRow(_("Unit address"), self.address)
        form.addRow(_("Exists from"), self.valid_from)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

        self._typed: set[str] = set()  # fields the clerk typed: suggestions leave them alone
        if unit is not None:
            self._typed = {"name", "code"}
            self.unit_type.setCurrentIndex(max(self.unit_type.findData(unit.unit_type), 0))
            self.proper_name.setText(unit.proper_name)
            self.name.setText(unit.name)
            self.code.setText(unit.code)
            self.parent_unit.setCurrentIndex(index_of(self.parent_unit, unit.parent_id))
            self.address.setText(unit.address or "")
            self.valid_from.setText(shown_date(unit.valid_from))
        else:
            self.unit_type.setCurrentIndex(self.unit_type.findData(str(UnitType.XA)))
            self.parent_unit.setCurrentIndex(index_of(self.parent_unit, parent_id))
        self.name.textEdited.connect(lambda _t: self._typed.add("name"))
        self.code.textEdited.connect(lambda _t: self._typed.add("code"))
        for signal in (self.unit_type.currentIndexChanged, self.parent_unit.currentIndexChanged):
            signal.connect(self._suggest)
        self.proper_name.textChanged.connect(self._suggest)

    def _suggest(self, *_args: object) -> None:
        unit_type, parent_id = self.unit_type.currentData(), self.parent_unit.currentData()
        proper = self.proper_name.text()
        if "name" not in self._typed:
            self.name.setText(suggest_name(unit_type, proper, self._names.get(parent_id)))
        if "code" not in self._typed:
            self.code.setText(suggest_code(self._codes.get(parent_id), unit_type, proper))

    def save(self) -> None:
        try:
            valid_from = parse_date(self.valid_from.text(), _("Exists from"))
        except ValueError as exc:
            self.refuse(exc)
            return
        values = {
            "code": self.code.text(),
            "name": self.name.text(),
            "proper_name": self.proper_name.text(),
            "unit_type": self.unit_type.currentData(),
            "parent_id": self.parent_unit.currentData(),
            "address": self.address.text(),
            "valid_from": valid_from,
        }
        editor, unit = self.ws.editor, self.unit
        if unit is None:
            self.write(lambda s: add_unit(s, editor, **values).id)
        else:
            self.write(lambda s: edit_unit(s, editor, unit.id, **values).id)


class CloseUnitDialog(SavingDialog):
    """The unit ends on its last day; its successor (the merged unit) carries on from the next."""

    def __init__(self, ws: Workspace, tasks: Tasks, unit: Unit, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, _("Close the unit"), parent)
        self.unit = unit
        self.setWindowTitle(_("Close unit: {unit}").format(unit=unit.name))
        with ws.session() as session:
            units = [u for u in list_units(session, current_only=True) if u.id != unit.id]
            staying = session.exec(
                select(func.count())
                .select_from(Official)
                .where(Official.unit_id == unit.id, Official.deleted == False, current_official())  # noqa: E712
            ).one()
        self._starts = {u.id: u.valid_from for u in units}
        intro = QLabel(
            _(
                "{unit} stops existing after its last day (e.g. 30/06/2025, the day before the merger). "
                "Its officials and past inspections stay with it as history."
            ).format(unit=unit.name)
        )
        intro.setWordWrap(True)
        self.last_day = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.last_day.setDate(to_qdate(local_today()))
        self._date_typed = False  # once the clerk picks a day, choosing a successor no longer moves it
        self._setting_date = False
        self.last_day.dateChanged.connect(self._date_changed)
        self.no_successor = QCheckBox(_("No single successor (its area was split between several units)"))
        self.successor = UnitPicker(units)
        self.note = QLabel()
        self.note.setWordWrap(True)
        if staying:
            self.note.setText(
                _(
                    "{n} official(s) still work at this unit: after closing it, move those who continue "
                    "to the successor (Officials → Move to another unit)."
                ).format(n=staying)
            )
        form = QFormLayout()
        form.addRow(_("Last day of existence"), self.last_day)
        form.addRow(_("Successor"), self.successor)
        form.addRow("", self.no_successor)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.no_successor.toggled.connect(lambda on: self.successor.setEnabled(not on))
        self.successor.changed.connect(self._successor_changed)
        self.resize(600, 560)

    def _date_changed(self) -> None:
        if not self._setting_date:
            self._date_typed = True

    def _successor_changed(self) -> None:
        start = self._starts.get(self.successor.unit_id()) if self.successor.unit_id() else None
        plausible = start is not None and (self.unit.valid_from or dt.date.min) < start
        if start is not None and plausible and not self._date_typed:
            self._setting_date = True
            self.last_day.setDate(to_qdate(start - dt.timedelta(days=1)))  # the day before it took over
            self._setting_date = False

    def save(self) -> None:
        successor = None if self.no_successor.isChecked() else self.successor.unit_id()
        if successor is None and not self.no_successor.isChecked():
            self.refuse(ValueError(_("Choose the successor, or tick “No single successor”.")))
            return
        last_day, editor, unit_id = from_qdate(self.last_day.date()), self.ws.editor, self.unit.id
        self.write(lambda s: close_unit(s, editor, unit_id, last_day=last_day, successor_id=successor).id)
