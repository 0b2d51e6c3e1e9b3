"""Load the demo province: reference data in bulk (same ids on every laptop and at the office),
then a handful of visits in every state, made through the same services the app uses."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func
from sqlmodel import Session, SQLModel, select

from inspector_app.core.bulk import insert_rows
from inspector_app.core.db import session_scope
from inspector_app.core.demo.png import signature_png
from inspector_app.core.demo.province import DEMO_TEAM_CODE, PLANNED_UNITS, demo_reference, planned_visit_id
from inspector_app.core.forms import FormSpec, Item
from inspector_app.core.ids import stable_id
from inspector_app.core.models import (
    AttendanceStatus,
    Badge,
    Dress,
    Inspector,
    LocalSetting,
    NamePlate,
    Plan,
    SignatureRole,
    Team,
    TeamMember,
    TeamRole,
    Unit,
    Visit,
)
from inspector_app.core.services import findings, roll_call, signing, visits
from inspector_app.core.services.attachments import store_attachment
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.forms_registry import latest_form, spec_of
from inspector_app.core.services.schedule import VN_TZ, schedule_for
from inspector_app.core.text import fold
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _

# Reference data comes "from the office": already in sync, with one fixed version stamp.
REFERENCE_STAMP = "0000000000001-00000-demo"
_SYNCED = {"updated_at": REFERENCE_STAMP, "deleted": False, "dirty": False, "seq": None}
_SEARCH_SOURCE = {"unit": "name", "official": "full_name"}
SIGNED_IN_KEY = "sync.server"  # local_setting written by ``sync.client.login``

SURPRISE_FORM = "kiem-tra-cong-vu-dot-xuat"
EXPLANATION = (
    "Đơn vị tiếp thu ý kiến của Đoàn kiểm tra. Các trường hợp đi muộn do dự họp giao ban đột xuất "
    "tại thôn; đơn vị sẽ chấn chỉnh ngay và báo cáo kết quả khắc phục đúng thời hạn."
)
# Free-text items the minutes already carry elsewhere (findings, remedies table): left unanswered.
_LEFT_BLANK = frozenset({"F3", "F4", "F6", "G3"})
ONE_STOP_FORM = "trung-tam-phuc-vu-hanh-chinh-cong"


@dataclass(frozen=True)
class DemoVisit:
    key: str
    unit_code: str
    local_arrival: dt.datetime  # Asia/Ho_Chi_Minh wall clock
    state: str  # "draft" | "completed" | "signed"
    form: str = SURPRISE_FORM
    number: str | None = None


DEMO_VISITS = (
    DemoVisit("v1", "HT-PHUONG-THANH-SEN", dt.datetime(2026, 3, 10, 7, 45), "signed", number="03/BB-ĐKTCV"),
    DemoVisit("v2", "HT-XA-THACH-KHE", dt.datetime(2026, 4, 2, 13, 40), "signed", number="05/BB-ĐKTCV"),
    DemoVisit("v3", "HT-SO-TP", dt.datetime(2026, 6, 16, 7, 20), "completed"),
    DemoVisit(
        "v4", "HT-XA-CAM-XUYEN-TTPVHCC", dt.datetime(2026, 9, 8, 7, 15), "completed", form=ONE_STOP_FORM
    ),
    DemoVisit("v5", "HT-PHUONG-TRAN-PHU", dt.datetime(2026, 11, 24, 7, 40), "draft"),
    DemoVisit("v6", "HT-XA-DUC-THO", dt.datetime(2026, 11, 30, 14, 0), "draft"),
)


def demo_visit_ids() -> list[uuid.UUID]:
    """The sample visits' ids: the same on every laptop that loaded the demo."""
    return [stable_id("demo", "visit", demo.key) for demo in DEMO_VISITS]


def pending_demo_visits(conn: Connection) -> int:
    """Sample visits of the demo province on this laptop that a sync would push to an office:
    fake visits for a real office, and the same ids with other contents on every laptop that
    tried the demo (conflicts, refused signatures)."""
    visit = SQLModel.metadata.tables["visit"]
    query = select(func.count()).select_from(visit).where(visit.c.dirty, visit.c.id.in_(demo_visit_ids()))
    return int(conn.execute(query).scalar_one())


@dataclass(frozen=True)
class DemoSummary:
    units: int
    officials: int
    visits_created: int
    visits_total: int


def load_reference(session: Session) -> dict[str, int]:
    counts = {}
    conn = session.connection()
    for name, rows in demo_reference().items():
        table = SQLModel.metadata.tables[name]
        if name in _SEARCH_SOURCE:
            rows = [r | {"search_key": fold(r[_SEARCH_SOURCE[name]])} for r in rows]
        insert_rows(conn, table, rows, defaults=_SYNCED, on_conflict_ignore=True)
        counts[name] = len(rows)
    return counts


