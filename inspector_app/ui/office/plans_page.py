"""The office's "Plans and teams" tab: the plans with their progress (planned, started, signed),
the units the selected plan will visit (add through a searchable picker, change day or team,
remove), its team decision, and the plan's and decision's PDFs (preview, export).

Reads are short sessions on the GUI thread; writes go through ``tasks.write`` (dialogs write
their own); rendering runs in ``tasks.run``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.desk import decisions, planned_visits
from inspector_app.core.desk.planned_visits import PlannedRow
from inspector_app.core.models import VisitStatus
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.office.decision_dialog import DecisionDialog
from inspector_app.ui.office.plan_dialog import MODES, PdfPreviewDialog, PlanDialog, PlannedVisitDialog
from inspector_app.ui.tasks import Tasks

DAY = "%d/%m/%Y"
AnyIndex = QModelIndex | QPersistentModelIndex
RowRole = Qt.ItemDataRole.UserRole + 1
PLAN_COLUMNS = (
    N_("Number"),
    N_("Title"),
    N_("Period"),
    N_("Team"),
    N_("Planned"),
    N_("Started"),
    N_("Signed"),
)
PLANNED_COLUMNS = (N_("Day"), N_("Unit"), N_("Kind of visit"), N_("Team"), N_("Progress"), N_("Note"))
STATUS_LABELS = {
    planned_visits.WAITING: N_("Not started"),
    VisitStatus.DRAFT: N_("In progress"),
    VisitStatus.COMPLETED: N_("Completed"),
    VisitStatus.SIGNED: N_("Signed"),
}
MODE_LABELS = dict(MODES)


class RowsModel(QAbstractTableModel):
    """A small read-only table: display strings per row, and the object behind each row."""

    def __init__(self, columns: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[tuple[list[str], Any]] = []

    def set_rows(self, rows: list[tuple[list[str], Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cells, obj = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == RowRole:
            return obj
        return None


def _table(model: RowsModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def choose_export_file(parent: QWidget | None, suggested: Path) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Export PDF…"), str(suggested), _("PDF document (*.pdf)")
    )
    if not path:
        return None
    out = Path(path)
    return out if out.suffix.lower() == ".pdf" else out.with_suffix(".pdf")


def confirm(parent: QWidget, text: str) -> bool:
    return QMessageBox.question(parent, _("Plans and teams"), text) == QMessageBox.StandardButton.Yes


class PlansPage(QWidget):
    """Plans, their units to visit and their team decisions at the office desk."""

    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.dialog: Any = None  # the last dialog opened (tests look at it)
        self.choose_export: Callable[[QWidget | None, Path], Path | None] = choose_export_file
        self.confirm: Callable[[QWidget, str], bool] = confirm
        self.decision_id: uuid.UUID | None = None

        self.plans_model = RowsModel(PLAN_COLUMNS, self)
        self.plans = _table(self.plans_model, 1)
        self.planned_model = RowsModel(PLANNED_COLUMNS, self)
        self.planned = _table(self.planned_model, 1)
        self.plans.selectionModel().selectionChanged.connect(lambda *_a: self._show_plan())
        self.planned.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.planned.doubleClicked.connect(lambda _i: self.change_planned())

        self.new_button = QPushButton(_("New plan…"))
        self.edit_button = QPushButton(_("Edit plan…"))
        self.decision_button = QPushButton(_("Team decision…"))
        self.preview_plan_button = QPushButton(_("Preview the plan"))
        self.export_plan_button = QPushButton(_("Export the plan (PDF)…"))
        self.preview_decision_button = QPushButton(_("Preview the decision"))
        self.export_decision_button = QPushButton(_("Export the decision (PDF)…"))
        self.add_button = QPushButton(_("Add units…"))
        self.change_button = QPushButton(_("Change day or team…"))
        self.remove_button = QPushButton(_("Remove"))
        top, middle, bottom = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        for row, buttons in (
            (top, (self.new_button, self.edit_button, self.decision_button)),
            (middle, (self.preview_plan_button, self.export_plan_button)),
            (middle, (self.preview_decision_button, self.export_decision_button)),
            (bottom, (self.add_button, self.change_button, self.remove_button)),
        ):
            for button in buttons:
                row.addWidget(button)
            row.addSpacing(12)
        for row in (top, middle, bottom):
            row.addStretch(1)
        for button, slot in (
            (self.new_button, self.new_plan),
            (self.edit_button, self.edit_plan),
            (self.decision_button, self.open_decision),
            (self.preview_plan_button, self.preview_plan),
            (self.export_plan_button, self.export_plan),
            (self.preview_decision_button, self.preview_decision),
            (self.export_decision_button, self.export_decision),
            (self.add_button, self.add_units),
            (self.change_button, self.change_planned),
            (self.remove_button, self.remove_planned),
        ):
            button.clicked.connect(slot)
        self.decision_label = QLabel()
        self.decision_label.setWordWrap(True)
        self.planned_title = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)

        upper = QWidget()
        up = QVBoxLayout(upper)
        up.addLayout(top)
        up.addWidget(self.plans, 1)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.addWidget(self.decision_label)
        low.addLayout(middle)
        low.addWidget(self.planned_title)
        low.addWidget(self.planned, 1)
        low.addLayout(bottom)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setSizes([300, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.current_plan_id()
        with self.ws.session() as session:
            progress = planned_visits.list_plans(session)
        rows = []
        for p in progress:
            plan = p.plan
            period = f"{plan.period_from:{DAY}} – {plan.period_to:{DAY}}"
            cells = [
                plan.number,
                plan.title,
                period,
                p.team_name,
                str(p.planned),
                str(p.started),
                str(p.signed),
            ]
            rows.append((cells, plan.id))
        self.plans_model.set_rows(rows)
        for col, width in ((0, 110), (2, 170), (3, 220), (4, 80), (5, 80), (6, 80)):
            self.plans.setColumnWidth(col, width)
        if not (keep and self.select_plan(keep)) and rows:
            self.plans.selectRow(0)
        self._show_plan()

    def current_plan_id(self) -> uuid.UUID | None:
        rows = self.plans.selectionModel().selectedRows() if self.plans.selectionModel() else []
        return rows[0].data(RowRole) if rows else None

    def select_plan(self, plan_id: uuid.UUID) -> bool:
        for r, (_cells, obj) in enumerate(self.plans_model.rows):
            if obj == plan_id:
                self.plans.selectRow(r)
                return True
        return False

    def selected_planned(self) -> PlannedRow | None:
        rows = self.planned.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows else None

    def _show_plan(self) -> None:
        plan_id = self.current_plan_id()
        rows: list[tuple[list[str], Any]] = []
        self.decision_id = None
        text = _("No plan selected.")
        if plan_id is not None:
            with self.ws.session() as session:
                found = planned_visits.planned_rows(session, plan_id)
                decision = decisions.decision_for_plan(session, plan_id)
                members = decisions.team_members(session, decision.team_id) if decision else []
            for r in found:
                day = r.planned_on.strftime(DAY) if r.planned_on else _("any day")
                mode = _(MODE_LABELS.get(r.mode, r.mode))
                status = _(STATUS_LABELS.get(r.status, r.status))
                rows.append(([day, r.unit_name, mode, r.team_name, status, r.note], r))
            if decision is not None:
                self.decision_id = decision.id
                text = _("Team decision {number} of {date}: {n} members.").format(
                    number=decision.number, date=decision.signed_on.strftime(DAY), n=len(members)
                )
            else:
                text = _("No team decision for this plan yet.")
        self.decision_label.setText(text)
        self.planned_title.setText(_("Units to visit ({n})").format(n=len(rows)))
        self.planned_model.set_rows(rows)
        for col, width in ((0, 90), (2, 120), (3, 220), (4, 110)):
            self.planned.setColumnWidth(col, width)
        self._enable()

    def _enable(self) -> None:
        has_plan, has_decision = self.current_plan_id() is not None, self.decision_id is not None
        chosen = self.selected_planned() is not None
        for button in (
            self.edit_button,
            self.decision_button,
            self.preview_plan_button,
            self.export_plan_button,
        ):
            button.setEnabled(has_plan)
        self.add_button.setEnabled(has_plan)
        for button in (self.preview_decision_button, self.export_decision_button):
            button.setEnabled(has_decision)
        self.change_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # --- dialogs -------------------------------------------------------------------------------

    def _open(self, dialog: Any) -> Any:
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, _row_id: object) -> None:
        self.set_status(_("Saved."))
        self.reload()

    def new_plan(self) -> PlanDialog:
        dialog: PlanDialog = self._open(PlanDialog(self.ws, self.tasks, None, self))
        dialog.saved.connect(lambda plan_id: self.select_plan(plan_id))
        return dialog

    def edit_plan(self) -> PlanDialog | None:
        plan_id = self.current_plan_id()
        return self._open(PlanDialog(self.ws, self.tasks, plan_id, self)) if plan_id else None

    def open_decision(self) -> DecisionDialog | None:
        plan_id = self.current_plan_id()
        if plan_id is None:
            return None
        # The plan's decision if it has one made under it; otherwise a new one for the plan's team.
        with self.ws.session() as session:
            own = self.decision_id and decisions.get_decision(session, self.decision_id).plan_id == plan_id
        dialog = DecisionDialog(
            self.ws, self.tasks, plan_id=plan_id, decision_id=self.decision_id if own else None, parent=self
        )
        return self._open(dialog)

    def add_units(self) -> PlannedVisitDialog | None:
        plan_id = self.current_plan_id()
        return self._open(PlannedVisitDialog(self.ws, self.tasks, plan_id, None, self)) if plan_id else None

    def change_planned(self) -> PlannedVisitDialog | None:
        plan_id, row = self.current_plan_id(), self.selected_planned()
        if plan_id is None or row is None:
            return None
        return self._open(PlannedVisitDialog(self.ws, self.tasks, plan_id, row, self))

    def remove_planned(self) -> None:
        row, editor = self.selected_planned(), self.ws.editor
        if row is None or not self.confirm(
            self, _("Remove {unit} from the plan?").format(unit=row.unit_name)
        ):
            return
        self.tasks.write(
            lambda s: planned_visits.remove_planned_visit(s, editor, row.id),
            on_done=lambda _r: self._saved(None),
            on_error=lambda exc: self.set_status(str(exc), error=True),
        )

    # --- documents -----------------------------------------------------------------------------

    def _plan_pdf(self, plan_id: uuid.UUID) -> Callable[[], bytes]:
        ws = self.ws

        def render() -> bytes:
            from inspector_app.documents.plan_doc import render_plan_pdf

            with ws.session() as session:
                return render_plan_pdf(session, plan_id)

        return render

    def _decision_pdf(self, decision_id: uuid.UUID) -> Callable[[], bytes]:
        ws = self.ws

        def render() -> bytes:
            from inspector_app.documents.decision_doc import render_decision_pdf

            with ws.session() as session:
                return render_decision_pdf(session, decision_id)

        return render

    def preview_plan(self) -> None:
        plan_id = self.current_plan_id()
        if plan_id is not None:
            self.dialog = PdfPreviewDialog(
                self.tasks, _("Preview of the plan"), self._plan_pdf(plan_id), self
            )
            self.dialog.open()

    def preview_decision(self) -> None:
        if self.decision_id is not None:
            render = self._decision_pdf(self.decision_id)
            self.dialog = PdfPreviewDialog(self.tasks, _("Preview of the team decision"), render, self)
            self.dialog.open()

    def export_plan(self) -> bool:
        plan_id = self.current_plan_id()
        return plan_id is not None and self._export(self._plan_pdf(plan_id), "Ke-hoach")

    def export_decision(self) -> bool:
        return self.decision_id is not None and self._export(
            self._decision_pdf(self.decision_id), "Quyet-dinh"
        )

    def _export(self, render: Callable[[], bytes], stem: str) -> bool:
        from inspector_app.documents.plan_commands import write_file

        out = self.choose_export(self, Path.home() / f"{stem}.pdf")
        if out is None:
            return False
        self.tasks.run(
            lambda: write_file(out, render()),
            on_done=lambda path: self.set_status(_("Wrote {path}").format(path=path)),
            on_error=lambda exc: self.set_status(str(exc), error=True),
        )
        return True

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828;" if error else "")
