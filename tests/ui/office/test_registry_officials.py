"""The Registry page's officials: added, edited, moved to another unit and marked as left through the
dialogs; refusals are shown in Vietnamese in the dialog and nothing is written."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from PySide6.QtCore import QDate, Qt
from sqlmodel import select

from inspector_app.core.models import AuditEntry, Official
from inspector_app.core.registry.units import find_unit, list_officials
from inspector_app.core.workspace import Workspace
from inspector_app.ui.office.official_dialog import OfficialDialog
from inspector_app.ui.office.official_moves import MarkLeftDialog, MoveOfficialDialog
from inspector_app.ui.office.registry_page import RegistryPage
from inspector_app.ui.tasks import Tasks

UNIT, WARD = "HT-XA-THACH-KHE", "HT-PHUONG-THANH-SEN"


@pytest.fixture
def page(demo_ws: Workspace, qtbot) -> RegistryPage:  # type: ignore[no-untyped-def]
    widget = RegistryPage(demo_ws, Tasks(demo_ws.engine, synchronous=True))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    with demo_ws.session() as s:
        widget.units.select_unit(find_unit(s, UNIT).id)
    return widget


def _official(ws: Workspace, official_id: object) -> Official:
    with ws.session() as s:
        row = s.get(Official, official_id)
        assert row is not None
        return row


def _names(page: RegistryPage) -> list[str]:
    return [o.full_name for o in page.officials.model.rows]


def _actions(ws: Workspace) -> list[str]:
    with ws.session() as s:
        return [e.action for e in s.exec(select(AuditEntry)).all() if e.action.startswith("official.")]


def test_add_then_edit_an_official(page: RegistryPage, demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    roster = page.officials.model.rowCount()
    assert page.officials.title.text() == f"Cán bộ, công chức của UBND xã Thạch Khê ({roster})"
    qtbot.mouseClick(page.officials.add_button, Qt.MouseButton.LeftButton)
    dialog = page.officials.dialog
    assert isinstance(dialog, OfficialDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Thêm công chức cho UBND xã Thạch Khê"

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # empty: refused by the service
    assert dialog.error.text() == "Họ và tên không được để trống."
    dialog.full_name.setText(unicodedata.normalize("NFD", "  Lê   Thị Thu  Hà "))
    dialog.position.setText(" Chuyên viên ")
    dialog.department.setText("Văn phòng HĐND và UBND")
    dialog.gender.setCurrentIndex(dialog.gender.findData("nu"))
    dialog.birth_date.setText("31/02/1990")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Ngày sinh: 31/02/1990 không phải là ngày hợp lệ."
    dialog.birth_date.setText("1990")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Ngày sinh: ghi ngày theo dạng dd/mm/yyyy, không phải “1990”."
    dialog.birth_date.setText("5.3.1990")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert _actions(demo_ws) == ["official.add"]  # the refusals wrote nothing

    assert page.officials.model.rowCount() == roster + 1
    added = page.officials.current()
    assert added is not None and added.full_name == "Lê Thị Thu Hà"  # NFC, trimmed, selected
    stored = _official(demo_ws, added.id)
    assert (stored.position, stored.kind, stored.gender, stored.birth_date) == (
        "Chuyên viên",
        "cong_chuc",
        "nu",
        dt.date(1990, 3, 5),
    )
    assert unicodedata.is_normalized("NFC", stored.full_name)

    qtbot.mouseClick(page.officials.edit_button, Qt.MouseButton.LeftButton)
    edit = page.officials.dialog
    assert isinstance(edit, OfficialDialog) and edit.official is not None
    assert (edit.full_name.text(), edit.birth_date.text(), edit.gender.currentText()) == (
        "Lê Thị Thu Hà",
        "05/03/1990",
        "Nữ",
    )
    edit.position.setText("Công chức Văn phòng - Thống kê")
    edit.kind.setCurrentIndex(edit.kind.findData("vien_chuc"))
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert edit.result() == edit.DialogCode.Accepted
    stored = _official(demo_ws, added.id)
    assert (stored.position, stored.kind) == ("Công chức Văn phòng - Thống kê", "vien_chuc")
    row = _names(page).index("Lê Thị Thu Hà")
    assert page.officials.model.index(row, 4).data() == "Viên chức"


def test_move_to_another_unit(page: RegistryPage, demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    official = page.officials.model.rows[-1]
    page.officials.select_official(official.id)
    qtbot.mouseClick(page.officials.move_button, Qt.MouseButton.LeftButton)
    dialog = page.officials.dialog
    assert isinstance(dialog, MoveOfficialDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Hãy chọn đơn vị chuyển đến."
    qtbot.keyClicks(dialog.target.search, "thanh sen")
    assert dialog.target.list.currentItem().text() == "UBND phường Thành Sen"
    dialog.department.setText("Phòng Văn hóa - Xã hội")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted

    assert official.full_name not in _names(page)  # gone from Thạch Khê's roster
    with demo_ws.session() as s:
        ward = find_unit(s, WARD)
        moved = s.get(Official, official.id)
        assert moved is not None
        assert (moved.unit_id, moved.department, moved.position) == (
            ward.id,
            "Phòng Văn hóa - Xã hội",
            official.position,
        )
        assert list_officials(s, ward.id)[-1].id == official.id  # last in the new roster
    page.units.select_unit(ward.id)
    assert official.full_name in _names(page)


def test_mark_as_left_and_take_it_back(page: RegistryPage, demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    official = page.officials.model.rows[3]
    page.officials.select_official(official.id)
    qtbot.mouseClick(page.officials.left_button, Qt.MouseButton.LeftButton)
    dialog = page.officials.dialog
    assert isinstance(dialog, MarkLeftDialog) and not dialog.take_back.isVisible()
    dialog.left_on.setDate(QDate(2026, 10, 31))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert _official(demo_ws, official.id).left_on == dt.date(2026, 10, 31)
    assert official.full_name not in _names(page)  # only current officials by default
    assert page.officials.table.isColumnHidden(7)

    page.officials.show_left.setChecked(True)
    assert official.full_name in _names(page)
    assert not page.officials.table.isColumnHidden(7)
    row = _names(page).index(official.full_name)
    assert page.officials.model.index(row, 7).data() == "31/10/2026"

    page.officials.select_official(official.id)
    qtbot.mouseClick(page.officials.left_button, Qt.MouseButton.LeftButton)
    again = page.officials.dialog
    assert isinstance(again, MarkLeftDialog) and again.take_back.isVisible()
    again.take_back.setChecked(True)
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    assert _official(demo_ws, official.id).left_on is None
    assert _actions(demo_ws) == ["official.left", "official.left"]
