"""The office desk's edits to officials: add, edit, move to another unit, mark as left.

Each function stamps the row (HLC + dirty, so sync carries it), appends an audit entry and leaves
committing to the caller (one edit, one transaction). Text is NFC-normalised and trimmed here,
where it enters; a unit that no longer exists takes no edits (:class:`UnitClosed`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.models import Official, OfficialKind
from inspector_app.core.registry.units import ensure_open, get_unit
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.text import fold, nfc, nfc_or_none
from inspector_app.i18n import _

GENDERS = ("nam", "nu")
_KINDS = frozenset(k.value for k in OfficialKind)


class Keep(Enum):
    """Default of :func:`edit_official` arguments: leave the field as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


def _required(text: str, what: str) -> str:
    cleaned = nfc(text)
    if not cleaned:
        raise InvalidInput(_("{field} must not be empty.").format(field=what))
    return cleaned


def _kind(kind: str | OfficialKind) -> str:
    value = kind.value if isinstance(kind, OfficialKind) else kind
    if value not in _KINDS:
        raise InvalidInput(_("Unknown kind of official: {kind}").format(kind=value))
    return value


def _gender(gender: str | None) -> str | None:
    if gender is not None and gender not in GENDERS:
        raise InvalidInput(_("Gender must be “nam” or “nu”, not {value}.").format(value=gender))
    return gender


def _birth(birth_date: dt.date | None) -> dt.date | None:
    if birth_date is not None and not dt.date(1900, 1, 1) <= birth_date <= dt.date.today():
        raise InvalidInput(_("Birth date {date} is not plausible.").format(date=birth_date.isoformat()))
    return birth_date


def get_official(session: Session, official_id: uuid.UUID) -> Official:
    row = session.get(Official, official_id)
    if row is None or row.deleted:
        raise NotFound(_("No official with id {id}.").format(id=official_id))
    return row


def next_sort_order(session: Session, unit_id: uuid.UUID) -> int:
    top = session.exec(select(sa.func.max(Official.sort_order)).where(Official.unit_id == unit_id)).one()
    return int(top or 0) + 1


def add_official(
    session: Session,
    editor: Editor,
    *,
    unit_id: uuid.UUID,
    full_name: str,
    position: str,
    kind: str | OfficialKind,
    department: str | None = None,
    gender: str | None = None,
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
) -> Official:
    unit = get_unit(session, unit_id)
    ensure_open(session, unit, today)
    row = Official(
        unit_id=unit.id,
        full_name=_required(full_name, _("Full name")),
        position=_required(position, _("Position")),
        department=nfc_or_none(department),
        kind=_kind(kind),
        gender=_gender(gender),
        birth_date=_birth(birth_date),
        sort_order=next_sort_order(session, unit.id),
    )
    row.search_key = fold(row.full_name)
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="official.add",
        entity="official",
        entity_id=row.id,
        detail={"unit_id": unit.id, **_snapshot(row)},
    )
    return row


def _snapshot(row: Official) -> dict[str, Any]:
    return {
        "full_name": row.full_name,
        "position": row.position,
        "department": row.department,
        "kind": row.kind,
        "gender": row.gender,
        "birth_date": row.birth_date,
    }


def edit_official(
    session: Session,
    editor: Editor,
    official_id: uuid.UUID,
    *,
    full_name: str | Keep = KEEP,
    position: str | Keep = KEEP,
    department: str | Keep | None = KEEP,
    kind: str | OfficialKind | Keep = KEEP,
    gender: str | Keep | None = KEEP,
    birth_date: dt.date | Keep | None = KEEP,
    today: dt.date | None = None,
) -> Official:
    """Change the given fields (others are kept); nothing is stamped when nothing differs."""
    row = get_official(session, official_id)
    ensure_open(session, get_unit(session, row.unit_id), today)
    wanted: dict[str, Any] = {}
    if not isinstance(full_name, Keep):
        wanted["full_name"] = _required(full_name, _("Full name"))
    if not isinstance(position, Keep):
        wanted["position"] = _required(position, _("Position"))
    if not isinstance(department, Keep):
        wanted["department"] = nfc_or_none(department)
    if not isinstance(kind, Keep):
        wanted["kind"] = _kind(kind)
    if not isinstance(gender, Keep):
        wanted["gender"] = _gender(gender)
    if not isinstance(birth_date, Keep):
        wanted["birth_date"] = _birth(birth_date)
    changed = {k: [getattr(row, k), v] for k, v in wanted.items() if getattr(row, k) != v}
    if not changed:
        return row
    for key, (_old, new) in changed.items():
        setattr(row, key, new)
    row.search_key = fold(row.full_name)
    editor.stamp(row)
    session.add(row)
    audit.append(session, editor, action="official.edit", entity="official", entity_id=row.id, detail=changed)
    return row


def move_official(
    session: Session,
    editor: Editor,
    official_id: uuid.UUID,
    *,
    to_unit_id: uuid.UUID,
    department: str | Keep | None = KEEP,
    position: str | Keep = KEEP,
    today: dt.date | None = None,
) -> Official:
    """Transfer to another unit (điều động): same person, same id; placed last in the new roster."""
    row = get_official(session, official_id)
    source = get_unit(session, row.unit_id)
    target = get_unit(session, to_unit_id)
    ensure_open(session, source, today)
    ensure_open(session, target, today)
    if target.id == source.id:
        raise InvalidInput(_("{name} already works at {unit}.").format(name=row.full_name, unit=target.name))
    detail: dict[str, Any] = {"from_unit_id": source.id, "to_unit_id": target.id}
    row.unit_id = target.id
    row.sort_order = next_sort_order(session, target.id)
    if not isinstance(department, Keep):
        detail["department"] = [row.department, nfc_or_none(department)]
        row.department = nfc_or_none(department)
    if not isinstance(position, Keep):
        detail["position"] = [row.position, _required(position, _("Position"))]
        row.position = _required(position, _("Position"))
    editor.stamp(row)
    session.add(row)
    audit.append(session, editor, action="official.move", entity="official", entity_id=row.id, detail=detail)
    return row


def mark_left(
    session: Session,
    editor: Editor,
    official_id: uuid.UUID,
    *,
    left_on: dt.date | None,
    today: dt.date | None = None,
) -> Official:
    """From ``left_on`` the official no longer works at the unit (retired, transferred out…);
    ``None`` takes a mark back. The row stays: past visits and roll calls still name them."""
    row = get_official(session, official_id)
    ensure_open(session, get_unit(session, row.unit_id), today)
    if left_on is not None and row.birth_date is not None and left_on <= row.birth_date:
        raise InvalidInput(_("The leaving date must be after the birth date."))
    if row.left_on == left_on:
        return row
    detail = {"left_on": [row.left_on, left_on]}
    row.left_on = left_on
    editor.stamp(row)
    session.add(row)
    audit.append(session, editor, action="official.left", entity="official", entity_id=row.id, detail=detail)
    return row
