"""Conclusion notices (thông báo kết luận kiểm tra, …/TB-ĐKTCV) at the office desk.

A notice is drafted for one unit from its signed visits — findings from the visits' findings,
requirements from their remedies (owner, deadline) — edited while a draft, issued with a number
from the register, then rendered, signed and verified (``notice_signing``). It lives beside the
visits it concludes and never changes them.

Drafted texts are Vietnamese: they are the document's words, not the UI's.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.desk.follow_up import today_vn
from inspector_app.core.desk.notice_data import (
    DRAFT,
    ENTITY,
    ISSUED,
    SIGNED,
    Requirement,
    UnitToConclude,
    VisitChoice,
    concluded_visits,
    content_sha256,
    get_notice,
    list_notices,
    recipients_of,
    requirements_of,
    signed_visits_filter,
    signed_visits_of,
    units_to_conclude,
    visit_day,
    visit_ids_of,
)
from inspector_app.core.ids import uuid7
from inspector_app.core.models import (
    ConclusionNotice,
    Finding,
    Inspector,
    Remedy,
    Team,
    TeamMember,
    TeamRole,
    Unit,
    Visit,
    VisitMode,
    VisitStatus,
)
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.services.locking import is_locked, visit_label
from inspector_app.core.services.numbering import has_office, next_number, parse_number
from inspector_app.core.text import nfc
from inspector_app.i18n import _

KIND = "TB"
REPORT_DAYS = 30  # report_by when no requirement has a deadline
EDITABLE = ("issued_on", "findings", "requirements", "report_by", "signer", "signer_position", "recipients")
_MODE_WORDS = {
    VisitMode.SURPRISE: "kiểm tra đột xuất",
    VisitMode.PLANNED: "kiểm tra theo kế hoạch",
    VisitMode.COMPLAINT: "kiểm tra theo phản ánh, kiến nghị",
}


# ------------------------------------------------------------------------------ drafting


def _visits_to_conclude(session: Session, unit: Unit, visit_ids: list[uuid.UUID] | None) -> list[Visit]:
    if visit_ids is None:
        concluded = concluded_visits(session)
        visits = [
            v
            for v in session.exec(select(Visit).where(*signed_visits_filter(unit.id))).all()
            if v.id not in concluded
        ]
        if not visits:
            raise InvalidInput(
                _("{unit} has no signed visit without a conclusion notice").format(unit=unit.name)
            )
    else:
        if not visit_ids:
            raise InvalidInput(_("Choose at least one signed visit"))
        visits = []
        for vid in visit_ids:
            visit = session.get(Visit, vid)
            if visit is None or visit.deleted:
                raise NotFound(_("Visit not found: {id}").format(id=vid))
            if visit.unit_id != unit.id:
                raise InvalidInput(
                    _("The visit {visit} is not a visit of {unit}").format(
                        visit=visit_label(visit), unit=unit.name
                    )
                )
            if visit.status != VisitStatus.SIGNED or not is_locked(session, visit.id):
                raise InvalidInput(
                    _(
                        "The visit {visit} is not signed yet: a conclusion notice is drafted from signed "
                        "visits only"
                    ).format(visit=visit_label(visit))
                )
            visits.append(visit)
    return sorted(visits, key=lambda v: (v.arrived_at or v.started_at, v.id))


def _draft_findings(session: Session, unit: Unit, visits: list[Visit]) -> str:
    lines = []
    for visit in visits:
        minutes = f" (Biên bản kiểm tra số {visit.number})" if visit.number else ""
        words = (
            _MODE_WORDS.get(VisitMode(visit.mode), "kiểm tra") if visit.mode in set(VisitMode) else "kiểm tra"
        )
        lines.append(
            f"Ngày {visit_day(visit).strftime('%d/%m/%Y')}, Đoàn kiểm tra công vụ đã {words} "
            f"việc chấp hành kỷ luật, kỷ cương hành chính tại {unit.name}{minutes}."
        )
    rows = session.exec(
        select(Finding)
        .where(col(Finding.visit_id).in_([v.id for v in visits]), Finding.deleted == sa.false())
        .order_by(col(Finding.sort_order), col(Finding.id))
    ).all()
    order = {v.id: i for i, v in enumerate(visits)}
    rows = sorted(rows, key=lambda r: (order[r.visit_id], r.sort_order))
    strengths = list(dict.fromkeys(nfc(r.text) for r in rows if r.kind == "strength"))
    shortcomings = list(dict.fromkeys(nfc(r.text) for r in rows if r.kind != "strength"))
    n = 0
    if strengths:
        n += 1
        lines += [f"{n}. Ưu điểm", *(f"- {s}" for s in strengths)]
    n += 1
    lines.append(f"{n}. Tồn tại, hạn chế")
    lines += [f"- {s}" for s in shortcomings] or ["- Không phát hiện tồn tại, hạn chế."]
    return "\n".join(lines)


def _draft_requirements(session: Session, visits: list[Visit]) -> list[Requirement]:
    order = {v.id: i for i, v in enumerate(visits)}
    rows = session.exec(
        select(Remedy).where(col(Remedy.visit_id).in_(list(order)), Remedy.deleted == sa.false())
    ).all()
    merged: dict[tuple[str, str], Requirement] = {}
    for r in sorted(rows, key=lambda r: (order[r.visit_id], r.sort_order, str(r.id))):
        key = (nfc(r.content).strip(), nfc(r.owner).strip())
        before = merged.get(key)
        deadline = r.deadline
        if before is not None and before.deadline and (deadline is None or before.deadline > deadline):
            deadline = before.deadline  # the same requirement twice: the later deadline holds
        merged[key] = Requirement(key[0], key[1], deadline)
    return list(merged.values())


def default_report_by(issued_on: dt.date, deadlines: list[dt.date]) -> dt.date:
    """The latest deadline of the requirements; REPORT_DAYS after the notice when there is none, or
    when every deadline has passed by the time the notice goes out (a report due before the notice
    that asks for it could not be met)."""
    latest = max(deadlines, default=None)
    return latest if latest is not None and latest > issued_on else issued_on + dt.timedelta(days=REPORT_DAYS)


def team_leader(session: Session, team_id: uuid.UUID | None) -> str:
    if team_id is None:
        return ""
    name = session.exec(
        select(Inspector.full_name)
        .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
        .where(
            TeamMember.team_id == team_id,
            TeamMember.role == TeamRole.LEADER,
            TeamMember.deleted == sa.false(),
        )
    ).first()
    return name or ""


def draft_notice(
    session: Session,
    editor: Editor,
    *,
    unit_id: uuid.UUID,
    visit_ids: list[uuid.UUID] | None = None,
    issued_on: dt.date | None = None,
) -> ConclusionNotice:
    """A draft notice for ``unit_id`` from ``visit_ids`` (default: its signed visits that no notice
    concludes yet). Refused when a visit is not signed. The caller commits."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit not found: {id}").format(id=unit_id))
    visits = _visits_to_conclude(session, unit, visit_ids)
    team_id = next((v.team_id for v in reversed(visits) if v.team_id), None)
    team = session.get(Team, team_id) if team_id else None
    day = issued_on or today_vn()
    requirements = _draft_requirements(session, visits)
    deadlines = [r.deadline for r in requirements if r.deadline]
    recipients = [f"{unit.name} (để thực hiện)"]
    if team is not None:
        recipients.append(f"Lãnh đạo {team.issuer} (để báo cáo)")
    recipients.append("Thành viên Đoàn kiểm tra")
    notice = ConclusionNotice(
        id=uuid7(),
        unit_id=unit.id,
        team_id=team_id,
        plan_id=next((v.plan_id for v in reversed(visits) if v.plan_id), None),
        visit_ids=json.dumps([str(v.id) for v in visits]),
        issued_on=day,
        findings=_draft_findings(session, unit, visits),
        requirements=json.dumps([r.to_json() for r in requirements], ensure_ascii=False),
        report_by=default_report_by(day, deadlines),
        signer=team_leader(session, team_id),
        signer_position="TRƯỞNG ĐOÀN",
        recipients="\n".join(recipients),
        status=DRAFT,
        created_by=editor.actor,
    )
    editor.stamp(notice)
    session.add(notice)
    audit.append(
        session,
        editor,
        action="notice.draft",
        entity=ENTITY,
        entity_id=notice.id,
        detail={"unit": str(unit.id), "visits": [str(v.id) for v in visits]},
    )
    return notice


