"""The office desk's edits to units: add, edit, close (merged away, with a successor) and reopen.

Like :mod:`inspector_app.core.registry.officials`: each function stamps the row (HLC + dirty, so sync
carries it), appends an audit entry and leaves committing to the caller. Text is NFC-normalised and
trimmed here; a unit that no longer exists takes no edits (:class:`UnitClosed`) except being reopened,
so a closure typed by mistake can be taken back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.models import Unit, UnitType
from inspector_app.core.registry.officials import KEEP, Keep
from inspector_app.core.registry.units import ensure_open, get_unit
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.text import fold, nfc, nfc_or_none
from inspector_app.i18n import _

_TYPES = frozenset(t.value for t in UnitType)
# Code words used by suggest_code ("HT-XA-THACH-KHE", "HT-XA-THACH-KHE-TTPVHCC").
_CODE_WORDS = {
    UnitType.TINH: "",
    UnitType.THANH_PHO_TW: "",
    UnitType.XA: "XA",
    UnitType.PHUONG: "PHUONG",
    UnitType.DAC_KHU: "DAC-KHU",
    UnitType.SO: "SO",
    UnitType.PHONG: "PHONG",
    UnitType.TT_PVHCC: "TTPVHCC",
    UnitType.DON_VI_SU_NGHIEP: "DVSN",
    UnitType.HUYEN: "HUYEN",
    UnitType.QUAN: "QUAN",
    UnitType.THI_XA: "THI-XA",
    UnitType.THANH_PHO_THUOC_TINH: "TP",
    UnitType.THI_TRAN: "THI-TRAN",
}


def _slug(text: str) -> str:
    return "-".join(fold(text).upper().replace(",", " ").replace("-", " ").split())


def suggest_code(parent_code: str | None, unit_type: str, proper_name: str) -> str:
    """A code in the demo's pattern: parent code, type word, proper name ("HT-XA-THACH-KHE")."""
    word = _CODE_WORDS.get(UnitType(unit_type), "") if unit_type in _TYPES else ""
    name = "" if unit_type == UnitType.TT_PVHCC else _slug(proper_name)
    return "-".join(p for p in (parent_code or "", word, name) if p)


_LOCAL_WORDS = {UnitType.XA: "xã", UnitType.PHUONG: "phường", UnitType.DAC_KHU: "đặc khu"}


def suggest_name(unit_type: str, proper_name: str, parent_name: str | None) -> str:
    """The name documents use, where the pattern is fixed (DOMAIN §5.3): "UBND xã Thạch Khê",
    "Trung tâm Phục vụ hành chính công xã Thạch Khê", "Sở Tư pháp tỉnh Hà Tĩnh"; else "" (type it)."""
    proper = nfc(proper_name)
    place = nfc(parent_name or "").removeprefix("UBND ").removeprefix("Ủy ban nhân dân ")
    if unit_type in _LOCAL_WORDS and proper:
        return f"UBND {_LOCAL_WORDS[UnitType(unit_type)]} {proper}"
    if unit_type == UnitType.TT_PVHCC and place:
        return f"Trung tâm Phục vụ hành chính công {place}"
    if unit_type == UnitType.SO and proper:
        return f"Sở {proper} {place}".strip()
    return ""


def _required(text: str, what: str) -> str:
    cleaned = nfc(text)
    if not cleaned:
        raise InvalidInput(_("{field} must not be empty.").format(field=what))
    return cleaned


def _unit_type(value: str | UnitType) -> str:
    text = value.value if isinstance(value, UnitType) else value
    if text not in _TYPES:
        raise InvalidInput(_("Unknown type of unit: {type}").format(type=text))
    return text


def _code(session: Session, code: str, own_id: uuid.UUID | None = None) -> str:
    cleaned = _required(code, _("Unit code")).replace(" ", "-").upper()  # codes are typed in any case
    clash = session.exec(select(Unit).where(sa.func.upper(Unit.code) == cleaned.upper())).first()
    if clash is not None and clash.id != own_id:
        raise InvalidInput(
            _("The code {code} is already used by {unit}.").format(code=cleaned, unit=clash.name)
        )
    return cleaned


def _dates(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise InvalidInput(_("The unit cannot end before it starts."))


def _parent(session: Session, parent_id: uuid.UUID | None, own_id: uuid.UUID | None) -> uuid.UUID | None:
    """The parent exists, and is neither the unit itself nor one of its sub-units."""
    if parent_id is None:
        return None
    parent = get_unit(session, parent_id)
    seen: set[uuid.UUID] = set()
    walk: Unit | None = parent
    while walk is not None and walk.id not in seen:
        if walk.id == own_id:
            raise InvalidInput(_("A unit cannot be placed under itself or under one of its own sub-units."))
        seen.add(walk.id)
        walk = session.get(Unit, walk.parent_id) if walk.parent_id else None
    return parent.id


def _snapshot(row: Unit) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "proper_name": row.proper_name,
        "unit_type": row.unit_type,
        "parent_id": row.parent_id,
        "address": row.address,
        "valid_from": row.valid_from,
    }


