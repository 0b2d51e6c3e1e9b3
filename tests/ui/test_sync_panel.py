"""The sync panel against a real office (uvicorn on loopback, SQLite): sign in, sync with progress,
cancel, pending count and last sync time, and refused changes shown side by side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from integration.sync_helpers import PASSWORD, Office, answer, laptop, sqlite_office, start_visit
from PySide6.QtWidgets import QMainWindow, QToolBar
from pytestqt.qtbot import QtBot

from inspector_app.core.db import session_scope
from inspector_app.core.demo.load import load_reference
from inspector_app.core.workspace import open_workspace
from inspector_app.sync import client
from inspector_app.sync.client import SyncCancelled, SyncReport
from inspector_app.ui.sync_panel import SyncPanel, install_sync
from inspector_app.ui.tasks import Tasks


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    yield from sqlite_office(tmp_path_factory, "office-ui")


def _panel(qtbot: QtBot, ws: object) -> tuple[SyncPanel, Tasks, QMainWindow]:
    window = QMainWindow()
    window.addToolBar("Main").setObjectName("MainToolBar")
    tasks = Tasks(ws.engine)  # type: ignore[attr-defined]
    panel = install_sync(window, ws, tasks)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    return panel, tasks, window


def test_sign_in_then_sync_with_progress_and_cancel(qtbot: QtBot, office: Office, tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "a")
    with session_scope(ws.engine) as s:
        load_reference(s)
    panel, tasks, window = _panel(qtbot, ws)
    assert window.findChild(QToolBar, "MainToolBar").actions()[-1] is panel.sync_action
    assert not panel.sync_button.isEnabled()  # not signed in yet
    with qtbot.waitSignal(tasks.finished, timeout=30_000):
        panel.login(office.url, "an", PASSWORD, None)
    assert office.url in panel.status.text() and panel.sync_button.isEnabled()

    start_visit(ws)
    panel.refresh()
    assert not panel.pending.text().endswith(": 0")
    seen: list[object] = []
    panel.progressed.connect(seen.append)
    with qtbot.waitSignal(panel.finished, timeout=60_000) as done:
        panel.start_sync()
        assert panel.cancel_button.isEnabled() and not panel.sync_button.isEnabled()
    assert isinstance(done.args[0], SyncReport) and done.args[0].pushed > 0
    assert any(p.stage == "push" for p in seen)  # type: ignore[attr-defined]
    assert panel.pending.text().endswith(": 0")
    assert "never" not in panel.last_sync.text() and "chưa" not in panel.last_sync.text()
    assert panel.sync_button.isEnabled() and not panel.cancel_button.isEnabled()

    with qtbot.waitSignal(panel.finished, timeout=60_000) as stopped:
        panel.start_sync()
        panel.cancel()
    assert isinstance(stopped.args[0], SyncCancelled)
    assert panel.sync_button.isEnabled()
    tasks.wait_idle()


def test_refused_changes_show_both_versions(qtbot: QtBot, office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    visit_id = start_visit(a)
    client.sync(a)
    client.sync(b)
    answer(b, visit_id, "B9", "no")  # B's edit is older than A's: it loses at the office
    answer(a, visit_id, "B9", "yes")
    client.sync(a)
    panel, tasks, _window = _panel(qtbot, b)
    assert not panel.conflicts_button.isEnabled()
    with qtbot.waitSignal(panel.finished, timeout=60_000) as done:
        panel.start_sync()
    assert [r[2] for r in done.args[0].rejected] == ["stale"]
    assert panel.conflicts_button.isEnabled() and "1" in panel.conflicts_button.text()
    view = panel.show_conflicts()
    qtbot.addWidget(view)
    rows = {
        view.table.item(r, 0).text(): (view.table.item(r, 1).text(), view.table.item(r, 2).text())
        for r in range(view.table.rowCount())
    }
    assert rows["value"] == ('"no"', '"yes"')
    assert view.table.item(list(rows).index("value"), 1).font().bold()
    assert view.reason.text()
    tasks.wait_idle()


def test_a_folder_with_the_demo_visits_is_told_why_it_cannot_sign_in(
    qtbot: QtBot, office: Office, demo_ws: object
) -> None:
    panel, tasks, _window = _panel(qtbot, demo_ws)
    with qtbot.waitSignal(panel.finished, timeout=30_000) as refused:
        panel.login(office.url, "an", PASSWORD, None)
    assert isinstance(refused.args[0], client.DemoVisitsHere)
    assert "6" in panel.status.text() and "--data-dir" in panel.status.text()
    assert not panel.sync_button.isEnabled()  # still not signed in
    tasks.wait_idle()
