"""What the summary report (báo cáo kết quả kiểm tra, NĐ 30 Mẫu 1.4) shows, read in one go.

The figures come from the grouped queries of ``core/services/reports.py``; this module only names
them in Vietnamese, ranks the units and words the period. PDF and .xlsx render the same data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.desk import tally
from inspector_app.core.models import Inspector, Plan, Team, TeamMember, TeamRole, Unit
from inspector_app.core.services import reports
from inspector_app.core.services.forms_registry import form_spec
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.documents.base import DocumentError
from inspector_app.documents.formatting import local, nfc
from inspector_app.documents.minutes_data import Citation, team_decision, team_heading
from inspector_app.i18n import _

# Roll-call counts as the report words them, in the order it lists them.
ROLL_CALL_TOPICS = (
    ("late", "Đi muộn"),
    ("absent_without_reason", "Vắng mặt không có lý do hoặc không rõ lý do"),
    ("absent_with_reason", "Vắng mặt có lý do (đi công tác, nghỉ phép, nghỉ ốm…)"),
    ("no_badge", "Không đeo thẻ cán bộ, công chức"),
    ("no_name_plate", "Không có biển tên, biển chức danh tại bàn làm việc"),
    ("dress_not_ok", "Trang phục chưa gọn gàng, lịch sự"),
)
REMEDY_WORDS = {
    "done": "Đã hoàn thành",
    "in_progress": "Đang thực hiện",
    "open": "Chưa thực hiện (còn hạn)",
    "overdue": "Quá hạn",
}
STATUS_WORDS = {"signed": "đã ký biên bản", "completed": "đã hoàn thành", "draft": "chưa hoàn thành biên bản"}
UNIT_TYPE_WORDS = {
    "xa": "xã",
    "phuong": "phường",
    "dac_khu": "đặc khu",
    "so": "sở, ngành",
    "phong": "phòng chuyên môn",
    "tt_pvhcc": "trung tâm phục vụ hành chính công",
    "don_vi_su_nghiep": "đơn vị sự nghiệp",
}
ROMAN_QUARTER = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class TopicRow:
    """One failing checklist item over the scope: "Có 9 hồ sơ … trễ hạn" at 4 of 5 visits."""

    section: str
    text: str
    visits: int
    applicable: int
    amount: float | None


@dataclass(frozen=True)
class UnitRow:
    rank: int | None  # None: nothing scored (a visit whose checklist is still empty)
    name: str
    visits: int
    score: float | None  # percentage
    late: int
    absent: int  # without (known) reason
    no_badge: int
    no_name_plate: int
    dress: int
    failed_items: int
    violations: int  # roll-call violations


@dataclass(frozen=True)
class RemedyRow:
    unit: str
    content: str
    owner: str
    deadline: dt.date | None
    bucket: str  # done / in_progress / open / overdue
    progress: str | None
    reported_on: dt.date | None
    minutes_number: str | None
    visit_day: dt.date | None

    @property
    def status_words(self) -> str:
        return REMEDY_WORDS[self.bucket]


@dataclass
class ReportData:
    parent_agency: str
    agency: str
    number: str | None
    number_suffix: str  # "BC-ĐKTCV"
    place_name: str
    day: dt.date  # the report's date (Ô4)
    as_of: dt.date  # remedies overdue by this day
    period: str  # "năm 2026", "từ ngày 01/03/2026 đến ngày 31/05/2026"
    date_from: dt.date | None
    date_to: dt.date | None
    plan: Citation | None
    decision: Citation | None
    visits: int
    units: int
    by_status: dict[str, int]
    unit_types: dict[str, int]
    roll_call: dict[str, int]
    topics: list[TopicRow]
    unit_rows: list[UnitRow]
    remedy_counts: dict[str, int]
    remedies: list[RemedyRow]
    leader_name: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ranked(self) -> list[UnitRow]:
        return [u for u in self.unit_rows if u.rank is not None]


def build_report_data(
    session: Session,
    *,
    plan_id: uuid.UUID | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    day: dt.date | None = None,
    number: str | None = None,
) -> ReportData:
    """The report over a plan's visits or the visits of a date range (both: the intersection)."""
    plan = session.get(Plan, plan_id) if plan_id else None
    if plan_id is not None and plan is None:
        raise DocumentError(_("Plan not found: {id}").format(id=plan_id))
    if date_from and date_to and date_from > date_to:
        raise DocumentError(_("The start date is after the end date"))
    scope = reports.ReportScope(plan_id, date_from, date_to)
    ov = reports.overview(session, scope)
    if not ov.visits:
        raise DocumentError(_("No visit in the period of the report"))
    today = day or dt.datetime.now(VN_TZ).date()
    team_id = plan.team_id if plan and plan.team_id else (ov.team_ids[0] if ov.team_ids else None)
    team = session.get(Team, team_id) if team_id else None
    first = local(ov.first).date() if ov.first else None
    last = local(ov.last).date() if ov.last else None
    period_from = date_from or (plan.period_from if plan else first)
    period_to = date_to or (plan.period_to if plan else last)
    # Roll-call counts from the visits' kept figures (core/desk/tally.py), the scored answers in one go.
    roll_call, roll_call_by_unit = tally.roll_call(session, reports.visits_in(scope))
    scored = reports.scored_totals(session, scope)
    return ReportData(
        parent_agency=team.issuer if team else "",
        agency=team_heading(team),
        number=number,
        number_suffix=f"BC-{team.short_issuer if team else 'ĐKTCV'}",
        place_name=_place_name(session, team),
        day=today,
        as_of=today,
        period=period_words(period_from, period_to),
        date_from=period_from,
        date_to=period_to,
        plan=Citation(plan.number, plan.issued_on, plan.issuer, plan.title) if plan else None,
        decision=team_decision(session, team),
        visits=ov.visits,
        units=ov.units,
        by_status=ov.by_status,
        unit_types=ov.unit_types,
        roll_call=roll_call,
        topics=_topics(session, scope, scored),
        unit_rows=_unit_rows(reports.unit_scores(session, scope, scored, roll_call_by_unit)),
        remedy_counts=reports.remedy_counts(session, scope, today),
        remedies=[_remedy(r) for r in reports.remedy_rows(session, scope, today)],
        leader_name=_leader(session, team),
    )


