"""The Registry page's units: searched without diacritics, added and edited through the dialog, closed
with a successor (the 2025 merger) and then shown with their history, and reopened."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from inspector_app.core.models import Unit
from inspector_app.core.registry.units import find_unit
from inspector_app.core.workspace import Workspace
from inspector_app.ui.office.registry_page import RegistryPage
from inspector_app.ui.office.unit_dialogs import CloseUnitDialog, UnitDialog
from inspector_app.ui.tasks import Tasks


@pytest.fixture
def page(demo_ws: Workspace, qtbot) -> RegistryPage:  # type: ignore[no-untyped-def]
    widget = RegistryPage(demo_ws, Tasks(demo_ws.engine, synchronous=True))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def _unit(ws: Workspace, code: str) -> Unit:
    with ws.session() as s:
        return find_unit(s, code)


def _history(page: RegistryPage) -> list[str]:
    return [page.detail.history.item(n).text() for n in range(page.detail.history.count())]


def _shown_names(page: RegistryPage) -> list[str]:
    names = []
    stack = [page.units.tree.topLevelItem(n) for n in range(page.units.tree.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        names.append(item.text(0))
        stack[:0] = [item.child(n) for n in range(item.childCount())]
    return names


def test_search_without_diacritics_and_see_a_merged_commune(page: RegistryPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(page.units.search, "thach khe")
    assert _shown_names(page) == [
        "UBND tỉnh Hà Tĩnh",  # the match's parent, so it is seen in its place
        "UBND xã Thạch Khê",
        "Trung tâm Phục vụ hành chính công xã Thạch Khê",
    ]
    assert page.units.tree.currentItem().text(0) == "UBND xã Thạch Khê"
    assert page.detail.values["type"].text() == "Xã"
    assert page.detail.values["period"].text() == "01/07/2025 –"
    assert page.detail.history_title.text() == "Lịch sử (1)"
    assert _history(page) == ["Được sáp nhập vào đơn vị này: UBND xã Thạch Hải (đến 30/06/2025)"]
    assert page.officials.title.text().startswith("Cán bộ, công chức của UBND xã Thạch Khê (")

    # the predecessor, from the history: an ended unit, shown with its successor and read-only
    page.detail.navigate.emit(page.detail.history.item(0).data(Qt.ItemDataRole.UserRole))
    assert page.units.show_ended.isChecked()
    assert page.units.current_unit().code == "HT-XA-THACH-HAI"  # type: ignore[union-attr]
    assert page.detail.title() == "UBND xã Thạch Hải (không còn tồn tại)"
    assert _history(page) == ["Đã sáp nhập vào: UBND xã Thạch Khê (từ 01/07/2025)"]
    assert not page.units.edit_button.isEnabled() and not page.units.close_button.isEnabled()
    assert not page.officials.add_button.isEnabled() and not page.officials.import_button.isEnabled()
    assert page.officials.note.isVisible()

    page.units.search.setText("Thạch Hà")  # with diacritics: the same folded search
    names = _shown_names(page)
    assert (
        "UBND huyện Thạch Hà" in names and "UBND thị trấn Thạch Hà" in names and "UBND xã Thạch Hà" in names
    )
    page.units.show_ended.setChecked(False)
    assert "UBND thị trấn Thạch Hà" not in _shown_names(page)


def test_close_a_unit_with_its_successor_then_reopen(page: RegistryPage, demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    old, new = _unit(demo_ws, "HT-XA-THIEN-CAM"), _unit(demo_ws, "HT-XA-CAM-XUYEN")
    page.units.select_unit(old.id)
    assert _history(page) == ["Chưa ghi nhận sáp nhập nào đối với đơn vị này."]
    qtbot.mouseClick(page.units.close_button, Qt.MouseButton.LeftButton)
    dialog = page.units.dialog
    assert isinstance(dialog, CloseUnitDialog) and dialog.isVisible()

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no successor chosen yet
    assert dialog.error.isVisible() and "Hãy chọn đơn vị kế thừa" in dialog.error.text()
    qtbot.keyClicks(dialog.successor.search, "cam xuyen")
    assert dialog.successor.list.currentItem().text() == "UBND xã Cẩm Xuyên"
    dialog.last_day.setDate(QDate(2025, 6, 30))  # before Thiên Cầm started: refused, nothing written
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "trước ngày đơn vị thành lập (01/07/2025)" in dialog.error.text()
    assert _unit(demo_ws, "HT-XA-THIEN-CAM").valid_to is None

    dialog.last_day.setDate(QDate(2026, 11, 30))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    closed = _unit(demo_ws, "HT-XA-THIEN-CAM")
    assert (closed.valid_to, closed.successor_id) == (dt.date(2026, 11, 30), new.id)

    # the page shows the closed unit and where it went; the successor shows what merged into it
    assert page.units.current_id() == old.id
    assert page.detail.title() == "UBND xã Thiên Cầm (không còn tồn tại)"
    assert _history(page) == ["Đã sáp nhập vào: UBND xã Cẩm Xuyên (từ 01/07/2025)"]
    assert page.units.tree.currentItem().text(3) == "đến 30/11/2026"
    page.detail.history.itemDoubleClicked.emit(page.detail.history.item(0))
    assert page.units.current_id() == new.id
    assert _history(page) == ["Được sáp nhập vào đơn vị này: UBND xã Thiên Cầm (đến 30/11/2026)"]

    page.units.select_unit(old.id)
    assert page.units.reopen_button.isEnabled()
    qtbot.mouseClick(page.units.reopen_button, Qt.MouseButton.LeftButton)
    assert _unit(demo_ws, "HT-XA-THIEN-CAM").valid_to is None
    assert page.units.close_button.isEnabled() and not page.units.reopen_button.isEnabled()


def test_add_and_edit_a_unit(page: RegistryPage, demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.units.select_unit(_unit(demo_ws, "HT-XA-THACH-KHE").id)
    qtbot.mouseClick(page.units.add_button, Qt.MouseButton.LeftButton)
    dialog = page.units.dialog
    assert isinstance(dialog, UnitDialog)
    assert dialog.parent_unit.currentText() == "UBND tỉnh Hà Tĩnh"  # next to the chosen commune
    assert dialog.unit_type.currentText() == "Xã"
    dialog.proper_name.setText("Kỳ Hoa")  # (keyClicks cannot type letters outside Latin-1)
    assert dialog.name.text() == "UBND xã Kỳ Hoa"  # suggested
    assert dialog.code.text() == "HT-XA-KY-HOA"
    qtbot.keyClicks(dialog.valid_from, "1/7/2025")
    dialog.address.setText("xã Kỳ Hoa, tỉnh Hà Tĩnh")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    added = _unit(demo_ws, "HT-XA-KY-HOA")
    assert (added.name, added.unit_type, added.valid_from) == ("UBND xã Kỳ Hoa", "xa", dt.date(2025, 7, 1))
    assert page.units.current_id() == added.id
    assert page.detail.values["name"].text() == "UBND xã Kỳ Hoa"

    qtbot.mouseClick(page.units.edit_button, Qt.MouseButton.LeftButton)
    edit = page.units.dialog
    assert isinstance(edit, UnitDialog) and edit.unit is not None
    edit.code.setText("ht-xa-thach-khe")  # taken: refused in the dialog, nothing written
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert edit.error.text() == "Mã HT-XA-THACH-KHE đã được dùng cho UBND xã Thạch Khê."
    edit.code.setText("HT-XA-KY-HOA")
    edit.valid_from.setText("31/02/2025")
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert edit.error.text() == "Thành lập từ ngày: 31/02/2025 không phải là ngày hợp lệ."
    edit.valid_from.setText("01/07/2025")
    edit.name.setText("UBND xã Kỳ Hoa (mới)")
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert edit.result() == edit.DialogCode.Accepted
    assert _unit(demo_ws, "HT-XA-KY-HOA").name == "UBND xã Kỳ Hoa (mới)"
    assert page.units.tree.currentItem().text(0) == "UBND xã Kỳ Hoa (mới)"
