"""Start a visit: a surprise visit to a unit (typed with or without diacritics), or one the office
planned for this laptop's team ("Theo kế hoạch": unit, plan, team, mode and form come from the plan);
then the checklist form, the team members present and the arrival time (now unless changed). The
visit is written by the single DB writer; ``visit_started`` carries its id once the transaction
committed."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, col, select

from inspector_app.core.desk.planned_visits import PlannedRow, laptop_team_ids, waiting_planned_visits
from inspector_app.core.models import FormVersion, Inspector, Plan, Team, TeamMember, TeamRole, VisitMode
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.services.search import search_units
from inspector_app.core.services.visits import start_planned_visit, start_visit
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.tasks import Tasks

SURPRISE_FORM = "kiem-tra-cong-vu-dot-xuat"
DEFAULT_TEAM = "demo"
ROLE_LABELS: dict[str, str] = {
    TeamRole.LEADER: N_("Team leader"),
    TeamRole.DEPUTY: N_("Deputy team leader"),
    TeamRole.MEMBER: N_("Member"),
    TeamRole.SECRETARY: N_("Secretary"),
}
ROLE_ORDER = list(ROLE_LABELS)
UNIT_LIMIT = 30
MODE_LABELS: dict[str, str] = {VisitMode.PLANNED: N_("By the plan"), VisitMode.SURPRISE: N_("Surprise")}


def planned_label(row: PlannedRow) -> str:
    """ "15/07/2026 — UBND xã Thạch Khê · Theo kế hoạch · 52/KH-UBND"."""
    when = row.planned_on.strftime("%d/%m/%Y") if row.planned_on else _("any day")
    mode = _(MODE_LABELS[row.mode]) if row.mode in MODE_LABELS else row.mode
    return f"{when} — {row.unit_name} · {mode} · {row.plan_number}"


def find_data(combo: QComboBox, value: object) -> int:
    """The index whose data equals ``value``: QComboBox.findData compares Python objects (a uuid)
    by identity, so an equal id read in another session is not found."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def latest_forms(session: Session) -> list[FormVersion]:
    """The newest version of every loaded form, by title."""
    newest: dict[str, FormVersion] = {}
    for form in session.exec(select(FormVersion).where(FormVersion.deleted == False)).all():  # noqa: E712
        if form.code not in newest or form.version > newest[form.code].version:
            newest[form.code] = form
    return sorted(newest.values(), key=lambda f: f.title)


