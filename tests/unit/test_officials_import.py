"""Importing officials from Excel lists as offices keep them (title rows, a two-row merged header,
blank rows, headings, a total row, signatures, NFD names, dates as dates and as text)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlmodel import col, select

from inspector_app.core.db import session_scope
from inspector_app.core.models import AuditEntry, Official, Unit
from inspector_app.core.registry import sheet_values as sv
from inspector_app.core.registry.import_plan import StalePreview, apply_import, preview_file
from inspector_app.core.registry.officials import edit_official
from inspector_app.core.registry.officials_import import WorkbookError, read_officials
from inspector_app.core.registry.units import UnitClosed, find_unit
from inspector_app.core.services import audit
from inspector_app.core.text import fold
from inspector_app.core.workspace import Workspace

UNIT = "HT-XA-THACH-KHE"
D = dt.date


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# A data row: (STT, name cell, birth if "Nam", birth if "Nữ", position, department, kind cell).
# None in the list is a blank row; a str is a group heading merged across the table.
def messy_workbook(path: Path, rows: list[Any], *, sheet: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws["A1"], ws["E1"] = "UBND XÃ THẠCH KHÊ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A2"], ws["E2"] = "VĂN PHÒNG HĐND VÀ UBND", "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = "DANH SÁCH CÁN BỘ, CÔNG CHỨC, NGƯỜI LAO ĐỘNG"
    ws.merge_cells("A4:H4")
    ws["A5"] = "(Kèm theo Báo cáo số 12/BC-UBND ngày 05/01/2026 của UBND xã Thạch Khê)"
    ws.merge_cells("A5:H5")
    for cell, text in {"A7": "STT", "B7": "Họ và tên", "G7": "Loại đối tượng", "H7": "Ghi chú"}.items():
        ws[cell] = text
        ws.merge_cells(f"{cell}:{cell[0]}8")  # merged down over both header rows
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
    ws.cell(r, 1, "Tổng cộng: 25 người")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(r + 2, 5, "Thạch Khê, ngày 05 tháng 01 năm 2026")
    ws.cell(r + 3, 2, "Người lập biểu")
    ws.cell(r + 3, 5, "CHỦ TỊCH")
    ws.cell(r + 4, 2, "(Ký, ghi rõ họ tên)")
    ws.cell(r + 7, 2, "Nguyễn Thị Lập")
    ws.cell(r + 7, 5, "Hoàng Quốc Vinh")
    wb.save(path)
    return path


# fmt: off
QUIRKY_ROWS: list[Any] = [
    "I. LÃNH ĐẠO UBND",
    (1, "Hoàng Quốc Vinh", D(1984, 5, 5), None, "Chủ tịch UBND", "Lãnh đạo UBND", "Cán bộ"),
    (2, nfd("  Đinh  Thị\u00a0Giang "), None, "08/08/1977", "Phó Chủ tịch UBND", "Lãnh đạo UBND", None),
    None,
    "II. CÔNG CHỨC",
    (3, "NGUYỄN QUỐC PHONG", "1981", None, "Chánh Văn phòng HĐND và UBND", " Văn phòng  HĐND và UBND", "Công chức"),
    (4, None, "12/03/1990", None, "Công chức Tư pháp - Hộ tịch", "Văn phòng HĐND và UBND", "Công chức"),
    (5, nfd("Lê Thị Mỹ Duyên"), None, "5-3-1996", nfd("Công chức Văn hóa - Xã hội"), "Phòng Văn hóa - Xã hội", "Viên chức"),
    None,
    None,
    (6, "Trần Văn Bình", "31/02/1980", None, "Lái xe", "Văn phòng HĐND và UBND", None),
    (7, "Phan Thị Hạnh", None, 1992, "Phụ trách Đài truyền thanh", "Phòng Văn hóa - Xã hội", "Không chuyên trách"),
    (8, "Võ Văn Tâm", D(1988, 11, 2), None, "Bảo vệ", None, "Hợp đồng"),
]
# fmt: on


def _found(path: Path) -> list[tuple[Any, ...]]:
    return [
        (o.row, o.full_name, o.position, o.department, o.kind, o.kind_given, o.gender,
         o.birth.date if o.birth else None, o.birth.precision if o.birth else None)
        for o in read_officials(path).officials
    ]  # fmt: skip


def test_reads_a_messy_office_list(tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "danh sach.xlsx", QUIRKY_ROWS)
    read = read_officials(path)
    assert read.sheet == "Sheet1"
    assert read.header_rows == (7, 8)
    assert read.columns == dict(
        stt="A", name="B", birth="C,D", position="E", department="F", kind="G", note="H"
    )
    # fmt: off
    assert _found(path) == [
        (11, "Hoàng Quốc Vinh", "Chủ tịch UBND", "Lãnh đạo UBND", "can_bo", True, "nam", D(1984, 5, 5), "day"),
        (12, "Đinh Thị Giang", "Phó Chủ tịch UBND", "Lãnh đạo UBND", "can_bo", False, "nu", D(1977, 8, 8), "day"),
        (15, "Nguyễn Quốc Phong", "Chánh Văn phòng HĐND và UBND", "Văn phòng HĐND và UBND", "cong_chuc", True,
         "nam", D(1981, 1, 1), "year"),
        (17, "Lê Thị Mỹ Duyên", "Công chức Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội", "vien_chuc", True, "nu",
         D(1996, 3, 5), "day"),
        (20, "Trần Văn Bình", "Lái xe", "Văn phòng HĐND và UBND", "nguoi_lao_dong", False, None, None, None),
        (21, "Phan Thị Hạnh", "Phụ trách Đài truyền thanh", "Phòng Văn hóa - Xã hội", "khong_chuyen_trach", True,
         "nu", D(1992, 1, 1), "year"),
        (22, "Võ Văn Tâm", "Bảo vệ", None, "nguoi_lao_dong", True, "nam", D(1988, 11, 2), "day"),
    ]
    # fmt: on
    for o in read.officials:  # NFC, single spaces, trimmed
        assert o.full_name == unicodedata.normalize("NFC", o.full_name) == " ".join(o.full_name.split())
        assert o.position == unicodedata.normalize("NFC", o.position)
    assert [(str(p), p.skipped) for p in read.problems] == [
        ("Sheet1!B16: thiếu họ tên", True),
        (
            "Sheet1!C20: Trần Văn Bình: không đọc được ngày sinh “31/02/1980” (ghi dd/mm/yyyy hoặc năm sinh)",
            False,
        ),
    ]
    assert read.end_row == 23  # the total row: signatures and the names under them are not officials


def test_cell_values() -> None:
    today = D(2026, 1, 1)
    assert sv.parse_birth("05/03/1980", today) == sv.BirthDate(D(1980, 3, 5), "day")
    assert sv.parse_birth(" 5.3.1980 ", today) == sv.BirthDate(D(1980, 3, 5), "day")
    assert sv.parse_birth("1980-03-05", today) == sv.BirthDate(D(1980, 3, 5), "day")
    assert sv.parse_birth("03/1980", today) == sv.BirthDate(D(1980, 3, 1), "month")
    assert sv.parse_birth("1980", today) == sv.BirthDate(D(1980, 1, 1), "year")
    assert sv.parse_birth(1980.0, today) == sv.BirthDate(D(1980, 1, 1), "year")
    assert sv.parse_birth(29285, today) == sv.BirthDate(D(1980, 3, 5), "day")  # serial number, no format
    assert sv.parse_birth("ngày 5 tháng 3 năm 1980", today) == sv.BirthDate(D(1980, 3, 5), "day")
    assert sv.parse_birth(dt.datetime(1980, 3, 5), today) == sv.BirthDate(D(1980, 3, 5), "day")
    assert sv.parse_birth("05/03/80", today) == sv.BirthDate(D(1980, 3, 5), "day")
    assert sv.parse_birth("  ", today) is None
    assert isinstance(sv.parse_birth("05/03/2030", today), str)
    assert isinstance(sv.parse_birth("không rõ", today), str)
    assert sv.same_birth(D(1980, 3, 5), sv.BirthDate(D(1980, 1, 1), "year"))
    assert not sv.same_birth(D(1981, 3, 5), sv.BirthDate(D(1980, 1, 1), "year"))
    kinds = {
        "Công chức": "cong_chuc",
        "CÁN BỘ": "can_bo",
        "Viên chức": "vien_chuc",
        "Hợp đồng 68": "nguoi_lao_dong",
        "HĐ": "nguoi_lao_dong",
        "Người hoạt động không chuyên trách": "khong_chuyen_trach",
        "?": None,
    }
    assert {k: (v.value if (v := sv.parse_kind(k)) else None) for k in kinds} == kinds
    assert sv.guess_kind("Phó Chủ tịch UBND") == sv.CB
    assert sv.guess_kind("Công chức Địa chính - Xây dựng") == sv.CC
    assert sv.guess_kind("Viên chức tiếp nhận và trả kết quả") == sv.VC
    assert sv.guess_kind("Thủ quỹ") == sv.KCT
    assert sv.guess_kind("Kỹ sư") is None
    assert sv.clean_name(nfd(" NGUYỄN  VĂN\u200b AN ")) == "Nguyễn Văn An"


def test_single_row_header_split_name_and_a_second_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "Hướng dẫn"
    cover["A1"] = "Điền danh sách ở trang sau"
    ws = wb.create_sheet("DS CBCC")
    ws.append(["TT", "Họ và đệm", "Tên", "Giới tính", "Năm sinh", "Chức danh", "Phòng, ban"])
    ws.append([1, "Nguyễn Văn", "An", "Nam", 1975, "Chuyên viên", "Văn phòng"])
    ws.append([2, "Trần Thị", "Bé", "Nữ", "1990", "Kỹ sư", None])
    ws.append(["Cộng", None, None, None, None, None, None])
    ws.append([3, "Ngoài", "Bảng", "Nam", 1970, "Chuyên viên", None])
    wb.save(tmp_path / "two.xlsx")
    read = read_officials(tmp_path / "two.xlsx")
    assert read.sheet == "DS CBCC" and read.header_rows == (1, 1)
    assert [(o.full_name, o.gender, o.kind, o.department) for o in read.officials] == [
        ("Nguyễn Văn An", "nam", "cong_chuc", "Văn phòng"),
        ("Trần Thị Bé", "nu", "cong_chuc", None),
    ]
    assert [str(p) for p in read.problems] == [
        "DS CBCC!F3: Trần Thị Bé: không xác định được loại đối tượng; ghi là công chức"
    ]


def test_unusable_files(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="Không tìm thấy tệp"):
        read_officials(tmp_path / "missing.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Họ và tên;Chức vụ\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="không phải sổ tính Excel"):
        read_officials(fake)
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    with pytest.raises(WorkbookError, match=r"\.xls"):
        read_officials(old)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên đơn vị", "Địa chỉ"])
    wb.save(tmp_path / "nohead.xlsx")
    with pytest.raises(WorkbookError, match="Không tìm thấy dòng tiêu đề"):
        read_officials(tmp_path / "nohead.xlsx")


def _demo_rows(ws: Workspace) -> list[Official]:
    with ws.session() as s:
        unit = find_unit(s, UNIT)
        return list(
            s.exec(
                select(Official).where(Official.unit_id == unit.id).order_by(col(Official.sort_order))
            ).all()
        )


def _against_demo(ws: Workspace, tmp_path: Path) -> tuple[Path, list[Official]]:
    """The demo commune's list re-typed by an office: some rows the same, some changed, two new."""
    o = _demo_rows(ws)
    f = "%d/%m/%Y"
    rows: list[Any] = [
        "I. LÃNH ĐẠO",
        (1, o[0].full_name, o[0].birth_date, None, o[0].position, o[0].department, "Cán bộ"),  # same
        (
            2,
            nfd(f" {o[1].full_name.upper()} "),
            str(o[1].birth_date.year),
            None,
            o[1].position,
            None,
            None,
        ),  # same: year, no dept
        (
            3,
            o[2].full_name,
            o[2].birth_date.strftime(f),
            None,
            nfd(o[2].position),
            "Thường trực UBND",
            None,
        ),  # dept
        None,
        (4, o[3].full_name, None, None, o[3].position, o[3].department, "Công chức"),  # kind differs
        (5, o[4].full_name, None, "01/01/1970", o[4].position, o[4].department, None),  # birth differs
        (6, "Nguyễn Văn Mới", "02/09/1995", None, "Chuyên viên", "Phòng Kinh tế", None),  # new
        (7, nfd("Trần  Thị Hồng Nhung"), None, D(1998, 4, 30), "Lái xe", None, "Hợp đồng"),  # new
        (8, None, None, None, "Tạp vụ", None, None),  # problem
    ]
    return messy_workbook(tmp_path / "thach-khe.xlsx", rows), o


