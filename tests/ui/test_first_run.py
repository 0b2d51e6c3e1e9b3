"""The first-start guide on a new data folder: the demo path, the office path against a real office
on loopback, the language switch, and a screenshot of every page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from integration.sync_helpers import PASSWORD, Office, sqlite_office
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from inspector_app.core.local_user import check_local_password, has_local_password
from inspector_app.core.services.editor import get_setting
from inspector_app.sync.client import SyncReport
from inspector_app.ui.app import Startup
from inspector_app.ui.first_run import (
    PAGE_CHOICE,
    PAGE_DEMO,
    PAGE_OFFICE,
    PAGE_PASSWORD,
    PAGE_USER,
    FirstRun,
    FirstRunWizard,
)
from inspector_app.ui.settings import Settings
from inspector_app.ui.tasks import Tasks

NAME = "Nguyễn Thị Hoa"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    yield from sqlite_office(tmp_path_factory, "office-first-run")


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        if startup.first_run is not None:
            startup.first_run.wizard.close()
        if startup.window is not None:
            startup.window.close()
            startup.window.deleteLater()
        startup.close()


def open_guide(qtbot: QtBot, startups: list[Startup], folder: Path) -> tuple[Startup, FirstRunWizard]:
    startup = Startup(folder, Settings(), Tasks())
    startups.append(startup)
    with qtbot.waitSignal(startup.first_run_opened, timeout=60_000) as blocker:
        startup.start()
    guide = blocker.args[0]
    assert isinstance(guide, FirstRun) and guide.wizard.isVisible()
    return startup, guide.wizard


def fill_in(wizard: FirstRunWizard, *, demo: bool) -> None:
    wizard.next()
    assert wizard.currentId() == PAGE_USER
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # a name is required
    wizard.user_page.name.setText(NAME)
    wizard.user_page.position.setText("Thanh tra viên")
    wizard.user_page.team.setText("demo")
    wizard.next()
    assert wizard.currentId() == PAGE_PASSWORD
    wizard.password_page.password.setText("khoa-may-1")
    wizard.password_page.again.setText("khoa-may-2")
    assert not wizard.password_page.isComplete()
    assert wizard.password_page.problem.text() == "Hai mật khẩu không khớp nhau."
    wizard.password_page.again.setText("khoa-may-1")
    assert wizard.password_page.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_CHOICE
    (wizard.choice_page.demo if demo else wizard.choice_page.office).setChecked(True)
    wizard.next()
    assert wizard.currentId() == (PAGE_DEMO if demo else PAGE_OFFICE)


def test_the_demo_choice_loads_the_demo_and_stores_the_user(
    qtbot: QtBot, startups: list[Startup], tmp_path: Path
) -> None:
    startup, wizard = open_guide(qtbot, startups, tmp_path / "fresh")
    fill_in(wizard, demo=True)
    with qtbot.waitSignal(startup.demo_loaded, timeout=120_000) as blocker:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert blocker.args[0].visits_total == 6
    assert startup.window is not None and startup.window.home is not None
    assert startup.window.home.model.rowCount() == 6
    ws = startup.workspace
    assert ws is not None and ws.editor.actor == NAME
    with ws.session() as session:
        assert get_setting(session, "actor") == NAME
        assert get_setting(session, "actor.position") == "Thanh tra viên"
        assert get_setting(session, "actor.team_code") == "demo"
        assert has_local_password(session) and check_local_password(session, "khoa-may-1")
        assert not check_local_password(session, "khoa-may-2")


def test_the_guide_does_not_come_back_once_done(
    qtbot: QtBot, startups: list[Startup], tmp_path: Path
) -> None:
    folder = tmp_path / "fresh"
    startup, wizard = open_guide(qtbot, startups, folder)
    fill_in(wizard, demo=True)
    with qtbot.waitSignals([startup.first_run.saved, startup.demo_loaded], timeout=120_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    startup.window.close()  # type: ignore[union-attr]
    startup.close()
    again = Startup(folder, Settings(), Tasks())
    startups.append(again)
    again.first_run_opened.connect(lambda _g: pytest.fail("the guide must only show once"))
    with qtbot.waitSignal(again.ready, timeout=60_000):
        again.start()
    assert again.first_run is None


def test_the_office_choice_signs_in_and_syncs(
    qtbot: QtBot, startups: list[Startup], tmp_path: Path, office: Office
) -> None:
    startup, wizard = open_guide(qtbot, startups, tmp_path / "fresh")
    fill_in(wizard, demo=False)
    page = wizard.office_page
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    page.sign_in.click()  # nothing typed yet
    assert page.status.text() == "Hãy nhập địa chỉ cơ quan, tên người dùng và mật khẩu."
    page.server.setText(office.url)
    page.user.setText("an")
    page.password.setText("sai-mat-khau")
    page.sign_in.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert page.status.text().startswith("Không đăng nhập được:")
    assert not finish.isEnabled()
    page.password.setText(PASSWORD)
    page.sign_in.click()
    qtbot.waitUntil(lambda: page.isComplete(), timeout=30_000)
    assert page.status.text() == "Đã đăng nhập với tên an."
    assert finish.isEnabled() and page.sync_now.isChecked()
    assert startup.window is not None and startup.window.sync_panel is not None
    with qtbot.waitSignal(startup.window.sync_panel.finished, timeout=120_000) as blocker:
        finish.click()
    report = blocker.args[0]
    assert isinstance(report, SyncReport) and report.pulled > 0  # the registry came from the office
    ws = startup.workspace
    assert ws is not None
    with ws.session() as session:
        assert get_setting(session, "sync.user") == "an"
        assert get_setting(session, "actor") == NAME
        assert get_setting(session, "first_run.done") == "office"


def test_choosing_english_translates_the_guide_and_is_saved(
    qtbot: QtBot, startups: list[Startup], tmp_path: Path
) -> None:
    startup, wizard = open_guide(qtbot, startups, tmp_path / "fresh")
    assert wizard.windowTitle() == "Cài đặt máy này"
    wizard.language_page.buttons["en"].setChecked(True)
    assert wizard.windowTitle() == "Set up this laptop"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Next >"
    assert startup.settings.language == "en"
    wizard.language_page.buttons["vi"].setChecked(True)
    assert wizard.user_page.title() == "Ai đang sử dụng máy này?"
    assert startup.settings.language == "vi"


def test_screenshots_of_every_page(qtbot: QtBot, startups: list[Startup], tmp_path: Path) -> None:
    _startup, wizard = open_guide(qtbot, startups, tmp_path / "fresh")
    shots = tmp_path / "shots"
    shots.mkdir()
    wizard.resize(720, 520)

    def shoot(name: str) -> None:
        qtbot.wait(20)
        image = wizard.grab().toImage()
        assert not image.isNull() and image.width() >= 640
        image.save(str(shots / f"first-run-{name}.png"))

    shoot("1-language")
    wizard.next()
    wizard.user_page.name.setText(NAME)
    shoot("2-user")
    wizard.next()
    wizard.password_page.password.setText("ngan")
    shoot("3-password")
    wizard.password_page.password.setText("khoa-may-1")
    wizard.password_page.again.setText("khoa-may-1")
    wizard.next()
    shoot("4-choice")
    wizard.next()
    wizard.office_page._show_error("Không đăng nhập được: Sai tên người dùng hoặc mật khẩu")
    shoot("5-office")
    wizard.back()
    wizard.choice_page.demo.setChecked(True)
    wizard.next()
    shoot("6-demo")
    assert len(list(shots.glob("*.png"))) == 6
