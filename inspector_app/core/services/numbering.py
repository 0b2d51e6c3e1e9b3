"""Document numbers (số, ký hiệu) given offline on several laptops without collisions.

NĐ 30/2020 Điều 15: an issuer numbers its documents in one sequence per year, from 01. Laptops
cannot ask anyone while offline, so the office hands each laptop a block of numbers when it syncs
(``allocate_block``, office side); the laptop takes the lowest unused number of its blocks
(``next_number``). When its blocks run out, the văn thư may type a number by hand: it is refused
when it is already in the register or inside another laptop's block (that laptop may be using it
offline right now).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.ids import stable_id
from inspector_app.core.models import utcnow
from inspector_app.core.models.documents import DocumentKind, DocumentNumber, NumberBlock
from inspector_app.core.models.records import LocalSetting
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, ServiceError
from inspector_app.core.text import nfc
from inspector_app.i18n import _

MAX_BLOCK = 10_000
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class NumberTaken(InvalidInput):
    pass


class NoNumbersLeft(ServiceError):
    def __init__(self, issuer: str, year: int) -> None:
        super().__init__(
            _(
                "No document numbers of {issuer} for {year} are left on this computer: sync to get "
                "a new block, or type the number the office gave you."
            ).format(issuer=issuer, year=year)
        )


def symbol(number: int, kind: str, issuer: str) -> str:
    """Ô3 of NĐ 30 without "Số: ": ``15/BB-ĐKTCV``; a number below 10 takes a leading zero."""
    return f"{number:02d}/{kind}-{nfc(issuer)}"


_SYMBOL = re.compile(r"^\s*(\d{1,6})\s*/\s*([^\s/-]+)\s*-\s*(\S+)\s*$")


def parse_symbol(text: str) -> tuple[int, str, str] | None:
    """``"15/BB-ĐKTCV"`` → ``(15, "BB", "ĐKTCV")``; None when it is not of that shape."""
    m = _SYMBOL.match(nfc(text))
    return (int(m.group(1)), m.group(2), m.group(3)) if m else None


def parse_number(text: str | int, kind: str, issuer: str) -> int:
    """A number typed by hand: ``15``, ``"15"`` or the whole ``"15/BB-ĐKTCV"`` (whose kind and
    issuer must then be these)."""
    if isinstance(text, int):
        return text
    value = nfc(text).strip()
    if value.isdigit():
        return int(value)
    parsed = parse_symbol(value)
    if parsed is None:
        raise InvalidInput(_("Type the number as 15 or {symbol}").format(symbol=symbol(15, kind, issuer)))
    number, got_kind, got_issuer = parsed
    if (got_kind, got_issuer) != (kind, nfc(issuer)):
        raise InvalidInput(_("The number must end in /{kind}-{issuer}").format(kind=kind, issuer=nfc(issuer)))
    return number


def has_office(session: Session) -> bool:
    """Whether this laptop was ever signed in to an office (which then hands out its numbers)."""
    row = session.get(LocalSetting, "sync.server")
    return bool(row and row.value)


def number_of(session: Session, entity: str, entity_id: object) -> DocumentNumber | None:
    """The register line of a document (``"visit"``, its id), if it has one."""
    return session.exec(
        select(DocumentNumber).where(
            DocumentNumber.entity == entity,
            DocumentNumber.entity_id == str(entity_id),
            DocumentNumber.deleted == sa.false(),
        )
    ).first()


def _check_kind(kind: str) -> str:
    if kind not in {k.value for k in DocumentKind}:
        raise InvalidInput(_("Unknown kind of document: {value}").format(value=kind))
    return kind


def _live(
    table: type[DocumentNumber] | type[NumberBlock], issuer: str, year: int
) -> list[sa.ColumnElement[bool]]:
    return [table.issuer == issuer, table.year == year, table.deleted == sa.false()]  # type: ignore[list-item]


# ------------------------------------------------------------------------------ office side


def allocate_block(
    session: Session, editor: Editor, issuer: str, year: int, device_id: str, size: int
) -> NumberBlock:
    """The office hands ``device_id`` the next ``size`` numbers of ``issuer`` in ``year``: the range
    after every block and every number it knows. Run it on the office database only (one writer)."""
    issuer = nfc(issuer)
    if not 1 <= size <= MAX_BLOCK:
        raise InvalidInput(_("A block holds 1 to {max} numbers").format(max=MAX_BLOCK))
    top_block = session.exec(
        select(sa.func.max(NumberBlock.last)).where(*_live(NumberBlock, issuer, year))
    ).one()
    top_number = session.exec(
        select(sa.func.max(DocumentNumber.number)).where(*_live(DocumentNumber, issuer, year))
    ).one()
    first = max(top_block or 0, top_number or 0) + 1
    block = NumberBlock(
        id=stable_id("number-block", issuer, year, first),
        issuer=issuer,
        year=year,
        device_id=device_id,
        first=first,
        last=first + size - 1,
        allocated_at=utcnow(),
    )
    editor.stamp(block)
    session.add(block)
    audit.append(
        session,
        editor,
        action="number.block",
        entity="number_block",
        entity_id=block.id,
        detail={"issuer": issuer, "year": year, "device": device_id, "first": first, "last": block.last},
    )
    return block


# ------------------------------------------------------------------------------ laptop side


def blocks_of(session: Session, issuer: str, year: int, device_id: str) -> list[NumberBlock]:
    rows = session.exec(
        select(NumberBlock)
        .where(*_live(NumberBlock, nfc(issuer), year), NumberBlock.device_id == device_id)
        .order_by(col(NumberBlock.first))
    ).all()
    return list(rows)


def _used(session: Session, issuer: str, year: int) -> set[int]:
    return set(session.exec(select(DocumentNumber.number).where(*_live(DocumentNumber, issuer, year))).all())


def free_numbers(session: Session, issuer: str, year: int, device_id: str, limit: int = 1) -> list[int]:
    """The lowest unused numbers of this device's blocks (at most ``limit``)."""
    used, out = _used(session, nfc(issuer), year), []
    for block in blocks_of(session, issuer, year, device_id):
        for n in range(block.first, block.last + 1):
            if n not in used:
                out.append(n)
                if len(out) >= limit:
                    return out
    return out


