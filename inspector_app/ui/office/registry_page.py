"""The office desk's Registry tab: units and their officials (with the 2025 mergers' history and the
import of officials from Excel), the provinces' working hours, and the checklist forms loaded."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from inspector_app.core.models import Unit
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.forms_panel import FormsPanel
from inspector_app.ui.office.officials_panel import OfficialsPanel
from inspector_app.ui.office.schedules_panel import SchedulesPanel
from inspector_app.ui.office.unit_detail import UnitDetail, read_history
from inspector_app.ui.office.units_panel import UnitsPanel
from inspector_app.ui.tasks import Tasks


class RegistryPage(QWidget):
    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.units = UnitsPanel(ws, tasks)
        self.detail = UnitDetail()
        self.officials = OfficialsPanel(ws, tasks)
        self.schedules = SchedulesPanel(ws, tasks)
        self.forms = FormsPanel(ws, tasks)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail)
        right_layout.addWidget(self.officials, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.units)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([440, 840])
        units_tab = QWidget()
        units_layout = QVBoxLayout(units_tab)
        units_layout.addWidget(self.splitter)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("registryTabs")
        self.tabs.addTab(units_tab, _("Units and officials"))
        self.tabs.addTab(self.schedules, _("Working hours"))
        self.tabs.addTab(self.forms, _("Checklist forms"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.units.selected.connect(self._unit_chosen)
        self.units.edited.connect(self._refresh_detail)
        self.detail.navigate.connect(self.units.select_unit)
        self.reload()

    def reload(self) -> None:
        """Read everything again (the tab is shown again, or a sync brought changes)."""
        self.units.reload()
        self.schedules.reload()
        self.forms.reload()

    def _unit_chosen(self, unit_id: uuid.UUID | None) -> None:
        unit: Unit | None = None
        if unit_id is not None:
            with self.ws.session() as session:
                unit = session.get(Unit, unit_id)
                history = read_history(session, unit) if unit is not None else None
            self.detail.show_history(history)
        else:
            self.detail.show_history(None)
        self.officials.set_unit(unit)

    def _refresh_detail(self) -> None:
        self._unit_chosen(self.units.current_id())