def test_preview_classifies_against_the_unit(demo_ws: Workspace, tmp_path: Path) -> None:
    path, o = _against_demo(demo_ws, tmp_path)
    with demo_ws.session() as s:
        preview = preview_file(s, path, UNIT.lower())
    assert [u.official_id for u in preview.unchanged] == [o[0].id, o[1].id]
    changes = {u.official_id: [(c.field, c.old, c.new) for c in u.changes] for u in preview.to_update}
    assert changes == {
        o[2].id: [("department", o[2].department, "Thường trực UBND")],
        o[3].id: [("kind", "can_bo", "cong_chuc")],
        o[4].id: [("birth_date", o[4].birth_date, D(1970, 1, 1))],
    }
    assert [(a.full_name, a.kind, a.gender) for a in preview.to_add] == [
        ("Nguyễn Văn Mới", "cong_chuc", "nam"),
        ("Trần Thị Hồng Nhung", "nguoi_lao_dong", "nu"),
    ]
    assert [str(p) for p in preview.problems] == ["Sheet1!B19: thiếu họ tên"]
    assert len(preview.not_in_file) == len(o) - 5


def test_apply_writes_once_and_is_idempotent(demo_ws: Workspace, tmp_path: Path) -> None:
    path, o = _against_demo(demo_ws, tmp_path)
    with session_scope(demo_ws.engine) as s:
        preview = preview_file(s, path, UNIT)
        result = apply_import(s, demo_ws.editor, preview)
    assert (result.added, result.updated, result.unchanged) == (2, 3, 2)
    with demo_ws.session() as s:
        unit = s.exec(select(Unit).where(Unit.code == UNIT)).one()
        new = s.exec(
            select(Official).where(Official.unit_id == unit.id, Official.full_name == "Trần Thị Hồng Nhung")
        ).one()
        assert new.search_key == fold("Trần Thị Hồng Nhung") == "tran thi hong nhung"
        assert new.dirty and new.updated_at.endswith(demo_ws.editor.device_id)
        assert new.birth_date == D(1998, 4, 30) and new.sort_order == len(o) + 2
        moved = s.get(Official, o[2].id)
        assert moved is not None and moved.department == "Thường trực UBND" and moved.dirty
        untouched = s.get(Official, o[0].id)
        assert untouched is not None and not untouched.dirty
        entry = s.exec(select(AuditEntry).order_by(col(AuditEntry.n).desc())).first()
        assert entry is not None and entry.action == "official.import" and entry.entity_id == str(unit.id)
        assert json.loads(entry.detail)["unchanged"] == 2
        assert audit.verify(s) == []
    with session_scope(demo_ws.engine) as s:  # the same file again: nothing left to do
        again = preview_file(s, path, UNIT)
        assert (len(again.to_add), len(again.to_update), len(again.unchanged)) == (0, 0, 7)
        assert apply_import(s, demo_ws.editor, again).audit_n is None


