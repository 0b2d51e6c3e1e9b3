"""Document numbers on several laptops offline: blocks from the office, no collisions, manual numbers."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from pathlib import Path

import pytest
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.models.documents import DocumentNumber, NumberBlock
from inspector_app.core.services import numbering
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.workspace import Workspace, open_workspace
from inspector_app.documents.register import RegisterInfo, render_register
from tests.documents.conftest import require_tool

ISSUER, YEAR = "ĐKTCV", 2026


def copy_rows(src: Workspace, dst: Workspace, table: type[NumberBlock] | type[DocumentNumber]) -> None:
    """A stand-in for sync: every row of ``table`` the destination does not have yet."""
    with src.session() as s:
        rows = [r.model_dump() for r in s.exec(select(table)).all()]
    with session_scope(dst.engine) as d:
        for row in rows:
            if d.get(table, row["id"]) is None:
                d.add(table(**row))


@pytest.fixture
def office_and_laptops(tmp_path: Path):  # type: ignore[no-untyped-def]
    spaces = [open_workspace(tmp_path / name) for name in ("office", "laptop-a", "laptop-b")]
    yield spaces
    for ws in spaces:
        ws.close()


def take(ws: Workspace, kind: str = "BB", manual: int | None = None, summary: str = "") -> DocumentNumber:
    with session_scope(ws.engine) as session:
        return numbering.next_number(session, ws.editor, ISSUER, YEAR, kind, summary=summary, manual=manual)


def test_symbol_has_a_leading_zero_below_ten() -> None:
    assert numbering.symbol(3, "BB", "ĐKTCV") == "03/BB-ĐKTCV"
    assert numbering.symbol(15, "QĐ", "UBND") == "15/QĐ-UBND"


def test_two_laptops_offline_never_collide(office_and_laptops) -> None:  # type: ignore[no-untyped-def]
    office, a, b = office_and_laptops
    with session_scope(office.engine) as s:
        numbering.allocate_block(s, office.editor, ISSUER, YEAR, a.editor.device_id, 5)
        numbering.allocate_block(s, office.editor, ISSUER, YEAR, b.editor.device_id, 5)
    for laptop in (a, b):
        copy_rows(office, laptop, NumberBlock)
    rng = random.Random(7)
    taken: dict[str, list[int]] = {"a": [], "b": []}
    for _ in range(10):  # interleaved, offline
        name = rng.choice("ab")
        laptop = a if name == "a" else b
        with contextlib.suppress(numbering.NoNumbersLeft):
            taken[name].append(take(laptop, rng.choice(["BB", "BC", "TB"])).number)
    assert not set(taken["a"]) & set(taken["b"])
    with a.session() as s:
        assert numbering.remaining(s, ISSUER, YEAR, a.editor.device_id) == 5 - len(taken["a"])
    # Both push: the office register takes every line (the unique constraint would refuse a clash).
    copy_rows(a, office, DocumentNumber)
    copy_rows(b, office, DocumentNumber)
    with office.session() as s:
        numbers = [r.number for r in numbering.register(s, ISSUER, YEAR)]
    assert sorted(numbers) == sorted(taken["a"] + taken["b"])
    assert len(numbers) == len(set(numbers))
    # The next block starts after everything known.
    with session_scope(office.engine) as s:
        block = numbering.allocate_block(s, office.editor, ISSUER, YEAR, a.editor.device_id, 10)
    assert block.first == 11 and block.last == 20


def test_block_runs_out_then_manual_numbers(office_and_laptops) -> None:  # type: ignore[no-untyped-def]
    office, a, b = office_and_laptops
    with session_scope(office.engine) as s:
        numbering.allocate_block(s, office.editor, ISSUER, YEAR, a.editor.device_id, 2)  # 1–2
        numbering.allocate_block(s, office.editor, ISSUER, YEAR, b.editor.device_id, 3)  # 3–5
    copy_rows(office, a, NumberBlock)
    assert [take(a).symbol, take(a).symbol] == ["01/BB-ĐKTCV", "02/BB-ĐKTCV"]
    with pytest.raises(numbering.NoNumbersLeft):
        take(a)
    with pytest.raises(numbering.NumberTaken, match="02/BB-ĐKTCV"):
        take(a, manual=2)  # already in the register
    with pytest.raises(numbering.NumberTaken):
        take(a, manual=4)  # inside laptop B's block
    with pytest.raises(InvalidInput):
        take(a, manual=0)
    row = take(a, "BC", manual=40, summary="Báo cáo kết quả kiểm tra đợt 1")
    assert (row.symbol, row.manual, row.kind) == ("40/BC-ĐKTCV", True, "BC")
    with pytest.raises(numbering.NumberTaken):
        take(a, manual=40)
    with pytest.raises(InvalidInput):
        take(a, "XX")


def test_same_number_on_one_laptop_from_two_sessions_is_refused(workspace: Workspace) -> None:
    editor: Editor = workspace.editor
    with session_scope(workspace.engine) as s:
        numbering.allocate_block(s, editor, ISSUER, YEAR, editor.device_id, 3)
    s1, s2 = Session(workspace.engine), Session(workspace.engine)
    try:
        numbering.next_number(s1, editor, ISSUER, YEAR, "BB")
        s1.commit()
        # s2 took its view before s1 committed? It re-reads the register, so it gets the next one.
        row = numbering.next_number(s2, editor, ISSUER, YEAR, "BB")
        s2.commit()
        assert row.number == 2
    finally:
        s1.close()
        s2.close()


def test_register_pdf(workspace: Workspace, tmp_path: Path) -> None:
    import subprocess

    editor = workspace.editor
    with session_scope(workspace.engine) as s:
        numbering.allocate_block(s, editor, ISSUER, YEAR, editor.device_id, 3)
        numbering.next_number(
            s,
            editor,
            ISSUER,
            YEAR,
            "BB",
            summary="Kiểm tra công vụ tại UBND phường Thành Sen",
            issued_on=dt.date(2026, 3, 10),
        )
        numbering.next_number(s, editor, ISSUER, YEAR, "BC", summary="Kết quả kiểm tra quý I", manual=9)
    with workspace.session() as s:
        pdf = render_register(
            s, RegisterInfo(ISSUER, YEAR, "Đoàn kiểm tra công vụ", "UBND tỉnh Hà Tĩnh", "Hà Tĩnh")
        )
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [require_tool("pdftotext", "poppler-utils"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for expected in (
        "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
        "01/BB-ĐKTCV",
        "10/03/2026",
        "09/BC-ĐKTCV",
        "Cấp tay",
        "UBND phường Thành Sen",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ):
        assert expected in " ".join(out.split()), expected
