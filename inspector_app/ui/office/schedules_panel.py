"""Working-hour schedules per province (lateness is measured against them): the list, and a dialog
to add or edit one. Every problem of the input (times out of order, a period ending before it
starts, an overlap with another season) is listed in red; nothing is written until it is right."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.models import WorkSchedule
from inspector_app.core.registry.schedules import (
    MAX_GRACE_MINUTES,
    SEASONS,
    ScheduleInput,
    add_schedule,
    edit_schedule,
    list_schedules,
    provinces,
)
from inspector_app.core.registry.units import local_today
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.office.registry_labels import (
    SEASON_LABELS,
    from_qdate,
    from_qtime,
    index_of,
    label,
    shown_date,
    to_qdate,
    to_qtime,
)
from inspector_app.ui.office.saving_dialog import SavingDialog
from inspector_app.ui.tasks import Tasks

COLUMNS = (
    N_("Schedule name"),
    N_("Season"),
    N_("In force from"),
    N_("In force until"),
    N_("Morning"),
    N_("Afternoon"),
    N_("Grace (minutes)"),
)
_DEFAULT_TIMES = (dt.time(7, 30), dt.time(11, 30), dt.time(13, 30), dt.time(17, 0))


def _hours(start: dt.time, end: dt.time) -> str:
    return f"{start:%H:%M} – {end:%H:%M}"


class ScheduleDialog(SavingDialog):
    """Add a schedule to ``province_id`` (``schedule`` None) or edit ``schedule``."""

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        *,
        province_id: uuid.UUID,
        schedule: WorkSchedule | None = None,
        after: WorkSchedule | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, tasks, _("Save"), parent)
        self.province_id, self.schedule = province_id, schedule
        self.setWindowTitle(_("Edit working hours") if schedule else _("Add working hours"))
        self.name = QLineEdit(placeholderText=_("e.g. Giờ làm việc mùa hè năm 2028"))
        self.season = QComboBox()
        for value in SEASONS:
            self.season.addItem(_(SEASON_LABELS[value]), value)
        self.valid_from = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.valid_to = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.times = [QTimeEdit(displayFormat="HH:mm") for _n in range(4)]
        self.grace = QSpinBox(minimum=0, maximum=MAX_GRACE_MINUTES)
        form = QFormLayout()
        form.addRow(_("Schedule name"), self.name)
        form.addRow(_("Season"), self.season)
        form.addRow(_("In force from"), self.valid_from)
        form.addRow(_("In force until"), self.valid_to)
        for text, first, second in ((_("Morning"), 0, 1), (_("Afternoon"), 2, 3)):
            row = QHBoxLayout()
            row.addWidget(self.times[first])
            row.addWidget(QLabel("–"))
            row.addWidget(self.times[second])
            row.addStretch(1)
            form.addRow(text, row)
        form.addRow(_("Grace (minutes)"), self.grace)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(480, 0)
        self._show(schedule, after)

    def _show(self, schedule: WorkSchedule | None, after: WorkSchedule | None) -> None:
        if schedule is not None:
            self.name.setText(schedule.name)
            self.season.setCurrentIndex(max(self.season.findData(schedule.season), 0))
            start, end = schedule.valid_from, schedule.valid_to
            times = (
                schedule.morning_start,
                schedule.morning_end,
                schedule.afternoon_start,
                schedule.afternoon_end,
            )
            self.grace.setValue(schedule.grace_minutes)
        else:  # the next season: starts the day after the last one ends
            start = after.valid_to + dt.timedelta(days=1) if after else local_today()
            end = start + dt.timedelta(days=182)
            times = _DEFAULT_TIMES
            if after is not None and after.season in ("summer", "winter"):  # seasons alternate
                following = "winter" if after.season == "summer" else "summer"
                self.season.setCurrentIndex(self.season.findData(following))
        self.valid_from.setDate(to_qdate(start))
        self.valid_to.setDate(to_qdate(end))
        for edit, value in zip(self.times, times, strict=True):
            edit.setTime(to_qtime(value))

    def data(self) -> ScheduleInput:
        t = [from_qtime(edit.time()) for edit in self.times]
        return ScheduleInput(
            name=self.name.text(),
            season=self.season.currentData(),
            valid_from=from_qdate(self.valid_from.date()),
            valid_to=from_qdate(self.valid_to.date()),
            morning_start=t[0],
            morning_end=t[1],
            afternoon_start=t[2],
            afternoon_end=t[3],
            grace_minutes=self.grace.value(),
        )

    def save(self) -> None:
        data, editor, province_id, schedule = self.data(), self.ws.editor, self.province_id, self.schedule
        if schedule is None:
            self.write(lambda s: add_schedule(s, editor, province_id=province_id, data=data).id)
        else:
            self.write(lambda s: edit_schedule(s, editor, schedule.id, data=data).id)


class SchedulesPanel(QWidget):
    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.rows: list[WorkSchedule] = []
        self.dialog: ScheduleDialog | None = None
        self.province = QComboBox()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("schedulesTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("Add working hours…"))
        self.edit_button = QPushButton(_("Edit working hours…"))
        intro = QLabel(
            _(
                "Each province sets its working hours, often one schedule for summer and one for winter. "
                "Late arrivals are counted against the schedule in force on the day of the inspection."
            )
        )
        intro.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Province")))
        top.addWidget(self.province, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.province.currentIndexChanged.connect(lambda _i: self._fill())
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.doubleClicked.connect(lambda _i: self.edit_schedule())
        self.add_button.clicked.connect(self.add_schedule)
        self.edit_button.clicked.connect(self.edit_schedule)

    def reload(self) -> None:
        keep = self.province.currentData()
        with self.ws.session() as session:
            units = provinces(session)
        self.province.blockSignals(True)
        self.province.clear()
        for unit in units:
            self.province.addItem(unit.name, unit.id)
        self.province.setCurrentIndex(index_of(self.province, keep))
        self.province.blockSignals(False)
        self._fill()

    def _fill(self, select: uuid.UUID | None = None) -> None:
        province_id = self.province.currentData()
        with self.ws.session() as session:
            self.rows = list_schedules(session, province_id) if province_id else []
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            values = (
                row.name,
                label(SEASON_LABELS, row.season),
                shown_date(row.valid_from),
                shown_date(row.valid_to),
                _hours(row.morning_start, row.morning_end),
                _hours(row.afternoon_start, row.afternoon_end),
                str(row.grace_minutes),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(n, col, item)
            if row.id == select:
                self.table.selectRow(n)
        self._enable()

    def current(self) -> WorkSchedule | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _enable(self) -> None:
        self.add_button.setEnabled(self.province.currentData() is not None)
        self.edit_button.setEnabled(self.current() is not None)

    def add_schedule(self) -> ScheduleDialog | None:
        province_id = self.province.currentData()
        if province_id is None:
            return None
        last = max(self.rows, key=lambda r: r.valid_to, default=None)
        return self._open(
            ScheduleDialog(self.ws, self.tasks, province_id=province_id, after=last, parent=self)
        )

    def edit_schedule(self) -> ScheduleDialog | None:
        schedule = self.current()
        if schedule is None:
            return None
        dialog = ScheduleDialog(
            self.ws, self.tasks, province_id=schedule.province_id, schedule=schedule, parent=self
        )
        return self._open(dialog)

    def _open(self, dialog: ScheduleDialog) -> ScheduleDialog:
        self.dialog = dialog
        dialog.saved.connect(lambda schedule_id: self._fill(schedule_id))
        dialog.open()
        return dialog
