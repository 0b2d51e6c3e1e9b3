"""Conclusion notices on the demo database: drafted from a unit's signed visits (findings and
requirements come from them), refused from unsigned visits, edited while a draft only, issued with
a TB number from the register, and never touching the visits they conclude."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.desk import notices
from inspector_app.core.models import ConclusionNotice, Finding, Remedy, Unit, Visit, VisitLock, VisitStatus
from inspector_app.core.models.documents import DocumentNumber
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import set_language

ISSUED_ON = dt.date(2026, 4, 20)


def visit_of(ws: Workspace, unit_name: str) -> Visit:
    with Session(ws.engine) as s:
        return s.exec(select(Visit).join(Unit, Unit.id == Visit.unit_id).where(Unit.name == unit_name)).one()


def draft(
    ws: Workspace, unit_id: uuid.UUID, visit_ids: list[uuid.UUID] | None = None, day: dt.date = ISSUED_ON
) -> uuid.UUID:
    with session_scope(ws.engine) as s:
        return notices.draft_notice(s, ws.editor, unit_id=unit_id, visit_ids=visit_ids, issued_on=day).id


def load(ws: Workspace, notice_id: uuid.UUID) -> ConclusionNotice:
    with Session(ws.engine) as s:
        return notices.get_notice(s, notice_id)


def lock_hashes(ws: Workspace) -> dict[uuid.UUID, tuple[str, str]]:
    """Each signed visit's lock hash and its content hash recomputed now."""
    with Session(ws.engine) as s:
        return {
            lock.visit_id: (lock.content_sha256, content_sha256(s, lock.visit_id))
            for lock in s.exec(select(VisitLock))
        }


def test_a_draft_takes_findings_and_requirements_from_the_signed_visit(demo_ws: Workspace) -> None:
    visit = visit_of(demo_ws, "UBND phường Thành Sen")
    before = lock_hashes(demo_ws)
    notice = load(demo_ws, draft(demo_ws, visit.unit_id))
    with Session(demo_ws.engine) as s:
        findings = s.exec(select(Finding).where(Finding.visit_id == visit.id, Finding.deleted == False)).all()  # noqa: E712
        remedies = s.exec(
            select(Remedy).where(Remedy.visit_id == visit.id).order_by(Remedy.sort_order, Remedy.id)
        ).all()
    assert notices.visit_ids_of(notice) == [visit.id]
    assert notice.status == "draft" and notice.number is None and notice.issued_on == ISSUED_ON
    assert notice.team_id == visit.team_id and notice.plan_id == visit.plan_id
    assert "03/BB-ĐKTCV" in notice.findings and "10/03/2026" in notice.findings
    for f in findings:
        assert f.text in notice.findings
    reqs = notices.requirements_of(notice)
    assert [(r.content, r.owner, r.deadline) for r in reqs] == [
        (r.content, r.owner, r.deadline) for r in remedies
    ]
    # The deadlines have all passed by the 20th of April: the unit reports 30 days after the notice.
    assert notice.report_by == ISSUED_ON + dt.timedelta(days=30)
    assert notice.signer == "Lê Văn Thắng" and notice.signer_position == "TRƯỞNG ĐOÀN"
    assert notices.recipients_of(notice)[0] == "UBND phường Thành Sen (để thực hiện)"
    assert lock_hashes(demo_ws) == before


def test_report_by_is_the_latest_deadline_still_ahead() -> None:
    day = dt.date(2026, 4, 1)
    assert notices.default_report_by(day, [dt.date(2026, 4, 9), dt.date(2026, 3, 25)]) == dt.date(2026, 4, 9)
    assert notices.default_report_by(day, []) == dt.date(2026, 5, 1)
    assert notices.default_report_by(day, [dt.date(2026, 3, 31)]) == dt.date(2026, 5, 1)


def test_drafting_from_an_unsigned_visit_is_refused_with_a_clear_message(demo_ws: Workspace) -> None:
    set_language("en")
    completed = visit_of(demo_ws, "Sở Tư pháp tỉnh Hà Tĩnh")
    assert completed.status == VisitStatus.COMPLETED
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="is not signed yet"):
        notices.draft_notice(s, demo_ws.editor, unit_id=completed.unit_id, visit_ids=[completed.id])
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="no signed visit"):
        notices.draft_notice(s, demo_ws.editor, unit_id=completed.unit_id)
    signed = visit_of(demo_ws, "UBND xã Thạch Khê")
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="is not a visit of"):
        notices.draft_notice(s, demo_ws.editor, unit_id=completed.unit_id, visit_ids=[signed.id])
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="at least one"):
        notices.draft_notice(s, demo_ws.editor, unit_id=signed.unit_id, visit_ids=[])
    with Session(demo_ws.engine) as s:
        assert s.exec(select(ConclusionNotice)).all() == []
    set_language("vi")
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="chưa ký"):
        notices.draft_notice(s, demo_ws.editor, unit_id=completed.unit_id, visit_ids=[completed.id])


def test_a_visit_already_concluded_is_not_drafted_again_by_default(demo_ws: Workspace) -> None:
    visit = visit_of(demo_ws, "UBND xã Thạch Khê")
    draft(demo_ws, visit.unit_id)
    with Session(demo_ws.engine) as s:
        units = {u.unit_id: u for u in notices.units_to_conclude(s)}
        choices = notices.signed_visits_of(s, visit.unit_id)
    assert units[visit.unit_id].without_notice == 0 and units[visit.unit_id].signed_visits == 1
    assert [c.notice for c in choices] == ["bản nháp"]
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput):
        notices.draft_notice(s, demo_ws.editor, unit_id=visit.unit_id)
    second = draft(demo_ws, visit.unit_id, [visit.id])  # chosen by hand: allowed (a corrected notice)
    assert notices.visit_ids_of(load(demo_ws, second)) == [visit.id]


