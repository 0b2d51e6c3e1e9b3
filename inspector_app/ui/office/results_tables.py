"""The tables of the Results tab, filled from ``core.desk.results`` (a few hundred rows at most:
plain table widgets, sortable, numbers sorted as numbers)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from inspector_app.core.desk.results import Month, RankedUnit, Topic, UnitProgress
from inspector_app.i18n import _
from inspector_app.ui.office.charts import plain_number


def roll_call_labels() -> dict[str, str]:
    return {
        "late": _("Late for work"),
        "absent_without_reason": _("Absent without a reason"),
        "no_badge": _("Not wearing the badge"),
        "no_name_plate": _("No name plate on the desk"),
        "dress_not_ok": _("Dress not neat and proper"),
    }


def topic_label(topic: Topic) -> str:
    return roll_call_labels().get(topic.key, topic.key) if topic.source == "roll_call" else topic.text


def percent(share: float) -> str:
    """ "12,5%"."""
    return f"{100 * share:.1f}%".replace(".", ",")


def make_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class _Number(QTableWidgetItem):
    """A right-aligned number that sorts by value ("–" for none sorts last)."""

    def __init__(self, value: float | None, text: str | None = None) -> None:
        super().__init__(text if text is not None else ("–" if value is None else plain_number(value)))
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def left(self) -> _Number:
        self.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return self

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Number):
            return (self.value is None, self.value or 0) < (other.value is None, other.value or 0)
        return super().__lt__(other)


def _fill(table: QTableWidget, rows: list[list[QTableWidgetItem]], stretch: int) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, items in enumerate(rows):
        for c, item in enumerate(items):
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # rows stay in our order until a click
    table.setSortingEnabled(True)


def fill_topics(table: QTableWidget, topics: list[Topic]) -> None:
    rows = []
    for t in topics:
        section = _("Roll call") if t.source == "roll_call" else t.section
        text = QTableWidgetItem(topic_label(t))
        text.setToolTip(topic_label(t))
        rows.append([text, QTableWidgetItem(section), _Number(t.visits), _Number(t.people)])
    _fill(table, rows, 0)


def fill_ranking(table: QTableWidget, ranking: list[RankedUnit]) -> None:
    rows = []
    for r in ranking:
        u, rc = r.unit, r.unit.roll_call
        score = u.score
        rows.append(
            [
                _Number(r.rank),
                QTableWidgetItem(u.unit_name),
                _Number(u.visits),
                _Number(score, "–" if score is None else f"{score:.1f}".replace(".", ",")),
                _Number(u.failed_items),
                *(_Number(rc.get(k, 0)) for k in roll_call_labels()),
            ]
        )
    _fill(table, rows, 1)


def fill_progress(table: QTableWidget, units: list[UnitProgress]) -> None:
    rows = [
        [
            QTableWidgetItem(u.unit_name),
            _Number(u.planned),
            _Number(u.planned_done),
            _Number(u.visits),
            _Number(u.done),
        ]
        for u in units
    ]
    _fill(table, rows, 0)


def fill_months(table: QTableWidget, months: list[Month]) -> None:
    rows = []
    for m in months:
        rows.append(
            [
                _Number(m.month.year * 12 + m.month.month, f"{m.month:%m/%Y}").left(),
                _Number(m.visits),
                _Number(m.violations),
                _Number(m.violations_per_visit, f"{m.violations_per_visit:.1f}".replace(".", ",")),
                _Number(m.late_share, percent(m.late_share)),
                _Number(m.absent_share, percent(m.absent_share)),
            ]
        )
    _fill(table, rows, 0)
