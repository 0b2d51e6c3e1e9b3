"""The Home screen: the visits list with search as you type, status tabs with counters, unit and
date filters. It lays out widgets and turns their state into a ``VisitFilter``; the model reads SQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from inspector_app.core.services.queries import VisitFilter
from inspector_app.core.services.search import search_units
from inspector_app.i18n import _
from inspector_app.ui.visits_model import (
    COL_FORM,
    COL_NUMBER,
    COL_STARTED,
    COL_STATUS,
    COL_UNIT,
    SORT_KEYS,
    STATUSES,
    VisitIdRole,
    VisitsModel,
    status_label,
)

SEARCH_DELAY_MS = 200  # debounce: one query after the typing pauses, not one per key
_ALL = "all"


class HomeView(QWidget):
    """Visits list plus its filter bar."""

    visit_activated = Signal(object)  # uuid.UUID of the visit double-clicked or Entered

    def __init__(self, session_factory: Callable[[], Session], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self.model = VisitsModel(session_factory, self)

        self.search = QLineEdit(placeholderText=_("Search by unit name or minutes number…"))
        self.search.setClearButtonEnabled(True)
        self.unit = QComboBox()
        self.unit.setMinimumWidth(280)
        self.dates = QCheckBox(_("From date"))
        self.date_from = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.date_to = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
        today = QDate.currentDate()
        self.date_from.setDate(today.addMonths(-12))
        self.date_to.setDate(today)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.unit, 2)
        top.addWidget(self.dates)
        top.addWidget(self.date_from)
        top.addWidget(QLabel(_("to date")))
        top.addWidget(self.date_to)

        self.status_group = QButtonGroup(self)
        self.status_group.setExclusive(True)
        self.status_buttons: dict[str, QPushButton] = {}
        tabs = QHBoxLayout()
        for key in (_ALL, *STATUSES):
            button = QPushButton(checkable=True)
            button.setProperty("status_filter", True)
            button.setProperty("status_key", key)
            self.status_group.addButton(button)
            self.status_buttons[key] = button
            tabs.addWidget(button)
        tabs.addStretch(1)
        self.status_buttons[_ALL].setChecked(True)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_UNIT, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(COL_STARTED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # after the indicator: one first read, newest first
        for col, width in ((COL_STARTED, 150), (COL_FORM, 340), (COL_STATUS, 150), (COL_NUMBER, 150)):
            self.table.setColumnWidth(col, width)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tabs)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.unit.currentIndexChanged.connect(self.apply_filter)
        self.dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        self.status_group.buttonClicked.connect(self.apply_filter)
        self.model.counts_changed.connect(self._show_counts)
        self.table.activated.connect(self._activated)  # double-click or Enter
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        self._show_counts(self.model.counts)

    # --- behaviour -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the unit list and the visits (after the demo is loaded or a write)."""
        self.load_units()
        self.model.refresh()

    def load_units(self) -> None:
        current = self.unit.currentData()
        with self._session_factory() as session:
            units = search_units(session, "", limit=2000)
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(_("All units"), None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        found = self.unit.findData(current) if current is not None else 0
        self.unit.setCurrentIndex(max(found, 0))
        self.unit.blockSignals(False)

    def current_filter(self) -> VisitFilter:
        checked = self.status_group.checkedButton()
        status = checked.property("status_key") if checked is not None else _ALL
        unit_id = self.unit.currentData()
        date_from = date_to = None
        if self.dates.isChecked():
            date_from = _to_date(self.date_from.date())
            date_to = _to_date(self.date_to.date())
        return VisitFilter(
            search=self.search.text(),
            status=None if status == _ALL else status,
            unit_id=unit_id if isinstance(unit_id, uuid.UUID) else None,
            date_from=date_from,
            date_to=date_to,
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.visit_filter:
            self.model.set_filter(flt)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def _show_counts(self, counts: dict[str, int]) -> None:
        for key, button in self.status_buttons.items():
            label = _("All") if key == _ALL else status_label(key)
            button.setText(f"{label} ({counts.get(key, 0)})")

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if SORT_KEYS.get(column) is None:  # not sortable in SQL: put the indicator back
            key, descending = self.model.sort_key
            back = next(c for c, k in SORT_KEYS.items() if k == key)
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(
                back, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            )
            header.blockSignals(False)

    def _activated(self, index: QModelIndex) -> None:
        visit_id = self.model.data(index, VisitIdRole)
        if visit_id is not None:
            self.visit_activated.emit(visit_id)


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())
