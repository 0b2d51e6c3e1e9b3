"""The team decision dialog (quyết định thành lập đoàn): number, dates, signer, the team (an existing
one or a new one), and its members with their roles — one leader, a secretary — picked from the
inspectors or added as new ones. Everything is written in one transaction when the user saves."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, select

from inspector_app.core.desk import decisions, plans
from inspector_app.core.desk.decisions import DecisionFields, position_and_agency
from inspector_app.core.ids import uuid7
from inspector_app.core.models import Plan, TeamRole
from inspector_app.core.registry.units import local_today
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.plan_dialog import (
    _Dialog,
    date_edit,
    fill_teams,
    find_data,
    from_qdate,
    text_box,
    to_qdate,
)
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.start_visit_dialog import ROLE_LABELS

NEW_TEAM = "new"


@dataclass
class Person:
    id: uuid.UUID
    name: str
    position: str
    agency: str
    new: bool = False  # made in this dialog: written with the decision


class DecisionDialog(_Dialog):
    """New decision for a plan's team (``plan_id``), or edit one (``decision_id``)."""

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        *,
        plan_id: uuid.UUID | None = None,
        decision_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, tasks, parent)
        self.decision_id = decision_id
        self.setWindowTitle(_("Team decision") if decision_id is None else _("Edit the team decision"))
        today = local_today()
        self.people: dict[uuid.UUID, Person] = {}
        self.number = QLineEdit(placeholderText=_("empty: the next number of the register"))
        self.symbol = QLineEdit(plans.DEFAULT_ISSUER_SYMBOL)
        self.symbol.setMaximumWidth(90)
        self.title = QLineEdit(placeholderText=_("empty: “Về việc thành lập <team name>”"))
        self.signed_on = date_edit(today)
        self.has_end = QCheckBox(_("Valid until"))
        self.has_end.setChecked(True)
        self.valid_to = date_edit(dt.date(today.year, 12, 31))
        self.has_end.toggled.connect(self.valid_to.setEnabled)
        self.signer = QLineEdit()
        self.signer_position = QLineEdit(placeholderText="CHỦ TỊCH")
        self.team, self.plan = QComboBox(), QComboBox()
        self.team_code, self.team_name, self.team_issuer = QLineEdit(), QLineEdit(), QLineEdit()
        self.team_code.setPlaceholderText("ktcv-2026")
        self.legal_bases = text_box(80, _("One legal basis per line; empty: the usual ones"))
        self.members = QTableWidget(0, 3)
        self.members.setHorizontalHeaderLabels([_("Full name"), _("Position, agency"), _("Role in the team")])
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.verticalHeader().setVisible(False)
        self.members.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.members.setColumnWidth(0, 190)
        self.members.setColumnWidth(2, 160)
        self.pick = QComboBox()
        self.add_button = QPushButton(_("Add member"))
        self.remove_button = QPushButton(_("Remove member"))
        self.new_name, self.new_position, self.new_agency = QLineEdit(), QLineEdit(), QLineEdit()
        self.new_name.setPlaceholderText(_("Full name"))
        self.new_position.setPlaceholderText(_("Position"))
        self.new_agency.setPlaceholderText(_("Agency"))
        self.new_button = QPushButton(_("Add new inspector"))
        self.add_button.clicked.connect(self.add_picked)
        self.remove_button.clicked.connect(self.remove_selected)
        self.new_button.clicked.connect(self.add_new_inspector)
        self.team.currentIndexChanged.connect(self._team_changed)
        self._layout()
        self._load(plan_id)
        self.resize(820, 860)

    def _layout(self) -> None:
        number = QHBoxLayout()
        number.addWidget(self.number, 1)
        number.addWidget(QLabel(_("Issuer symbol")))
        number.addWidget(self.symbol)
        dates = QHBoxLayout()
        dates.addWidget(self.signed_on)
        dates.addSpacing(16)
        dates.addWidget(self.has_end)
        dates.addWidget(self.valid_to)
        dates.addStretch(1)
        self.new_team = QWidget()
        new_team = QFormLayout(self.new_team)
        new_team.setContentsMargins(0, 0, 0, 0)
        new_team.addRow(_("Team code"), self.team_code)
        new_team.addRow(_("Team name"), self.team_name)
        new_team.addRow(_("Issuer"), self.team_issuer)
        form = QFormLayout()
        form.addRow(_("Number"), number)
        form.addRow(_("Signed on"), dates)
        form.addRow(_("Title"), self.title)
        form.addRow(_("Signer"), self.signer)
        form.addRow(_("Signer's position"), self.signer_position)
        form.addRow(_("Plan"), self.plan)
        form.addRow(_("Team"), self.team)
        form.addRow("", self.new_team)
        form.addRow(_("Legal bases"), self.legal_bases)
        group = QGroupBox(_("Members (one leader, a secretary)"))
        box = QVBoxLayout(group)
        box.addWidget(self.members, 1)
        picked = QHBoxLayout()
        picked.addWidget(self.pick, 1)
        picked.addWidget(self.add_button)
        picked.addWidget(self.remove_button)
        box.addLayout(picked)
        new = QHBoxLayout()
        for widget in (self.new_name, self.new_position, self.new_agency):
            new.addWidget(widget, 1)
        new.addWidget(self.new_button)
        box.addLayout(new)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(group, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    # --- loading -------------------------------------------------------------------------------

    def _load(self, plan_id: uuid.UUID | None) -> None:
        with self.ws.session() as session:
            fill_teams(self.team, session)
            self.team.addItem(_("New team…"), NEW_TEAM)
            self.plan.addItem(_("(no plan)"), None)
            for plan in session.exec(select(Plan).where(Plan.deleted == False)).all():  # noqa: E712
                self.plan.addItem(f"{plan.number} — {plan.title}", plan.id)
            for person in decisions.list_inspectors(session):
                self.people[person.id] = Person(person.id, person.full_name, person.position, person.agency)
            row = decisions.get_decision(session, self.decision_id) if self.decision_id else None
            f = decisions.decision_fields(session, row) if row else None
            plan_row = plans.get_plan(session, plan_id) if plan_id else None
            teams = decisions.list_teams(session)
            members = self._start_members(session, f, plan_row.team_id if plan_row else None)
        self.team_issuer.setText(teams[0].issuer if teams else "")
        if f is None:
            self.plan.setCurrentIndex(max(find_data(self.plan, plan_id), 0))
            if plan_row is not None and plan_row.team_id is not None:
                self.team.setCurrentIndex(max(find_data(self.team, plan_row.team_id), 0))
        else:
            self.number.setText(f.number)
            self.symbol.setText(f.issuer_symbol)
            self.title.setText(f.title)
            self.signed_on.setDate(to_qdate(f.signed_on))
            self.has_end.setChecked(f.valid_to is not None)
            if f.valid_to:
                self.valid_to.setDate(to_qdate(f.valid_to))
            self.signer.setText(f.signer)
            self.signer_position.setText(f.signer_position)
            self.plan.setCurrentIndex(max(find_data(self.plan, f.plan_id), 0))
            self.team.setCurrentIndex(max(find_data(self.team, f.team_id), 0))
            self.team.setEnabled(False)  # a decision stays with the team it formed
            self.legal_bases.setPlainText(f.legal_bases)
        for inspector_id, role in members:
            self._add_row(inspector_id, role)
        self._team_changed()

    def _start_members(
        self, session: Session, f: DecisionFields | None, team_id: uuid.UUID | None
    ) -> list[tuple[uuid.UUID, str]]:
        if f is not None:
            return list(f.members)
        if team_id is not None:  # a new decision for the plan's team starts from its members
            return [(m.inspector_id, m.role) for m in decisions.team_members(session, team_id)]
        return []

    def _team_changed(self, *_args: object) -> None:
        self.new_team.setVisible(self.team.currentData() == NEW_TEAM)
        self._refresh_pick()

    # --- members -------------------------------------------------------------------------------

    def member_rows(self) -> list[tuple[uuid.UUID, str]]:
        out = []
        for r in range(self.members.rowCount()):
            item, role = self.members.item(r, 0), self.members.cellWidget(r, 2)
            if item is not None and isinstance(role, QComboBox):
                out.append((item.data(Qt.ItemDataRole.UserRole), role.currentData()))
        return out

    def _add_row(self, inspector_id: uuid.UUID, role: str) -> None:
        person = self.people.get(inspector_id)
        if person is None:
            return
        r = self.members.rowCount()
        self.members.insertRow(r)
        name = QTableWidgetItem(person.name)
        name.setData(Qt.ItemDataRole.UserRole, person.id)
        self.members.setItem(r, 0, name)
        self.members.setItem(r, 1, QTableWidgetItem(position_and_agency(person.position, person.agency)))
        roles = QComboBox()
        for value, label in ROLE_LABELS.items():
            roles.addItem(_(label), value)
        roles.setCurrentIndex(max(find_data(roles, role), 0))
        self.members.setCellWidget(r, 2, roles)
        self._refresh_pick()

    def _refresh_pick(self) -> None:
        taken = {m for m, _r in self.member_rows()}
        self.pick.clear()
        for person in sorted(self.people.values(), key=lambda p: p.name):
            if person.id not in taken:
                label = f"{person.name} — {person.position}" if person.position else person.name
                self.pick.addItem(label, person.id)
        self.add_button.setEnabled(self.pick.count() > 0)

    def add_picked(self) -> None:
        person_id = self.pick.currentData()
        if person_id is not None:
            self._add_row(person_id, TeamRole.MEMBER)

    def add_new_inspector(self) -> None:
        name, position, agency = (
            w.text().strip() for w in (self.new_name, self.new_position, self.new_agency)
        )
        if not (name and position and agency):
            self._refused(ValueError(_("A new inspector needs a full name, a position and an agency.")))
            return
        person = Person(uuid7(), name, position, agency, new=True)
        self.people[person.id] = person
        for widget in (self.new_name, self.new_position, self.new_agency):
            widget.clear()
        self._add_row(person.id, TeamRole.MEMBER)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.members.selectedIndexes()}, reverse=True)
        for r in rows:
            self.members.removeRow(r)
        self._refresh_pick()

    # --- saving --------------------------------------------------------------------------------

    def save(self) -> None:
        editor, decision_id = self.ws.editor, self.decision_id
        new_people = [p for p in self.people.values() if p.new and p.id in dict(self.member_rows())]
        team_choice = self.team.currentData()
        new_team = {
            "code": self.team_code.text(),
            "name": self.team_name.text(),
            "issuer": self.team_issuer.text(),
        }
        values = {
            "signed_on": from_qdate(self.signed_on.date()),
            "signer": self.signer.text(),
            "members": self.member_rows(),
            "title": self.title.text(),
            "number": self.number.text(),
            "issuer_symbol": self.symbol.text(),
            "signer_position": self.signer_position.text(),
            "valid_to": from_qdate(self.valid_to.date()) if self.has_end.isChecked() else None,
            "plan_id": self.plan.currentData(),
            "legal_bases": self.legal_bases.toPlainText(),
        }

        def write(s: Session) -> uuid.UUID:
            for p in new_people:
                decisions.add_inspector(
                    s, editor, full_name=p.name, position=p.position, agency=p.agency, inspector_id=p.id
                )
            if team_choice == NEW_TEAM:
                team_id = decisions.create_team(s, editor, **new_team).id
            else:
                team_id = team_choice
            f = DecisionFields(team_id=team_id, **values)  # type: ignore[arg-type]
            if decision_id is None:
                return decisions.create_decision(s, editor, f).id
            return decisions.edit_decision(s, editor, decision_id, f).id

        self.write(write)
