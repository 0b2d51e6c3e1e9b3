"""The Registry page's working hours (a schedule with bad times is refused with a clear message and
nothing written; a good one is listed) and checklist forms (a broken YAML file shows every problem
with its line number and registers nothing; a valid new version is loaded and listed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QFileDialog
from sqlmodel import select

from inspector_app.core.models import FormVersion, WorkSchedule
from inspector_app.core.workspace import Workspace
from inspector_app.paths import shipped
from inspector_app.ui.office.forms_panel import FormErrorsDialog
from inspector_app.ui.office.registry_page import RegistryPage
from inspector_app.ui.office.schedules_panel import ScheduleDialog
from inspector_app.ui.tasks import Tasks


@pytest.fixture
def page(demo_ws: Workspace, qtbot) -> RegistryPage:  # type: ignore[no-untyped-def]
    widget = RegistryPage(demo_ws, Tasks(demo_ws.engine, synchronous=True))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def _count(ws: Workspace, table: type) -> int:
    with ws.session() as s:
        return len(s.exec(select(table)).all())


def test_add_a_schedule_bad_times_refused(page: RegistryPage, demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = page.schedules
    page.tabs.setCurrentWidget(panel)
    assert panel.province.currentText() == "UBND tỉnh Hà Tĩnh"
    assert panel.table.rowCount() == 7
    assert panel.table.item(6, 0).text() == "Giờ làm việc mùa đông năm 2027 - 2028"
    assert panel.table.item(6, 1).text() == "Mùa đông"
    before = _count(demo_ws, WorkSchedule)

    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, ScheduleDialog) and dialog.isVisible()
    # the next season by default: from the day after the last one ends
    assert dialog.valid_from.date() == QDate(2028, 4, 15)
    dialog.name.setText("Giờ làm việc mùa hè năm 2028")
    dialog.season.setCurrentIndex(dialog.season.findData("summer"))
    dialog.valid_to.setDate(QDate(2028, 10, 14))
    dialog.times[0].setTime(QTime(11, 30))  # morning starts after it ends
    dialog.times[1].setTime(QTime(7, 0))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == "Giờ kết thúc buổi sáng phải sau giờ bắt đầu (11:30 – 07:00)."
    assert _count(demo_ws, WorkSchedule) == before

    dialog.valid_from.setDate(QDate(2028, 4, 1))  # now also overlapping the winter
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text().splitlines() == [
        "Giờ kết thúc buổi sáng phải sau giờ bắt đầu (11:30 – 07:00).",
        "Thời gian áp dụng trùng với “Giờ làm việc mùa đông năm 2027 - 2028” (15/10/2027 – 14/04/2028) "
        "của cùng tỉnh, thành phố.",
    ]
    assert _count(demo_ws, WorkSchedule) == before

    dialog.valid_from.setDate(QDate(2028, 4, 15))
    dialog.times[0].setTime(QTime(7, 0))
    dialog.times[1].setTime(QTime(11, 30))
    dialog.grace.setValue(5)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert _count(demo_ws, WorkSchedule) == before + 1
    assert panel.table.rowCount() == 8
    assert [panel.table.item(7, c).text() for c in range(7)] == [
        "Giờ làm việc mùa hè năm 2028",
        "Mùa hè",
        "15/04/2028",
        "14/10/2028",
        "07:00 – 11:30",
        "13:30 – 17:00",
        "5",
    ]
    assert panel.current() is not None and panel.current().name == "Giờ làm việc mùa hè năm 2028"  # type: ignore[union-attr]

    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    edit = panel.dialog
    assert isinstance(edit, ScheduleDialog) and edit.schedule is not None
    edit.grace.setValue(10)
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert edit.result() == edit.DialogCode.Accepted
    assert panel.table.item(7, 6).text() == "10"


BROKEN = """\
code: kiem-tra-cong-vu-dot-xuat
version: 2
title: Kiểm tra công vụ đột xuất
sections:
  - code: A
    title: Thông tin chung
    items:
      - code: A1
        label: "Thời điểm Đoàn đến
        type: time
