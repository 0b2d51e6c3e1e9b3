"""The checklist tab on a real demo database: every editor type round-trips through SQLite,
conditions show and hide items, failing answers are highlighted and drafted, auto items show the
roll call, the missing panel jumps, and a signed visit is read-only."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlmodel import Session, select

from inspector_app.core.forms import parse_form
from inspector_app.core.models import Finding, Unit, Visit, VisitStatus
from inspector_app.core.services import roll_call, visits
from inspector_app.core.services.forms_registry import register_form
from inspector_app.core.workspace import Workspace
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.answer_editors import (
    AutoEditor,
    ButtonsEditor,
    ChecksEditor,
    ComboEditor,
    LineEditor,
    TableEditor,
    TextEditor,
)
from inspector_app.ui.visit.checklist_view import ChecklistView

EVERY_TYPE = """
code: thu-giao-dien
version: 1
title: Phiếu thử giao diện (mọi kiểu trả lời)
sections:
  - code: A
    title: Các kiểu trả lời
    items:
      - {code: A1, label: Có niêm yết thủ tục hành chính, type: yes_no, required: true, fail_when: [no],
         finding: Chưa niêm yết thủ tục hành chính., legal_basis: Nghị định 118/2025/NĐ-CP, hint: Xem bảng tin.}
      - {code: A2, label: Hồ sơ mẫu, type: yes_no_na}
      - code: A3
        label: Thái độ phục vụ
        type: single_choice
        fail_when: [chua_dat]
        choices: [{value: tot, label: Tốt}, {value: dat, label: Đạt}, {value: chua_dat, label: Chưa đạt}]
      - code: A4
        label: Hình thức kiểm tra
        type: single_choice
        choices:
          - {value: dot_xuat, label: Đột xuất không báo trước thời gian và địa điểm}
          - {value: theo_ke_hoach, label: Theo kế hoạch kiểm tra công vụ năm đã được phê duyệt}
      - code: A5
        label: Hình thức công khai
        type: multi_choice
        choices: [{value: bang_tin, label: Bảng tin}, {value: web, label: Trang điện tử}, {value: loa, label: Loa}]
      - {code: A6, label: Số hồ sơ trễ hạn, type: count, fail_when: {greater_than: 2}}
      - {code: A7, label: Tỷ lệ hồ sơ trực tuyến (%), type: number, min: 0, max: 100}
      - {code: A8, label: Giờ mở cửa, type: time}
      - {code: A9, label: Ngày ban hành quy chế, type: date}
      - {code: A10, label: Nhận xét, type: text}
      - {code: A11, label: Ảnh minh chứng, type: photo}
      - code: A12
        label: Yêu cầu khắc phục
        type: table
        columns: [{code: noi_dung, label: Nội dung, type: text}, {code: thoi_han, label: Thời hạn, type: date}]
      - {code: A13, label: Ghi rõ thủ tục chưa niêm yết, type: text, required: true, condition: {item: A1, equals: no}}
