"""What a device may read: reference data, and the visits (with everything under them) of its
own teams; a team-less visit only from the laptop that started it; admins read everything.

Two office-owned tables are read by the assigned team only: a surprise visit planned for one team
is nobody else's business, nor is the conclusion notice it led to."""

from __future__ import annotations

import sqlalchemy as sa

from inspector_app.office.principal import Principal
from inspector_app.sync import tables
from inspector_app.sync.tables import table

TEAM_SCOPED_REFERENCE = frozenset({"planned_visit", "conclusion_notice"})


def visit_condition(p: Principal) -> sa.ColumnElement[bool]:
    visit = table("visit")
    return sa.or_(
        visit.c.team_id.in_(sorted(p.team_ids)),
        sa.and_(visit.c.team_id.is_(None), visit.c.device_id == p.device_tag),
    )


def visible_visit_ids(p: Principal) -> sa.Select[tuple[object]]:
    visit = table("visit")
    return sa.select(visit.c.id).where(visit_condition(p))


def visible_attachment_ids(p: Principal) -> sa.CompoundSelect[tuple[object]]:
    visits = visible_visit_ids(p)
    link, sig, rc = table("attachment_link"), table("signature"), table("roll_call")
    remedy, follow, digital = table("remedy"), table("remedy_follow_up"), table("digital_signature")
    notice = table("conclusion_notice")
    return sa.union(
        sa.select(notice.c.pdf_attachment_id).where(notice.c.team_id.in_(sorted(p.team_ids))),
        sa.select(link.c.attachment_id).where(link.c.visit_id.in_(visits)),
        sa.select(sig.c.attachment_id).where(sig.c.visit_id.in_(visits)),
        sa.select(digital.c.attachment_id).where(digital.c.visit_id.in_(visits)),
        sa.select(rc.c.evidence_id).where(rc.c.visit_id.in_(visits)),
        sa.select(follow.c.attachment_id).where(
            follow.c.remedy_id.in_(sa.select(remedy.c.id).where(remedy.c.visit_id.in_(visits)))
        ),
    )


def read_filter(p: Principal, name: str) -> sa.ColumnElement[bool] | None:
    """A WHERE condition for rows of ``name`` the device may read; None means all of them."""
    if p.is_admin:
        return None
    t = table(name)
    if name in TEAM_SCOPED_REFERENCE:
        return t.c.team_id.in_(sorted(p.team_ids))
    if tables.is_reference_table(name):
        return None
    if name == "visit":
        return visit_condition(p)
    if "visit_id" in t.c:
        return t.c.visit_id.in_(visible_visit_ids(p))
    if name == "remedy_follow_up":
        remedy = table("remedy")
        return t.c.remedy_id.in_(sa.select(remedy.c.id).where(remedy.c.visit_id.in_(visible_visit_ids(p))))
    if name == tables.ATTACHMENT:
        return t.c.id.in_(visible_attachment_ids(p))
    if name == tables.AUDIT:
        return t.c.device_id == p.device_tag  # a device's own chain; the office's admins read all
    return sa.false()
