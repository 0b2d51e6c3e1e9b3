"""The biên bản PDF, rendered from the demo province and read back with poppler's tools."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import unicodedata
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlmodel import select

from inspector_app.core.db import session_scope
from inspector_app.core.demo.png import signature_png
from inspector_app.core.ids import stable_id
from inspector_app.core.models import Inspector, SignatureRole, Unit, Visit, VisitLock
from inspector_app.core.services import signing
from inspector_app.core.services.attachments import attach_to_visit, store_attachment
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.services.roll_call import roll_call_rows
from inspector_app.core.workspace import Workspace
from inspector_app.documents.base import DocumentError
from inspector_app.documents.formatting import clock, dmy, nd30_date, place_and_date
from inspector_app.documents.minutes import MinutesPdf, qr_payload, render_minutes
from inspector_app.i18n import set_language

SIGNED = stable_id("demo", "visit", "v1")  # UBND phường Thành Sen, 10/03/2026 07:45, 03/BB-ĐKTCV
COMPLETED = stable_id("demo", "visit", "v3")
DRAFT = stable_id("demo", "visit", "v5")
COMBINING = re.compile(r"[\u0300-\u036f]")


# ----------------------------------------------------------------------------------- helpers


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} not found: install poppler-utils (apt-get install -y poppler-utils)", pytrace=False
        )
    return path


def run(*args: str | Path) -> str:
    out = subprocess.run([tool(str(args[0])), *map(str, args[1:])], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return run("pdftotext", "-enc", "UTF-8", *pages, pdf, "-")


def flat(text: str) -> str:
    """Whitespace runs as one space: table cells and justified lines wrap anywhere."""
    return re.sub(r"\s+", " ", text)


def render(
    ws: Workspace, visit_id: uuid.UUID, tmp_path: Path, name: str = "minutes.pdf"
) -> tuple[MinutesPdf, Path]:
    with ws.session() as session:
        pdf = render_minutes(session, visit_id, attachments=ws.attachments)
    path = tmp_path / name
    path.write_bytes(pdf.data)
    return pdf, path


# ----------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (dt.date(2026, 3, 10), "ngày 10 tháng 3 năm 2026"),
        (dt.date(2026, 9, 1), "ngày 01 tháng 9 năm 2026"),
        (dt.date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (dt.date(2026, 11, 20), "ngày 20 tháng 11 năm 2026"),
    ],
)
def test_nd30_date_leading_zeros(day: dt.date, expected: str) -> None:
    assert nd30_date(day) == expected


def test_place_and_date_and_numeric_forms() -> None:
    assert place_and_date("Hà Tĩnh", dt.date(2026, 2, 5)) == "Hà Tĩnh, ngày 05 tháng 02 năm 2026"
    assert dmy(dt.date(2026, 3, 1)) == "01/03/2026"
    # 00:45 UTC is 07:45 in Asia/Ho_Chi_Minh
    assert clock(dt.datetime(2026, 3, 10, 0, 45, tzinfo=dt.UTC)) == "7 giờ 45 phút"
    assert dmy(dt.datetime(2026, 3, 9, 18, 0, tzinfo=dt.UTC)) == "10/03/2026"  # 01:00 next day locally


# ----------------------------------------------------------------------------------- signed visit


def test_signed_minutes_vietnamese_text_intact(demo_ws: Workspace, tmp_path: Path) -> None:
    pdf, path = render(demo_ws, SIGNED, tmp_path)
    assert pdf.data.startswith(b"%PDF")
    with demo_ws.session() as session:
        unit = session.get(Unit, session.get(Visit, SIGNED).unit_id)
        leader = session.exec(select(Inspector).where(Inspector.full_name == "Lê Văn Thắng")).one()
    text = pdf_text(path)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH HÀ TĨNH",
        "ĐOÀN KIỂM TRA CÔNG VỤ",
        "Số: 03/BB-ĐKTCV",
        "Hà Tĩnh, ngày 10 tháng 3 năm 2026",
        "BIÊN BẢN",
        unit.name,
        leader.full_name,
        "7 giờ 45 phút, ngày 10/03/2026",
        "I. THÀNH PHẦN",
        "II. NỘI DUNG KIỂM TRA VÀ KẾT QUẢ",
        "III. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA",
        "IV. KẾT LUẬN, KIẾN NGHỊ CỦA ĐOÀN KIỂM TRA",
        "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC",
        "TRƯỞNG ĐOÀN",
        "THƯ KÝ",
        "Phụ lục 1",
    ):
        assert expected in text, expected
    assert "Căn cứ Quyết định số 125/QĐ-UBND ngày 12/01/2026" in flat(text)
    assert "được lập thành 02 bản có giá trị như nhau" in flat(text)
    assert "DỰ THẢO" not in text
    assert not COMBINING.search(text), "decomposed marks in the extracted text"


def test_fonts_all_embedded_and_no_helvetica(demo_ws: Workspace, tmp_path: Path) -> None:
    _, path = render(demo_ws, SIGNED, tmp_path)
    lines = run("pdffonts", path).splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        name, emb = line.split()[0], line.split()[-5]
        assert "LiberationSerif" in name, line
        assert emb == "yes", line
    assert b"Helvetica" not in Path(path).read_bytes()


def test_page_numbers_from_page_two_centred_at_top(demo_ws: Workspace, tmp_path: Path) -> None:
    pdf, path = render(demo_ws, SIGNED, tmp_path)
    assert pdf.page_count >= 3
    assert run("pdfinfo", path).count("Pages:") == 1
    first = pdf_text(path, 1, 1).split()
    assert first[0] == "UBND", "page 1 carries no page number"
    for page in range(2, pdf.page_count + 1):
        assert pdf_text(path, page, page).split()[0] == str(page)
    # A4 portrait
    assert "595.276 x 841.89 pts (A4)" in run("pdfinfo", path)


def test_qr_carries_visit_id_and_content_hash(demo_ws: Workspace, tmp_path: Path) -> None:
    pdf, path = render(demo_ws, SIGNED, tmp_path)
    with demo_ws.session() as session:
        digest = content_sha256(session, SIGNED)
        lock = session.exec(select(VisitLock).where(VisitLock.visit_id == SIGNED)).one()
    assert digest == lock.content_sha256 == pdf.content_sha256
    assert pdf.qr_payload == qr_payload(SIGNED, digest) == f"KTCV:{SIGNED}:{digest}"
    text = flat(pdf_text(path))
    assert str(SIGNED) in text and digest in text
    # The code is really drawn: its box on the rendered page is a mix of dark and light modules.
    box = pdf.qr_box
    assert box is not None
    png = tmp_path / "qr"
    page = box.page_index + 1
    run("pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile", path, png)
    with Image.open(png.with_suffix(".png")) as img:
        height = img.height
        crop = img.convert("L").crop(
            (round(box.x1), round(height - box.y2), round(box.x2), round(height - box.y1))
        )
        dark = sum(crop.histogram()[:128]) / (crop.width * crop.height)
    assert 0.2 < dark < 0.7


def test_roll_call_appendix_lists_every_row(demo_ws: Workspace, tmp_path: Path) -> None:
    pdf, path = render(demo_ws, SIGNED, tmp_path)
    text = pdf_text(path)
    appendix = flat(text[text.index("Phụ lục 1\n") :])
    with demo_ws.session() as session:
        rows = roll_call_rows(session, SIGNED)
    assert len(rows) > 10
    for row in rows:
        assert row.full_name in appendix, row.full_name
    assert f"Tổng số: {len(rows)} người" in appendix
    # the header row repeats on every page the table spans
    pages = [pdf_text(path, p, p) for p in range(1, pdf.page_count + 1)]
    table_pages = [p for p in pages if rows[0].full_name in p or rows[-1].full_name in p]
    assert all("Họ và tên" in p and "Tình trạng" in p for p in table_pages if "Đeo thẻ" in p)
    assert sum("Họ và tên" in p for p in pages) >= 2, "the roll call spans pages with its header repeated"


def test_signature_boxes_and_images(demo_ws: Workspace, tmp_path: Path) -> None:
    pdf, path = render(demo_ws, SIGNED, tmp_path)
    assert set(pdf.signature_boxes) == {r.value for r in SignatureRole}
    leader = pdf.signature_boxes["truong_doan"]
    assert 0 <= leader.page_index < pdf.page_count
    assert 0 < leader.x1 < leader.x2 <= 595.3 and 0 < leader.y1 < leader.y2 <= 841.9
    assert leader.y2 - leader.y1 > 50  # room for a visible signature field
    # the three blocks line up
    assert len({round(b.y1, 1) for b in pdf.signature_boxes.values()}) == 1
    images = run("pdfimages", "-list", path).splitlines()[2:]
    assert sum(1 for line in images if line.split()[2] == "image") == 3  # the three drawn signatures


def test_english_ui_still_renders_vietnamese_document(demo_ws: Workspace, tmp_path: Path) -> None:
    set_language("en")
    _, path = render(demo_ws, SIGNED, tmp_path)
    text = pdf_text(path)
    assert "Có" in text and "Đạt" in text
    assert not re.search(r"\bYes\b|\bNot applicable\b", text)


def test_tampered_signed_visit_is_refused(demo_ws: Workspace) -> None:
    with demo_ws.engine.begin() as conn:  # behind the ORM guard, as a broken sync or a hand edit would
        changed = conn.execute(
            sa.text("UPDATE roll_call SET note = 'sửa sau khi ký' WHERE visit_id = :v"), {"v": SIGNED.hex}
        )
        assert changed.rowcount > 0
    with demo_ws.session() as session, pytest.raises(DocumentError, match=r"signed|ký"):
        render_minutes(session, SIGNED, attachments=demo_ws.attachments)


# ----------------------------------------------------------------------------------- drafts


def test_draft_minutes(demo_ws: Workspace, tmp_path: Path) -> None:
    pdf, path = render(demo_ws, DRAFT, tmp_path)
    text = pdf_text(path)
    assert "DỰ THẢO" in text
    assert "Số: /BB-ĐKTCV" in flat(text)
    assert "… giờ … phút cùng ngày" in flat(text)
    assert set(pdf.signature_boxes) == {r.value for r in SignatureRole}
    assert "Phụ lục 2" not in text  # no photos
    assert run("pdfimages", "-list", path).splitlines()[2:] == []


def test_nfd_input_comes_out_nfc(demo_ws: Workspace, tmp_path: Path) -> None:
    nfd = unicodedata.normalize(
        "NFD", "Đơn vị xin tiếp thu, khắc phục ngay trong tháng; Nguyễn Thị Hồng Nhung"
    )
    assert nfd != unicodedata.normalize("NFC", nfd)
    with demo_ws.engine.begin() as conn:  # as typed on a VNI keyboard, before any normalising
        conn.execute(sa.text("UPDATE visit SET explanation = :e WHERE id = :v"), {"e": nfd, "v": DRAFT.hex})
    _, path = render(demo_ws, DRAFT, tmp_path)
    text = pdf_text(path)
    assert unicodedata.normalize("NFC", nfd) in flat(text)
    assert not COMBINING.search(text)


def test_refused_signature_and_photos_appendix(demo_ws: Workspace, tmp_path: Path) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (3000, 2000), (40, 120, 200)).save(photo, format="JPEG")
    with session_scope(demo_ws.engine) as session:
        editor = demo_ws.editor
        for role in (SignatureRole.LEADER, SignatureRole.SECRETARY):
            att = store_attachment(
                session, editor, demo_ws.attachments, data=signature_png(3), mime="image/png"
            )
            session.flush()
            signing.record_signature(
                session,
                editor,
                visit_id=COMPLETED,
                role=role,
                signer_name="Lê Văn Thắng",
                attachment_id=att.id,
            )
        signing.record_signature(
            session,
            editor,
            visit_id=COMPLETED,
            role=SignatureRole.UNIT_REPRESENTATIVE,
            signer_name="Nguyễn Văn Bình",
            refused=True,
            refusal_note="không đồng ý với kết luận về giờ làm việc",
        )
        att = store_attachment(session, editor, demo_ws.attachments, data=photo.getvalue(), mime="image/jpeg")
        session.flush()
        attach_to_visit(
            session,
            editor,
            visit_id=COMPLETED,
            attachment_id=att.id,
            item_code="D1",
            caption="Bảng niêm yết TTHC",
        )
    _, path = render(demo_ws, COMPLETED, tmp_path)
    text = flat(pdf_text(path))
    assert "(Từ chối ký: không đồng ý với kết luận về giờ làm việc)" in text
    assert "Nguyễn Văn Bình" in text
    assert "Phụ lục 2" in text and "HÌNH ẢNH GHI NHẬN" in text
    assert "Ảnh 1: Bảng niêm yết TTHC (mục D1)" in text
    images = [line.split() for line in run("pdfimages", "-list", path).splitlines()[2:]]
    photos = [cols for cols in images if cols[2] == "image" and cols[8] == "jpeg"]
    assert len(photos) == 1
    width = int(photos[0][3])
    assert width < 1000, "the 3000 px photo is downscaled to what its printed size needs"
    assert "(Ký, ghi rõ họ tên)" in text