def load_demo(ws: Workspace) -> DemoSummary:
    """Idempotent: a second run adds nothing and changes nothing. Refused on a laptop signed in to
    an office: its sample visits would go up with the next sync."""
    with session_scope(ws.engine) as session:
        server = session.get(LocalSetting, SIGNED_IN_KEY)
        if server is not None and server.value:
            raise InvalidInput(
                _(
                    "This laptop is signed in to the office {server}: load the demo province in a "
                    "data folder of its own (inspector-app --data-dir FOLDER demo)"
                ).format(server=server.value)
            )
        counts = load_reference(session)
    created = 0
    for spec in DEMO_VISITS:
        with session_scope(ws.engine) as session:
            if _make_visit(session, ws, spec):
                created += 1
    return DemoSummary(counts["unit"], counts["official"], created, len(DEMO_VISITS))


def _make_visit(session: Session, ws: Workspace, demo: DemoVisit) -> bool:
    visit_id = stable_id("demo", "visit", demo.key)
    if session.get(Visit, visit_id) is not None:
        return False
    editor = ws.editor
    rng = random.Random(demo.key)
    unit = session.exec(select(Unit).where(Unit.code == demo.unit_code)).one()
    team = session.exec(select(Team).where(Team.code == DEMO_TEAM_CODE)).one()
    plan = session.exec(select(Plan).where(Plan.team_id == team.id)).first()
    members = session.exec(select(TeamMember).where(TeamMember.team_id == team.id)).all()
    form = latest_form(session, demo.form)
    if form is None:
        raise LookupError(f"checklist form {demo.form} is not loaded")
    spec = spec_of(form)
    arrived = demo.local_arrival.replace(tzinfo=VN_TZ).astimezone(dt.UTC)
    visit = visits.start_visit(
        session,
        editor,
        unit_id=unit.id,
        form_id=form.id,
        team_id=team.id,
        plan_id=plan.id if plan else None,
        member_ids=[m.inspector_id for m in members],
        arrived_at=arrived,
        visit_id=visit_id,
        planned_visit_id=planned_visit_id(demo.unit_code) if demo.unit_code in PLANNED_UNITS else None,
    )
    session.flush()
    _mark_roll_call(session, ws, visit.id, arrived, rng)
    # The head of the unit receives the team: Chủ tịch UBND of a commune, Giám đốc of a department.
    rows = roll_call.roll_call_rows(session, visit.id)
    chair = next(
        (r for r in rows if r.position.startswith(("Chủ tịch UBND", "Giám đốc"))), rows[0] if rows else None
    )
    representative = f"{chair.full_name} – {chair.position}" if chair else unit.name
    sched = schedule_for(session, unit.id, demo.local_arrival.date())
    afternoon = sched is not None and demo.local_arrival.time() >= sched.morning_end
    known: dict[str, Any] = {
        "A2": visit.place,
        "A4": representative,
        "F2": EXPLANATION,
        "G2": EXPLANATION,
        "B10A": "01 công chức sử dụng mạng xã hội vào việc riêng trong giờ làm việc.",
        "C7A": "Công chức trả lời người dân thiếu niềm nở, chưa hướng dẫn đầy đủ.",
    }
    if sched is not None:
        known["A6"] = (sched.afternoon_start if afternoon else sched.morning_start).strftime("%H:%M")
        known["A7"] = (sched.afternoon_end if afternoon else sched.morning_end).strftime("%H:%M")
    _answer_items(session, ws, visit.id, spec, demo.local_arrival, rng, known)
    visits.update_visit(
        session,
        editor,
        visit_id=visit.id,
        unit_representative=representative,
        explanation=EXPLANATION,
        number=demo.number,
    )
    findings.draft_findings(session, editor, visit_id=visit.id)
    findings.add_remedy(
        session,
        editor,
        visit_id=visit.id,
        content="Tổ chức kiểm điểm các cá nhân vi phạm thời giờ làm việc, báo cáo kết quả về Sở Nội vụ.",
        owner=f"Thủ trưởng {unit.name}",
        deadline=demo.local_arrival.date() + dt.timedelta(days=15),
    )
    if demo.state in ("completed", "signed"):
        visits.complete_visit(
            session, editor, visit_id=visit.id, at=arrived + dt.timedelta(hours=2, minutes=10)
        )
    if demo.state == "signed":
        rep_name, rep_position = (chair.full_name, chair.position) if chair else ("", "")
        _sign(
            session,
            ws,
            visit.id,
            members,
            rep_name,
            rep_position,
            at=arrived + dt.timedelta(hours=2, minutes=15),
        )
    return True


