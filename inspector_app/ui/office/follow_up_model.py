"""The remedies of signed visits as a table model for the follow-up desk: filtered in SQL
(``core.desk.follow_up``), fetched ``PAGE_SIZE`` rows at a time as the view scrolls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from sqlmodel import Session

from inspector_app.core.desk.follow_up import FollowUpFilter, RemedyItem, count_remedies, list_remedies
from inspector_app.i18n import N_, _, ngettext
from inspector_app.ui.visit.remedies_model import status_label

PAGE_SIZE = 200
DAY = "%d/%m/%Y"
OVERDUE_COLOUR = QColor("#c62828")
DONE_COLOUR = QColor("#2e7d32")

(
    COL_UNIT,
    COL_TEAM,
    COL_VISIT,
    COL_CONTENT,
    COL_OWNER,
    COL_DEADLINE,
    COL_STATUS,
    COL_OVERDUE,
    COL_PROGRESS,
) = range(9)
COLUMNS = (
    N_("Unit"),
    N_("Team"),
    N_("Visit"),
    N_("Content"),
    N_("Responsible"),
    N_("Deadline"),
    N_("Status"),
    N_("Overdue"),
    N_("Latest progress"),
)
RemedyItemRole = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


def days_text(days: int) -> str:
    return ngettext("{n} day", "{n} days", days).format(n=days) if days else ""


class FollowUpModel(QAbstractTableModel):
    """Remedies under a ``FollowUpFilter``, earliest deadline first, by pages."""

    def __init__(self, session_factory: Callable[[], Session], parent: Any = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._filter = FollowUpFilter()
        self._today = dt.date.today()
        self._rows: list[RemedyItem] = []
        self._total = 0

    @property
    def total(self) -> int:
        return self._total

    @property
    def follow_up_filter(self) -> FollowUpFilter:
        return self._filter

    def set_filter(self, filt: FollowUpFilter, today: dt.date) -> None:
        self._filter, self._today = filt, today
        self.refresh()

    def refresh(self) -> None:
        with self._session_factory() as session:
            total = count_remedies(session, self._filter, today=self._today)
            rows = list_remedies(session, self._filter, today=self._today, limit=PAGE_SIZE)
        self.beginResetModel()
        self._total, self._rows = total, rows
        self.endResetModel()

    def item_at(self, row: int) -> RemedyItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, remedy_id: object) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == remedy_id), -1)

    # --- paging --------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        with self._session_factory() as session:
            more = list_remedies(
                session, self._filter, today=self._today, limit=PAGE_SIZE, offset=len(self._rows)
            )
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section]) if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return display(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_VISIT and item.minutes_number:
                return _("Minutes {number}").format(number=item.minutes_number)
            return display(item, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col in (COL_DEADLINE, COL_OVERDUE) and item.overdue:
                return OVERDUE_COLOUR
            if col == COL_STATUS and item.status == "done":
                return DONE_COLOUR
        if role == RemedyItemRole:
            return item
        return None


def display(item: RemedyItem, col: int) -> str:
    if col == COL_UNIT:
        return item.unit_name
    if col == COL_TEAM:
        return item.team_name
    if col == COL_VISIT:
        return item.visit_day.strftime(DAY)
    if col == COL_CONTENT:
        return item.content
    if col == COL_OWNER:
        return item.owner
    if col == COL_DEADLINE:
        return item.deadline.strftime(DAY) if item.deadline else ""
    if col == COL_STATUS:
        return status_label(item.status)
    if col == COL_OVERDUE:
        return days_text(item.days_overdue)
    if col == COL_PROGRESS:
        if not item.progress:
            return ""
        day = item.reported_on.strftime(DAY) if item.reported_on else ""
        return f"{day}: {item.progress}" if day else item.progress
    return ""
