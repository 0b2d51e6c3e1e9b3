"""The plan (kế hoạch) and the team decision (quyết định thành lập đoàn) as PDFs, read back with
poppler: Vietnamese text, numbers, the units to visit, the members and their roles, fonts embedded."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from inspector_app.core.db import session_scope
from inspector_app.core.demo.province import _sid
from inspector_app.core.desk import decisions, planned_visits, plans
from inspector_app.core.models import Team, TeamRole, Unit
from inspector_app.core.workspace import Workspace
from inspector_app.documents.decision_doc import render_decision_pdf
from inspector_app.documents.plan_commands import add_plan_parsers, plan_command
from inspector_app.documents.plan_doc import agency_heading, render_plan_pdf
from tests.documents.conftest import require_tool

TODAY = dt.date(2026, 5, 4)


def text_of(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    out = subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"], capture_output=True)
    return " ".join(out.stdout.decode("utf-8").split())


def fonts_of(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run([require_tool("pdffonts", "poppler-utils"), str(path)], capture_output=True)
    return out.stdout.decode("utf-8")


@pytest.fixture
def planned(demo_ws: Workspace) -> tuple[uuid.UUID, uuid.UUID]:
    """A new plan of the demo team with three units to visit, and its team decision."""
    ws = demo_ws
    with session_scope(ws.engine) as s:
        team = s.exec(select(Team).where(Team.code == "demo")).one()
        plan = plans.create_plan(
            s,
            ws.editor,
            plans.PlanFields(
                title="Kiểm tra công vụ đột xuất quý III năm 2026",
                issuer="UBND tỉnh Hà Tĩnh",
                issued_on=dt.date(2026, 6, 20),
                period_from=dt.date(2026, 7, 1),
                period_to=dt.date(2026, 9, 30),
                number="52/KH-UBND",
                team_id=team.id,
                legal_bases="Luật Cán bộ, công chức số 80/2025/QH15 ngày 24/6/2025\n"
                "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
                signer="Phan Quốc Hưng",
                signer_position="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
            ),
        )
        for code, day, mode in (
            ("HT-XA-THACH-KHE", dt.date(2026, 7, 15), "theo_ke_hoach"),
            ("HT-PHUONG-THANH-SEN", None, "dot_xuat"),
            ("HT-SO-TP", dt.date(2026, 8, 5), "theo_ke_hoach"),
        ):
            unit = s.exec(select(Unit).where(Unit.code == code)).one()
            planned_visits.add_planned_visit(
                s, ws.editor, plan.id, unit.id, planned_on=day, mode=mode, today=TODAY
            )
        newcomer = decisions.add_inspector(
            s,
            ws.editor,
            full_name="Trần Thị Ngọc Ánh",
            position="Chuyên viên",
            agency="Sở Nội vụ tỉnh Hà Tĩnh",
        )
        decision = decisions.create_decision(
            s,
            ws.editor,
            decisions.DecisionFields(
                team_id=team.id,
                signed_on=dt.date(2026, 6, 25),
                signer="Phan Quốc Hưng",
                signer_position="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
                number="130/QĐ-UBND",
                valid_to=dt.date(2026, 12, 31),
                plan_id=plan.id,
                members=[
                    (_sid("inspector", "snv-pgd"), TeamRole.LEADER),
                    (_sid("inspector", "ttt-pct"), TeamRole.DEPUTY),
                    (_sid("inspector", "snv-cchc"), TeamRole.MEMBER),
                    (newcomer.id, TeamRole.SECRETARY),
                ],
            ),
        )
        return plan.id, decision.id


def test_plan_pdf(demo_ws: Workspace, planned: tuple[uuid.UUID, uuid.UUID], tmp_path: Path) -> None:
    plan_id, _decision = planned
    with demo_ws.session() as s:
        data = render_plan_pdf(s, plan_id)
    text = text_of(data, tmp_path)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
        "Số: 52/KH-UBND",
        "Hà Tĩnh, ngày 20 tháng 6 năm 2026",
        "KẾ HOẠCH Kiểm tra công vụ đột xuất quý III năm 2026",
        "Căn cứ Luật Cán bộ, công chức số 80/2025/QH15 ngày 24/6/2025;",
        "Căn cứ Nghị định số 118/2025/NĐ-CP",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG, ĐỐI TƯỢNG, THỜI GIAN KIỂM TRA",
        "UBND xã Thạch Khê 15/07/2026 Theo kế hoạch",
        "UBND phường Thành Sen Không báo trước Đột xuất",
        "Sở Tư pháp tỉnh Hà Tĩnh 05/08/2026",
        "Từ ngày 01/07/2026 đến ngày 30/09/2026.",
        "III. TỔ CHỨC THỰC HIỆN",
        "thành lập theo Quyết định số 130/QĐ-UBND ngày 25/06/2026",
        "Nơi nhận:",
        "Lưu: VT, NC.",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Phan Quốc Hưng",
    ):
        assert expected in text, expected
    fonts = fonts_of(data, tmp_path)
    assert "Helvetica" not in fonts and "LiberationSerif" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded


def test_decision_pdf(demo_ws: Workspace, planned: tuple[uuid.UUID, uuid.UUID], tmp_path: Path) -> None:
    _plan, decision_id = planned
    with demo_ws.session() as s:
        data = render_decision_pdf(s, decision_id)
    text = text_of(data, tmp_path)
    for expected in (
        "Số: 130/QĐ-UBND",
        "Hà Tĩnh, ngày 25 tháng 6 năm 2026",
        "QUYẾT ĐỊNH Về việc thành lập Đoàn kiểm tra công vụ tỉnh Hà Tĩnh năm 2026",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15",
        "Căn cứ Kế hoạch số 52/KH-UBND ngày 20/06/2026 của UBND tỉnh Hà Tĩnh về kiểm tra công vụ đột xuất",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Thành lập Đoàn kiểm tra công vụ tỉnh Hà Tĩnh năm 2026",
        "1 Lê Văn Thắng Phó Giám đốc Sở Nội vụ Trưởng đoàn",
        "2 Hoàng Minh Tuấn Phó Chánh Thanh tra tỉnh Phó Trưởng đoàn",
        "3 Phạm Thị Thu Hằng",
        "4 Trần Thị Ngọc Ánh Chuyên viên, Sở Nội vụ tỉnh Hà Tĩnh Thư ký",
        "Điều 2. Đoàn kiểm tra có nhiệm vụ:",
        "Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký đến hết ngày 31/12/2026.",
        "Như Điều 3;",
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Phan Quốc Hưng",
    ):
        assert expected in text, expected
    for gone in ("Nguyễn Thị Lan Anh", "Bùi Thị Hương"):  # no longer in the team
        assert gone not in text
    assert "Helvetica" not in fonts_of(data, tmp_path)


def test_export_commands(demo_ws: Workspace, planned: tuple[uuid.UUID, uuid.UUID], tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="export_command")
    add_plan_parsers(sub)
    out = tmp_path / "out" / "ke-hoach.pdf"
    assert plan_command(demo_ws, parser.parse_args(["plan", "52/KH-UBND", "-o", str(out)])) == 0
    assert "Số: 52/KH-UBND" in text_of(out.read_bytes(), tmp_path)
    _plan, decision_id = planned
    out = tmp_path / "quyet-dinh.pdf"
    assert plan_command(demo_ws, parser.parse_args(["decision", str(decision_id), "-o", str(out)])) == 0
    assert "Số: 130/QĐ-UBND" in text_of(out.read_bytes(), tmp_path)
    demo = tmp_path / "demo.pdf"  # the demo's own decision, found by its number
    assert plan_command(demo_ws, parser.parse_args(["decision", "125/QĐ-UBND", "-o", str(demo)])) == 0
    assert (
        plan_command(demo_ws, parser.parse_args(["plan", "99/KH-UBND", "-o", str(tmp_path / "x.pdf")])) == 1
    )
    assert (
        plan_command(demo_ws, parser.parse_args(["plan", "52/KH-UBND", "-o", str(tmp_path / "x.txt")])) == 2
    )
    assert not (tmp_path / "x.pdf").exists()


def test_agency_heading_keeps_the_place_on_one_line() -> None:
    assert agency_heading("UBND tỉnh Hà Tĩnh") == "Ủy ban nhân dân tỉnh\xa0Hà\xa0Tĩnh"
    assert agency_heading("Sở Nội vụ tỉnh Hà Tĩnh") == "Sở Nội vụ tỉnh Hà Tĩnh"
