"""The office's remedy follow-up tab: what falls due this week, every remedy of the signed visits
(filtered by unit, team, status, overdue), the overdue counts per unit and per team, and
“Record progress…” — a follow-up beside the signed visit, never an edit of it.

Reads are short sessions on the GUI thread (each one a single SQL query, paged); the one write
goes through ``tasks.write``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.desk.follow_up import (
    FollowUpFilter,
    OverdueCount,
    RemedyItem,
    due_this_week,
    filter_choices,
    overdue_by_team,
    overdue_by_unit,
    today_vn,
    week_of,
)
from inspector_app.core.models import RemedyStatus
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _, ngettext
from inspector_app.ui.office.follow_up_dialog import FollowUpDialog
from inspector_app.ui.office.follow_up_model import (
    COL_CONTENT,
    DAY,
    FollowUpModel,
)
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.remedies_model import STATUS_LABELS

ItemRole = Qt.ItemDataRole.UserRole + 1


class FollowUpPage(QWidget):
    """Remedy follow-up at the office desk."""

    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.today: Callable[[], dt.date] = today_vn  # tests may pin the day
        self.dialog: FollowUpDialog | None = None  # the last dialog opened (tests look at it)
        self._loading = False

        self.week_box = QGroupBox()
        self.week_list = QListWidget()
        self.week_list.setMaximumHeight(84)
        self.week_list.itemActivated.connect(self._week_activated)
        week_layout = QVBoxLayout(self.week_box)
        week_layout.addWidget(self.week_list)

        self.unit_box, self.team_box, self.status_box = QComboBox(), QComboBox(), QComboBox()
        self.unit_box.setMinimumWidth(220)
        self.team_box.setMinimumWidth(220)
        self.status_box.addItem(_("Any status"), None)
        for status in RemedyStatus:
            self.status_box.addItem(_(STATUS_LABELS[status]), status.value)
        self.overdue_only = QCheckBox(_("Overdue only"))
        for box in (self.unit_box, self.team_box, self.status_box):
            box.currentIndexChanged.connect(self._filters_changed)
        self.overdue_only.toggled.connect(self._filters_changed)
        filters = QHBoxLayout()
        for label, widget in (
            (_("Unit"), self.unit_box),
            (_("Team"), self.team_box),
            (_("Status"), self.status_box),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)

        self.model = FollowUpModel(ws.session, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((150, 130, 90, 270, 160, 82, 110, 70, 240)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.record_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.summary = QLabel()
        self.record_button = QPushButton(_("Record progress…"))
        self.record_button.setEnabled(False)
        self.record_button.clicked.connect(self.record_selected)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.record_button)
        remedies_tab = QWidget()
        remedies_layout = QVBoxLayout(remedies_tab)
        remedies_layout.addLayout(filters)
        remedies_layout.addWidget(self.table, 1)
        remedies_layout.addLayout(bottom)

        self.per_unit, self.per_team = _counts_table(_("Unit")), _counts_table(_("Team"))
        self.per_unit.itemActivated.connect(lambda item: self._show_overdue_of("unit", item))
        self.per_team.itemActivated.connect(lambda item: self._show_overdue_of("team", item))
        overdue_tab = QWidget()
        overdue_layout = QHBoxLayout(overdue_tab)
        for title, table in ((_("Overdue per unit"), self.per_unit), (_("Overdue per team"), self.per_team)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(table, 1)
            overdue_layout.addLayout(column, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(remedies_tab, _("Remedies"))
        self.tabs.addTab(overdue_tab, _("Overdue"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.week_box)
        layout.addWidget(self.tabs, 1)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read everything again (the tab was shown again, or a follow-up was recorded)."""
        today = self.today()
        with self.ws.session() as session:
            units, teams = filter_choices(session)
            week = due_this_week(session, day=today)
            by_unit = overdue_by_unit(session, today=today)
            by_team = overdue_by_team(session, today=today)
        self._loading = True
        _refill(self.unit_box, _("All units"), units)
        _refill(self.team_box, _("All teams"), teams)
        self._loading = False
        self._show_week(today, week)
        _fill_counts(self.per_unit, by_unit)
        _fill_counts(self.per_team, by_team)
        overdue = sum(c.overdue for c in by_unit)
        self.tabs.setTabText(1, _("Overdue ({n})").format(n=overdue))
        self._filters_changed()

    def current_filter(self) -> FollowUpFilter:
        return FollowUpFilter(
            unit_id=self.unit_box.currentData(),
            team_id=self.team_box.currentData(),
            status=self.status_box.currentData(),
            overdue_only=self.overdue_only.isChecked(),
        )

    def _filters_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self.model.set_filter(self.current_filter(), self.today())
        shown = self.model.total
        self.summary.setText(ngettext("{n} remedy", "{n} remedies", shown).format(n=shown))
        self._selection_changed()

    def _show_week(self, today: dt.date, items: list[RemedyItem]) -> None:
        monday, sunday = week_of(today)
        self.week_box.setTitle(
            _("Due this week ({start} – {end}): {n}").format(
                start=monday.strftime("%d/%m"), end=sunday.strftime(DAY), n=len(items)
            )
        )
        self.week_list.clear()
        for item in items:
            deadline = item.deadline.strftime("%d/%m") if item.deadline else ""
            row = QListWidgetItem(f"{deadline} · {item.unit_name} — {item.content} ({item.owner})")
            row.setData(ItemRole, item)
            row.setToolTip(item.content)
            self.week_list.addItem(row)
        if not items:
            self.week_list.addItem(_("Nothing falls due this week."))

    # --- actions -------------------------------------------------------------------------------

    def selected_item(self) -> RemedyItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def select_remedy(self, remedy_id: object) -> bool:
        row = self.model.row_of(remedy_id)
        while row < 0 and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(remedy_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, COL_CONTENT))
        return True

    def record_selected(self) -> FollowUpDialog | None:
        item = self.selected_item()
        return self.record(item) if item is not None else None

    def record(self, item: RemedyItem) -> FollowUpDialog:
        """Open “Record progress…” for a remedy (non-modal: the desk stays readable behind it)."""
        dialog = FollowUpDialog(self.ws, self.tasks, item, self)
        dialog.recorded.connect(lambda _row: self._recorded(item))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _recorded(self, item: RemedyItem) -> None:
        self.reload()
        self.select_remedy(item.id)
        self.summary.setText(
            _("Progress recorded for {unit}: {content}").format(unit=item.unit_name, content=item.content)
        )

    def _week_activated(self, row: QListWidgetItem) -> None:
        item = row.data(ItemRole)
        if isinstance(item, RemedyItem):
            self.record(item)

    def _show_overdue_of(self, kind: str, cell: QTableWidgetItem) -> None:
        """Double-clicking a unit or a team shows its overdue remedies in the list."""
        first = cell.tableWidget().item(cell.row(), 0)
        key = first.data(ItemRole) if first is not None else None
        box = self.unit_box if kind == "unit" else self.team_box
        self._loading = True
        self.unit_box.setCurrentIndex(0)
        self.team_box.setCurrentIndex(0)
        self.status_box.setCurrentIndex(0)
        box.setCurrentIndex(index_of(box, key))
        self.overdue_only.setChecked(True)
        self._loading = False
        self._filters_changed()
        self.tabs.setCurrentIndex(0)

    def _selection_changed(self, *_args: object) -> None:
        self.record_button.setEnabled(self.selected_item() is not None)