def _draft_only(notice: ConclusionNotice) -> None:
    if notice.status != DRAFT:
        raise InvalidInput(
            _("The notice {number} was issued: it can no longer be changed").format(
                number=notice.number or ""
            )
        )


def update_notice(
    session: Session, editor: Editor, *, notice_id: uuid.UUID, **fields: Any
) -> ConclusionNotice:
    """Change a draft: ``requirements`` a list of Requirement (or dicts), ``recipients`` a list of lines
    or one text, other fields as stored. Refused once issued."""
    notice = get_notice(session, notice_id)
    _draft_only(notice)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_("Unknown field: {name}").format(name=", ".join(sorted(unknown))))
    if "requirements" in fields:
        reqs = [r if isinstance(r, Requirement) else Requirement.from_json(r) for r in fields["requirements"]]
        reqs = [Requirement(nfc(r.content).strip(), nfc(r.owner).strip(), r.deadline) for r in reqs]
        for n, r in enumerate(reqs, start=1):
            if not r.content or not r.owner:
                raise InvalidInput(_("Requirement {n} needs a content and who is responsible").format(n=n))
        notice.requirements = json.dumps([r.to_json() for r in reqs], ensure_ascii=False)
    if "recipients" in fields:
        value = fields["recipients"]
        lines = value.splitlines() if isinstance(value, str) else list(value)
        notice.recipients = "\n".join(line for line in map(nfc, lines) if line)
    if "findings" in fields:  # one paragraph per line: ``nfc`` would fold the lines into one
        notice.findings = "\n".join(line for line in map(nfc, str(fields["findings"]).splitlines()) if line)
    for key in ("signer", "signer_position"):
        if key in fields:
            setattr(notice, key, nfc(fields[key]))
    for key in ("issued_on", "report_by"):
        if key in fields:
            if fields[key] is not None and not isinstance(fields[key], dt.date):
                raise InvalidInput(_("The deadline must be a date"))
            setattr(notice, key, fields[key])
    if notice.issued_on is None:
        raise InvalidInput(_("The notice needs its date"))
    editor.stamp(notice)
    audit.append(
        session,
        editor,
        action="notice.update",
        entity=ENTITY,
        entity_id=notice.id,
        detail={"fields": sorted(fields)},
    )
    return notice