def _mark_roll_call(
    session: Session, ws: Workspace, visit_id: uuid.UUID, arrived: dt.datetime, rng: random.Random
) -> None:
    for row in roll_call.roll_call_rows(session, visit_id):
        draw = rng.random()
        fields: dict[str, Any] = {}
        if draw < 0.80:
            fields = {
                "status": AttendanceStatus.PRESENT,
                "badge": Badge.WORN if rng.random() < 0.88 else Badge.NOT_WORN,
                "dress": Dress.OK if rng.random() < 0.95 else Dress.NOT_OK,
                "name_plate": NamePlate.YES if rng.random() < 0.85 else NamePlate.NO,
            }
        elif draw < 0.88:
            fields = {
                "status": AttendanceStatus.LATE,
                "arrival_at": arrived + dt.timedelta(minutes=rng.randint(8, 40)),
                "badge": Badge.WORN if rng.random() < 0.7 else Badge.NOT_WORN,
                "dress": Dress.OK,
                "name_plate": NamePlate.YES,
            }
        elif draw < 0.93:
            fields = {"status": AttendanceStatus.ON_DUTY, "reason": "Đi công tác theo Giấy mời của UBND tỉnh"}
        elif draw < 0.97:
            fields = {"status": AttendanceStatus.LEAVE, "reason": "Nghỉ phép năm (có đơn được duyệt)"}
        else:
            fields = {"status": AttendanceStatus.ABSENT_WITHOUT_REASON}
        roll_call.record_roll_call(session, ws.editor, row_id=row.id, **fields)


def _value_for(item: Item, local: dt.datetime, rng: random.Random) -> Any:
    fail = rng.random() < 0.12 and item.fail_when is not None
    if item.type in ("yes_no", "yes_no_na"):
        return "no" if fail and "no" in (item.fail_when or ()) else "yes"
    if item.type == "single_choice":
        bad = {str(v) for v in item.fail_when or ()} if isinstance(item.fail_when, tuple) else set()
        good = [c.value for c in item.choices if c.value not in bad]
        return sorted(bad)[0] if fail and bad else (good or [item.choices[0].value])[0]
    if item.type == "multi_choice":
        return [item.choices[0].value]
    if item.type in ("count", "number"):
        low = int(item.min) if item.min is not None else 0
        high = int(item.max) if item.max is not None else 30
        return rng.randint(low, max(low, min(high, low + 5)))
    if item.type == "time":
        return local.strftime("%H:%M")
    if item.type == "date":
        return local.date().isoformat()
    if item.type == "text":
        return "Đã kiểm tra trực tiếp, ghi nhận tại thời điểm kiểm tra."
    if item.type == "table":
        return [
            {
                c.code: (
                    local.date().isoformat()
                    if c.type == "date"
                    else 0
                    if c.type in ("count", "number")
                    else local.strftime("%H:%M")
                    if c.type == "time"
                    else "Ghi nhận"
                )
                for c in item.columns
            }
        ]
    return None


def _answer_items(
    session: Session,
    ws: Workspace,
    visit_id: uuid.UUID,
    spec: FormSpec,
    local: dt.datetime,
    rng: random.Random,
    known: dict[str, Any],
) -> None:
    answers: dict[str, Any] = {}
    # Codes mean different things in different forms: take a known value only for free text and times.
    known = {
        k: v for k, v in known.items() if k in {i.code for i in spec.items() if i.type in ("text", "time")}
    }
    for item in spec.items():
        if item.auto or item.type == "photo" or item.code in _LEFT_BLANK or not item.is_visible(answers):
            continue
        if not item.required and item.code not in known and rng.random() < 0.15:
            continue
        value = known[item.code] if item.code in known else _value_for(item, local, rng)
        if value is None:
            continue
        visits.record_answer(session, ws.editor, visit_id=visit_id, item_code=item.code, value=value)
        answers[item.code] = item.validate(value)


def _sign(
    session: Session,
    ws: Workspace,
    visit_id: uuid.UUID,
    members: Any,
    rep_name: str,
    rep_position: str,
    *,
    at: dt.datetime,
) -> None:
    by_role = {m.role: session.get(Inspector, m.inspector_id) for m in members}
    people = [
        (SignatureRole.LEADER, by_role.get(TeamRole.LEADER)),
        (SignatureRole.SECRETARY, by_role.get(TeamRole.SECRETARY)),
    ]
    for n, (role, person) in enumerate(people):
        png = signature_png(n + len(rep_name))
        att = store_attachment(session, ws.editor, ws.attachments, data=png, mime="image/png")
        session.flush()
        signing.record_signature(
            session,
            ws.editor,
            visit_id=visit_id,
            role=role,
            signer_name=person.full_name if person else "—",
            signer_position=person.position if person else "",
            attachment_id=att.id,
            at=at,
        )
    png = signature_png(7 + len(rep_name))
    att = store_attachment(session, ws.editor, ws.attachments, data=png, mime="image/png")
    session.flush()
    signing.record_signature(
        session,
        ws.editor,
        visit_id=visit_id,
        role=SignatureRole.UNIT_REPRESENTATIVE,
        signer_name=rep_name,
        signer_position=rep_position,
        attachment_id=att.id,
        at=at,
    )
    signing.sign_and_lock(session, ws.editor, visit_id=visit_id, at=at)
