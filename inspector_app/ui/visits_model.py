"""The visits list as a Qt table model: filter, sort and search done in SQL, rows fetched by page.

A ``QSortFilterProxyModel`` would read all 100,000 visits; this model holds only the pages the
view has scrolled to. Each read is one indexed page (200 rows) or the per-status counts, in a
short session of its own — small enough for the GUI thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from sqlmodel import Session

from inspector_app.core.services.queries import VisitFilter, count_visits, list_visits
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.i18n import N_, _

PAGE_SIZE = 200

COL_STARTED, COL_UNIT, COL_FORM, COL_STATUS, COL_NUMBER = range(5)
COLUMNS = (
    N_("Arrived at"),
    N_("Unit"),
    N_("Checklist"),
    N_("Status"),
    N_("Minutes no."),
)
# Column → sort key of core.services.queries.SORT_COLUMNS; None: not sortable.
SORT_KEYS: dict[int, str | None] = {
    COL_STARTED: "started_at",
    COL_UNIT: "unit",
    COL_FORM: None,
    COL_STATUS: "status",
    COL_NUMBER: "number",
}
STATUS_LABELS = {"draft": N_("Draft"), "completed": N_("Completed"), "signed": N_("Signed")}
STATUSES = ("draft", "completed", "signed")

VisitRole = Qt.ItemDataRole.UserRole + 1  # the row as a dict (id, status, unit, …)
VisitIdRole = Qt.ItemDataRole.UserRole + 2  # the visit's uuid

AnyIndex = QModelIndex | QPersistentModelIndex


def status_label(status: str) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


class VisitsModel(QAbstractTableModel):
    """Visits under a ``VisitFilter``, in SQL order, ``PAGE_SIZE`` rows at a time."""

    counts_changed = Signal(dict)  # {"all": n, "draft": n, …} under the filter, status ignored

    def __init__(self, session_factory: Callable[[], Session], parent: Any = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._filter = VisitFilter()
        self._sort = "started_at"
        self._descending = True
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self._counts: dict[str, int] = {"all": 0}

    # --- state ---------------------------------------------------------------------------------

    @property
    def visit_filter(self) -> VisitFilter:
        return self._filter

    @property
    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    @property
    def total(self) -> int:
        """Visits matching the filter (all of them, not only the rows fetched so far)."""
        return self._total

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def set_filter(self, flt: VisitFilter) -> None:
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Re-read counts and the first page (after a filter change or a write)."""
        with self._session_factory() as session:
            counts = count_visits(session, self._filter)
            rows = self._page(session, 0)
        self.beginResetModel()
        self._counts = {"all": 0, **counts}
        self._total = self._counts.get(self._filter.status, 0) if self._filter.status else self._counts["all"]
        self._rows = rows
        self.endResetModel()
        self.counts_changed.emit(self.counts)

    def _page(self, session: Session, offset: int) -> list[dict[str, Any]]:
        return list_visits(
            session,
            self._filter,
            sort=self._sort,
            descending=self._descending,
            offset=offset,
            limit=PAGE_SIZE,
        )

    def visit_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, visit_id: uuid.UUID) -> int:
        """Row of a visit among the rows fetched so far, or -1."""
        return next((n for n, r in enumerate(self._rows) if r["id"] == visit_id), -1)

    # --- paging --------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        with self._session_factory() as session:
            more = self._page(session, len(self._rows))
        if not more:  # the table shrank under us (a write elsewhere): stop asking
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
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_UNIT:
                return f"{row['unit']} ({row['unit_code']})"
            if col == COL_FORM:
                return f"{row['form_title']} — {row['form']} v{row['form_version']}"
            return self._display(row, col)
        if role == VisitRole:
            return dict(row)
        if role == VisitIdRole:
            return row["id"]
        return None

    @staticmethod
    def _display(row: dict[str, Any], col: int) -> str:
        if col == COL_STARTED:
            return str(row["started_at"].astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M"))
        if col == COL_UNIT:
            return str(row["unit"])
        if col == COL_FORM:
            return str(row["form_title"])
        if col == COL_STATUS:
            return status_label(row["status"])
        if col == COL_NUMBER:
            return str(row["number"] or "")
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is SQL's job: change the ORDER BY and read the first page again."""
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