def index_of(box: QComboBox, key: object) -> int:
    """The entry holding ``key`` (0, "all", when none does). ``findData`` cannot match a uuid:
    PySide6 compares the wrapped Python objects by identity."""
    if key is None:
        return 0
    return next((i for i in range(box.count()) if box.itemData(i) == key), 0)


def _refill(box: QComboBox, everything: str, choices: list[tuple[object, str]]) -> None:
    """Replace a filter's choices, keeping the chosen one when it is still there."""
    current = box.currentData()
    box.clear()
    box.addItem(everything, None)
    for key, name in choices:
        box.addItem(name, key)
    box.setCurrentIndex(index_of(box, current))


def _counts_table(first: str) -> QTableWidget:
    table = QTableWidget(0, 3)
    table.setHorizontalHeaderLabels([first, _("Overdue"), _("Oldest deadline")])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setToolTip(_("Double-click to list the overdue remedies"))
    return table


def _fill_counts(table: QTableWidget, counts: list[OverdueCount]) -> None:
    table.setRowCount(len(counts))
    for row, c in enumerate(counts):
        name = QTableWidgetItem(c.name)
        name.setData(ItemRole, c.key)
        number = QTableWidgetItem(str(c.overdue))
        number.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        oldest = QTableWidgetItem(c.oldest_deadline.strftime(DAY) if c.oldest_deadline else "")
        oldest.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        for col, cell in enumerate((name, number, oldest)):
            table.setItem(row, col, cell)
