"""Sổ đăng ký văn bản đi: the printable register of an issuer's document numbers for one year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Spacer
from sqlmodel import Session, col, select

from inspector_app.core.models import Unit, Visit
from inspector_app.core.models.documents import DocumentNumber
from inspector_app.core.services.numbering import VN_TZ, parse_symbol, register
from inspector_app.documents.base import DocumentRenderer, HeaderInfo
from inspector_app.documents.fonts import BOLD, REGULAR
from inspector_app.documents.formatting import dmy, nfc
from inspector_app.documents.styles import SMALL_TABLE_SIZE

KIND_NAMES = {"BB": "Biên bản", "BC": "Báo cáo", "TB": "Thông báo", "KH": "Kế hoạch", "QĐ": "Quyết định"}
# (header, width mm, centred): Phụ lục IV NĐ 30 columns that a laptop knows; 165 mm in all.
COLUMNS = (
    ("Số, ký hiệu văn bản", 27, True),
    ("Ngày tháng văn bản", 21, True),
    ("Tên loại và trích yếu nội dung văn bản", 71, False),
    ("Máy cấp số", 22, True),
    ("Ghi chú", 24, False),
)


@dataclass(frozen=True)
class RegisterInfo:
    issuer: str  # ký hiệu, "ĐKTCV"
    year: int
    agency: str  # Ô2 line 2, "Đoàn kiểm tra công vụ"
    parent_agency: str = ""
    place: str = ""
    day: dt.date | None = None


class RegisterRenderer(DocumentRenderer):
    pdf_subject = "Sổ đăng ký văn bản đi"

    def __init__(
        self, info: RegisterInfo, rows: Sequence[DocumentNumber], unregistered: Sequence[DocumentNumber] = ()
    ) -> None:
        """``unregistered``: minutes numbers written on visits with no line in the register (typed
        before numbers were registered, or refused by the office): listed, marked, for the văn thư."""
        super().__init__()
        self.info = info
        self.rows = sorted([*rows, *unregistered], key=lambda r: (r.number, r.entity_id))
        self.unregistered = {id(r) for r in unregistered}
        self.pdf_title = f"Sổ đăng ký văn bản đi năm {info.year} – {nfc(info.issuer)}"

    def header(self) -> HeaderInfo:
        i = self.info
        return HeaderInfo(i.parent_agency, i.agency, f"…/SĐK-{nfc(i.issuer)}", i.place, i.day)

    def story(self) -> list[Flowable]:
        s, i = self.styles, self.info
        out: list[Flowable] = [
            self.p("SỔ ĐĂNG KÝ VĂN BẢN ĐI", s.doc_type),
            self.p(f"Năm {i.year} – ký hiệu cơ quan ban hành: {nfc(i.issuer)}", s.summary),
            Spacer(1, 10),
        ]
        manual = sum(1 for r in self.rows if r.manual)
        extra = len(self.unregistered)
        minutes = sum(1 for r in self.rows if r.entity == "visit") - extra
        out.append(
            self.p(
                f"Tổng số: {len(self.rows) - extra} văn bản, trong đó {minutes} biên bản kiểm tra; "
                f"{manual} số cấp tay (ngoài khối số được phân cho máy).",
                s.body_plain,
            )
        )
        if self.unregistered:
            out.append(
                self.p(
                    f"Có {len(self.unregistered)} biên bản mang số chưa vào sổ (ghi chú “Chưa vào sổ”).",
                    s.body_plain,
                )
            )
        out.append(self._table())
        return out

    def _table(self) -> Flowable:
        size = SMALL_TABLE_SIZE
        widths = [w * mm for _, w, _ in COLUMNS]
        inner = [w - 4 for w in widths]
        rows = [[_wrap(h, BOLD, size, w) for (h, _, _), w in zip(COLUMNS, inner, strict=True)]]
        for r in self.rows:
            title = KIND_NAMES.get(r.kind, r.kind)
            text = f"{title}: {nfc(r.summary)}" if r.summary else title
            note = "Chưa vào sổ" if id(r) in self.unregistered else ("Cấp tay" if r.manual else "")
            rows.append(
                [
                    r.symbol,
                    dmy(r.issued_on),
                    _wrap(text, REGULAR, size, inner[2]),
                    _wrap(r.device_id, REGULAR, size, inner[3]),
                    _wrap(note, REGULAR, size, inner[4]),
                ]
            )
        if not self.rows:
            rows.append(["", "", "(Chưa có văn bản nào)", "", ""])
        style = [("ALIGN", (c, 1), (c, -1), "CENTER") for c, (_, _, centred) in enumerate(COLUMNS) if centred]
        return self.table(rows, widths, header_rows=1, style=style, font_size=size, padding=2)


def _wrap(text: str, font: str, size: float, width: float) -> str:
    return "\n".join(simpleSplit(nfc(text), font, size, width)) if text else ""


def render_register(session: Session, info: RegisterInfo) -> bytes:
    """The register of ``info.issuer`` for ``info.year`` as PDF bytes."""
    rows = register(session, info.issuer, info.year)
    return RegisterRenderer(info, rows, unregistered_minutes(session, info.issuer, info.year, rows)).render()


def unregistered_minutes(
    session: Session, issuer: str, year: int, rows: Sequence[DocumentNumber]
) -> list[DocumentNumber]:
    """Visits whose minutes number (``…/BB-issuer``, visit of ``year``) has no register line of
    its own, as unsaved register lines."""
    known = {(r.entity_id, r.number) for r in rows if r.entity == "visit"}
    found = session.exec(
        select(Visit, Unit)
        .join(Unit, col(Unit.id) == col(Visit.unit_id))
        .where(col(Visit.number).is_not(None), Visit.deleted == False)  # noqa: E712
    ).all()
    out = []
    for visit, unit in found:
        parsed = parse_symbol(visit.number or "")
        when = visit.arrived_at or visit.started_at
        day = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(VN_TZ).date()
        if parsed is None or parsed[1:] != ("BB", nfc(issuer)) or day.year != year:
            continue
        if (str(visit.id), parsed[0]) in known:
            continue
        out.append(
            DocumentNumber(
                issuer=parsed[2],
                year=year,
                number=parsed[0],
                kind="BB",
                symbol=nfc(visit.number or ""),
                entity="visit",
                entity_id=str(visit.id),
                summary=f"Kiểm tra công vụ tại {unit.name}",
                issued_on=day,
                device_id=visit.device_id,
            )
        )
    return out
