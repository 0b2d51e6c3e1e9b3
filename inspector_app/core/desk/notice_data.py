"""What a conclusion notice holds and where it stands: its requirements (a JSON list of
{content, owner, deadline}), visits and recipients as Python values, the hash of its content (the
QR code carries it), and the reads of the desk — the notices, and the units whose signed visits
no notice concludes yet. ``notices`` drafts, edits and issues; this module only reads."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.canonical import sha256_hex
from inspector_app.core.models import ConclusionNotice, Unit, Visit, VisitStatus
from inspector_app.core.services.errors import NotFound
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.i18n import _

DRAFT, ISSUED, SIGNED = "draft", "issued", "signed"
ENTITY = "conclusion_notice"


@dataclass(frozen=True)
class Requirement:
    """One line of "II. Yêu cầu": what to fix, who answers for it, by when."""

    content: str
    owner: str
    deadline: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "owner": self.owner,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Requirement:
        day = data.get("deadline")
        return cls(str(data.get("content", "")), str(data.get("owner", "")), _day(day) if day else None)


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def requirements_of(notice: ConclusionNotice) -> list[Requirement]:
    return [Requirement.from_json(r) for r in json.loads(notice.requirements or "[]")]


def visit_ids_of(notice: ConclusionNotice) -> list[uuid.UUID]:
    return [uuid.UUID(str(i)) for i in json.loads(notice.visit_ids or "[]")]


def recipients_of(notice: ConclusionNotice) -> list[str]:
    return [line.strip() for line in (notice.recipients or "").splitlines() if line.strip()]


def content_sha256(notice: ConclusionNotice) -> str:
    """SHA-256 of what the notice says (the QR code carries it; signing fields left out)."""
    keep = ("id", "unit_id", "team_id", "plan_id", "number", "findings", "signer", "signer_position")
    content: dict[str, Any] = {k: getattr(notice, k) for k in keep}
    content |= {
        "visit_ids": [str(i) for i in visit_ids_of(notice)],
        "requirements": [r.to_json() for r in requirements_of(notice)],
        "recipients": recipients_of(notice),
        "issued_on": notice.issued_on,
        "report_by": notice.report_by,
    }
    return sha256_hex(content)


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class UnitToConclude:
    unit_id: uuid.UUID
    unit_name: str
    signed_visits: int
    without_notice: int  # signed visits no notice concludes yet
    last_visit: dt.datetime | None


@dataclass(frozen=True)
class VisitChoice:
    id: uuid.UUID
    day: dt.date
    number: str | None
    notice: str | None  # number (or "draft") of a notice that already concludes it


def get_notice(session: Session, notice_id: uuid.UUID) -> ConclusionNotice:
    notice = session.get(ConclusionNotice, notice_id)
    if notice is None or notice.deleted:
        raise NotFound(_("Conclusion notice not found: {id}").format(id=notice_id))
    return notice


def list_notices(session: Session) -> list[tuple[ConclusionNotice, str]]:
    """Every notice with its unit's name, newest first."""
    rows = session.exec(
        select(ConclusionNotice, Unit.name)
        .join(Unit, col(Unit.id) == col(ConclusionNotice.unit_id))
        .where(ConclusionNotice.deleted == sa.false())
        .order_by(col(ConclusionNotice.issued_on).desc(), col(ConclusionNotice.id).desc())
    ).all()
    return [(n, name) for n, name in rows]


def concluded_visits(session: Session) -> dict[uuid.UUID, str]:
    """Visit id → the notice (its number, or "draft") that concludes it."""
    out: dict[uuid.UUID, str] = {}
    rows = session.exec(
        select(ConclusionNotice.visit_ids, ConclusionNotice.number).where(
            ConclusionNotice.deleted == sa.false()
        )
    ).all()
    for ids, number in rows:
        for i in json.loads(ids or "[]"):
            out[uuid.UUID(str(i))] = number or _("draft")
    return out


def signed_visits_filter(unit_id: Any = None) -> list[Any]:
    cond = [Visit.deleted == sa.false(), Visit.status == VisitStatus.SIGNED]
    if unit_id is not None:
        cond.append(Visit.unit_id == unit_id)
    return cond


def units_to_conclude(session: Session) -> list[UnitToConclude]:
    """Units with signed visits (one GROUP BY), those with visits no notice covers first."""
    rows = session.exec(
        select(Unit.id, Unit.name, Visit.id, Visit.started_at)
        .join(Visit, col(Visit.unit_id) == col(Unit.id))
        .where(*signed_visits_filter())
    ).all()
    concluded = concluded_visits(session)
    per: dict[uuid.UUID, list[Any]] = {}
    for unit_id, name, visit_id, started in rows:
        entry = per.setdefault(unit_id, [name, 0, 0, None])
        entry[1] += 1
        entry[2] += visit_id not in concluded
        entry[3] = max(entry[3] or started, started)
    out = [UnitToConclude(k, e[0], e[1], e[2], e[3]) for k, e in per.items()]
    return sorted(out, key=lambda x: (x.without_notice == 0, x.unit_name))


def signed_visits_of(session: Session, unit_id: uuid.UUID) -> list[VisitChoice]:
    visits = session.exec(
        select(Visit).where(*signed_visits_filter(unit_id)).order_by(col(Visit.started_at))
    ).all()
    concluded = concluded_visits(session)
    return [VisitChoice(v.id, visit_day(v), v.number, concluded.get(v.id)) for v in visits]


def visit_day(visit: Visit) -> dt.date:
    return (visit.arrived_at or visit.started_at).astimezone(VN_TZ).date()
