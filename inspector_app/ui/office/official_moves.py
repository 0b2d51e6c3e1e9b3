"""An official changes place: moved to another unit (chuyển công tác, same person, same record), or
marked as having left the unit (nghỉ việc, nghỉ hưu…) from a day — a mark that can be taken back."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDateEdit, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from inspector_app.core.models import Official
from inspector_app.core.registry.officials import KEEP, mark_left, move_official
from inspector_app.core.registry.units import list_units, local_today
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.registry_labels import from_qdate, to_qdate
from inspector_app.ui.office.saving_dialog import SavingDialog
from inspector_app.ui.office.unit_picker import UnitPicker
from inspector_app.ui.tasks import Tasks


class MoveOfficialDialog(SavingDialog):
    """Transfer to another current unit, optionally with a new position and department."""

    def __init__(
        self, ws: Workspace, tasks: Tasks, official: Official, parent: QWidget | None = None
    ) -> None:
        super().__init__(ws, tasks, _("Move the official"), parent)
        self.official = official
        self.setWindowTitle(_("Move {name} to another unit").format(name=official.full_name))
        with ws.session() as session:
            units = [u for u in list_units(session, current_only=True) if u.id != official.unit_id]
        self.target = UnitPicker(units)
        self.position = QLineEdit(official.position)
        self.department = QLineEdit(official.department or "")
        form = QFormLayout()
        form.addRow(_("New unit"), self.target)
        form.addRow(_("Position there"), self.position)
        form.addRow(_("Department there"), self.department)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 480)

    def save(self) -> None:
        target = self.target.unit_id()
        if target is None:
            self.refuse(ValueError(_("Choose the unit the official moves to.")))
            return
        editor, official = self.ws.editor, self.official
        position = self.position.text() if self.position.text() != official.position else KEEP
        department = self.department.text() if self.department.text() != (official.department or "") else KEEP
        self.write(
            lambda s: (
                move_official(
                    s, editor, official.id, to_unit_id=target, position=position, department=department
                ).id
            )
        )


class MarkLeftDialog(SavingDialog):
    """From the chosen day the official no longer works at the unit; their past records keep them."""

    def __init__(
        self, ws: Workspace, tasks: Tasks, official: Official, parent: QWidget | None = None
    ) -> None:
        super().__init__(ws, tasks, _("Save"), parent)
        self.official = official
        self.setWindowTitle(_("{name} leaves the unit").format(name=official.full_name))
        intro = QLabel(
            _(
                "From this day {name} no longer works at the unit (retired, resigned, transferred out of "
                "the province…). Past inspections and roll calls still name them."
            ).format(name=official.full_name)
        )
        intro.setWordWrap(True)
        self.left_on = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.left_on.setDate(to_qdate(official.left_on or local_today()))
        self.take_back = QCheckBox(_("Still works here (take the mark back)"))
        self.take_back.setVisible(official.left_on is not None)
        self.take_back.toggled.connect(lambda on: self.left_on.setEnabled(not on))
        form = QFormLayout()
        form.addRow(_("No longer works here from"), self.left_on)
        form.addRow("", self.take_back)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(480, 0)

    def save(self) -> None:
        left_on = None if self.take_back.isChecked() else from_qdate(self.left_on.date())
        editor, official_id = self.ws.editor, self.official.id
        self.write(lambda s: mark_left(s, editor, official_id, left_on=left_on).id)