"""


def visit_ids(ws: Workspace, status: str) -> list[uuid.UUID]:
    with Session(ws.engine) as session:
        rows = session.exec(select(Visit).where(Visit.status == status).order_by(Visit.started_at)).all()
        return [v.id for v in rows]


@pytest.fixture
def test_visit(demo_ws: Workspace) -> uuid.UUID:
    """A draft visit on a test form holding every answer type."""
    with Session(demo_ws.engine) as session:
        form = register_form(session, demo_ws.editor, parse_form(EVERY_TYPE))
        unit = session.exec(select(Unit).order_by(Unit.code)).first()
        assert unit is not None
        visit = visits.start_visit(session, demo_ws.editor, unit_id=unit.id, form_id=form.id)
        session.commit()
        return visit.id


def stored(ws: Workspace, visit_id: uuid.UUID) -> dict[str, object]:
    with Session(ws.engine) as session:  # a fresh session: what was committed
        return visits.answer_values(session, visit_id)


def make_view(qtbot, ws: Workspace, visit_id: uuid.UUID) -> ChecklistView:  # type: ignore[no-untyped-def]
    view = ChecklistView(ws, Tasks(ws.engine, synchronous=True), visit_id)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    return view


def test_every_editor_round_trips_through_the_database(demo_ws: Workspace, test_visit, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, demo_ws, test_visit)
    rows = view.rows
    assert set(rows) == {f"A{n}" for n in range(1, 14)}  # the first section is built at once
    saved: list[None] = []
    view.changed.connect(lambda: saved.append(None))

    a1 = rows["A1"].editor
    assert isinstance(a1, ButtonsEditor)
    qtbot.mouseClick(a1.buttons["yes"], Qt.MouseButton.LeftButton)
    a2 = rows["A2"].editor
    assert isinstance(a2, ButtonsEditor) and set(a2.buttons) == {"yes", "no", "na"}
    qtbot.mouseClick(a2.buttons["na"], Qt.MouseButton.LeftButton)
    a3 = rows["A3"].editor
    assert isinstance(a3, ButtonsEditor)  # short labels: buttons
    qtbot.mouseClick(a3.buttons["dat"], Qt.MouseButton.LeftButton)
    a4 = rows["A4"].editor
    assert isinstance(a4, ComboEditor)  # long labels: a list
    a4.combo.setCurrentIndex(2)
    a4.combo.activated.emit(2)
    a5 = rows["A5"].editor
    assert isinstance(a5, ChecksEditor)
    a5.boxes["loa"].click()  # (a wide check box: its centre lies beyond the label)
    a5.boxes["bang_tin"].click()
    for code, text in (("A6", " 2 "), ("A7", "45,5"), ("A8", "7h30"), ("A9", "01/07/2025")):
        editor = rows[code].editor
        assert isinstance(editor, LineEditor)
        editor.line.setText(text)
        editor.line.editingFinished.emit()
    a10 = rows["A10"].editor
    assert isinstance(a10, TextEditor)
    a10.box.setPlainText("  Bộ phận Một cửa bố trí gọn gàng, ngăn nắp.  ")
    a10.finish()
    a12 = rows["A12"].editor
    assert isinstance(a12, TableEditor)
    a12.add_row()
    a12.table.item(0, 0).setText("Niêm yết đầy đủ thủ tục")
    a12.table.item(0, 1).setText("15/08/2025")

    assert stored(demo_ws, test_visit) == {
        "A1": "yes",
        "A2": "na",
        "A3": "dat",
        "A4": "theo_ke_hoach",
        "A5": ["bang_tin", "loa"],  # form order, not click order
        "A6": 2,
        "A7": 45.5,
        "A8": "07:30",
        "A9": "2025-07-01",
        "A10": "Bộ phận Một cửa bố trí gọn gàng, ngăn nắp.",
        "A12": [{"noi_dung": "Niêm yết đầy đủ thủ tục", "thoi_han": "2025-08-15"}],
    }
    assert len(saved) >= 11
    # The widgets show the stored values the Vietnamese way.
    assert rows["A7"].editor.line.text() == "45,5"  # type: ignore[attr-defined]
    assert rows["A9"].editor.line.text() == "01/07/2025"  # type: ignore[attr-defined]
    assert a12.table.item(0, 1).text() == "15/08/2025"
    # A second click on the chosen answer clears it.
    qtbot.mouseClick(a2.buttons["na"], Qt.MouseButton.LeftButton)
    assert "A2" not in stored(demo_ws, test_visit)
    # A note is kept with the answer.
    rows["A3"].note.setText("Hỏi 3 người dân")
    rows["A3"].note.editingFinished.emit()
    with Session(demo_ws.engine) as session:
        from inspector_app.core.ids import answer_id
        from inspector_app.core.models import Answer

        row = session.get(Answer, answer_id(test_visit, "A3"))
        assert row is not None and row.note == "Hỏi 3 người dân" and row.value == '"dat"'


def test_a_bad_value_is_refused_and_the_widget_reverts(demo_ws: Workspace, test_visit, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, demo_ws, test_visit)
    editor = view.rows["A7"].editor
    assert isinstance(editor, LineEditor)
    editor.line.setText("45")
    editor.line.editingFinished.emit()
    editor.line.setText("150")  # more than the maximum 100
    editor.line.editingFinished.emit()
    assert stored(demo_ws, test_visit)["A7"] == 45
    assert editor.line.text() == "45"
    assert "100" in view.status.text() and "A7" in view.status.text()
    assert view.rows["A7"].status.property("error") is True


def test_a_condition_shows_and_hides_an_item(demo_ws: Workspace, test_visit, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, demo_ws, test_visit)
    a1, a13 = view.rows["A1"].editor, view.rows["A13"]
    assert isinstance(a1, ButtonsEditor)
    assert a13.isHidden()
    a1.choose("no")
    assert not a13.isHidden()
    assert "A13" in {m.code for m in view.data.missing}  # type: ignore[union-attr]
    a1.choose("yes")
    assert a13.isHidden()
    assert "A13" not in {m.code for m in view.data.missing}  # type: ignore[union-attr]


def test_a_failing_answer_is_highlighted_and_drafts_a_finding(demo_ws: Workspace, test_visit, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, demo_ws, test_visit)
    row = view.rows["A1"]
    assert row.property("failing") is False and row.fail_badge.isHidden()
    row.editor.choose("no")  # type: ignore[attr-defined]
    assert row.property("failing") is True and not row.fail_badge.isHidden()
    with Session(demo_ws.engine) as session:
        found = session.exec(select(Finding).where(Finding.visit_id == test_visit)).all()
        assert [(f.source_ref, f.text, f.deleted) for f in found] == [
            ("A1", "Chưa niêm yết thủ tục hành chính.", False)
        ]
    count = view.rows["A6"].editor
    assert isinstance(count, LineEditor)
    count.line.setText("5")  # fail_when greater_than 2
    count.line.editingFinished.emit()
    assert view.rows["A6"].property("failing") is True
    row.editor.choose("yes")  # fixed: the finding is withdrawn
    assert row.property("failing") is False
    with Session(demo_ws.engine) as session:
        live = session.exec(
            select(Finding).where(Finding.visit_id == test_visit, Finding.deleted == False)  # noqa: E712
        ).all()
        assert {f.source_ref for f in live} == {"A6"}
    assert "Nghị định 118/2025/NĐ-CP" in row.label.toolTip() and "Xem bảng tin." in row.label.toolTip()


def test_auto_items_show_the_roll_call_totals_read_only(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.DRAFT)[0]
    view = make_view(qtbot, demo_ws, visit_id)
    with Session(demo_ws.engine) as session:
        totals = roll_call.totals(session, visit_id)
    view.show_section(1)  # B: working hours and discipline
    b1 = view.rows["B1"]
    assert isinstance(b1.editor, AutoEditor)
    assert b1.editor.label.text() == f"{totals.total} (từ bảng điểm danh)"
    assert view.rows["B3"].property("failing") is (totals.late > 0)
    assert b1.note.isHidden()


def test_sections_build_lazily_and_missing_jumps_to_the_item(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.DRAFT)[0]
    view = make_view(qtbot, demo_ws, visit_id)
    assert set(view.rows) == {i.code for i in view.data.spec.sections[0].items}  # type: ignore[union-attr]
    clear_a3 = view.rows["A3"]
    clear_a3.editor.line.setText("")  # type: ignore[attr-defined]
    clear_a3.editor.line.editingFinished.emit()  # type: ignore[attr-defined]
    codes = [view.missing_list.item(i).text() for i in range(view.missing_list.count())]
    assert any(c.startswith("A3:") for c in codes)
    assert clear_a3.property("missing") is True
    # Jump from the panel to an item of a section not built yet.
    view.show_section(4)
    entry = next(
        view.missing_list.item(i)
        for i in range(view.missing_list.count())
        if view.missing_list.item(i).text().startswith("A3:")
    )
    view._missing_activated(entry)
    assert view.stack.currentIndex() == 0 and view.sections.currentRow() == 0
    assert view.missing_box.title().startswith("Còn thiếu")


def test_a_signed_visit_is_read_only(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    visit_id = visit_ids(demo_ws, VisitStatus.SIGNED)[0]
    before = stored(demo_ws, visit_id)
    view = make_view(qtbot, demo_ws, visit_id)
    assert view.is_read_only()
    assert not view.draft_button.isEnabled()
    row = view.rows["A2"]
    editor = row.editor
    assert isinstance(editor, TextEditor) and editor.box.isReadOnly()
    assert row.note.isReadOnly()
    editor.edited.emit("đổi nội dung")  # even if a signal gets through, nothing is written
    assert stored(demo_ws, visit_id) == before
    assert "khóa" in view.status.text()


def test_set_read_only_disables_every_editor(demo_ws: Workspace, test_visit, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, demo_ws, test_visit)
    view.set_read_only(True)
    buttons = view.rows["A1"].editor.findChildren(QWidget)
    assert buttons and not any(b.isEnabled() for b in buttons)
    assert view.rows["A11"].photos is not None and view.rows["A11"].photos.add_button.isHidden()
    view.set_read_only(False)
    assert all(b.isEnabled() for b in view.rows["A1"].editor.findChildren(QWidget))


def test_screenshot(demo_ws: Workspace, test_visit, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    out = Path(os.environ.get("INSPECTOR_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    view = make_view(qtbot, demo_ws, test_visit)
    view.rows["A1"].editor.choose("no")  # type: ignore[attr-defined]
    view.rows["A3"].editor.choose("chua_dat")  # type: ignore[attr-defined]
    view.show()
    assert view.grab().save(str(out / "checklist-every-type.png"))
    draft = make_view(qtbot, demo_ws, visit_ids(demo_ws, VisitStatus.DRAFT)[0])
    draft.show()
    draft.show_section(1)
    assert draft.grab().save(str(out / "checklist-demo-b.png"))
    assert dt.date.today()  # keep the import used when the env var is unset
