"""Hand signatures on the minutes and the lock that signing makes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, select

from inspector_app.core.desk import tally
from inspector_app.core.ids import stable_id
from inspector_app.core.models import (
    Signature,
    SignatureRole,
    Team,
    Unit,
    Visit,
    VisitLock,
    VisitStatus,
    utcnow,
)
from inspector_app.core.models.documents import DocumentKind, DocumentNumber
from inspector_app.core.services import audit, numbering
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, ServiceError
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.services.visits import editable_visit
from inspector_app.core.text import nfc, nfc_or_none
from inspector_app.i18n import N_, _

# The team's two signatures are required; the unit's representative may refuse (with a note).
REQUIRED_ROLES = (SignatureRole.LEADER, SignatureRole.SECRETARY, SignatureRole.UNIT_REPRESENTATIVE)
ROLE_LABELS = {
    SignatureRole.LEADER: N_("team leader"),
    SignatureRole.SECRETARY: N_("secretary"),
    SignatureRole.UNIT_REPRESENTATIVE: N_("unit representative"),
}


def record_signature(
    session: Session,
    editor: Editor,
    *,
    visit_id: uuid.UUID,
    role: str,
    signer_name: str,
    signer_position: str = "",
    attachment_id: uuid.UUID | None = None,
    refused: bool = False,
    refusal_note: str | None = None,
    at: dt.datetime | None = None,
) -> Signature:
    visit = editable_visit(session, visit_id)
    if role not in set(SignatureRole):
        raise InvalidInput(_("Unknown signer role: {value}").format(value=role))
    if not nfc(signer_name):
        raise InvalidInput(_("The signer's name is required"))
    if refused and role != SignatureRole.UNIT_REPRESENTATIVE:
        raise InvalidInput(_("Only the unit's representative can refuse to sign"))
    if refused and not nfc_or_none(refusal_note):
        raise InvalidInput(_("Write down why the representative refused to sign"))
    if not refused and attachment_id is None:
        raise InvalidInput(_("Draw the signature first"))
    sid = stable_id("signature", visit.id, role)
    row = session.get(Signature, sid)
    if row is None:
        row = Signature(id=sid, visit_id=visit.id, role=role, signer_name="", signed_at=utcnow())
        session.add(row)
    row.signer_name, row.signer_position = nfc(signer_name), nfc(signer_position)
    row.attachment_id = None if refused else attachment_id
    row.refused, row.refusal_note = refused, nfc_or_none(refusal_note) if refused else None
    row.signed_at, row.deleted = at or utcnow(), False
    editor.stamp(row)
    audit.append(
        session,
        editor,
        action="signature.record",
        entity="visit",
        entity_id=visit.id,
        detail={"role": role, "signer": row.signer_name, "refused": refused},
    )
    return row


DEFAULT_ISSUER = "ĐKTCV"
MINUTES = DocumentKind.BB.value


class MinutesNumberNeeded(numbering.NoNumbersLeft):
    """The laptop's blocks are empty: the minutes need a number typed by hand."""

    def __init__(self, issuer: str, year: int) -> None:
        example = numbering.symbol(15, MINUTES, issuer)
        ServiceError.__init__(
            self,
            _(
                "This computer has no minutes numbers of {issuer} for {year} left. Type the number "
                "the office gave you (for example {example}) and sign again, or sync to get a new block."
            ).format(issuer=issuer, year=year, example=example),
        )
        self.issuer, self.year = issuer, year


def minutes_issuer(session: Session, visit: Visit) -> tuple[str, int]:
    """The ký hiệu and year the visit's minutes are numbered in: the team's short issuer (ĐKTCV
    for a visit without a team) and the year of the visit, Vietnam time."""
    team = session.get(Team, visit.team_id) if visit.team_id is not None else None
    issuer = nfc(team.short_issuer) if team is not None and nfc(team.short_issuer) else DEFAULT_ISSUER
    return issuer, _visit_day(visit).year


def _visit_day(visit: Visit) -> dt.date:
    when = visit.arrived_at or visit.started_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(numbering.VN_TZ).date()


