"""The editable Word minutes: read back with python-docx — same content as the PDF minutes."""

from __future__ import annotations

import io

import docx
from sqlmodel import select

from inspector_app.core.ids import stable_id
from inspector_app.core.models import Remedy, RollCall
from inspector_app.core.workspace import Workspace
from inspector_app.documents.minutes_docx import render_minutes_docx

SIGNED = stable_id("demo", "visit", "v1")
DRAFT = stable_id("demo", "visit", "v5")


def read(ws: Workspace, visit=SIGNED) -> docx.document.Document:  # type: ignore[no-untyped-def]
    with ws.session() as session:
        data = render_minutes_docx(session, visit, attachments=ws.attachments)
    return docx.Document(io.BytesIO(data))


def all_text(doc: docx.document.Document) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_content_and_order(demo_ws: Workspace) -> None:
    doc = read(demo_ws)
    text = all_text(doc)
    paragraphs = [p.text for p in doc.paragraphs]
    order = [
        "BIÊN BẢN",
        "I. THÀNH PHẦN",
        "II. NỘI DUNG KIỂM TRA VÀ KẾT QUẢ",
        "III. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA",
        "IV. KẾT LUẬN, KIẾN NGHỊ CỦA ĐOÀN KIỂM TRA",
        "Phụ lục 1",
    ]
    positions = [next(i for i, p in enumerate(paragraphs) if p.startswith(h)) for h in order]
    assert positions == sorted(positions)
    assert "Kiểm tra công vụ đột xuất tại UBND phường Thành Sen" in paragraphs
    assert "Số: 03/BB-ĐKTCV" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "- Lê Văn Thắng, Phó Giám đốc Sở Nội vụ – Trưởng đoàn;" in paragraphs
    with demo_ws.session() as session:
        officials = session.exec(select(RollCall.full_name).where(RollCall.visit_id == SIGNED)).all()
        remedies = session.exec(select(Remedy.content).where(Remedy.visit_id == SIGNED)).all()
    assert officials and all(name in text for name in officials)
    assert remedies and all(content in text for content in remedies)
    assert "TRƯỞNG ĐOÀN" in text and "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA" in text


def test_page_and_fonts_follow_nd30(demo_ws: Workspace) -> None:
    doc = read(demo_ws)
    section = doc.sections[0]
    mm = [
        round(v.mm)
        for v in (
            section.page_width,
            section.page_height,
            section.left_margin,
            section.right_margin,
            section.top_margin,
            section.bottom_margin,
        )
    ]
    assert mm == [210, 297, 30, 15, 20, 20]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13
    header = doc.tables[0]
    assert len(header.columns) == 2 and "UBND TỈNH HÀ TĨNH" in header.rows[0].cells[0].text
    sizes = {run.font.size.pt for p in doc.paragraphs for run in p.runs if run.font.size is not None}
    assert sizes <= {10, 11, 12, 13, 14}


def test_draft_has_no_number_yet(demo_ws: Workspace) -> None:
    text = all_text(read(demo_ws, DRAFT))
    assert "/BB-ĐKTCV" in text and "UBND phường Trần Phú" in text