def discard_notice(session: Session, editor: Editor, *, notice_id: uuid.UUID) -> None:
    """Throw a draft away (a tombstone, so sync carries it); an issued notice stays in the register."""
    notice = get_notice(session, notice_id)
    _draft_only(notice)
    notice.deleted = True
    editor.stamp(notice)
    audit.append(session, editor, action="notice.discard", entity=ENTITY, entity_id=notice.id, detail={})


def issuer_of(session: Session, notice: ConclusionNotice) -> str:
    team = session.get(Team, notice.team_id) if notice.team_id else None
    return team.short_issuer if team and team.short_issuer else "ĐKTCV"


def issue_notice(
    session: Session, editor: Editor, *, notice_id: uuid.UUID, manual_number: str | int | None = None
) -> ConclusionNotice:
    """Give the draft its number (…/TB-ĐKTCV) from the register and make it final."""
    notice = get_notice(session, notice_id)
    _draft_only(notice)
    if not nfc(notice.findings).strip():
        raise InvalidInput(_("Write the findings (I. Kết quả kiểm tra) before issuing the notice"))
    if not notice.signer.strip():
        raise InvalidInput(_("Name the signer before issuing the notice"))
    issuer = issuer_of(session, notice)
    unit = session.get(Unit, notice.unit_id)
    line = next_number(
        session,
        editor,
        issuer,
        notice.issued_on.year,
        KIND,
        entity=ENTITY,
        entity_id=notice.id,
        summary=f"Thông báo kết luận kiểm tra công vụ tại {unit.name if unit else ''}".strip(),
        issued_on=notice.issued_on,
        manual=parse_number(manual_number, KIND, issuer) if manual_number not in (None, "") else None,
        standalone=not has_office(session),
    )
    notice.number, notice.status = line.symbol, ISSUED
    editor.stamp(notice)
    audit.append(
        session,
        editor,
        action="notice.issue",
        entity=ENTITY,
        entity_id=notice.id,
        detail={"number": line.symbol},
    )
    return notice


__all__ = [  # the reads of ``notice_data`` are part of this module's interface
    "DRAFT",
    "ENTITY",
    "ISSUED",
    "SIGNED",
    "Requirement",
    "UnitToConclude",
    "VisitChoice",
    "content_sha256",
    "default_report_by",
    "discard_notice",
    "draft_notice",
    "get_notice",
    "issue_notice",
    "issuer_of",
    "list_notices",
    "recipients_of",
    "requirements_of",
    "signed_visits_of",
    "team_leader",
    "units_to_conclude",
    "update_notice",
    "visit_ids_of",
]