"""


def _pick(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_broken_form_lists_its_errors_and_registers_nothing(
    page: RegistryPage, demo_ws: Workspace, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    panel = page.forms
    page.tabs.setCurrentWidget(panel)
    assert panel.table.rowCount() == 2
    before = _count(demo_ws, FormVersion)

    syntax = tmp_path / "phieu-loi.yaml"
    syntax.write_text(BROKEN, encoding="utf-8")
    _pick(monkeypatch, syntax)
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, FormErrorsDialog) and dialog.isVisible()
    lines = dialog.lines()
    assert lines == ["dòng 11: lỗi cú pháp YAML: dấu ngoặc kép mở ở dòng 9 chưa được đóng"]
    dialog.reject()

    content = shipped("forms/surprise_civil_service.yaml").read_text(encoding="utf-8")
    content = content.replace("version: 1\n", "version: 2\n", 1).replace(
        "\n    items:\n", "\n    itemz:\n", 1
    )
    content = content.replace("code: kiem-tra-cong-vu-dot-xuat", "code: Kiểm tra sai", 1)
    wrong = tmp_path / "phieu-sai.yaml"
    wrong.write_text(content, encoding="utf-8")
    _pick(monkeypatch, wrong)
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, FormErrorsDialog)
    lines = dialog.lines()
    assert [line.split(":")[0] for line in lines] == ["dòng 8", "dòng 27", "dòng 30"]  # every problem
    assert lines[2] == "dòng 30: khóa 'itemz' không hợp lệ — có phải ý bạn là 'items'?"
    assert dialog.intro.text().startswith(f"Tệp phieu-sai.yaml có {len(lines)} lỗi; chưa nạp gì.")
    assert _count(demo_ws, FormVersion) == before
    assert panel.table.rowCount() == 2


def test_load_a_valid_new_version(
    page: RegistryPage, demo_ws: Workspace, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    panel = page.forms
    page.tabs.setCurrentWidget(panel)
    content = shipped("forms/surprise_civil_service.yaml").read_text(encoding="utf-8")
    path = tmp_path / "kiem-tra-v2.yaml"
    path.write_text(content.replace("version: 1\n", "version: 2\n", 1), encoding="utf-8")
    _pick(monkeypatch, path)
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is None
    assert (
        panel.status.text() == "Đã nạp: Kiểm tra công vụ đột xuất, mã kiem-tra-cong-vu-dot-xuat, phiên bản 2."
    )
    assert panel.table.rowCount() == 3
    rows = [[panel.table.item(r, c).text() for c in range(3)] for r in range(3)]
    assert ["kiem-tra-cong-vu-dot-xuat", "2", "Kiểm tra công vụ đột xuất"] in rows
    selected = panel.table.selectionModel().selectedRows()
    assert [panel.table.item(i.row(), 1).text() for i in selected] == ["2"]
    with demo_ws.session() as s:
        assert (
            s.exec(select(FormVersion).where(FormVersion.version == 2)).one().code
            == "kiem-tra-cong-vu-dot-xuat"
        )

    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)  # the same file again: no new row
    assert panel.status.text().startswith("Tệp này đã được nạp trước đó")
    assert panel.table.rowCount() == 3

    changed = tmp_path / "kiem-tra-v2-sua.yaml"
    changed.write_text(
        path.read_text(encoding="utf-8").replace("title: Kiểm tra công vụ đột xuất", "title: Khác", 1),
        encoding="utf-8",
    )
    _pick(monkeypatch, changed)
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)  # same version, other content
    assert panel.status.text() == (
        "Phiếu kiem-tra-cong-vu-dot-xuat phiên bản 2 đã được nạp với nội dung khác; "
        "hãy đặt số phiên bản mới cho phiếu đã sửa."
    )
    assert panel.table.rowCount() == 3