def assign_minutes_number(
    session: Session, editor: Editor, visit: Visit, typed: int | str | None = None
) -> DocumentNumber:
    """Give the visit its minutes number and register it: ``typed`` (by hand) if given, else the
    number already written on the visit (``update_visit(number=…)``), else the next of this
    laptop's block. Sets ``visit.number``; the caller stamps the visit."""
    issuer, year = minutes_issuer(session, visit)
    existing = numbering.number_of(session, "visit", visit.id)
    unit = session.get(Unit, visit.unit_id)
    summary = f"Kiểm tra công vụ tại {unit.name}" if unit is not None else "Kiểm tra công vụ"

    def take(of: str, manual: int | None = None) -> DocumentNumber:
        return numbering.next_number(
            session,
            editor,
            of,
            year,
            MINUTES,
            entity="visit",
            entity_id=visit.id,
            summary=summary,
            issued_on=_visit_day(visit),
            manual=manual,
            standalone=manual is None and not numbering.has_office(session),
        )

    if typed is not None and not (isinstance(typed, str) and not typed.strip()):
        wanted = numbering.parse_number(typed, MINUTES, issuer)
        same = existing is not None and (existing.issuer, existing.year, existing.number) == (
            issuer,
            year,
            wanted,
        )
        row = existing if same and existing is not None else take(issuer, wanted)
    elif existing is not None and visit.number in (None, "", existing.symbol):
        row = existing
    elif nfc(visit.number or ""):
        parsed = numbering.parse_symbol(visit.number or "")
        if parsed is None or parsed[1] != MINUTES:
            raise InvalidInput(
                _("The minutes number {number} is not like {example}: correct it or clear it").format(
                    number=visit.number, example=numbering.symbol(15, MINUTES, issuer)
                )
            )
        row = take(parsed[2], parsed[0])
    else:
        try:
            row = take(issuer)
        except numbering.NoNumbersLeft as exc:
            raise MinutesNumberNeeded(issuer, year) from exc
    visit.number = row.symbol
    return row


def sign_and_lock(
    session: Session,
    editor: Editor,
    *,
    visit_id: uuid.UUID,
    at: dt.datetime | None = None,
    number: int | str | None = None,
) -> VisitLock:
    """Lock a completed visit whose signatures are all in. From here on it never changes.

    The minutes get their số/ký hiệu first (part of the signed content): ``number`` typed by hand,
    else the one already on the visit, else the next of this laptop's block; with the block empty
    this raises ``MinutesNumberNeeded`` and the caller asks for ``number``."""
    visit = editable_visit(session, visit_id)
    if visit.status != VisitStatus.COMPLETED:
        raise InvalidInput(_("Complete the visit before signing it"))
    signed = {
        s.role
        for s in session.exec(
            select(Signature).where(Signature.visit_id == visit.id, Signature.deleted == False)  # noqa: E712
        ).all()
    }
    missing = [r for r in REQUIRED_ROLES if r not in signed]
    if missing:
        raise InvalidInput(
            _("Signatures still missing: {roles}").format(roles=", ".join(_(ROLE_LABELS[r]) for r in missing))
        )
    taken = assign_minutes_number(session, editor, visit, number)
    editor.stamp(visit)
    session.flush()
    digest = content_sha256(session, visit.id)
    now = at or utcnow()
    lock = VisitLock(
        id=stable_id("visit-lock", visit.id),
        visit_id=visit.id,
        content_sha256=digest,
        locked_at=now,
        locked_by=editor.actor,
        device_id=editor.device_id,
    )
    editor.stamp(lock)
    visit.status, visit.signed_at = VisitStatus.SIGNED, now
    editor.stamp(visit)
    session.add(lock)
    audit.append(
        session,
        editor,
        action="visit.sign",
        entity="visit",
        entity_id=visit.id,
        detail={"content_sha256": digest, "number": taken.symbol},
    )
    tally.keep_visit(session, visit.id)  # its figures for the office's results: they never change now
    return lock
