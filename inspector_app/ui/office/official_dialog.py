"""Adding an official to a unit or editing one: name, position, department, kind, gender, birth date.
Refusals (empty name, implausible birth date, a unit that ended) stay on screen, nothing written."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from inspector_app.core.models import Official, OfficialKind
from inspector_app.core.registry.officials import add_official, edit_official
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.registry_labels import (
    GENDER_LABELS,
    KIND_LABELS,
    parse_date,
    shown_date,
)
from inspector_app.ui.office.saving_dialog import SavingDialog
from inspector_app.ui.tasks import Tasks


class OfficialDialog(SavingDialog):
    """Add an official to ``unit_id`` (``official`` None) or edit ``official``."""

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        *,
        unit_id: uuid.UUID,
        unit_name: str,
        official: Official | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, tasks, _("Save"), parent)
        self.unit_id, self.official = unit_id, official
        self.setWindowTitle(
            _("Edit official") if official else _("Add an official to {unit}").format(unit=unit_name)
        )
        self.full_name = QLineEdit(placeholderText=_("e.g. Nguyễn Văn An"))
        self.position = QLineEdit(placeholderText=_("e.g. Công chức Tư pháp - Hộ tịch"))
        self.department = QLineEdit(placeholderText=_("e.g. Văn phòng HĐND và UBND"))
        self.kind = QComboBox()
        for value, text in KIND_LABELS.items():
            self.kind.addItem(_(text), str(value))
        self.gender = QComboBox()
        self.gender.addItem("—", None)
        for value, text in GENDER_LABELS.items():
            self.gender.addItem(_(text), value)
        self.birth_date = QLineEdit(placeholderText=_("dd/mm/yyyy (may be left empty)"))
        form = QFormLayout()
        form.addRow(_("Full name"), self.full_name)
        form.addRow(_("Position"), self.position)
        form.addRow(_("Department"), self.department)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Gender"), self.gender)
        form.addRow(_("Birth date"), self.birth_date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 0)
        if official is not None:
            self.full_name.setText(official.full_name)
            self.position.setText(official.position)
            self.department.setText(official.department or "")
            self.kind.setCurrentIndex(max(self.kind.findData(official.kind), 0))
            self.gender.setCurrentIndex(max(self.gender.findData(official.gender), 0))
            self.birth_date.setText(shown_date(official.birth_date))
        else:
            self.kind.setCurrentIndex(self.kind.findData(str(OfficialKind.CONG_CHUC)))

    def save(self) -> None:
        try:
            birth = parse_date(self.birth_date.text(), _("Birth date"))
        except ValueError as exc:
            self.refuse(exc)
            return
        values = {
            "full_name": self.full_name.text(),
            "position": self.position.text(),
            "department": self.department.text(),
            "kind": self.kind.currentData(),
            "gender": self.gender.currentData(),
            "birth_date": birth,
        }
        editor, unit_id, official = self.ws.editor, self.unit_id, self.official
        if official is None:
            self.write(lambda s: add_official(s, editor, unit_id=unit_id, **values).id)
        else:
            self.write(lambda s: edit_official(s, editor, official.id, **values).id)
