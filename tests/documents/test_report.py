"""The summary report (báo cáo kết quả kiểm tra): PDF and .xlsx read back, figures checked against
plain SQL on the same database."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from inspector_app.core.workspace import Workspace
from inspector_app.documents.base import DocumentError
from inspector_app.documents.report import render_report_pdf
from inspector_app.documents.report_commands import add_report_parser, parse_day, report_command
from inspector_app.documents.report_data import ReportData, build_report_data, period_words
from inspector_app.documents.report_xlsx import REMEDIES, SUMMARY, UNITS, render_report_xlsx
from tests.documents.conftest import require_tool

DAY = dt.date(2026, 12, 5)


def sql(ws: Workspace, query: str) -> int:
    with ws.engine.connect() as conn:
        return int(conn.execute(sa.text(query)).scalar_one())


def roll_call_count(ws: Workspace, condition: str) -> int:
    return sql(
        ws,
        f"SELECT COUNT(*) FROM roll_call r JOIN visit v ON v.id = r.visit_id "
        f"WHERE r.deleted = 0 AND v.deleted = 0 AND {condition}",
    )


def report(ws: Workspace, **scope: object) -> ReportData:
    with ws.session() as session:
        return build_report_data(session, day=DAY, **scope)  # type: ignore[arg-type]


def pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        [require_tool("pdftotext", "poppler-utils"), "-layout", str(path), "-"], capture_output=True
    )
    return out.stdout.decode("utf-8")


def test_pdf_text_and_counts_match_the_database(demo_ws: Workspace, tmp_path: Path) -> None:
    data = report(demo_ws, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
    text = pdftotext(render_report_pdf(data), tmp_path)
    visits = sql(demo_ws, "SELECT COUNT(*) FROM visit WHERE deleted = 0")
    units = sql(demo_ws, "SELECT COUNT(DISTINCT unit_id) FROM visit WHERE deleted = 0")
    assert (data.visits, data.units) == (visits, units) == (6, 6)
    flat = " ".join(text.split())
    for phrase in (
        "BÁO CÁO",
        "Kết quả kiểm tra công vụ năm 2026",
        "06 lượt tại 06 đơn vị",
        "I. KHÁI QUÁT",
        "II. KẾT QUẢ KIỂM TRA",
        "III. KIẾN NGHỊ, ĐỀ XUẤT",
        "TM. ĐOÀN KIỂM TRA",
        "TRƯỞNG ĐOÀN",
        "Nơi nhận:",
        "Lê Văn Thắng",
        "UBND TỈNH HÀ TĨNH",
        "Hà Tĩnh, ngày 05 tháng 12 năm 2026",
        "/BC-ĐKTCV",
        "Biểu đồ: Điểm kết quả kiểm tra theo đơn vị (%)",
        "UBND xã Thạch Khê",
    ):
        assert phrase in flat, phrase
    expected = {
        "Đi muộn": roll_call_count(demo_ws, "r.status = 'di_muon'"),
        "Vắng mặt không có lý do hoặc không rõ lý do": roll_call_count(
            demo_ws, "r.status IN ('vang_khong_ly_do', 'khong_ro_ly_do')"
        ),
        "Không đeo thẻ cán bộ, công chức": roll_call_count(demo_ws, "r.badge = 'khong_deo'"),
        "Không có biển tên, biển chức danh tại bàn làm việc": roll_call_count(
            demo_ws, "r.name_plate = 'khong'"
        ),
    }
    for label, count in expected.items():
        found = re.search(re.escape(label) + r"\s+(\d+)\s+(\d+)", text)
        assert found is not None, label
        assert int(found.group(1)) == count > 0, label
    # A failing answer from the checklist: TTHC not fully posted (D3 "no"), counted in SQL.
    posted = sql(
        demo_ws,
        "SELECT COUNT(*) FROM answer a JOIN visit v ON v.id = a.visit_id "
        "JOIN form_version f ON f.id = v.form_id WHERE a.deleted = 0 AND a.item_code = 'D3' "
        "AND a.value = '\"no\"' AND f.code = 'kiem-tra-cong-vu-dot-xuat'",
    )
    topic = next((t for t in data.topics if "Niêm yết công khai thủ tục hành chính" in t.text), None)
    if posted:
        assert topic is not None and topic.visits == posted
    late = sql(
        demo_ws,
        "SELECT COALESCE(SUM(CAST(a.value AS REAL)), 0) FROM answer a JOIN visit v "
        "ON v.id = a.visit_id JOIN form_version f ON f.id = v.form_id WHERE a.deleted = 0 "
        "AND a.item_code = 'D10D' AND f.code = 'kiem-tra-cong-vu-dot-xuat'",
    )
    overdue = next(t for t in data.topics if "hồ sơ thủ tục hành chính giải quyết trễ hạn" in t.text)
    assert overdue.amount == late and f"Có {late:g} hồ sơ thủ tục hành chính giải quyết trễ hạn" in flat
    remedies = sql(demo_ws, "SELECT COUNT(*) FROM remedy WHERE deleted = 0")
    assert sum(data.remedy_counts.values()) == remedies
    past = sql(demo_ws, f"SELECT COUNT(*) FROM remedy WHERE deleted = 0 AND deadline < '{DAY.isoformat()}'")
    assert data.remedy_counts["overdue"] == past and f"quá hạn: {past}" in flat


def test_fonts_embedded_no_helvetica(demo_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(report(demo_ws, date_from=dt.date(2026, 1, 1))))
    fonts = subprocess.run(
        [require_tool("pdffonts", "poppler-utils"), str(path)], capture_output=True, text=True
    )
    rows = fonts.stdout.splitlines()[2:]
    assert rows and "Helvetica" not in fonts.stdout
    assert all(" yes yes yes " in row for row in rows), fonts.stdout


def test_ranking_scores_from_weights(demo_ws: Workspace) -> None:
    data = report(demo_ws, date_from=dt.date(2026, 1, 1))
    ranked = data.ranked
    assert [u.rank for u in ranked] == list(range(1, len(ranked) + 1))
    scores = [u.score for u in ranked]
    assert scores == sorted(scores, reverse=True) and all(0 <= (s or 0) <= 100 for s in scores)
    assert sum(u.late for u in data.unit_rows) == data.roll_call["late"]


def test_xlsx_same_figures(demo_ws: Workspace, tmp_path: Path) -> None:
    data = report(demo_ws, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
    path = tmp_path / "report.xlsx"
    path.write_bytes(render_report_xlsx(data))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SUMMARY, UNITS, REMEDIES]
    units = list(wb[UNITS].iter_rows(values_only=True))
    assert units[0][:4] == ("Hạng", "Đơn vị", "Số lượt kiểm tra", "Điểm (%)")
    assert len(units) - 1 == data.units
    assert sum(r[4] for r in units[1:]) == roll_call_count(demo_ws, "r.status = 'di_muon'")
    assert {r[1] for r in units[1:]} >= {"UBND xã Thạch Khê", "UBND phường Thành Sen"}
    remedies = list(wb[REMEDIES].iter_rows(values_only=True))
    assert len(remedies) - 1 == sql(demo_ws, "SELECT COUNT(*) FROM remedy WHERE deleted = 0")
    assert all(isinstance(r[6], dt.datetime) for r in remedies[1:])  # deadlines are dates
    assert wb[REMEDIES].cell(2, 7).number_format == "DD/MM/YYYY"
    assert wb[UNITS].column_dimensions["B"].width >= 40
    summary = {r[1]: r[2] for r in wb[SUMMARY].iter_rows(values_only=True) if r[1]}
    assert summary["Số lượt kiểm tra"] == 6 and summary["Số đơn vị được kiểm tra"] == 6


def test_plan_and_date_scopes(demo_ws: Workspace) -> None:
    plan = sql(demo_ws, "SELECT COUNT(*) FROM plan")
    assert plan == 1
    with demo_ws.engine.connect() as conn:
        plan_id = conn.execute(sa.text("SELECT id FROM plan")).scalar_one()
    import uuid

    data = report(demo_ws, plan_id=uuid.UUID(plan_id))
    assert data.visits == sql(demo_ws, f"SELECT COUNT(*) FROM visit WHERE plan_id = '{plan_id}'")
    assert data.plan is not None and data.plan.number == "45/KH-UBND" and data.period == "năm 2026"
    march = report(demo_ws, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    assert (march.visits, march.period) == (1, "từ ngày 01/03/2026 đến ngày 31/03/2026")
    with pytest.raises(DocumentError):
        report(demo_ws, date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 2, 1))


def test_period_words() -> None:
    assert period_words(dt.date(2026, 4, 1), dt.date(2026, 6, 30)) == "quý II năm 2026"
    assert period_words(dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == "quý IV năm 2026"
    assert parse_day("05/03/2026") == parse_day("2026-03-05") == dt.date(2026, 3, 5)


def test_command_writes_pdf_and_xlsx(
    demo_ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    add_report_parser(parser.add_subparsers(dest="what"))
    for name in ("bc.pdf", "bc.xlsx"):
        args = parser.parse_args(["report", "--plan", "45/KH-UBND", "-o", str(tmp_path / name)])
        assert report_command(demo_ws, args) == 0
        assert (tmp_path / name).stat().st_size > 1000
    assert (tmp_path / "bc.pdf").read_bytes().startswith(b"%PDF")
    args = parser.parse_args(
        ["report", "--from", "01/01/2020", "--to", "31/01/2020", "-o", str(tmp_path / "x.pdf")]
    )
    assert report_command(demo_ws, args) == 1
    args = parser.parse_args(["report", "--plan", "45/KH-UBND", "-o", str(tmp_path / "x.txt")])
    assert report_command(demo_ws, args) == 2