def period_words(start: dt.date | None, end: dt.date | None) -> str:
    """ "năm 2026", "quý II năm 2026", or "từ ngày 01/03/2026 đến ngày 31/05/2026"."""
    if start is None or end is None:
        return ""
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return f"năm {start.year}"
    if start.year == end.year and start.day == 1 and start.month in (1, 4, 7, 10):
        q = (start.month - 1) // 3
        quarter_end = dt.date(start.year, start.month + 3, 1) - dt.timedelta(days=1) if q < 3 else None
        if end == (quarter_end or dt.date(start.year, 12, 31)):
            return f"quý {ROMAN_QUARTER[q]} năm {start.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def _place_name(session: Session, team: Team | None) -> str:
    if team is None or team.province_id is None:
        return ""
    province = session.get(Unit, team.province_id)
    return province.proper_name if province else ""


def _leader(session: Session, team: Team | None) -> str:
    if team is None:
        return ""
    name = session.exec(
        select(Inspector.full_name)
        .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
        .where(TeamMember.team_id == team.id, TeamMember.role == TeamRole.LEADER, TeamMember.deleted == False)  # noqa: E712
    ).first()
    return nfc(name or "")


def _topics(
    session: Session, scope: reports.ReportScope, scored: reports.ScoredTotals | None = None
) -> list[TopicRow]:
    """Failing items, grouped by their section; items the roll call fills are left out (the
    roll-call counts say the same, per person)."""
    rows: list[tuple[str, TopicRow]] = []
    for f in reports.failing_items(session, scope, scored):
        spec = form_spec(session, f.form_id)
        item = spec.item(f.item_code)
        if item.auto and item.auto.startswith("roll_call."):
            continue
        section = next((s for s in spec.sections if s.code == item.section), None)
        title = nfc(section.title) if section else ""
        amount = f.total if item.type in reports.NUMERIC else None
        if item.finding:
            value = _number(amount) if amount is not None else ""
            text = nfc(item.finding).replace("{value}", value).rstrip(". ")
        else:
            text = f"{nfc(item.label)}: chưa đạt"
        rows.append((item.section, TopicRow(title, text, f.visits, f.applicable, amount)))
    rows.sort(key=lambda pair: (pair[0], -pair[1].visits, pair[1].text))
    merged: dict[tuple[str, str], TopicRow] = {}
    for _code, row in rows:  # the same finding in two forms: one line
        key = (row.section, row.text)
        old = merged.get(key)
        merged[key] = (
            row
            if old is None
            else TopicRow(
                row.section, row.text, old.visits + row.visits, old.applicable + row.applicable, None
            )
        )
    return list(merged.values())


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _unit_rows(scores: list[reports.UnitScore]) -> list[UnitRow]:
    """Ranked by score (high first), then fewer roll-call violations, then name."""
    ordered = sorted(
        scores,
        key=lambda s: (s.score is None, -(s.score or 0.0), s.violations, s.unit_name.casefold()),
    )
    out = []
    for n, s in enumerate(ordered, start=1):
        rc = s.roll_call
        out.append(
            UnitRow(
                rank=n if s.score is not None else None,
                name=nfc(s.unit_name),
                visits=s.visits,
                score=s.score,
                late=rc.get("late", 0),
                absent=rc.get("absent_without_reason", 0),
                no_badge=rc.get("no_badge", 0),
                no_name_plate=rc.get("no_name_plate", 0),
                dress=rc.get("dress_not_ok", 0),
                failed_items=s.failed_items,
                violations=s.violations,
            )
        )
    return out


def _remedy(row: dict[str, Any]) -> RemedyRow:
    arrived = row.get("arrived_at")
    return RemedyRow(
        unit=nfc(row["unit"]),
        content=nfc(row["content"]),
        owner=nfc(row["owner"]),
        deadline=row["deadline"],
        bucket=row["bucket"],
        progress=nfc(row["progress"]) if row.get("progress") else None,
        reported_on=row.get("reported_on"),
        minutes_number=row.get("minutes_number"),
        visit_day=local(arrived).date() if arrived else None,
    )
