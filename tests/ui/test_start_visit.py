"""Starting a surprise visit: the unit typed without diacritics, the default form and team, the
members present and the arrival time — and what the database holds after the commit."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QDateTime, Qt
from sqlmodel import Session, select

from inspector_app.core.models import FormVersion, Inspector, RollCall, Unit, Visit, VisitMember
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.workspace import Workspace
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.start_visit_dialog import StartVisitDialog

NOW = dt.datetime(2026, 11, 30, 7, 20, tzinfo=VN_TZ)


def dialog_on(ws: Workspace, qtbot) -> StartVisitDialog:  # type: ignore[no-untyped-def]
    dialog = StartVisitDialog(ws, Tasks(ws.engine, synchronous=True), now=NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def unit_names(dialog: StartVisitDialog) -> list[str]:
    return [dialog.units.item(n).text() for n in range(dialog.units.count())]


def test_typing_without_diacritics_finds_the_unit(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_on(demo_ws, qtbot)
    assert not dialog.start_button.isEnabled()  # no unit chosen yet
    qtbot.keyClicks(dialog.search, "thach khe")
    names = unit_names(dialog)
    assert names[0] == "UBND xã Thạch Khê"
    assert "Trung tâm Phục vụ hành chính công xã Thạch Khê" in names
    assert all("Thạch Khê" in n for n in names)
    assert dialog.units.currentItem().text() == "UBND xã Thạch Khê"  # best match chosen
    dialog.search.clear()
    dialog.search.setText("Thạch Khê")  # with diacritics (typed through an input method): the same
    assert unit_names(dialog) == names
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)  # arrows walk the list from the search field
    assert dialog.units.currentRow() == 1


def test_defaults_plan_form_team_and_members(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_on(demo_ws, qtbot)
    assert dialog.plan.currentText().startswith("45/KH-UBND")
    assert dialog.form.currentText() == "Kiểm tra công vụ đột xuất (v1)"  # the plan's default_form_code
    assert dialog.members.count() == 6
    assert dialog.members.item(0).text().startswith("Lê Văn Thắng")  # the leader first
    assert "(Trưởng đoàn)" in dialog.members.item(0).text()
    assert len(dialog.selected_members()) == 6
    assert dialog.arrival_time() == NOW
    dialog.plan.setCurrentIndex(0)  # no plan: the surprise form
    assert dialog.form.currentText() == "Kiểm tra công vụ đột xuất (v1)"


def test_accept_stores_the_visit_members_and_roll_call(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_on(demo_ws, qtbot)
    qtbot.keyClicks(dialog.search, "thach khe")
    dialog.members.item(3).setCheckState(Qt.CheckState.Unchecked)  # stayed at the office
    dialog.arrived.setDateTime(QDateTime(2026, 11, 30, 7, 45, 0))
    with qtbot.waitSignal(dialog.visit_started, timeout=5000) as started:
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # Enter starts the visit
    visit_id = started.args[0]
    assert isinstance(visit_id, uuid.UUID) and dialog.visit_id == visit_id
    assert dialog.result() == dialog.DialogCode.Accepted

    with Session(demo_ws.engine) as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert session.get(Unit, visit.unit_id).name == "UBND xã Thạch Khê"  # type: ignore[union-attr]
        assert session.get(FormVersion, visit.form_id).code == "kiem-tra-cong-vu-dot-xuat"  # type: ignore[union-attr]
        assert (visit.status, visit.mode) == ("draft", "dot_xuat")
        assert visit.arrived_at == dt.datetime(2026, 11, 30, 0, 45, tzinfo=dt.UTC)
        assert visit.plan_id is not None and visit.team_id is not None
        members = session.exec(
            select(Inspector.full_name, VisitMember.role)
            .join(VisitMember, VisitMember.inspector_id == Inspector.id)  # type: ignore[arg-type]
            .where(VisitMember.visit_id == visit_id)
        ).all()
        assert len(members) == 5
        assert ("Lê Văn Thắng", "truong_doan") in members
        assert ("Bùi Thị Hương", "thu_ky") in members
        rolls = session.exec(select(RollCall).where(RollCall.visit_id == visit_id)).all()
        assert len(rolls) == 25 and all(r.status is None for r in rolls)


def test_no_member_ticked_cannot_start(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_on(demo_ws, qtbot)
    qtbot.keyClicks(dialog.search, "thach khe")
    assert dialog.start_button.isEnabled()
    for n in range(dialog.members.count()):
        dialog.members.item(n).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.start_button.isEnabled()
    dialog.start()
    with Session(demo_ws.engine) as session:
        assert len(session.exec(select(Visit)).all()) == 6  # the demo's, nothing new
