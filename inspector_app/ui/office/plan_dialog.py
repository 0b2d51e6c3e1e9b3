"""The plan's dialogs: create or edit a plan (kế hoạch), and add or change the units it will visit
(a searchable unit picker, the planned day, the team, the mode). Both write through the single DB
writer and emit ``saved`` once the transaction committed; a refusal is shown in the dialog. Also the
preview of the plan's and the decision's PDFs."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from inspector_app.core.desk import planned_visits, plans
from inspector_app.core.desk.decisions import list_teams
from inspector_app.core.desk.planned_visits import PlannedRow
from inspector_app.core.desk.plans import PlanFields
from inspector_app.core.models import VisitMode
from inspector_app.core.registry.units import list_units, local_today
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.documents.preview import PagesView
from inspector_app.ui.documents.sources import render_pages
from inspector_app.ui.office.unit_picker import UnitPicker
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.start_visit_dialog import find_data, latest_forms

MODES = ((VisitMode.PLANNED.value, N_("By the plan")), (VisitMode.SURPRISE.value, N_("Surprise")))


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
    edit.setDate(to_qdate(day))
    return edit


def text_box(height: int = 64, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(placeholderText=placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def fill_teams(combo: QComboBox, session: Session, *, none: str | None = None) -> None:
    if none is not None:
        combo.addItem(none, None)
    for team in list_teams(session):
        combo.addItem(team.name, team.id)


class _Dialog(QDialog):
    saved = Signal(object)  # the id of the row written, after the commit

    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.save_button = self.buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def save(self) -> None:
        raise NotImplementedError

    def write(self, fn: Any) -> None:
        self.save_button.setEnabled(False)
        self.error.hide()
        self.tasks.write(fn, on_done=self._done, on_error=self._refused)

    def _done(self, row_id: uuid.UUID) -> None:
        self.saved.emit(row_id)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(_("Not saved: {problem}").format(problem=exc))
        self.error.show()
        self.save_button.setEnabled(True)


class PlanDialog(_Dialog):
    """New plan, or edit one (``plan_id``)."""

    def __init__(
        self, ws: Workspace, tasks: Tasks, plan_id: uuid.UUID | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ws, tasks, parent)
        self.plan_id = plan_id
        self.setWindowTitle(_("Edit the plan") if plan_id else _("New plan"))
        today = local_today()
        self.number = QLineEdit(placeholderText=_("empty: the next number of the register"))
        self.symbol = QLineEdit(plans.DEFAULT_ISSUER_SYMBOL)
        self.symbol.setMaximumWidth(90)
        self.symbol.setToolTip(_("Ký hiệu of the issuer in the number: …/KH-UBND"))
        self.title = QLineEdit()
        self.issuer = QLineEdit()
        self.issued_on = date_edit(today)
        self.period_from = date_edit(today)
        self.period_to = date_edit(dt.date(today.year, 12, 31))
        self.team, self.form = QComboBox(), QComboBox()
        self.legal_bases = text_box(90, _("One legal basis per line"))
        self.purpose = text_box(64, _("One paragraph per line; empty: the usual text"))
        self.content = text_box(64, _("One point per line; empty: the usual points"))
        self.signer = QLineEdit()
        self.signer_position = QLineEdit(placeholderText="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")

        number = QHBoxLayout()
        number.addWidget(self.number, 1)
        number.addWidget(QLabel(_("Issuer symbol")))
        number.addWidget(self.symbol)
        period = QHBoxLayout()
        period.addWidget(self.period_from)
        period.addWidget(QLabel("–"))
        period.addWidget(self.period_to)
        period.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Number"), number)
        form.addRow(_("Title"), self.title)
        form.addRow(_("Issuer"), self.issuer)
        form.addRow(_("Issued on"), self.issued_on)
        form.addRow(_("Period"), period)
        form.addRow(_("Team"), self.team)
        form.addRow(_("Default checklist form"), self.form)
        form.addRow(_("Legal bases"), self.legal_bases)
        form.addRow(_("I. Purpose and requirements"), self.purpose)
        form.addRow(_("II. Content of the inspection"), self.content)
        form.addRow(_("Signer"), self.signer)
        form.addRow(_("Signer's position"), self.signer_position)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._load()
        self.resize(720, 760)

    def _load(self) -> None:
        with self.ws.session() as session:
            fill_teams(self.team, session, none=_("(no team)"))
            self.form.addItem(_("(the surprise-visit form)"), None)
            for checklist in latest_forms(session):
                self.form.addItem(checklist.title, checklist.code)
            teams = list_teams(session)
            plan = plans.get_plan(session, self.plan_id) if self.plan_id else None
        if plan is None:
            self.issuer.setText(teams[0].issuer if teams else "")
            self.team.setCurrentIndex(1 if teams else 0)
            return
        f = plans.plan_fields(plan)
        self.number.setText(f.number)
        self.symbol.setText(f.issuer_symbol)
        self.title.setText(f.title)
        self.issuer.setText(f.issuer)
        self.issued_on.setDate(to_qdate(f.issued_on))
        self.period_from.setDate(to_qdate(f.period_from))
        self.period_to.setDate(to_qdate(f.period_to))
        self.team.setCurrentIndex(max(find_data(self.team, f.team_id), 0))
        self.form.setCurrentIndex(max(find_data(self.form, f.default_form_code), 0))
        for box, text in (
            (self.legal_bases, f.legal_bases),
            (self.purpose, f.purpose),
            (self.content, f.content),
        ):
            box.setPlainText(text)
        self.signer.setText(f.signer)
        self.signer_position.setText(f.signer_position)

    def fields(self) -> PlanFields:
        return PlanFields(
            title=self.title.text(),
            issuer=self.issuer.text(),
            issued_on=from_qdate(self.issued_on.date()),
            period_from=from_qdate(self.period_from.date()),
            period_to=from_qdate(self.period_to.date()),
            number=self.number.text(),
            issuer_symbol=self.symbol.text(),
            legal_bases=self.legal_bases.toPlainText(),
            team_id=self.team.currentData(),
            default_form_code=self.form.currentData(),
            purpose=self.purpose.toPlainText(),
            content=self.content.toPlainText(),
            signer=self.signer.text(),
            signer_position=self.signer_position.text(),
        )

    def save(self) -> None:
        f, editor, plan_id = self.fields(), self.ws.editor, self.plan_id
        if plan_id is None:
            self.write(lambda s: plans.create_plan(s, editor, f).id)
        else:
            self.write(lambda s: plans.edit_plan(s, editor, plan_id, f).id)


class PlannedVisitDialog(_Dialog):
    """Add units to a plan (several at once: Ctrl/Shift-click), or change one planned visit's day,
    team, mode and note (``row``)."""

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        plan_id: uuid.UUID,
        row: PlannedRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, tasks, parent)
        self.plan_id, self.row = plan_id, row
        self.setWindowTitle(_("Change the planned visit") if row else _("Add units to visit"))
        with ws.session() as session:
            plan = plans.get_plan(session, plan_id)
            units = list_units(session, current_only=True) if row is None else []
            self.team = QComboBox()
            fill_teams(self.team, session)
        self.period = (plan.period_from, plan.period_to)
        start = max(plan.period_from, min(local_today(), plan.period_to))
        self.picker = UnitPicker(units) if row is None else None
        self.fixed_day = QCheckBox(_("On a fixed day"))
        self.day = date_edit(row.planned_on if row and row.planned_on else start)
        self.day.setDateRange(to_qdate(plan.period_from), to_qdate(plan.period_to))
        self.mode = QComboBox()
        for value, label in MODES:
            self.mode.addItem(_(label), value)
        self.note = QLineEdit()
        team_id = row.team_id if row else plan.team_id
        self.team.setCurrentIndex(max(find_data(self.team, team_id), 0))
        if row is not None:
            self.fixed_day.setChecked(row.planned_on is not None)
            self.mode.setCurrentIndex(max(find_data(self.mode, row.mode), 0))
            self.note.setText(row.note)
        else:
            self.fixed_day.setChecked(True)
        self.fixed_day.toggled.connect(self.day.setEnabled)
        self.day.setEnabled(self.fixed_day.isChecked())

        form = QFormLayout()
        if self.picker is not None:
            self.picker.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            form.addRow(_("Units"), self.picker)
        else:
            form.addRow(_("Unit"), QLabel(row.unit_name if row else ""))
        day = QHBoxLayout()
        day.addWidget(self.fixed_day)
        day.addWidget(self.day)
        day.addStretch(1)
        form.addRow(_("Planned day"), day)
        form.addRow(_("Team"), self.team)
        form.addRow(_("Kind of visit"), self.mode)
        form.addRow(_("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 560 if row is None else 260)

    def unit_ids(self) -> list[uuid.UUID]:
        if self.picker is None:
            return []
        chosen = [i.data(Qt.ItemDataRole.UserRole) for i in self.picker.list.selectedItems()]
        one = self.picker.unit_id()
        return chosen or ([one] if one is not None else [])

    def save(self) -> None:
        editor, plan_id = self.ws.editor, self.plan_id
        day = from_qdate(self.day.date()) if self.fixed_day.isChecked() else None
        team_id, mode, note = self.team.currentData(), self.mode.currentData(), self.note.text()
        row = self.row
        if row is not None:
            self.write(
                lambda s: (
                    planned_visits.update_planned_visit(
                        s, editor, row.id, planned_on=day, team_id=team_id, mode=mode, note=note
                    ).id
                )
            )
            return
        units = self.unit_ids()
        if not units:
            self._refused(ValueError(_("Choose at least one unit.")))
            return

        def add(s: Session) -> uuid.UUID:
            made = [
                planned_visits.add_planned_visit(
                    s, editor, plan_id, u, planned_on=day, team_id=team_id, mode=mode, note=note
                )
                for u in units
            ]
            return made[0].id

        self.write(add)


class PdfPreviewDialog(QDialog):
    """A document as it prints, rendered off the GUI thread."""

    def __init__(
        self, tasks: Tasks, title: str, render: Callable[[], bytes], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(980, 900)
        self.status = QLabel(_("Rendering…"))
        self.pages = PagesView()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        tasks.run(lambda: render_pages(render()), on_done=self._shown, on_error=self._failed)

    def _shown(self, images: list[QImage]) -> None:
        self.pages.set_pages(images)
        self.status.setText(_("{n} pages").format(n=len(images)))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(_("The document cannot be shown: {error}").format(error=exc))
