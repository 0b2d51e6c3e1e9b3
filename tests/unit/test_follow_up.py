"""Remedy follow-up at the office desk on the demo database: every remedy of the signed visits with
its current status (the latest follow-up wins), the overdue counts per unit and per team checked
against raw SQL, the week's due list, and progress recorded beside a signed visit whose lock hash
stays what was signed."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.desk import follow_up as fu
from inspector_app.core.ids import uuid7
from inspector_app.core.models import (
    Attachment,
    Remedy,
    RemedyFollowUp,
    Team,
    Visit,
    VisitLock,
    VisitStatus,
)
from inspector_app.core.services.attachments import blob_path
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.findings import add_follow_up
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.workspace import Workspace

TODAY = dt.date(2026, 4, 15)  # a Wednesday: the demo's first signed visit is overdue, the second not

RAW_OVERDUE = """
SELECT {key}, COUNT(*) FROM remedy r JOIN visit v ON v.id = r.visit_id
WHERE r.deleted = 0 AND v.deleted = 0 AND v.status = 'signed'
  AND r.deadline IS NOT NULL AND r.deadline < :today
  AND COALESCE((SELECT f.status FROM remedy_follow_up f WHERE f.remedy_id = r.id AND f.deleted = 0
                ORDER BY f.reported_on DESC, f.updated_at DESC LIMIT 1), r.status) <> 'done'
