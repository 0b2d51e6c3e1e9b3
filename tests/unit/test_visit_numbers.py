"""The minutes number (số/ký hiệu) a visit gets when it is signed and locked: from this laptop's
block, typed by hand when the block is empty, or typed earlier on the visit; part of the signed content."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
import test_visit_lifecycle as lifecycle
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.models import Visit, VisitLock
from inspector_app.core.models.documents import DocumentNumber
from inspector_app.core.models.records import LocalSetting
from inspector_app.core.services import numbering, signing, visits
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.workspace import Workspace
from inspector_app.documents.register import RegisterInfo, render_register
from inspector_app.office.admin import office_editor
from tests.documents.conftest import require_tool

ISSUER, YEAR = "ĐKTCV", 2026  # the demo team's ký hiệu; lifecycle.ARRIVAL is in 2026


def _ready(ws: Workspace) -> uuid.UUID:
    """A completed visit of the demo team with its three signatures, not locked yet."""
    visit_id = lifecycle._start(ws)
    lifecycle._fill_everything(ws, visit_id)
    with session_scope(ws.engine) as s:
        visits.complete_visit(s, ws.editor, visit_id=visit_id)
    return visit_id


def _lock(ws: Workspace, visit_id: uuid.UUID, number: int | str | None = None) -> VisitLock:
    """``lifecycle._sign_all`` with a number typed in the signatures tab."""
    if number is None:
        return lifecycle._sign_all(ws, visit_id)
    with session_scope(ws.engine) as s:
        return signing.sign_and_lock(s, ws.editor, visit_id=visit_id, number=number)


def _signed_elsewhere_first(ws: Workspace, visit_id: uuid.UUID) -> None:
    """Record the three signatures without locking (``_sign_all`` locks too)."""
    from inspector_app.core.demo.png import signature_png
    from inspector_app.core.models import SignatureRole
    from inspector_app.core.services.attachments import store_attachment

    with session_scope(ws.engine) as s:
        for n, role in enumerate(SignatureRole):
            att = store_attachment(s, ws.editor, ws.attachments, data=signature_png(n), mime="image/png")
            s.flush()
            signing.record_signature(
                s, ws.editor, visit_id=visit_id, role=role, signer_name=f"Người ký {n}", attachment_id=att.id
            )


def _with_office(ws: Workspace) -> None:
    with session_scope(ws.engine) as s:
        s.add(LocalSetting(key="sync.server", value="https://office.example"))


def _block(ws: Workspace, first_size: int, device_id: str | None = None) -> None:
    with session_scope(ws.engine) as s:
        numbering.allocate_block(
            s, office_editor(), ISSUER, YEAR, device_id or ws.editor.device_id, first_size
        )


def _line(ws: Workspace, visit_id: uuid.UUID) -> DocumentNumber | None:
    with Session(ws.engine) as s:
        return numbering.number_of(s, "visit", visit_id)


def test_locking_takes_the_next_number_of_the_block_before_hashing(demo_ws: Workspace) -> None:
    _with_office(demo_ws)
    _block(demo_ws, 3)
    with Session(demo_ws.engine) as s:
        expected = numbering.free_numbers(s, ISSUER, YEAR, demo_ws.editor.device_id)[0]
    visit_id = _ready(demo_ws)
    lock = _lock(demo_ws, visit_id)
    with Session(demo_ws.engine) as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None
        assert visit.number == numbering.symbol(expected, "BB", ISSUER)
        assert lock.content_sha256 == content_sha256(s, visit_id)  # the number is in what was signed
        assert numbering.remaining(s, ISSUER, YEAR, demo_ws.editor.device_id) == 2
    line = _line(demo_ws, visit_id)
    assert line is not None and line.symbol == visit.number and not line.manual
    assert line.issued_on.year == YEAR and "Thạch Khê" in line.summary


def test_an_empty_block_asks_for_a_number_typed_by_hand(demo_ws: Workspace) -> None:
    _with_office(demo_ws)
    _block(demo_ws, 2, device_id="another-laptop")  # its numbers are not ours to type
    with Session(demo_ws.engine) as s:
        theirs = numbering.blocks_of(s, ISSUER, YEAR, "another-laptop")[0].first
        used = [r.number for r in numbering.register(s, ISSUER, YEAR)]
    visit_id = _ready(demo_ws)
    _signed_elsewhere_first(demo_ws, visit_id)
    with session_scope(demo_ws.engine) as s, pytest.raises(signing.MinutesNumberNeeded, match="nhập số"):
        signing.sign_and_lock(s, demo_ws.editor, visit_id=visit_id)
    bad_numbers: list[int | str] = [theirs, *used[:1], "15/BC-ĐKTCV", "mười lăm"]
    assert used  # the demo's signed visits: 03 and 05
    for bad in bad_numbers:
        with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput):
            signing.sign_and_lock(s, demo_ws.editor, visit_id=visit_id, number=bad)
    with Session(demo_ws.engine) as s:
        assert s.exec(select(VisitLock).where(VisitLock.visit_id == visit_id)).first() is None
    lock = _lock(demo_ws, visit_id, "77/BB-ĐKTCV")
    with Session(demo_ws.engine) as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.number == "77/BB-ĐKTCV"
        assert lock.content_sha256 == content_sha256(s, visit_id)
    line = _line(demo_ws, visit_id)
    assert line is not None and line.manual and line.number == 77


def test_a_number_typed_earlier_on_the_visit_is_kept_and_registered(demo_ws: Workspace) -> None:
    _with_office(demo_ws)
    _block(demo_ws, 5)
    visit_id = _ready(demo_ws)
    with session_scope(demo_ws.engine) as s:
        visits.update_visit(s, demo_ws.editor, visit_id=visit_id, number="88/BB-ĐKTCV")
    _lock(demo_ws, visit_id)
    with Session(demo_ws.engine) as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.number == "88/BB-ĐKTCV"
        assert numbering.remaining(s, ISSUER, YEAR, demo_ws.editor.device_id) == 5  # block untouched
    line = _line(demo_ws, visit_id)
    assert line is not None and line.number == 88 and line.manual


def test_a_typed_number_of_the_wrong_shape_is_refused(demo_ws: Workspace) -> None:
    visit_id = _ready(demo_ws)
    with session_scope(demo_ws.engine) as s:
        visits.update_visit(s, demo_ws.editor, visit_id=visit_id, number="số mười")
    _signed_elsewhere_first(demo_ws, visit_id)
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="không đúng dạng"):
        signing.sign_and_lock(s, demo_ws.editor, visit_id=visit_id)


def test_a_laptop_without_an_office_numbers_on_its_own(demo_ws: Workspace) -> None:
    """Never signed in to an office: nobody else numbers, the laptop goes on from its register."""
    with Session(demo_ws.engine) as s:
        top = max(r.number for r in numbering.register(s, ISSUER, YEAR))  # the demo's signed visits
    first, second = (
        _ready(demo_ws),
        _ready(
            demo_ws,
        ),
    )
    _lock(demo_ws, first)
    _lock(demo_ws, second)
    numbers = [line.number for line in (_line(demo_ws, first), _line(demo_ws, second)) if line]
    assert numbers == [top + 1, top + 2]


def test_the_register_lists_the_minutes_numbers(demo_ws: Workspace, tmp_path: Path) -> None:
    _with_office(demo_ws)
    _block(demo_ws, 3)
    visit_id = _ready(demo_ws)
    _lock(demo_ws, visit_id)
    other = _ready(demo_ws)
    with session_scope(demo_ws.engine) as s:  # a number written on a visit but never registered
        visits.update_visit(s, demo_ws.editor, visit_id=other, number="99/BB-ĐKTCV")
    with Session(demo_ws.engine) as s:
        number = s.get(Visit, visit_id).number  # type: ignore[union-attr]
        pdf = render_register(s, RegisterInfo(ISSUER, YEAR, "Đoàn kiểm tra công vụ", "UBND tỉnh Hà Tĩnh"))
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [require_tool("pdftotext", "poppler-utils"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    text = " ".join(text.split())
    for expected in (
        number,
        "03/BB-ĐKTCV",
        "05/BB-ĐKTCV",
        "99/BB-ĐKTCV",
        "Chưa vào sổ",
        "Biên bản: Kiểm tra",
    ):
        assert expected and expected in text, expected
