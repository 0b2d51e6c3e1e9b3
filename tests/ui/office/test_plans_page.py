"""The "Plans and teams" tab on the demo database (pytest-qt, offscreen): a plan, its units to visit
and its team decision made through the page's dialogs, refusals shown in the dialog, the PDFs
previewed and exported; and the laptop's start dialog offering the planned visit."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.desk import decisions, planned_visits, plans
from inspector_app.core.models import Plan, Team, TeamDecision, Unit, Visit
from inspector_app.core.workspace import Workspace
from inspector_app.ui.office.plans_page import PlansPage
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.start_visit_dialog import StartVisitDialog


def make_page(qtbot, ws: Workspace) -> PlansPage:  # type: ignore[no-untyped-def]
    page = PlansPage(ws, Tasks(ws.engine, synchronous=True))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


def cells(model, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [cells for cells, _obj in model.rows for cells in [cells[column]]]


def pick(dialog, name: str) -> None:  # type: ignore[no-untyped-def]
    names = [dialog.picker.list.item(n).text() for n in range(dialog.picker.list.count())]
    dialog.picker.list.setCurrentRow(names.index(name))


def save(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_plan_units_and_team_decision_through_the_page(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    assert cells(page.plans_model, 0) == ["45/KH-UBND"]

    # A new plan: the number comes from the register.
    dialog = page.new_plan()
    dialog.title.setText("Kiểm tra công vụ đột xuất quý III năm 2026")
    dialog.issued_on.setDate(QDate(2026, 6, 20))
    dialog.period_from.setDate(QDate(2026, 7, 1))
    dialog.period_to.setDate(QDate(2026, 9, 30))
    dialog.signer.setText("Phan Quốc Hưng")
    dialog.period_to.setDate(QDate(2026, 6, 1))  # before the start: refused, shown in the dialog
    save(qtbot, dialog)
    assert dialog.error.isVisible() and "30/06/2026" not in dialog.error.text()
    assert dialog.error.text().startswith("Chưa lưu được")
    dialog.period_to.setDate(QDate(2026, 9, 30))
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert cells(page.plans_model, 0) == ["01/KH-UBND", "45/KH-UBND"]
    plan_id = page.current_plan_id()
    with Session(demo_ws.engine) as s:
        plan = s.get(Plan, plan_id)
        assert plan is not None and plan.number == "01/KH-UBND" and plan.team_id is not None

    # Units to visit, through the searchable picker.
    dialog = page.add_units()
    dialog.picker.search.setText("thach khe")  # without diacritics
    pick(dialog, "UBND xã Thạch Khê")
    dialog.day.setDate(QDate(2026, 7, 15))
    save(qtbot, dialog)
    dialog = page.add_units()
    dialog.picker.search.setText("thanh sen")
    pick(dialog, "UBND phường Thành Sen")
    dialog.fixed_day.setChecked(False)
    dialog.mode.setCurrentIndex(1)  # surprise
    save(qtbot, dialog)
    assert cells(page.planned_model, 1) == ["UBND xã Thạch Khê", "UBND phường Thành Sen"]
    assert cells(page.planned_model, 0) == ["15/07/2026", "chưa ấn định ngày"]
    assert cells(page.planned_model, 2) == ["Theo kế hoạch", "Đột xuất"]
    assert set(cells(page.planned_model, 4)) == {"Chưa thực hiện"}
    dialog = page.add_units()
    dialog.picker.search.setText("thach khe")
    pick(dialog, "UBND xã Thạch Khê")
    save(qtbot, dialog)  # already in the plan: refused, the dialog stays open
    assert dialog.isVisible() and "đã có trong kế hoạch" in dialog.error.text()
    dialog.reject()
    assert cells(page.plans_model, 4)[0] == "2"  # planned

    # Change the day of one, remove the other.
    page.planned.selectRow(0)
    dialog = page.change_planned()
    dialog.day.setDate(QDate(2026, 7, 20))
    save(qtbot, dialog)
    assert cells(page.planned_model, 0)[0] == "20/07/2026"
    page.confirm = lambda *_a: True
    page.planned.selectRow(1)
    page.remove_planned()
    assert cells(page.planned_model, 1) == ["UBND xã Thạch Khê"]
    assert "125/QĐ-UBND" in page.decision_label.text()  # the team's decision until the plan has its own

    # The team decision: the plan's team starts with its members; one new inspector as secretary.
    dialog = page.open_decision()
    assert dialog.members.rowCount() == 6
    dialog.signed_on.setDate(QDate(2026, 6, 25))
    dialog.signer.setText("Phan Quốc Hưng")
    dialog.signer_position.setText("CHỦ TỊCH")
    dialog.new_name.setText("Trần Thị Ngọc Ánh")
    dialog.new_position.setText("Chuyên viên")
    dialog.new_agency.setText("Sở Nội vụ tỉnh Hà Tĩnh")
    dialog.add_new_inspector()
    assert dialog.members.rowCount() == 7
    role = dialog.members.cellWidget(6, 2)
    assert isinstance(role, QComboBox)
    role.setCurrentIndex(role.findData("truong_doan"))  # two leaders: refused
    save(qtbot, dialog)
    assert dialog.isVisible() and "đúng một trưởng đoàn" in dialog.error.text()
    role.setCurrentIndex(role.findData("thu_ky"))
    dialog.members.selectRow(5)  # Bùi Thị Hương, the demo's secretary, leaves the team
    dialog.remove_selected()
    assert dialog.pick.findText("Bùi Thị Hương", Qt.MatchFlag.MatchStartsWith) >= 0
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert page.decision_label.text().startswith("Quyết định thành lập đoàn số 02/QĐ-UBND ngày 25/06/2026: 6")
    with Session(demo_ws.engine) as s:
        row = s.exec(select(TeamDecision).where(TeamDecision.plan_id == plan_id)).one()
        names = {m.full_name: m.role for m in decisions.team_members(s, row.team_id)}
    assert names["Trần Thị Ngọc Ánh"] == "thu_ky" and "Bùi Thị Hương" not in names
    page.grab().save(str(tmp_path / "plans-page.png"))

    # The documents: previewed, exported.
    page.preview_plan()
    assert page.dialog.pages.page_count() >= 2
    page.preview_decision()
    assert page.dialog.pages.page_count() >= 1
    page.choose_export = lambda _parent, _path: tmp_path / "quyet-dinh.pdf"
    assert page.export_decision()
    out = subprocess.run(["pdftotext", str(tmp_path / "quyet-dinh.pdf"), "-"], capture_output=True)
    text = " ".join(out.stdout.decode("utf-8").split())
    assert "Số: 02/QĐ-UBND" in text and "Trần Thị Ngọc Ánh" in text and "Thư ký" in text
    page.choose_export = lambda _parent, _path: tmp_path / "ke-hoach.pdf"
    assert page.export_plan()
    assert (tmp_path / "ke-hoach.pdf").read_bytes().startswith(b"%PDF")

    # Editing the decision keeps it (same number, no new row).
    dialog = page.open_decision()
    assert dialog.decision_id is not None and dialog.number.text() == "02/QĐ-UBND"
    dialog.reject()


def test_the_start_dialog_offers_the_planned_visit(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ws = demo_ws
    with session_scope(ws.engine) as s:
        team = s.exec(select(Team).where(Team.code == "demo")).one()
        today = dt.date.today()
        plan = plans.create_plan(
            s,
            ws.editor,
            plans.PlanFields(
                title="Kiểm tra theo kế hoạch",
                issuer="UBND tỉnh Hà Tĩnh",
                issued_on=today,
                period_from=today,
                period_to=today + dt.timedelta(days=30),
                team_id=team.id,
                default_form_code="trung-tam-phuc-vu-hanh-chinh-cong",
            ),
        )
        unit = s.exec(select(Unit).where(Unit.code == "HT-XA-CAN-LOC")).one()
        planned = planned_visits.add_planned_visit(s, ws.editor, plan.id, unit.id, planned_on=today)
        plan_id, planned_id = plan.id, planned.id
    tasks = Tasks(ws.engine, synchronous=True)
    dialog = StartVisitDialog(ws, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kind.currentIndex() == 1  # the planned visits first
    assert dialog.kind.tabText(1) == "Theo kế hoạch (1)"
    assert dialog.planned.count() == 1 and "UBND xã Can Lộc · Theo kế hoạch" in dialog.planned.item(0).text()
    assert dialog.plan.currentData().id == plan_id and not dialog.plan.isEnabled()
    assert "Trung tâm Phục vụ" in dialog.form.currentText()  # the plan's default form
    assert dialog.start_button.isEnabled()
    with qtbot.waitSignal(dialog.visit_started, timeout=5000) as started:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    with Session(ws.engine) as s:
        visit = s.get(Visit, started.args[0])
        assert visit is not None
        assert (visit.planned_visit_id, visit.plan_id, visit.mode) == (planned_id, plan_id, "theo_ke_hoach")
    again = StartVisitDialog(ws, tasks)
    qtbot.addWidget(again)
    assert again.planned.count() == 0 and again.kind.currentIndex() == 0  # started: no longer offered
