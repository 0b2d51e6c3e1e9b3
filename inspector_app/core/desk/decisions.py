"""Team decisions (quyết định thành lập đoàn kiểm tra công vụ), the team's members, and the
inspectors and teams they name, as the office desk edits them.

A decision's member list *is* the team's composition: saving it makes the team's ``TeamMember``
rows exactly these (others are tombstoned), so the office's authorization by team — which laptops
read the team's visits and planned visits — follows the decision. One leader (trưởng đoàn), at
least one secretary (thư ký).

Each function stamps the rows it writes, appends an audit entry and leaves committing to the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.desk.plans import (
    DEFAULT_ISSUER_SYMBOL,
    day_text,
    document_number,
    get_plan,
    get_team,
    lines,
    required,
    snapshot,
)
from inspector_app.core.ids import stable_id, uuid7
from inspector_app.core.models import Inspector, Team, TeamDecision, TeamMember, TeamRole, Unit
from inspector_app.core.services import audit, numbering
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.text import nfc, nfc_or_none
from inspector_app.i18n import _

DECISION_KIND = "QĐ"
ROLE_ORDER = (TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.SECRETARY)
_ROLES = frozenset(r.value for r in TeamRole)


@dataclass
class DecisionFields:
    """What the decision dialog edits. ``number`` empty: the next number of the register."""

    team_id: uuid.UUID
    signed_on: dt.date
    signer: str
    members: Sequence[tuple[uuid.UUID, str]]  # (inspector id, TeamRole)
    title: str = ""  # empty: "Về việc thành lập <team name>"
    number: str = ""  # "125/QĐ-UBND" or "125"
    issuer_symbol: str = DEFAULT_ISSUER_SYMBOL
    signer_position: str = ""  # "CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    valid_to: dt.date | None = None
    plan_id: uuid.UUID | None = None
    legal_bases: str = ""


@dataclass(frozen=True)
class MemberRow:
    inspector_id: uuid.UUID
    full_name: str
    position: str
    agency: str
    role: str


def position_and_agency(position: str, agency: str) -> str:
    """ "Phó Giám đốc Sở Nội vụ" stays; "Chuyên viên" becomes "Chuyên viên, Sở Nội vụ tỉnh Hà Tĩnh"."""
    position, agency = nfc(position or ""), nfc(agency or "")
    short = agency.split(" tỉnh ")[0].split(" thành phố ")[0]
    if not agency or (short and short.casefold() in position.casefold()):
        return position
    return f"{position}, {agency}" if position else agency


# ------------------------------------------------------------------------------ teams, inspectors


def list_teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).where(Team.deleted == sa.false()).order_by(col(Team.name))).all())


def list_inspectors(session: Session) -> list[Inspector]:
    rows = session.exec(
        select(Inspector).where(Inspector.deleted == sa.false()).order_by(col(Inspector.full_name))
    ).all()
    return list(rows)


def create_team(
    session: Session,
    editor: Editor,
    *,
    code: str,
    name: str,
    issuer: str,
    short_issuer: str = "ĐKTCV",
    province_id: uuid.UUID | None = None,
) -> Team:
    """A new team (its members come with its decision). The code is short and unique: "ktcv-2026"."""
    code = required(code, _("Team code")).lower()
    if " " in code or len(code) > 32:
        raise InvalidInput(_("A team code is one short word (up to 32 letters, digits or dashes)."))
    if session.exec(select(Team.id).where(Team.code == code)).first() is not None:
        raise InvalidInput(_("A team with code {code} already exists.").format(code=code))
    if province_id is not None and session.get(Unit, province_id) is None:
        raise NotFound(_("Unit not found: {id}").format(id=province_id))
    team = Team(
        id=stable_id("team", code),  # as the demo and the office name teams: by their code
        code=code,
        name=required(name, _("Team name")),
        issuer=required(issuer, _("Issuer")),
        short_issuer=nfc(short_issuer or "") or "ĐKTCV",
        province_id=province_id,
    )
    editor.stamp(team)
    session.add(team)
    audit.append(
        session, editor, action="team.create", entity="team", entity_id=team.id, detail=snapshot(team)
    )
    return team


def add_inspector(
    session: Session,
    editor: Editor,
    *,
    full_name: str,
    position: str,
    agency: str,
    phone: str | None = None,
    email: str | None = None,
    inspector_id: uuid.UUID | None = None,
) -> Inspector:
    """A person who can be named in a team (from the Sở Nội vụ, the Thanh tra, the Văn phòng…)."""
    row = Inspector(
        id=inspector_id or uuid7(),
        full_name=required(full_name, _("Full name")),
        position=required(position, _("Position")),
        agency=required(agency, _("Agency")),
        phone=nfc_or_none(phone),
        email=nfc_or_none(email),
    )
    editor.stamp(row)
    session.add(row)
    audit.append(
        session, editor, action="inspector.add", entity="inspector", entity_id=row.id, detail=snapshot(row)
    )
    return row


def team_members(session: Session, team_id: uuid.UUID) -> list[MemberRow]:
    """The team's members, leader first, then deputy, members, secretary."""
    pairs = session.exec(
        select(TeamMember, Inspector)
        .join(Inspector, col(Inspector.id) == col(TeamMember.inspector_id))
        .where(TeamMember.team_id == team_id, TeamMember.deleted == sa.false())
    ).all()
    order = {r.value: n for n, r in enumerate(ROLE_ORDER)}
    rows = [MemberRow(i.id, i.full_name, i.position, i.agency, m.role) for m, i in pairs]
    return sorted(rows, key=lambda r: (order.get(r.role, len(order)), r.full_name))


