"""The office workspace: the visits list plus the clerk's tabs, in the main window.

Tabs other than the visits list are built the first time they are shown (the window must paint
fast, and a clerk rarely opens all five) and reloaded each time they are shown again, so an edit
made on one tab or brought by a sync is there when the clerk turns to another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import QTabWidget, QWidget

from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.tasks import Tasks


class Page(Protocol):
    def reload(self) -> None: ...


PageFactory = Callable[[Workspace, Tasks, QWidget], QWidget]


def _registry(ws: Workspace, tasks: Tasks, parent: QWidget) -> QWidget:
    from inspector_app.ui.office.registry_page import RegistryPage

    return RegistryPage(ws, tasks, parent)


def _plans(ws: Workspace, tasks: Tasks, parent: QWidget) -> QWidget:
    from inspector_app.ui.office.plans_page import PlansPage

    return PlansPage(ws, tasks, parent)


def _follow_up(ws: Workspace, tasks: Tasks, parent: QWidget) -> QWidget:
    from inspector_app.ui.office.follow_up_page import FollowUpPage

    return FollowUpPage(ws, tasks, parent)


def _notices(ws: Workspace, tasks: Tasks, parent: QWidget) -> QWidget:
    from inspector_app.ui.office.notices_page import NoticesPage

    return NoticesPage(ws, tasks, parent)


def _results(ws: Workspace, tasks: Tasks, parent: QWidget) -> QWidget:
    from inspector_app.ui.office.results_page import ResultsPage

    return ResultsPage(ws, tasks, parent)


def page_factories() -> list[tuple[str, str, PageFactory]]:
    """(object name, tab label, factory) of the clerk's tabs, in the order of the work."""
    return [
        ("registry", _("Registry"), _registry),
        ("plans", _("Plans and teams"), _plans),
        ("follow_up", _("Remedy follow-up"), _follow_up),
        ("notices", _("Conclusion notices"), _notices),
        ("results", _("Results"), _results),
    ]


class OfficeWorkspace(QTabWidget):
    def __init__(self, ws: Workspace, tasks: Tasks, home: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OfficeWorkspace")
        self.setDocumentMode(True)
        self.ws, self.tasks, self.home = ws, tasks, home
        self.addTab(home, _("Inspections"))
        self.pages: dict[str, QWidget] = {}
        self._factories: dict[int, tuple[str, PageFactory]] = {}
        for name, label, factory in page_factories():
            holder = QWidget()
            holder.setObjectName(name)
            self._factories[self.addTab(holder, label)] = (name, factory)
        self.currentChanged.connect(self._shown)

    def page(self, name: str) -> QWidget:
        """The tab's page, built now if it was never shown (tests and screenshots use this)."""
        for index, (page_name, _factory) in self._factories.items():
            if page_name == name:
                return self._build(index)
        raise KeyError(name)

    def show_page(self, name: str) -> QWidget:
        page = self.page(name)
        self.setCurrentWidget(page)
        return page

    def _build(self, index: int) -> QWidget:
        name, factory = self._factories[index]
        if name not in self.pages:
            page = factory(self.ws, self.tasks, self)
            page.setObjectName(name)
            label = self.tabText(index)
            self.blockSignals(True)  # replacing the holder must not count as "shown"
            current = self.currentIndex()
            self.removeTab(index)
            self.insertTab(index, page, label)
            self.setCurrentIndex(current)
            self.blockSignals(False)
            self.pages[name] = page
        return self.pages[name]

    def _shown(self, index: int) -> None:
        if index not in self._factories:
            return
        built = self._factories[index][0] in self.pages
        page = self._build(index)
        if built:
            reload: Callable[[], None] | None = getattr(page, "reload", None)
            if reload is not None:
                reload()
