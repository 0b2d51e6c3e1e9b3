"""The summary report as a workbook (openpyxl): sheets "Tổng hợp", "Theo đơn vị", "Khắc phục".

Same figures as the PDF (one :class:`ReportData`); numbers are numbers and dates are dates, so the
office can sort, filter and sum them again.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from inspector_app.documents.formatting import nfc
from inspector_app.documents.report_data import REMEDY_WORDS, ROLL_CALL_TOPICS, STATUS_WORDS, ReportData

FONT = "Times New Roman"
DATE_FORMAT = "DD/MM/YYYY"
SUMMARY, UNITS, REMEDIES = "Tổng hợp", "Theo đơn vị", "Khắc phục"
UNIT_COLUMNS = (
    ("Hạng", 7),
    ("Đơn vị", 46),
    ("Số lượt kiểm tra", 10),
    ("Điểm (%)", 10),
    ("Đi muộn", 9),
    ("Vắng không lý do", 11),
    ("Không đeo thẻ", 10),
    ("Không có biển tên", 11),
    ("Trang phục chưa đạt", 11),
    ("Vi phạm qua điểm danh", 12),
    ("Số mục chưa đạt", 10),
)
REMEDY_COLUMNS = (
    ("STT", 6),
    ("Đơn vị", 34),
    ("Biên bản số", 14),
    ("Ngày kiểm tra", 12),
    ("Nội dung yêu cầu khắc phục", 60),
    ("Người/đơn vị chịu trách nhiệm", 30),
    ("Thời hạn", 12),
    ("Tình trạng", 20),
    ("Tiến độ báo cáo gần nhất", 40),
    ("Ngày báo cáo", 12),
)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")


def render_report_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY
    _summary(summary, data)
    _units(wb.create_sheet(UNITS), data)
    _remedies(wb.create_sheet(REMEDIES), data)
    wb.properties.title = nfc(f"Báo cáo kết quả kiểm tra công vụ {data.period}")
    wb.properties.creator = "Kiểm tra công vụ"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _summary(ws: Worksheet, d: ReportData) -> None:
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 18
    ws.append([nfc(d.parent_agency).upper()])
    ws.append([nfc(d.agency).upper()])
    ws.append([])
    ws.append([nfc(f"BÁO CÁO KẾT QUẢ KIỂM TRA CÔNG VỤ {d.period}".upper())])
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=4)
    for row in (1, 2, 4):
        ws.cell(row, 1).font = Font(name=FONT, bold=row != 1, size=13)
    ws.cell(4, 1).alignment = Alignment(horizontal="center")
    facts: list[tuple[str, Any]] = [
        ("Từ ngày", d.date_from),
        ("Đến ngày", d.date_to),
        ("Số lượt kiểm tra", d.visits),
        ("Số đơn vị được kiểm tra", d.units),
        *((f"Số lượt {words}", d.by_status.get(key, 0)) for key, words in STATUS_WORDS.items()),
        ("Số lượt người được điểm danh", d.roll_call.get("people", 0)),
        ("Tình trạng khắc phục tính đến ngày", d.as_of),
    ]
    ws.append([])
    for label, value in facts:
        ws.append(["", nfc(label), value])
        if hasattr(value, "year"):
            ws.cell(ws.max_row, 3).number_format = DATE_FORMAT
    ws.append([])
    _table(
        ws,
        ("STT", "Vi phạm qua điểm danh", "Số người", "Số lượt có vi phạm"),
        [
            [n, words, d.roll_call.get(key, 0), d.roll_call.get(f"{key}_visits", 0)]
            for n, (key, words) in enumerate(ROLL_CALL_TOPICS, start=1)
        ],
    )
    ws.append([])
    _table(
        ws,
        ("STT", "Nội dung chưa đạt", "Số lượt chưa đạt", "Số lượt áp dụng"),
        [[n, f"{t.section}: {t.text}", t.visits, t.applicable] for n, t in enumerate(d.topics, start=1)],
    )
    ws.append([])
    _table(
        ws,
        ("STT", "Tình trạng yêu cầu khắc phục", "Số yêu cầu", ""),
        [
            [n, words, d.remedy_counts.get(key, 0), None]
            for n, (key, words) in enumerate(REMEDY_WORDS.items(), start=1)
        ],
    )


def _units(ws: Worksheet, d: ReportData) -> None:
    rows = [
        [
            u.rank,
            u.name,
            u.visits,
            None if u.score is None else round(u.score, 2),
            u.late,
            u.absent,
            u.no_badge,
            u.no_name_plate,
            u.dress,
            u.violations,
            u.failed_items,
        ]
        for u in d.unit_rows
    ]
    _sheet_table(ws, UNIT_COLUMNS, rows)
    for row in range(2, len(rows) + 2):
        ws.cell(row, 4).number_format = "0.0"


def _remedies(ws: Worksheet, d: ReportData) -> None:
    rows = [
        [
            n,
            r.unit,
            r.minutes_number,
            r.visit_day,
            r.content,
            r.owner,
            r.deadline,
            r.status_words,
            r.progress,
            r.reported_on,
        ]
        for n, r in enumerate(d.remedies, start=1)
    ]
    _sheet_table(ws, REMEDY_COLUMNS, rows)
    for row in range(2, len(rows) + 2):
        for column in (4, 7, 10):
            ws.cell(row, column).number_format = DATE_FORMAT
        for column in (2, 5, 6, 9):
            ws.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_table(ws: Worksheet, columns: Sequence[tuple[str, int]], rows: list[list[Any]]) -> None:
    """A header row, the rows, column widths, a frozen header and a filter."""
    for n, (_label, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    _table(ws, [label for label, _ in columns], rows)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


_HEAD_FONT, _CELL_FONT = Font(name=FONT, bold=True, size=12), Font(name=FONT, size=12)
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _table(ws: Worksheet, labels: Sequence[str], rows: list[list[Any]]) -> None:
    # Cells are styled as they are appended: ``ws.max_row`` scans every cell, so asking it per row
    # made 4,000 remedies take seconds.
    ws.append([nfc(x) for x in labels])
    row_no = ws.max_row
    for cell in ws[row_no]:
        cell.font, cell.fill, cell.border, cell.alignment = _HEAD_FONT, _HEAD_FILL, _BORDER, _HEAD_ALIGN
    for row in rows:
        ws.append([nfc(x) if isinstance(x, str) else x for x in row])
        row_no += 1
        for column in range(1, len(row) + 1):
            cell = ws.cell(row_no, column)
            cell.font, cell.border = _CELL_FONT, _BORDER