def remaining(session: Session, issuer: str, year: int, device_id: str) -> int:
    used = _used(session, nfc(issuer), year)
    return sum(
        sum(1 for n in range(b.first, b.last + 1) if n not in used)
        for b in blocks_of(session, issuer, year, device_id)
    )


def _own_next(session: Session, issuer: str, year: int) -> int:
    """A laptop with no office is the only one numbering: after every number and block it knows."""
    top_block = session.exec(
        select(sa.func.max(NumberBlock.last)).where(*_live(NumberBlock, issuer, year))
    ).one()
    top_number = session.exec(
        select(sa.func.max(DocumentNumber.number)).where(*_live(DocumentNumber, issuer, year))
    ).one()
    return max(top_block or 0, top_number or 0) + 1


def _check_manual(session: Session, issuer: str, year: int, number: int, device_id: str) -> None:
    if number < 1:
        raise InvalidInput(_("A document number starts at 1"))
    taken = session.exec(
        select(DocumentNumber).where(*_live(DocumentNumber, issuer, year), DocumentNumber.number == number)
    ).first()
    if taken is not None:
        raise NumberTaken(
            _("Number {symbol} is already in the register ({summary})").format(
                symbol=taken.symbol, summary=taken.summary or taken.entity
            )
        )
    other = session.exec(
        select(NumberBlock).where(
            *_live(NumberBlock, issuer, year),
            NumberBlock.device_id != device_id,
            NumberBlock.first <= number,
            NumberBlock.last >= number,
        )
    ).first()
    if other is not None:
        raise NumberTaken(
            _("Number {number} belongs to the block {first}–{last} of another computer").format(
                number=number, first=other.first, last=other.last
            )
        )


def next_number(
    session: Session,
    editor: Editor,
    issuer: str,
    year: int,
    kind: str,
    *,
    entity: str = "",
    entity_id: object = "",
    summary: str = "",
    issued_on: dt.date | None = None,
    manual: int | None = None,
    standalone: bool = False,
) -> DocumentNumber:
    """Register the next number of this laptop's blocks (or ``manual``, typed by hand) for a
    document of ``kind`` and return the register line; ``.symbol`` is what Ô3 prints.

    ``standalone``: the laptop has no office to hand it blocks (see ``has_office``), so once its
    blocks are empty it goes on from the highest number it knows instead of refusing."""
    issuer, kind = nfc(issuer), _check_kind(kind)
    if manual is not None:
        _check_manual(session, issuer, year, manual, editor.device_id)
        number = manual
    else:
        free = free_numbers(session, issuer, year, editor.device_id)
        if free:
            number = free[0]
        elif standalone:
            number = _own_next(session, issuer, year)
        else:
            raise NoNumbersLeft(issuer, year)
    row = DocumentNumber(
        id=stable_id("document-number", issuer, year, number),
        issuer=issuer,
        year=year,
        number=number,
        kind=kind,
        symbol=symbol(number, kind, issuer),
        entity=entity,
        entity_id=str(entity_id),
        summary=nfc(summary),
        issued_on=issued_on or dt.datetime.now(VN_TZ).date(),
        device_id=editor.device_id,
        manual=manual is not None,
        created_by=editor.actor,
    )
    editor.stamp(row)
    try:
        with session.begin_nested():  # a concurrent writer on this laptop took it first
            session.add(row)
    except sa.exc.IntegrityError as exc:
        raise NumberTaken(_("Number {symbol} was just taken; try again").format(symbol=row.symbol)) from exc
    audit.append(
        session,
        editor,
        action="number.take",
        entity="document_number",
        entity_id=row.id,
        detail={"symbol": row.symbol, "manual": row.manual, "entity": entity, "entity_id": str(entity_id)},
    )
    return row


def register(session: Session, issuer: str, year: int) -> list[DocumentNumber]:
    """The register of an issuer's year, by number."""
    rows = session.exec(
        select(DocumentNumber)
        .where(*_live(DocumentNumber, nfc(issuer), year))
        .order_by(col(DocumentNumber.number))
    ).all()
    return list(rows)