def test_apply_refuses_a_stale_preview(demo_ws: Workspace, tmp_path: Path) -> None:
    path, o = _against_demo(demo_ws, tmp_path)
    with demo_ws.session() as s:
        preview = preview_file(s, path, UNIT)
    with session_scope(demo_ws.engine) as s:
        edit_official(s, demo_ws.editor, o[0].id, department="Lãnh đạo")
    with session_scope(demo_ws.engine) as s, pytest.raises(StalePreview, match="xem trước lại"):
        apply_import(s, demo_ws.editor, preview)


def test_a_unit_that_no_longer_exists_takes_no_import(demo_ws: Workspace, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "old.xlsx", QUIRKY_ROWS)
    with demo_ws.session() as s, pytest.raises(UnitClosed, match="không còn tồn tại"):
        preview_file(s, path, "HT-HUYEN-THACH-HA")


def _count(ws: Workspace) -> int:
    with ws.session() as s:
        return len(s.exec(select(Official.id)).all())


def _wired(result: Any) -> Any:
    assert "invalid choice" not in result.stderr, "cli.py must register the registry commands"
    return result


def test_cli_dry_run_then_import(demo_ws: Workspace, tmp_path: Path, cli: Any) -> None:
    path, _o = _against_demo(demo_ws, tmp_path)
    before = _count(demo_ws)
    data = str(demo_ws.data_dir)
    dry = _wired(cli("--data-dir", data, "officials", "import", str(path), "--unit", UNIT, "--dry-run"))
    assert dry.returncode == 0, dry.stderr
    assert "Thêm mới: 2, cập nhật: 3, giữ nguyên: 2, có vấn đề: 1." in dry.stdout
    assert "+ Nguyễn Văn Mới — Chuyên viên (dòng 17)" in dry.stdout
    assert "loại đối tượng: Cán bộ → Công chức" in dry.stdout
    assert "! Sheet1!B19: thiếu họ tên" in dry.stdout
    assert "Chạy thử" in dry.stdout and _count(demo_ws) == before
    done = cli("--data-dir", data, "officials", "import", str(path), "--unit", UNIT)
    assert done.returncode == 0, done.stderr
    assert "Đã ghi: thêm 2, cập nhật 3." in done.stdout and _count(demo_ws) == before + 2
    again = cli("--data-dir", data, "officials", "import", str(path), "--unit", UNIT)
    assert (
        again.returncode == 0 and "giữ nguyên: 7" in again.stdout and "Không có gì thay đổi" in again.stdout
    )
    assert _count(demo_ws) == before + 2


def test_cli_bad_inputs(demo_ws: Workspace, tmp_path: Path, cli: Any) -> None:
    data = str(demo_ws.data_dir)
    good = messy_workbook(tmp_path / "ok.xlsx", QUIRKY_ROWS)
    fake = tmp_path / "ghi-chu.xlsx"
    fake.write_text("không phải Excel", encoding="utf-8")
    cases = {
        str(tmp_path / "khong-co.xlsx"): (UNIT, "Không tìm thấy tệp"),
        str(fake): (UNIT, "không phải sổ tính Excel"),
        str(good): ("XA-KHONG-CO", "Không có đơn vị nào có mã hoặc id XA-KHONG-CO"),
    }
    for file, (unit, message) in cases.items():
        result = _wired(cli("--data-dir", data, "officials", "import", file, "--unit", unit))
        assert result.returncode == 1, result.stdout
        assert message in result.stderr and "Traceback" not in result.stderr