def _check_members(session: Session, members: Sequence[tuple[uuid.UUID, str]]) -> list[tuple[uuid.UUID, str]]:
    if not members:
        raise InvalidInput(_("Name the members of the team."))
    seen: set[uuid.UUID] = set()
    out = []
    for inspector_id, role in members:
        role = str(role)
        if role not in _ROLES:
            raise InvalidInput(_("Unknown role in the team: {role}").format(role=role))
        person = session.get(Inspector, inspector_id)
        if person is None or person.deleted:
            raise NotFound(_("Inspector not found: {id}").format(id=inspector_id))
        if inspector_id in seen:
            raise InvalidInput(_("{name} is listed twice.").format(name=person.full_name))
        seen.add(inspector_id)
        out.append((inspector_id, role))
    leaders = sum(1 for _i, r in out if r == TeamRole.LEADER)
    if leaders != 1:
        raise InvalidInput(
            _("A team has exactly one leader (trưởng đoàn); this list has {n}.").format(n=leaders)
        )
    if not any(r == TeamRole.SECRETARY for _i, r in out):
        raise InvalidInput(_("Name the team's secretary (thư ký)."))
    return out


def _set_members(
    session: Session, editor: Editor, team_id: uuid.UUID, members: list[tuple[uuid.UUID, str]]
) -> dict[str, str]:
    """Make the team's live member rows exactly ``members``; returns what changed (for the audit)."""
    rows = session.exec(select(TeamMember).where(TeamMember.team_id == team_id)).all()
    by_person: dict[uuid.UUID, TeamMember] = {}
    for row in sorted(rows, key=lambda r: r.deleted):  # a live row wins over a tombstone
        by_person.setdefault(row.inspector_id, row)
    wanted = dict(members)
    changed: dict[str, str] = {}
    for row in rows:
        if not row.deleted and wanted.get(row.inspector_id) is None:
            row.deleted = True
            editor.stamp(row)
            changed[str(row.inspector_id)] = "-"
    for inspector_id, role in members:
        found = by_person.get(inspector_id)
        row = found or TeamMember(
            id=stable_id("team_member", team_id, inspector_id),
            team_id=team_id,
            inspector_id=inspector_id,
            role=role,
        )
        if found is None or row.deleted or row.role != role:
            row.role, row.deleted = role, False
            editor.stamp(row)
            session.add(row)
            changed[str(inspector_id)] = role
    return changed


# ------------------------------------------------------------------------------ decisions


def get_decision(session: Session, decision_id: uuid.UUID) -> TeamDecision:
    row = session.get(TeamDecision, decision_id)
    if row is None or row.deleted:
        raise NotFound(_("Team decision not found: {id}").format(id=decision_id))
    return row


def _clean(session: Session, f: DecisionFields) -> dict[str, object]:
    team = get_team(session, f.team_id)
    if f.plan_id is not None:
        get_plan(session, f.plan_id)
    if f.valid_to is not None and f.valid_to < f.signed_on:
        raise InvalidInput(
            _("The decision cannot end ({end}) before it is signed ({start}).").format(
                end=day_text(f.valid_to), start=day_text(f.signed_on)
            )
        )
    return {
        "team_id": team.id,
        "title": nfc(f.title or "") or f"Về việc thành lập {team.name}",
        "signed_on": f.signed_on,
        "signer": required(f.signer, _("Signer")),
        "signer_position": nfc(f.signer_position or ""),
        "valid_to": f.valid_to,
        "plan_id": f.plan_id,
        "legal_bases": lines(f.legal_bases),
    }