def add_unit(
    session: Session,
    editor: Editor,
    *,
    code: str,
    name: str,
    proper_name: str,
    unit_type: str | UnitType,
    parent_id: uuid.UUID | None = None,
    address: str | None = None,
    valid_from: dt.date | None = None,
) -> Unit:
    _dates(valid_from, None)
    row = Unit(
        code=_code(session, code),
        name=_required(name, _("Name in documents")),
        proper_name=_required(proper_name, _("Proper name")),
        unit_type=_unit_type(unit_type),
        parent_id=_parent(session, parent_id, None),
        address=nfc_or_none(address),
        valid_from=valid_from,
    )
    row.search_key = fold(row.name)
    editor.stamp(row)
    session.add(row)
    audit.append(session, editor, action="unit.add", entity="unit", entity_id=row.id, detail=_snapshot(row))
    return row


def edit_unit(
    session: Session,
    editor: Editor,
    unit_id: uuid.UUID,
    *,
    code: str | Keep = KEEP,
    name: str | Keep = KEEP,
    proper_name: str | Keep = KEEP,
    unit_type: str | UnitType | Keep = KEEP,
    parent_id: uuid.UUID | Keep | None = KEEP,
    address: str | Keep | None = KEEP,
    valid_from: dt.date | Keep | None = KEEP,
    today: dt.date | None = None,
) -> Unit:
    """Change the given fields (others are kept); nothing is stamped when nothing differs."""
    row = get_unit(session, unit_id)
    ensure_open(session, row, today)
    wanted: dict[str, Any] = {}
    if not isinstance(code, Keep):
        wanted["code"] = _code(session, code, row.id)
    if not isinstance(name, Keep):
        wanted["name"] = _required(name, _("Name in documents"))
    if not isinstance(proper_name, Keep):
        wanted["proper_name"] = _required(proper_name, _("Proper name"))
    if not isinstance(unit_type, Keep):
        wanted["unit_type"] = _unit_type(unit_type)
    if not isinstance(parent_id, Keep):
        wanted["parent_id"] = _parent(session, parent_id, row.id)
    if not isinstance(address, Keep):
        wanted["address"] = nfc_or_none(address)
    if not isinstance(valid_from, Keep):
        _dates(valid_from, row.valid_to)
        wanted["valid_from"] = valid_from
    changed = {k: [getattr(row, k), v] for k, v in wanted.items() if getattr(row, k) != v}
    if not changed:
        return row
    for key, (_old, new) in changed.items():
        setattr(row, key, new)
    row.search_key = fold(row.name)
    editor.stamp(row)
    session.add(row)
    audit.append(session, editor, action="unit.edit", entity="unit", entity_id=row.id, detail=changed)
    return row


def _check_successor(session: Session, row: Unit, successor_id: uuid.UUID, last_day: dt.date) -> Unit:
    successor = get_unit(session, successor_id)
    if successor.id == row.id:
        raise InvalidInput(_("A unit cannot be its own successor."))
    next_day = last_day + dt.timedelta(days=1)
    if successor.valid_to is not None and successor.valid_to < next_day:
        raise InvalidInput(
            _("The successor {unit} itself ends on {date}: choose a unit that exists after {last}.").format(
                unit=successor.name,
                date=successor.valid_to.strftime("%d/%m/%Y"),
                last=last_day.strftime("%d/%m/%Y"),
            )
        )
    if successor.valid_from is not None and successor.valid_from > next_day:
        raise InvalidInput(
            _("The successor {unit} only starts on {date}: the unit must last until the day before.").format(
                unit=successor.name, date=successor.valid_from.strftime("%d/%m/%Y")
            )
        )
    seen: set[uuid.UUID] = set()
    walk: Unit | None = successor
    while walk is not None and walk.id not in seen:  # A → B → A would make history endless
        if walk.successor_id == row.id:
            raise InvalidInput(
                _("{unit} was itself merged into {other}: it cannot be its successor.").format(
                    unit=successor.name, other=row.name
                )
            )
        seen.add(walk.id)
        walk = session.get(Unit, walk.successor_id) if walk.successor_id else None
    return successor


def close_unit(
    session: Session,
    editor: Editor,
    unit_id: uuid.UUID,
    *,
    last_day: dt.date,
    successor_id: uuid.UUID | None,
    today: dt.date | None = None,
) -> Unit:
    """The unit exists until ``last_day`` (e.g. 30/6/2025) and its work passes to ``successor_id``
    (the merged commune). Its officials and past visits stay with it, as history."""
    row = get_unit(session, unit_id)
    ensure_open(session, row, today)
    if row.valid_from is not None and last_day < row.valid_from:
        raise InvalidInput(
            _("The last day {date} is before the unit started ({start}).").format(
                date=last_day.strftime("%d/%m/%Y"), start=row.valid_from.strftime("%d/%m/%Y")
            )
        )
    successor = _check_successor(session, row, successor_id, last_day) if successor_id else None
    detail = {
        "valid_to": [row.valid_to, last_day],
        "successor_id": [row.successor_id, successor.id if successor else None],
    }
    row.valid_to = last_day
    row.successor_id = successor.id if successor else None
    editor.stamp(row)
    session.add(row)
    audit.append(session, editor, action="unit.close", entity="unit", entity_id=row.id, detail=detail)
    return row


def reopen_unit(session: Session, editor: Editor, unit_id: uuid.UUID) -> Unit:
    """Take a closure back (typed by mistake): no end date, no successor."""
    row = get_unit(session, unit_id)
    if row.valid_to is None and row.successor_id is None:
        return row
    detail = {"valid_to": [row.valid_to, None], "successor_id": [row.successor_id, None]}
    row.valid_to = None
    row.successor_id = None
    editor.stamp(row)
    session.add(row)
    audit.append(session, editor, action="unit.reopen", entity="unit", entity_id=row.id, detail=detail)
    return row