class StartVisitDialog(QDialog):
    """The "Cuộc kiểm tra mới" dialog: a surprise visit, or one the office planned."""

    visit_started = Signal(object)  # uuid.UUID of the new visit, after the commit

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = ws
        self._tasks = tasks
        self.visit_id: uuid.UUID | None = None
        self.setWindowTitle(_("New inspection"))

        self.search = QLineEdit(placeholderText=_("Type part of the unit's name, with or without accents…"))
        self.search.setClearButtonEnabled(True)
        self.units = QListWidget()
        self.units.setMinimumHeight(150)
        self.planned = QListWidget()
        self.planned.setMinimumHeight(150)
        self.planned_rows: list[PlannedRow] = []
        self.kind = QTabWidget()
        surprise = QWidget()
        box = QVBoxLayout(surprise)
        box.addWidget(self.search)
        box.addWidget(self.units)
        self.kind.addTab(surprise, _("Surprise visit"))
        planned = QWidget()
        box = QVBoxLayout(planned)
        self.planned_note = QLabel()
        self.planned_note.setWordWrap(True)
        box.addWidget(self.planned_note)
        box.addWidget(self.planned)
        self.kind.addTab(planned, _("By the plan"))
        self.plan = QComboBox()
        self.form = QComboBox()
        self.team = QComboBox()
        self.members = QListWidget()
        self.members.setMinimumHeight(150)
        self.arrived = QDateTimeEdit(calendarPopup=True, displayFormat="dd/MM/yyyy HH:mm")
        local = (now or dt.datetime.now(dt.UTC)).astimezone(VN_TZ)
        self.arrived.setDateTime(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))
        self.arrived.setToolTip(_("Vietnam time (Asia/Ho_Chi_Minh); now unless you change it"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()

        form = QFormLayout()
        form.addRow(_("Unit"), self.kind)
        form.addRow(_("Plan"), self.plan)
        form.addRow(_("Checklist form"), self.form)
        form.addRow(_("Team"), self.team)
        form.addRow(_("Members present"), self.members)
        form.addRow(_("Arrived at"), self.arrived)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.addButton(
            _("Start the inspection"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.start_button.setDefault(True)  # once inside the dialog: Enter anywhere starts
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

        self._load_choices()
        self.search.textChanged.connect(self.find_units)
        self.search.installEventFilter(self)
        self.search.returnPressed.connect(self.start)
        self.units.currentItemChanged.connect(self._check_ready)
        self.units.itemDoubleClicked.connect(lambda _item: self.start())
        self.plan.currentIndexChanged.connect(self._plan_changed)
        self.team.currentIndexChanged.connect(self._load_members)
        self.members.itemChanged.connect(self._check_ready)
        self.planned.currentRowChanged.connect(self._planned_chosen)
        self.planned.itemDoubleClicked.connect(lambda _item: self.start())
        self.kind.currentChanged.connect(self._kind_changed)
        self.find_units("")
        self._plan_changed()
        self._load_planned()
        self.resize(620, 760)

    # --- choices -------------------------------------------------------------------------------

    def _load_choices(self) -> None:
        today = dt.datetime.now(VN_TZ).date()
        with self._ws.session() as session:
            plans = session.exec(
                select(Plan).where(Plan.deleted == False).order_by(col(Plan.issued_on).desc())  # noqa: E712
            ).all()
            teams = session.exec(select(Team).where(Team.deleted == False).order_by(col(Team.name))).all()  # noqa: E712
            forms = latest_forms(session)
        self.plan.addItem(_("(no plan)"), None)
        for plan in plans:
            self.plan.addItem(f"{plan.number} — {plan.title}", plan)
        current = next((i for i, p in enumerate(plans) if p.period_from <= today <= p.period_to), None)
        self.plan.setCurrentIndex(current + 1 if current is not None else 0)
        for team in teams:
            self.team.addItem(team.name, team.id)
        demo = next((i for i, t in enumerate(teams) if t.code == DEFAULT_TEAM), 0)
        self.team.setCurrentIndex(demo)
        for form in forms:
            self.form.addItem(f"{form.title} (v{form.version})", form.id)
            self.form.setItemData(self.form.count() - 1, form.code, Qt.ItemDataRole.UserRole + 1)
        self._load_members()

    def _plan_changed(self) -> None:
        plan: Plan | None = self.plan.currentData()
        code = (plan.default_form_code if plan else None) or SURPRISE_FORM
        found = self.form.findData(code, Qt.ItemDataRole.UserRole + 1)
        if found < 0:
            found = self.form.findData(SURPRISE_FORM, Qt.ItemDataRole.UserRole + 1)
        self.form.setCurrentIndex(max(found, 0))
        if plan is not None and plan.team_id is not None and find_data(self.team, plan.team_id) >= 0:
            self.team.setCurrentIndex(find_data(self.team, plan.team_id))

    def _load_planned(self) -> None:
        """The planned visits waiting for this laptop's team; their tab opens first when there are any."""
        with self._ws.session() as session:
            self.planned_rows = waiting_planned_visits(session, laptop_team_ids(session))
        self.planned.clear()
        for row in self.planned_rows:
            item = QListWidgetItem(planned_label(row))
            item.setToolTip(f"{row.unit_name} ({row.unit_code}) — {row.team_name}\n{row.note}".strip())
            self.planned.addItem(item)
        n = len(self.planned_rows)
        self.kind.setTabText(1, _("By the plan ({n})").format(n=n))
        self.planned_note.setText(
            _("Visits the office planned for your team and nobody started yet.")
            if n
            else _("No planned visit is waiting for your team (they arrive when you sync).")
        )
        if n:
            self.kind.setCurrentIndex(1)
            self.planned.setCurrentRow(0)

    def selected_planned(self) -> PlannedRow | None:
        if self.kind.currentIndex() != 1:
            return None
        row = self.planned.currentRow()
        return self.planned_rows[row] if 0 <= row < len(self.planned_rows) else None

    def _planned_chosen(self, *_args: object) -> None:
        row = self.selected_planned()
        if row is not None:
            found = next(
                (
                    i
                    for i in range(self.plan.count())
                    if getattr(self.plan.itemData(i), "id", None) == row.plan_id
                ),
                -1,
            )
            if found >= 0:
                self.plan.setCurrentIndex(found)  # sets the plan's team and default form
            if row.team_id is not None and find_data(self.team, row.team_id) >= 0:
                self.team.setCurrentIndex(find_data(self.team, row.team_id))
            if row.form_code:
                index = self.form.findData(row.form_code, Qt.ItemDataRole.UserRole + 1)
                if index >= 0:
                    self.form.setCurrentIndex(index)
        self._check_ready()

    def _kind_changed(self, index: int) -> None:
        planned = index == 1
        # A planned visit brings its own plan and team; a surprise visit lets you choose them.
        self.plan.setEnabled(not planned)
        self.team.setEnabled(not planned)
        if planned:
            self._planned_chosen()
        else:
            self.search.setFocus()
        self._check_ready()

    def _load_members(self) -> None:
        team_id = self.team.currentData()
        self.members.blockSignals(True)
        self.members.clear()
        if team_id is not None:
            with self._ws.session() as session:
                rows = session.exec(
                    select(Inspector, TeamMember.role)
                    .join(TeamMember, col(TeamMember.inspector_id) == Inspector.id)
                    .where(TeamMember.team_id == team_id, TeamMember.deleted == False)  # noqa: E712
                ).all()
            order = {r: n for n, r in enumerate(ROLE_ORDER)}
            for inspector, role in sorted(rows, key=lambda r: (order.get(r[1], 99), r[0].full_name)):
                label = _(ROLE_LABELS[role]) if role in ROLE_LABELS else role
                item = QListWidgetItem(f"{inspector.full_name} — {inspector.position} ({label})")
                item.setData(Qt.ItemDataRole.UserRole, inspector.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)  # the whole team, untick who stayed behind
                self.members.addItem(item)
        self.members.blockSignals(False)
        self._check_ready()

    def find_units(self, text: str) -> None:
        with self._ws.session() as session:
            units = search_units(session, text, limit=UNIT_LIMIT)
        self.units.clear()
        for unit in units:
            item = QListWidgetItem(unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setToolTip(f"{unit.name} ({unit.code})")
            self.units.addItem(item)
        if units and text.strip():
            self.units.setCurrentRow(0)  # the best match: Enter starts the visit
        self._check_ready()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the search field walk the results, so the hands stay on the keyboard.
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.units.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.units.currentRow() + step, 0), self.units.count() - 1)
                self.units.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    # --- state ---------------------------------------------------------------------------------

    def selected_unit(self) -> uuid.UUID | None:
        item = self.units.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def selected_members(self) -> list[uuid.UUID]:
        items = (self.members.item(n) for n in range(self.members.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def arrival_time(self) -> dt.datetime:
        value = self.arrived.dateTime()
        day, clock = value.date(), value.time()
        return dt.datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=VN_TZ)

    def _check_ready(self, *_args: object) -> None:
        chosen = self.selected_planned() if self.kind.currentIndex() == 1 else self.selected_unit()
        ready = chosen is not None and self.form.currentData() is not None
        self.start_button.setEnabled(ready and bool(self.selected_members()))

    # --- starting ------------------------------------------------------------------------------

    def start(self) -> None:
        if self.kind.currentIndex() == 1:
            self._start_planned()
            return
        unit_id, form_id = self.selected_unit(), self.form.currentData()
        if unit_id is None or form_id is None or not self.start_button.isEnabled():
            return
        plan: Plan | None = self.plan.currentData()
        editor = self._ws.editor
        kwargs = {
            "unit_id": unit_id,
            "form_id": form_id,
            "team_id": self.team.currentData(),
            "plan_id": plan.id if plan else None,
            "member_ids": self.selected_members(),
            "mode": VisitMode.SURPRISE,
            "arrived_at": self.arrival_time(),
        }
        self.start_button.setEnabled(False)
        self.error.hide()
        self._tasks.write(
            lambda session: start_visit(session, editor, **kwargs).id,
            on_done=self._started,
            on_error=self._refused,
        )

    def _start_planned(self) -> None:
        row, form_id = self.selected_planned(), self.form.currentData()
        if row is None or form_id is None or not self.start_button.isEnabled():
            return
        editor = self._ws.editor
        kwargs = {
            "planned_visit_id": row.id,
            "form_id": form_id,
            "member_ids": self.selected_members(),
            "arrived_at": self.arrival_time(),
        }
        self.start_button.setEnabled(False)
        self.error.hide()
        self._tasks.write(
            lambda session: start_planned_visit(session, editor, **kwargs).id,
            on_done=self._started,
            on_error=self._refused,
        )

    def _started(self, visit_id: uuid.UUID) -> None:
        self.visit_id = visit_id
        self.visit_started.emit(visit_id)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(_("The visit could not be started: {problem}").format(problem=exc))
        self.error.show()
        self._check_ready()