def test_edit_issue_and_refuse_edits_after_issue(demo_ws: Workspace) -> None:
    set_language("en")
    visit = visit_of(demo_ws, "UBND xã Thạch Khê")
    notice_id = draft(demo_ws, visit.unit_id)
    reqs = [
        notices.Requirement(
            "Chấn chỉnh giờ giấc làm việc", "Chủ tịch UBND xã Thạch Khê", dt.date(2026, 5, 15)
        ),
        {"content": "Niêm yết số điện thoại đường dây nóng", "owner": "Văn phòng UBND xã", "deadline": None},
    ]
    with session_scope(demo_ws.engine) as s:
        notices.update_notice(
            s,
            demo_ws.editor,
            notice_id=notice_id,
            requirements=reqs,
            report_by=dt.date(2026, 5, 20),
            recipients=["UBND xã Thạch Khê", " ", "Sở Nội vụ"],
            findings="Kết quả  đã sửa.\n\n1. Tồn tại\n-  Đi muộn ",
        )
    notice = load(demo_ws, notice_id)
    assert [r.content for r in notices.requirements_of(notice)][1] == "Niêm yết số điện thoại đường dây nóng"
    assert notices.requirements_of(notice)[1].deadline is None
    assert notice.recipients == "UBND xã Thạch Khê\nSở Nội vụ"
    assert notice.findings == "Kết quả đã sửa.\n1. Tồn tại\n- Đi muộn"  # lines kept, each one tidied
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="Requirement 1"):
        notices.update_notice(
            s, demo_ws.editor, notice_id=notice_id, requirements=[{"content": "x", "owner": ""}]
        )
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="Unknown field"):
        notices.update_notice(s, demo_ws.editor, notice_id=notice_id, status="signed")

    with session_scope(demo_ws.engine) as s:
        issued = notices.issue_notice(s, demo_ws.editor, notice_id=notice_id)
        number = issued.number
    assert number is not None and number.endswith("/TB-ĐKTCV")
    with Session(demo_ws.engine) as s:
        line = s.exec(select(DocumentNumber).where(DocumentNumber.entity == "conclusion_notice")).one()
    assert line.symbol == number and line.kind == "TB" and line.entity_id == str(notice_id)
    assert line.year == ISSUED_ON.year and line.issued_on == ISSUED_ON
    assert line.summary == "Thông báo kết luận kiểm tra công vụ tại UBND xã Thạch Khê"
    assert load(demo_ws, notice_id).status == "issued"
    for change in ({"findings": "khác"}, {"requirements": []}, {"report_by": dt.date(2026, 6, 1)}):
        with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="was issued"):
            notices.update_notice(s, demo_ws.editor, notice_id=notice_id, **change)
    for action in (notices.issue_notice, notices.discard_notice):
        with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="was issued"):
            action(s, demo_ws.editor, notice_id=notice_id)
    assert load(demo_ws, notice_id).findings == "Kết quả đã sửa.\n1. Tồn tại\n- Đi muộn"


def test_issue_needs_findings_and_a_signer_and_takes_numbers_in_turn(demo_ws: Workspace) -> None:
    set_language("en")
    a = draft(demo_ws, visit_of(demo_ws, "UBND xã Thạch Khê").unit_id)
    b = draft(demo_ws, visit_of(demo_ws, "UBND phường Thành Sen").unit_id)
    with session_scope(demo_ws.engine) as s:
        notices.update_notice(s, demo_ws.editor, notice_id=a, findings="  ")
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="findings"):
        notices.issue_notice(s, demo_ws.editor, notice_id=a)
    with session_scope(demo_ws.engine) as s:
        notices.update_notice(s, demo_ws.editor, notice_id=a, findings="Kết quả", signer="")
    with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match="signer"):
        notices.issue_notice(s, demo_ws.editor, notice_id=a)
    with session_scope(demo_ws.engine) as s:
        notices.update_notice(s, demo_ws.editor, notice_id=a, signer="Lê Văn Thắng")
        first = notices.issue_notice(s, demo_ws.editor, notice_id=a).number
        second = notices.issue_notice(s, demo_ws.editor, notice_id=b).number
    assert first and second and first != second
    assert int(second.split("/")[0]) == int(first.split("/")[0]) + 1


def test_discarding_a_draft_leaves_a_tombstone(demo_ws: Workspace) -> None:
    visit = visit_of(demo_ws, "UBND xã Thạch Khê")
    notice_id = draft(demo_ws, visit.unit_id)
    with session_scope(demo_ws.engine) as s:
        notices.discard_notice(s, demo_ws.editor, notice_id=notice_id)
    with Session(demo_ws.engine) as s:
        assert s.get(ConclusionNotice, notice_id).deleted  # type: ignore[union-attr]
        assert notices.list_notices(s) == []
        assert [u.without_notice for u in notices.units_to_conclude(s) if u.unit_id == visit.unit_id] == [1]


def test_the_content_hash_follows_what_the_notice_says(demo_ws: Workspace) -> None:
    notice_id = draft(demo_ws, visit_of(demo_ws, "UBND xã Thạch Khê").unit_id)
    before = notices.content_sha256(load(demo_ws, notice_id))
    with session_scope(demo_ws.engine) as s:
        notices.update_notice(s, demo_ws.editor, notice_id=notice_id, report_by=dt.date(2026, 6, 30))
    assert notices.content_sha256(load(demo_ws, notice_id)) != before
    assert json.loads(load(demo_ws, notice_id).visit_ids)
