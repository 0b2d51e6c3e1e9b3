"""Screenshots of the office workspace's tabs (part of ``inspector-app shots``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from inspector_app.core.workspace import Workspace
from inspector_app.ui.office.workspace import OfficeWorkspace, page_factories
from inspector_app.ui.tasks import Tasks


def no_hover(office: OfficeWorkspace) -> None:
    """Offscreen the pointer rests on the first tab: its hover look would read as a second
    selected tab in every picture."""
    office.tabBar().setAttribute(Qt.WidgetAttribute.WA_Hover, False)


def office_shots(
    workspace: Workspace, tasks: Tasks, out: Path, suffix: str, save: Callable[[QWidget, Path], Path]
) -> list[Path]:
    """One PNG per tab, the workspace shown at the size of the main window."""
    office = OfficeWorkspace(workspace, tasks, QLabel())
    office.resize(1280, 800)
    office.show()
    no_hover(office)  # after show(): the style turns hover on when it polishes the tab bar
    written = []
    try:
        for name, _label, _factory in page_factories():
            office.show_page(name)
            QApplication.processEvents()
            tasks.wait_idle()  # pages computing in the background (results) finish first
            QApplication.processEvents()
            written.append(save(office, out / f"office-{name}-{suffix}.png"))
    finally:
        office.hide()
        office.deleteLater()
    return written