GROUP BY {key}
"""


def raw_overdue(ws: Workspace, key: str, today: dt.date) -> dict[uuid.UUID | None, int]:
    """Overdue counts straight from the database, without the code under test."""
    with ws.engine.connect() as conn:
        rows = conn.execute(sa.text(RAW_OVERDUE.format(key=key)), {"today": today.isoformat()}).all()
    return {(uuid.UUID(k) if k else None): n for k, n in rows}


def signed_remedies(ws: Workspace) -> list[Remedy]:
    with Session(ws.engine) as s:
        rows = s.exec(
            select(Remedy)
            .join(Visit, Visit.id == Remedy.visit_id)
            .where(Visit.status == VisitStatus.SIGNED)
            .order_by(Remedy.deadline, Remedy.id)
        ).all()
        return list(rows)


def follow(ws: Workspace, remedy_id: uuid.UUID, status: str, day: dt.date, text: str = "Báo cáo") -> None:
    with session_scope(ws.engine) as s:
        add_follow_up(s, ws.editor, remedy_id=remedy_id, progress=text, status=status, reported_on=day)


def add_signed_visits(ws: Workspace, n: int, *, seed: int = 3) -> uuid.UUID:
    """``n`` signed visits of a second team with four remedies each (bulk rows, like a synced office)."""
    rng = random.Random(seed)
    with session_scope(ws.engine) as s:
        team = Team(id=uuid7(), code="doan-2", name="Đoàn kiểm tra số 2", issuer="UBND tỉnh Hà Tĩnh")
        ws.editor.stamp(team)
        s.add(team)
        s.flush()
        template = s.exec(select(Visit)).first()
        assert template is not None
        units = [u for u in s.connection().execute(sa.text("SELECT id FROM unit")).scalars()]
        for i in range(n):
            visit = Visit(
                id=uuid7(),
                unit_id=uuid.UUID(rng.choice(units)),
                form_id=template.form_id,
                team_id=team.id,
                status=VisitStatus.SIGNED,
                started_at=dt.datetime(2026, 1, 5, 1, tzinfo=dt.UTC) + dt.timedelta(days=i),
            )
            s.add(visit)
            s.flush()
            for k in range(4):
                s.add(
                    Remedy(
                        id=uuid7(),
                        visit_id=visit.id,
                        content=f"Yêu cầu {i}.{k}",
                        owner="Chủ tịch UBND",
                        deadline=dt.date(2026, 3, 1) + dt.timedelta(days=rng.randint(0, 90)),
                        sort_order=k,
                    )
                )
        return team.id


def test_only_remedies_of_signed_visits_with_their_current_status(demo_ws: Workspace) -> None:
    with Session(demo_ws.engine) as s:
        items = fu.list_remedies(s, today=TODAY)
        all_remedies = s.exec(select(Remedy)).all()
    signed = signed_remedies(demo_ws)
    assert {i.id for i in items} == {r.id for r in signed}
    assert len(all_remedies) > len(signed)  # the drafts' and completed visits' remedies are left out
    first = items[0]  # the earliest deadline first
    assert first.deadline == min(r.deadline for r in signed if r.deadline)
    assert first.days_overdue == (TODAY - first.deadline).days > 0
    assert first.status == first.own_status == "open" and first.follow_ups == 0
    assert first.unit_name == "UBND phường Thành Sen" and first.minutes_number == "03/BB-ĐKTCV"
    assert first.visit_day == dt.date(2026, 3, 10) and first.team_name

    follow(demo_ws, first.id, "in_progress", dt.date(2026, 4, 1), "Đang kiểm điểm")
    follow(demo_ws, first.id, "done", dt.date(2026, 4, 10), "Đã kiểm điểm xong")
    with Session(demo_ws.engine) as s:
        again = {i.id: i for i in fu.list_remedies(s, today=TODAY)}[first.id]
    assert again.status == "done" and again.own_status == "open"  # the latest follow-up wins
    assert again.progress == "Đã kiểm điểm xong" and again.reported_on == dt.date(2026, 4, 10)
    assert again.follow_ups == 2 and again.days_overdue == 0


def test_the_overdue_lists_match_counts_taken_straight_from_the_database(demo_ws: Workspace) -> None:
    team_2 = add_signed_visits(demo_ws, 40)
    remedies = signed_remedies(demo_ws)
    late = [r for r in remedies if r.deadline and r.deadline < TODAY]
    # Follow-ups that move remedies in and out of "overdue": done, done then reopened, in progress.
    follow(demo_ws, late[0].id, "done", dt.date(2026, 4, 2))
    follow(demo_ws, late[1].id, "done", dt.date(2026, 4, 1))
    follow(demo_ws, late[1].id, "in_progress", dt.date(2026, 4, 5))
    follow(demo_ws, late[2].id, "in_progress", dt.date(2026, 4, 3))
    follow(demo_ws, late[3].id, "done", dt.date(2026, 4, 3))
    with Session(demo_ws.engine) as s:
        by_unit = fu.overdue_by_unit(s, today=TODAY)
        by_team = fu.overdue_by_team(s, today=TODAY)
        total = fu.count_remedies(s, fu.FollowUpFilter(overdue_only=True), today=TODAY)
        listed = fu.list_remedies(s, fu.FollowUpFilter(overdue_only=True), today=TODAY)
    expected_units = raw_overdue(demo_ws, "v.unit_id", TODAY)
    expected_teams = raw_overdue(demo_ws, "v.team_id", TODAY)
    assert {c.key: c.overdue for c in by_unit} == expected_units
    assert {c.key: c.overdue for c in by_team} == expected_teams
    assert team_2 in expected_teams and len(expected_teams) == 2
    assert total == len(listed) == sum(expected_units.values()) == len(late) - 2
    assert [c.overdue for c in by_unit] == sorted((c.overdue for c in by_unit), reverse=True)
    for c in by_unit:
        deadlines = [i.deadline for i in listed if i.unit_id == c.key]
        assert c.oldest_deadline == min(d for d in deadlines if d)


def test_filters_and_pages(demo_ws: Workspace) -> None:
    team_2 = add_signed_visits(demo_ws, 120)
    with Session(demo_ws.engine) as s:
        everything = fu.list_remedies(s, today=TODAY)
        pages = []
        for offset in range(0, len(everything), 100):
            pages += fu.list_remedies(s, today=TODAY, limit=100, offset=offset)
        assert [i.id for i in pages] == [i.id for i in everything]
        assert fu.count_remedies(s, today=TODAY) == len(everything) == 488
        of_team = fu.list_remedies(s, fu.FollowUpFilter(team_id=team_2), today=TODAY)
        assert len(of_team) == 480 and {i.team_id for i in of_team} == {team_2}
        unit_id = everything[0].unit_id
        of_unit = fu.list_remedies(s, fu.FollowUpFilter(unit_id=unit_id), today=TODAY)
        assert of_unit and {i.unit_id for i in of_unit} == {unit_id}
        assert len(of_unit) == sum(1 for i in everything if i.unit_id == unit_id)
        units, teams = fu.filter_choices(s)
        assert {t for t, _n in teams} == {i.team_id for i in everything}
        assert {u for u, _n in units} == {i.unit_id for i in everything}
    follow(demo_ws, everything[0].id, "done", TODAY)
    with Session(demo_ws.engine) as s:
        done = fu.list_remedies(s, fu.FollowUpFilter(status="done"), today=TODAY)
        still_open = fu.count_remedies(s, fu.FollowUpFilter(status="open"), today=TODAY)
        with pytest.raises(InvalidInput):
            fu.count_remedies(s, fu.FollowUpFilter(status="finished"), today=TODAY)
    assert [i.id for i in done] == [everything[0].id]
    assert still_open == len(everything) - 1


def test_due_this_week_runs_monday_to_sunday_in_vietnam() -> None:
    assert fu.week_of(dt.date(2026, 4, 15)) == (dt.date(2026, 4, 13), dt.date(2026, 4, 19))
    assert fu.week_of(dt.date(2026, 4, 19)) == (dt.date(2026, 4, 13), dt.date(2026, 4, 19))
    assert fu.week_of(dt.date(2026, 4, 20)) == (dt.date(2026, 4, 20), dt.date(2026, 4, 26))
    # Sunday 18:30 UTC is already Monday 01:30 in Hà Nội: a new week there.
    sunday_evening = dt.datetime(2026, 4, 19, 18, 30, tzinfo=dt.UTC)
    assert fu.today_vn(sunday_evening) == dt.date(2026, 4, 20)


def test_due_this_week_lists_the_week_not_done(demo_ws: Workspace) -> None:
    with Session(demo_ws.engine) as s:
        week = fu.due_this_week(s, day=TODAY)
        in_week = [
            r
            for r in signed_remedies(demo_ws)
            if r.deadline and dt.date(2026, 4, 13) <= r.deadline <= dt.date(2026, 4, 19)
        ]
        assert [i.id for i in week] == [r.id for r in in_week] and week
        assert fu.due_this_week(s, day=dt.date(2026, 4, 20)) == []  # next week: nothing in the demo
    follow(demo_ws, week[0].id, "done", TODAY)
    with Session(demo_ws.engine) as s:
        assert week[0].id not in {i.id for i in fu.due_this_week(s, day=TODAY)}


def test_a_follow_up_with_evidence_leaves_the_signed_visit_as_it_was(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    remedy = signed_remedies(demo_ws)[0]
    with Session(demo_ws.engine) as s:
        lock = s.exec(select(VisitLock).where(VisitLock.visit_id == remedy.visit_id)).one()
        before = content_sha256(s, remedy.visit_id)
        visit_stamp = s.get(Visit, remedy.visit_id).updated_at  # type: ignore[union-attr]
    assert before == lock.content_sha256
    evidence = tmp_path / "bao-cao-khac-phuc.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao khac phuc")
    with session_scope(demo_ws.engine) as s:
        row = fu.record_follow_up(
            s,
            demo_ws.editor,
            demo_ws.attachments,
            remedy_id=remedy.id,
            progress="Đã tổ chức kiểm điểm các cá nhân đi muộn",
            status="done",
            reported_on=dt.date(2026, 4, 14),
            evidence=evidence,
        )
        row_id = row.id
    with Session(demo_ws.engine) as s:
        stored = s.get(RemedyFollowUp, row_id)
        assert stored is not None and stored.status == "done" and stored.attachment_id is not None
        attachment = s.get(Attachment, stored.attachment_id)
        assert attachment is not None and attachment.original_name == "bao-cao-khac-phuc.pdf"
        assert attachment.mime == "application/pdf"
        assert blob_path(demo_ws.attachments, attachment.sha256).read_bytes() == evidence.read_bytes()
        assert content_sha256(s, remedy.visit_id) == lock.content_sha256  # recomputed: unchanged
        assert s.get(Visit, remedy.visit_id).updated_at == visit_stamp  # type: ignore[union-attr]
        assert s.get(Remedy, remedy.id).status == remedy.status  # type: ignore[union-attr]
        history = fu.follow_ups_of(s, remedy.id)
    assert [(h.status, h.evidence_name) for h in history] == [("done", "bao-cao-khac-phuc.pdf")]


def test_a_follow_up_is_refused_with_a_reason(demo_ws: Workspace, tmp_path: Path) -> None:
    remedy = signed_remedies(demo_ws)[0]
    with Session(demo_ws.engine) as s:
        unsigned = s.exec(
            select(Remedy).join(Visit, Visit.id == Remedy.visit_id).where(Visit.status != VisitStatus.SIGNED)
        ).first()
    assert unsigned is not None
    cases = [
        ({"remedy_id": unsigned.id, "progress": "x", "status": "done"}, "signed visits"),
        ({"remedy_id": remedy.id, "progress": "  ", "status": "done"}, "progress"),
        ({"remedy_id": remedy.id, "progress": "x", "status": "finished"}, "finished"),
        (
            {"remedy_id": remedy.id, "progress": "x", "status": "done", "evidence": tmp_path / "no.pdf"},
            "no.pdf",
        ),
        (
            {
                "remedy_id": remedy.id,
                "progress": "x",
                "status": "done",
                "reported_on": TODAY.replace(year=2030),
            },
            "2030",
        ),
    ]
    from inspector_app.i18n import set_language

    set_language("en")
    for kwargs, words in cases:
        with session_scope(demo_ws.engine) as s, pytest.raises(InvalidInput, match=words):
            fu.record_follow_up(s, demo_ws.editor, demo_ws.attachments, **kwargs)  # type: ignore[arg-type]
    with Session(demo_ws.engine) as s:
        assert s.exec(select(RemedyFollowUp)).all() == []