def _unique_number(session: Session, row: TeamDecision) -> None:
    other = session.exec(
        select(TeamDecision.id).where(
            TeamDecision.number == row.number, TeamDecision.id != row.id, TeamDecision.deleted == sa.false()
        )
    ).first()
    if other is not None:
        raise InvalidInput(_("Decision {number} already exists.").format(number=row.number))


def create_decision(session: Session, editor: Editor, f: DecisionFields) -> TeamDecision:
    """Record the decision that forms (or re-forms) a team, and make its members the team's."""
    members = _check_members(session, f.members)
    row = TeamDecision(number="", **_clean(session, f))  # type: ignore[arg-type]
    row.number = document_number(
        session,
        editor,
        typed=f.number,
        kind=DECISION_KIND,
        issuer_symbol=f.issuer_symbol,
        issued_on=row.signed_on,
        entity="team_decision",
        entity_id=row.id,
        summary=row.title,
    )
    _unique_number(session, row)
    editor.stamp(row)
    session.add(row)
    detail = snapshot(row) | {"members": _set_members(session, editor, row.team_id, members)}
    audit.append(
        session, editor, action="decision.create", entity="team_decision", entity_id=row.id, detail=detail
    )
    return row


def edit_decision(
    session: Session, editor: Editor, decision_id: uuid.UUID, f: DecisionFields
) -> TeamDecision:
    row = get_decision(session, decision_id)
    if f.team_id != row.team_id:
        raise InvalidInput(
            _("A decision stays with the team it formed; make a new decision for another team.")
        )
    members = _check_members(session, f.members)
    wanted = _clean(session, f)
    wanted["number"] = document_number(
        session,
        editor,
        typed=f.number,
        kind=DECISION_KIND,
        issuer_symbol=f.issuer_symbol,
        issued_on=f.signed_on,
        entity="team_decision",
        entity_id=row.id,
        summary=str(wanted["title"]),
        current=row.number,
    )
    changed: dict[str, object] = {}
    for key, new in wanted.items():
        if getattr(row, key) != new:
            changed[key] = [getattr(row, key), new]
            setattr(row, key, new)
    if changed:
        _unique_number(session, row)
        editor.stamp(row)
        session.add(row)
    moved = _set_members(session, editor, row.team_id, members)
    if moved:
        changed["members"] = moved
    if changed:
        audit.append(
            session, editor, action="decision.edit", entity="team_decision", entity_id=row.id, detail=changed
        )
    return row


def decision_fields(session: Session, row: TeamDecision) -> DecisionFields:
    parsed = numbering.parse_symbol(row.number)
    return DecisionFields(
        team_id=row.team_id,
        signed_on=row.signed_on,
        signer=row.signer,
        members=[(m.inspector_id, m.role) for m in team_members(session, row.team_id)],
        title=row.title,
        number=row.number,
        issuer_symbol=parsed[2] if parsed else DEFAULT_ISSUER_SYMBOL,
        signer_position=row.signer_position,
        valid_to=row.valid_to,
        plan_id=row.plan_id,
        legal_bases=row.legal_bases,
    )


def decision_for_plan(session: Session, plan_id: uuid.UUID) -> TeamDecision | None:
    """The decision made under the plan, else the newest decision of the plan's team."""
    plan = get_plan(session, plan_id)
    live = TeamDecision.deleted == sa.false()
    newest = col(TeamDecision.signed_on).desc()
    row = session.exec(
        select(TeamDecision).where(TeamDecision.plan_id == plan.id, live).order_by(newest)
    ).first()
    if row is None and plan.team_id is not None:
        row = session.exec(
            select(TeamDecision).where(TeamDecision.team_id == plan.team_id, live).order_by(newest)
        ).first()
    return row


def find_decision(session: Session, ref: str) -> TeamDecision:
    """A decision by its id or its number ("125/QĐ-UBND")."""
    text = nfc(ref or "")
    row: TeamDecision | None = None
    try:
        row = session.get(TeamDecision, uuid.UUID(text))
    except ValueError:
        row = session.exec(
            select(TeamDecision).where(TeamDecision.number == text, TeamDecision.deleted == sa.false())
        ).first()
    if row is None or row.deleted:
        raise NotFound(_("Team decision not found: {id}").format(id=ref))
    return row
