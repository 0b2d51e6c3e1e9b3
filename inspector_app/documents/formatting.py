"""Dates, times and numbers as Nghị định 30/2020 and Vietnamese usage write them; NFC text for reportlab."""

from __future__ import annotations

import datetime as dt
import unicodedata
from xml.sax.saxutils import escape

from inspector_app.core.services.schedule import VN_TZ


def nfc(text: object) -> str:
    """Every string bound for the PDF goes through here: reportlab does no mark positioning, so
    decomposed (NFD) Vietnamese would print with misplaced accents."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def markup(text: object) -> str:
    """NFC and escaped for a Paragraph (user text may hold ``<`` or ``&``)."""
    return escape(nfc(text))


def two_digits(n: int) -> str:
    """Counts of copies and document numbers below 10 take a leading 0 ("02 bản")."""
    return f"{n:02d}"


def nd30_date(day: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 10 tháng 3 năm 2026": NĐ 30 puts a leading 0 on days
    below 10 and on months 1 and 2 only."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: dt.date) -> str:
    """Ô4: "Hà Tĩnh, ngày 05 tháng 02 năm 2026"."""
    return f"{nfc(place)}, {nd30_date(day)}" if place else nd30_date(day).capitalize()


def dmy(day: dt.date | dt.datetime | None) -> str:
    """ "10/03/2026" (citations, deadlines, tables)."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = local(day).date()
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def local(moment: dt.datetime) -> dt.datetime:
    """A stored UTC time on the clock of Asia/Ho_Chi_Minh."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VN_TZ)


def clock(moment: dt.datetime) -> str:
    """ "7 giờ 45 phút" (local time)."""
    t = local(moment)
    return f"{t.hour} giờ {t.minute:02d} phút"


def hhmm(moment: dt.datetime | None) -> str:
    return "" if moment is None else local(moment).strftime("%H:%M")


def iso_to_dmy(value: str) -> str:
    """A stored ISO date answer ("2026-03-10") as "10/03/2026"; anything else unchanged."""
    try:
        return dmy(dt.date.fromisoformat(value))
    except ValueError:
        return value


def lower_first(text: str) -> str:
    """ "Về việc thành lập…" → "về việc thành lập…" when a title continues a sentence."""
    return text[:1].lower() + text[1:] if text else text
