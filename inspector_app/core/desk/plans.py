"""Plans (kế hoạch kiểm tra công vụ), as the office desk creates and edits them.

A plan is numbered like every document the office issues (…/KH-UBND): typed as the văn thư gave it,
or taken from the document register. Its planned visits and progress: ``desk.planned_visits``.

Each function stamps the rows it writes, appends an audit entry and leaves committing to the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.models import FormVersion, Plan, PlannedVisit, Team
from inspector_app.core.services import audit, numbering
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.text import nfc
from inspector_app.i18n import _

PLAN_KIND = "KH"
DEFAULT_ISSUER_SYMBOL = "UBND"


@dataclass
class PlanFields:
    """What the plan dialog edits. ``number`` empty: the next number of the register."""

    title: str
    issuer: str  # "UBND tỉnh Hà Tĩnh"
    issued_on: dt.date
    period_from: dt.date
    period_to: dt.date
    number: str = ""  # "15/KH-UBND" or "15"
    issuer_symbol: str = DEFAULT_ISSUER_SYMBOL  # ký hiệu after the kind: KH-<UBND>
    legal_bases: str = ""
    team_id: uuid.UUID | None = None
    default_form_code: str | None = None
    purpose: str = ""
    content: str = ""
    signer: str = ""
    signer_position: str = ""


# ------------------------------------------------------------------------------ helpers


def required(text: str, what: str) -> str:
    cleaned = nfc(text or "")
    if not cleaned:
        raise InvalidInput(_("{field} must not be empty.").format(field=what))
    return cleaned


def lines(text: str) -> str:
    """One item per line, each NFC and trimmed, blank lines dropped."""
    return "\n".join(c for c in (nfc(line) for line in (text or "").splitlines()) if c)


def day_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def document_number(
    session: Session,
    editor: Editor,
    *,
    typed: str,
    kind: str,
    issuer_symbol: str,
    issued_on: dt.date,
    entity: str,
    entity_id: uuid.UUID,
    summary: str,
    current: str | None = None,
) -> str:
    """The số/ký hiệu of an office document, registered in the document register.

    Typed ("15" or "15/KH-UBND"): registered as typed by hand (refused when the register already has
    it for another document). Empty: ``current`` if the document has a number, else the next one.
    The office hands laptops blocks only for the teams' ký hiệu; the issuer's own numbers (…-UBND)
    are taken here ``standalone``, after every number and block this computer knows.
    A number replaced by another stays in the register: numbers are never given twice.
    """
    issuer = nfc(issuer_symbol) or DEFAULT_ISSUER_SYMBOL
    text = nfc(typed or "")
    if not text:
        if current:
            return current
        row = numbering.next_number(
            session,
            editor,
            issuer,
            issued_on.year,
            kind,
            entity=entity,
            entity_id=entity_id,
            summary=summary,
            issued_on=issued_on,
            standalone=True,
        )
        return row.symbol
    if text.isdigit():
        number = int(text)
    else:
        parsed = numbering.parse_symbol(text)
        if parsed is None:
            example = numbering.symbol(15, kind, issuer)
            raise InvalidInput(_("Type the number as 15 or {symbol}").format(symbol=example))
        number, got_kind, issuer = parsed
        if got_kind != kind:
            raise InvalidInput(
                _("This document is numbered …/{kind}-…, not {number}").format(kind=kind, number=text)
            )
    symbol = numbering.symbol(number, kind, issuer)
    if symbol == current:
        return symbol
    registered = numbering.number_of(session, entity, entity_id)
    if registered is not None and registered.symbol == symbol:
        return symbol
    numbering.next_number(
        session,
        editor,
        issuer,
        issued_on.year,
        kind,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        issued_on=issued_on,
        manual=number,
    )
    return symbol


def get_plan(session: Session, plan_id: uuid.UUID) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted:
        raise NotFound(_("Plan not found: {id}").format(id=plan_id))
    return plan


def get_team(session: Session, team_id: uuid.UUID) -> Team:
    team = session.get(Team, team_id)
    if team is None or team.deleted:
        raise NotFound(_("Team not found: {code}").format(code=team_id))
    return team


def form_code_of(session: Session, code: str | None) -> str | None:
    code = nfc(code or "") or None
    if (
        code is not None
        and session.exec(select(FormVersion.id).where(FormVersion.code == code)).first() is None
    ):
        raise InvalidInput(_("No checklist form with code {code} is loaded.").format(code=code))
    return code


# ------------------------------------------------------------------------------ plans


def _clean(session: Session, f: PlanFields) -> dict[str, Any]:
    if f.period_from > f.period_to:
        raise InvalidInput(
            _("The plan's period must start before it ends ({start} – {end}).").format(
                start=day_text(f.period_from), end=day_text(f.period_to)
            )
        )
    if f.team_id is not None:
        get_team(session, f.team_id)
    return {
        "title": required(f.title, _("Title")),
        "issuer": required(f.issuer, _("Issuer")),
        "issued_on": f.issued_on,
        "period_from": f.period_from,
        "period_to": f.period_to,
        "legal_bases": lines(f.legal_bases),
        "team_id": f.team_id,
        "default_form_code": form_code_of(session, f.default_form_code),
        "purpose": lines(f.purpose),
        "content": lines(f.content),
        "signer": nfc(f.signer or ""),
        "signer_position": nfc(f.signer_position or ""),
    }


def _unique_number(session: Session, plan: Plan) -> None:
    other = session.exec(
        select(Plan).where(Plan.number == plan.number, Plan.id != plan.id, Plan.deleted == sa.false())
    ).first()
    if other is not None:
        raise InvalidInput(
            _("Plan {number} already exists ({title}).").format(number=plan.number, title=other.title)
        )


def snapshot(row: Any) -> dict[str, Any]:
    skip = {"id", "updated_at", "deleted", "dirty", "seq"}
    return {k: getattr(row, k) for k in type(row).model_fields if k not in skip}


def create_plan(session: Session, editor: Editor, f: PlanFields) -> Plan:
    plan = Plan(number="", **_clean(session, f))
    plan.number = document_number(
        session,
        editor,
        typed=f.number,
        kind=PLAN_KIND,
        issuer_symbol=f.issuer_symbol,
        issued_on=plan.issued_on,
        entity="plan",
        entity_id=plan.id,
        summary=plan.title,
    )
    _unique_number(session, plan)
    editor.stamp(plan)
    session.add(plan)
    audit.append(
        session, editor, action="plan.create", entity="plan", entity_id=plan.id, detail=snapshot(plan)
    )
    return plan


def edit_plan(session: Session, editor: Editor, plan_id: uuid.UUID, f: PlanFields) -> Plan:
    """Change a plan; the planned visits' days must stay within the (new) period."""
    plan = get_plan(session, plan_id)
    wanted = _clean(session, f)
    outside = [
        pv
        for pv in session.exec(
            select(PlannedVisit).where(PlannedVisit.plan_id == plan.id, PlannedVisit.deleted == sa.false())
        ).all()
        if pv.planned_on is not None and not f.period_from <= pv.planned_on <= f.period_to
    ]
    if outside:
        raise InvalidInput(
            _("{n} planned visit(s) fall outside the new period: change their days first.").format(
                n=len(outside)
            )
        )
    wanted["number"] = document_number(
        session,
        editor,
        typed=f.number,
        kind=PLAN_KIND,
        issuer_symbol=f.issuer_symbol,
        issued_on=f.issued_on,
        entity="plan",
        entity_id=plan.id,
        summary=wanted["title"],
        current=plan.number,
    )
    changed = {k: [getattr(plan, k), v] for k, v in wanted.items() if getattr(plan, k) != v}
    if not changed:
        return plan
    for key, (_old, new) in changed.items():
        setattr(plan, key, new)
    _unique_number(session, plan)
    editor.stamp(plan)
    session.add(plan)
    audit.append(session, editor, action="plan.edit", entity="plan", entity_id=plan.id, detail=changed)
    return plan


def plan_fields(plan: Plan) -> PlanFields:
    """The dialog's starting values for an existing plan."""
    names = {f.name for f in fields(PlanFields)} - {"number", "issuer_symbol"}
    parsed = numbering.parse_symbol(plan.number)
    symbol = parsed[2] if parsed else DEFAULT_ISSUER_SYMBOL
    return PlanFields(number=plan.number, issuer_symbol=symbol, **{n: getattr(plan, n) for n in names})


def find_plan(session: Session, ref: str) -> Plan:
    """A plan by its id or its number ("45/KH-UBND")."""
    text = nfc(ref or "")
    plan: Plan | None = None
    try:
        plan = session.get(Plan, uuid.UUID(text))
    except ValueError:
        plan = session.exec(select(Plan).where(Plan.number == text, Plan.deleted == sa.false())).first()
    if plan is None or plan.deleted:
        raise NotFound(_("Plan not found: {id}").format(id=ref))
    return plan
