"""The Registry page imports a unit's officials from the kind of Excel list offices really keep: the
clerk picks the file, sees what will be added / updated / left alone, applies, and the registry then
holds exactly those officials, names NFC-normalised and trimmed. Unusable files are named clearly."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlmodel import select

from inspector_app.core.models import AuditEntry, Official
from inspector_app.core.registry.units import find_unit, list_officials
from inspector_app.core.workspace import Workspace
from inspector_app.ui.office.import_preview_dialog import ImportPreviewDialog
from inspector_app.ui.office.registry_page import RegistryPage
from inspector_app.ui.tasks import Tasks

UNIT = "HT-XA-THACH-KHE"
KIND_WORDS = {"can_bo": "Cán bộ", "cong_chuc": "Công chức", "vien_chuc": "Viên chức"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# Same layout as tests/unit/test_officials_import.py: title rows, a header over two rows with merged
# cells ("Ngày, tháng, năm sinh" over Nam | Nữ), a row of column numbers, headings, blank rows, a total
# row and signatures. A data row: (STT, name, birth if Nam, birth if Nữ, position, department, kind).
def messy_workbook(path: Path, rows: list[Any]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS CBCC"
    ws["A1"], ws["E1"] = "UBND XÃ THẠCH KHÊ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A2"], ws["E2"] = "VĂN PHÒNG HĐND VÀ UBND", "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = "DANH SÁCH CÁN BỘ, CÔNG CHỨC, NGƯỜI LAO ĐỘNG"
    ws.merge_cells("A4:H4")
    ws["A5"] = "(Kèm theo Báo cáo số 12/BC-UBND ngày 05/01/2026 của UBND xã Thạch Khê)"
    ws.merge_cells("A5:H5")
    for cell, text in {"A7": "STT", "B7": "Họ và tên", "G7": "Loại đối tượng", "H7": "Ghi chú"}.items():
        ws[cell] = text
        ws.merge_cells(f"{cell}:{cell[0]}8")
    ws["C7"], ws["C8"], ws["D8"] = "Ngày, tháng, năm sinh", "Nam", "Nữ"
    ws.merge_cells("C7:D7")
    ws["E7"], ws["E8"], ws["F8"] = "CHỨC VỤ, BỘ PHẬN CÔNG TÁC", "Chức vụ", "Bộ phận"
    ws.merge_cells("E7:F7")
    for c, letter in enumerate("ABCDEFGH", start=1):
        ws[f"{letter}9"] = f"({c})"
    r = 10
    for row in rows:
        if isinstance(row, str):
            ws.cell(r, 1, row)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        elif row is not None:
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(r, c, value)
                    if isinstance(value, dt.date):
                        cell.number_format = "dd/mm/yyyy"
        r += 1
    ws.cell(r, 1, "Tổng cộng: 9 người")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(r + 2, 5, "Thạch Khê, ngày 05 tháng 01 năm 2026")
    ws.cell(r + 3, 2, "Người lập biểu")
    ws.cell(r + 3, 5, "CHỦ TỊCH")
    ws.cell(r + 4, 2, "(Ký, ghi rõ họ tên)")
    ws.cell(r + 7, 2, "Nguyễn Thị Lập")
    ws.cell(r + 7, 5, "Hoàng Quốc Vinh")
    wb.save(path)
    return path


def _births(o: Official, value: Any) -> tuple[Any, Any]:
    return (value, None) if o.gender == "nam" else (None, value)


def _messy(o: Official) -> str:
    """The registered name as a sloppy list has it: decomposed diacritics, stray and odd spaces."""
    first, *rest = o.full_name.split(" ")
    return nfd(f"  {first}  {' '.join(rest).replace(' ', chr(0xA0), 1)} ")


@pytest.fixture
def page(demo_ws: Workspace, qtbot) -> RegistryPage:  # type: ignore[no-untyped-def]
    widget = RegistryPage(demo_ws, Tasks(demo_ws.engine, synchronous=True))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def _choose(page: RegistryPage, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Click "Import from Excel…" and pick ``path`` in the file chooser."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    page.officials.import_button.click()


def test_import_a_messy_workbook_through_the_page(
    page: RegistryPage, demo_ws: Workspace, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    with demo_ws.session() as s:
        unit = find_unit(s, UNIT)
        before = {o.id: o for o in list_officials(s, unit.id, include_left=False)}
    dated = [
        o for o in before.values() if o.birth_date and o.gender and o.kind in KIND_WORDS and o.department
    ]
    a, b, c, d = dated[:4]
    assert d.birth_date is not None and b.birth_date is not None and c.birth_date is not None
    new_birth_d = d.birth_date - dt.timedelta(days=400)
    rows: list[Any] = [
        "I. ĐANG CÔNG TÁC",
        # A: unchanged — name with NFD and stray spaces, birth as a date
        (1, _messy(a), *_births(a, a.birth_date), a.position, a.department, KIND_WORDS[a.kind]),
        # B: unchanged — birth as text, department and kind left empty (empty cells change nothing)
        (
            2,
            b.full_name.upper(),
            *_births(b, b.birth_date.strftime("%d/%m/%Y")),
            f" {b.position} ",
            None,
            None,
        ),
        None,
        # C: updated — another department; birth given as the year only (agrees with the full date)
        (
            3,
            c.full_name,
            *_births(c, str(c.birth_date.year)),
            c.position,
            "Bộ phận Một cửa",
            KIND_WORDS[c.kind],
        ),
        # D: updated — another birth date (as a date)
        (4, nfd(d.full_name), *_births(d, new_birth_d), nfd(d.position), d.department, None),
        None,
        None,
        "II. BỔ SUNG",
        (
            5,
            nfd("  Trần   Thị\u00a0Mỹ  Lệ "),
            None,
            "07/09/1994",
            " Chuyên viên ",
            "Văn phòng HĐND và UBND",
            "Công chức",
        ),
        (
            6,
            "NGUYỄN VĂN TƯỜNG",
            dt.date(1987, 2, 14),
            None,
            "Công chức Địa chính - Xây dựng",
            "Phòng Kinh tế",
            None,
        ),
        (
            7,
            "Phan Thị Hạnh",
            None,
            1992,
            "Phụ trách Đài truyền thanh",
            "Phòng Văn hóa - Xã hội",
            "Không chuyên trách",
        ),
        (8, None, "12/03/1990", None, "Công chức Tư pháp - Hộ tịch", "Văn phòng HĐND và UBND", "Công chức"),
        (9, "Võ Văn Tâm", "31/02/1980", None, "Bảo vệ", "Văn phòng HĐND và UBND", "Hợp đồng"),
    ]
    path = messy_workbook(tmp_path / "Danh sách CBCC xã Thạch Khê.xlsx", rows)

    page.units.select_unit(unit.id)
    assert page.officials.import_button.isEnabled()
    _choose(page, monkeypatch, path)
    dialog = page.officials.dialog
    assert isinstance(dialog, ImportPreviewDialog) and dialog.isVisible()
    assert dialog.counts == {
        "add": 4,
        "update": 2,
        "unchanged": 2,
        "problems": 2,
        "not_in_file": len(before) - 4,
    }
    assert dialog.summary.text() == ("Thêm mới: 4 · cập nhật: 2 · giữ nguyên: 2 · dòng có vấn đề: 2")
    assert "Danh sách CBCC xã Thạch Khê.xlsx" in dialog.source_label.text()
    assert "dòng tiêu đề 7–8" in dialog.source_label.text()
    added = dialog.groups["add"]
    assert [added.child(n).text(1) for n in range(added.childCount())] == [
        "Trần Thị Mỹ Lệ — Chuyên viên",
        "Nguyễn Văn Tường — Công chức Địa chính - Xây dựng",
        "Phan Thị Hạnh — Phụ trách Đài truyền thanh",
        "Võ Văn Tâm — Bảo vệ",
    ]
    updated = dialog.groups["update"]
    changes = {updated.child(n).text(1): updated.child(n).text(2) for n in range(updated.childCount())}
    assert changes == {
        f"{c.full_name} — {c.position}": f"Bộ phận: {c.department} → Bộ phận Một cửa",
        f"{d.full_name} — {d.position}": f"Ngày sinh: {d.birth_date:%d/%m/%Y} → {new_birth_d:%d/%m/%Y}",
    }
    problems = dialog.groups["problems"]
    assert {problems.child(n).text(0) for n in range(problems.childCount())} == {"B22", "C23"}
    with demo_ws.session() as s:  # nothing written before Apply
        assert len(list_officials(s, unit.id)) == len(before)

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert page.officials.status.text() == "Đã ghi: thêm 4, cập nhật 2, giữ nguyên 2."
    assert page.officials.model.rowCount() == len(before) + 4

    with demo_ws.session() as s:
        after = {o.id: o for o in list_officials(s, unit.id, include_left=False)}
        new = [o for i, o in after.items() if i not in before]
        assert sorted(
            (o.full_name, o.position, o.department, o.kind, o.gender, o.birth_date) for o in new
        ) == sorted(
            [
                (
                    "Trần Thị Mỹ Lệ",
                    "Chuyên viên",
                    "Văn phòng HĐND và UBND",
                    "cong_chuc",
                    "nu",
                    dt.date(1994, 9, 7),
                ),
                (
                    "Nguyễn Văn Tường",
                    "Công chức Địa chính - Xây dựng",
                    "Phòng Kinh tế",
                    "cong_chuc",
                    "nam",
                    dt.date(1987, 2, 14),
                ),
                (
                    "Phan Thị Hạnh",
                    "Phụ trách Đài truyền thanh",
                    "Phòng Văn hóa - Xã hội",
                    "khong_chuyen_trach",
                    "nu",
                    dt.date(1992, 1, 1),
                ),
                ("Võ Văn Tâm", "Bảo vệ", "Văn phòng HĐND và UBND", "nguoi_lao_dong", None, None),
            ]
        )
        for o in new:
            assert unicodedata.is_normalized("NFC", o.full_name) and o.full_name == " ".join(
                o.full_name.split()
            )
            assert o.dirty and o.search_key
        assert after[c.id].department == "Bộ phận Một cửa"
        assert after[d.id].birth_date == new_birth_d
        assert {i: o.updated_at for i, o in after.items() if i in before and i not in (c.id, d.id)} == {
            i: o.updated_at for i, o in before.items() if i not in (c.id, d.id)
        }  # the others were not touched
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "official.import")).one()
        assert entry.entity_id == str(unit.id)


def test_files_that_cannot_be_imported_are_named(
    page: RegistryPage, demo_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_ws.session() as s:
        unit = find_unit(s, UNIT)
        count = len(list_officials(s, unit.id))
    page.units.select_unit(unit.id)

    fake = tmp_path / "danh sach.xlsx"
    fake.write_text("STT;Họ và tên;Chức vụ\n1;Nguyễn Văn An;Chuyên viên\n", encoding="utf-8")
    _choose(page, monkeypatch, fake)
    box = page.officials.message
    assert box is not None and box.isVisible()
    assert box.text().startswith("Không nhập được tệp danh sach.xlsx.")
    assert "không phải sổ tính Excel (.xlsx)" in box.text()
    assert page.officials.dialog is None  # no preview
    box.accept()

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet["A1"], sheet["A2"] = "Báo cáo tháng", "Không có bảng nào ở đây"
    headless = tmp_path / "bao cao.xlsx"
    wb.save(headless)
    _choose(page, monkeypatch, headless)
    box = page.officials.message
    assert box is not None
    assert "Không tìm thấy dòng tiêu đề trong bao cao.xlsx" in box.text()
    assert page.officials.import_button.isEnabled()  # the clerk can try another file
    with demo_ws.session() as s:
        assert len(list_officials(s, unit.id)) == count
