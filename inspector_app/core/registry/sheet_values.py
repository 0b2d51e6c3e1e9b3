"""Reading the cells of an officials list the way offices fill them in: header words, birth dates as
dates, serial numbers or text, kinds in words (or guessed from the position), people's names.

Every matching is done on folded text (:func:`fold`: no diacritics, lower case), so "HỌ VÀ TÊN",
"Họ và tên" and "Ho va ten" read alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from inspector_app.core.models import OfficialKind
from inspector_app.core.text import fold, nfc
from inspector_app.i18n import _

# Fields a column can carry. "family"/"given" are the split-name layout ("Họ và đệm" | "Tên").
STT, NAME, FAMILY, GIVEN, BIRTH, GENDER = "stt", "name", "family", "given", "birth", "gender"
POSITION, DEPARTMENT, KIND, NOTE = "position", "department", "kind", "note"

_PUNCT = re.compile(r"[^\w\s/]")
_SPACES = re.compile(r"\s+")


def key_text(value: Any) -> str:
    """Folded text with punctuation turned into spaces: "Chức vụ, chức danh" → "chuc vu chuc danh"."""
    if value is None:
        return ""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold(str(value)))).strip()


# (field, exact folded labels, folded prefixes)
_HEADERS: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    (STT, frozenset({"stt", "tt", "so tt", "so thu tu"}), ()),
    (FAMILY, frozenset({"ho va dem", "ho dem", "ho va ten dem", "ho"}), ("ho va ten dem", "ho va chu dem")),
    (NAME, frozenset({"ten can bo", "ten"}), ("ho va ten", "ho ten", "ho va ten can bo")),
    (GENDER, frozenset({"gioi tinh", "gioi"}), ("gioi tinh",)),
    (
        BIRTH,
        frozenset({"nam sinh", "ngay sinh"}),
        ("ngay thang nam sinh", "ngay sinh", "nam sinh", "sinh ngay"),
    ),
    (POSITION, frozenset({"chuc vu", "chuc danh"}), ("chuc vu", "chuc danh")),
    (
        DEPARTMENT,
        frozenset({"bo phan", "phong ban", "don vi", "vi tri viec lam", "noi cong tac"}),
        ("bo phan", "phong ban", "don vi cong tac", "vi tri viec lam", "co quan don vi"),
    ),
    (
        KIND,
        frozenset({"loai", "doi tuong", "phan loai", "loai doi tuong", "loai can bo", "cb cc vc"}),
        ("loai doi tuong", "doi tuong", "phan loai"),
    ),
    (NOTE, frozenset({"ghi chu"}), ("ghi chu",)),
)


def header_field(value: Any) -> str | None:
    """The field a header cell names, or None. "Tên" alone is the given name of a split layout."""
    text = key_text(value)
    if not text or len(text) > 60:
        return None
    for field, exact, prefixes in _HEADERS:
        if text in exact or text.startswith(prefixes):
            return GIVEN if field == NAME and text == "ten" else field
    return None


def gender_word(value: Any) -> str | None:
    """ "Nam" → "nam", "Nữ" → "nu"; anything else None."""
    text = key_text(value)
    return text if text in ("nam", "nu") else None


# ---- end of the table -------------------------------------------------------------------------

_TOTAL_PREFIXES = ("tong cong", "tong so", "cong ", "tong ")
_SIGN_EXACT = frozenset(
    {
        "nguoi lap bieu",
        "nguoi lap",
        "nguoi lap danh sach",
        "nguoi ghi",
        "chu tich",
        "pho chu tich",
        "thu truong don vi",
        "thu truong co quan",
        "giam doc",
        "pho giam doc",
        "truong phong",
        "ke toan truong",
        "ky ten",
        "ky ghi ro ho ten",
        "ky ten dong dau",
        "ky ghi ro ho ten dong dau",
    }
)
_SIGN_PREFIXES = ("tm ", "kt ", "ky ", "nguoi lap", "xac nhan", "thu truong", "noi nhan")
_PLACE_DATE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


def is_total(text: str) -> bool:
    return text in ("cong", "tong") or text.startswith(_TOTAL_PREFIXES)


def is_signature(text: str) -> bool:
    return text in _SIGN_EXACT or text.startswith(_SIGN_PREFIXES) or bool(_PLACE_DATE.search(text))


_ROMAN = re.compile(r"^[ivxlc]+[\s.)/-]")


def is_heading_text(text: str) -> bool:
    """A group heading inside the table: "I. LÃNH ĐẠO UBND", "A - Khối Đảng"."""
    return bool(_ROMAN.match(text + " ")) or bool(re.match(r"^[a-e]\s*[.)/-]\s", text))


def is_stt(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return bool(re.fullmatch(r"\s*\d+\s*\.?\s*", str(value)))


# ---- people -----------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"))


def clean_text(value: Any) -> str:
    """NFC, invisible characters gone, whitespace collapsed and trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value).translate(_INVISIBLE))


def clean_name(value: Any) -> str:
    """A person's name as written, except that ALL-CAPS or all-lower names get their capitals back."""
    name = clean_text(value)
    if name and (name.isupper() or name.islower()):
        name = " ".join(part[:1].upper() + part[1:].lower() for part in name.split(" "))
    return name


# ---- kinds ------------------------------------------------------------------------------------

CB, CC, VC = OfficialKind.CAN_BO, OfficialKind.CONG_CHUC, OfficialKind.VIEN_CHUC
NLD, KCT = OfficialKind.NGUOI_LAO_DONG, OfficialKind.KHONG_CHUYEN_TRACH
# Checked in order: the first folded phrase found in the cell decides.
_KIND_WORDS: tuple[tuple[str, OfficialKind], ...] = (
    ("khong chuyen trach", KCT),
    ("kct", KCT),
    ("hop dong", NLD),
    ("lao dong", NLD),
    ("hd", NLD),
    ("nld", NLD),
    ("vien chuc", VC),
    ("vc", VC),
    ("cong chuc", CC),
    ("cc", CC),
    ("can bo", CB),
    ("cb", CB),
)


def parse_kind(value: Any) -> OfficialKind | None:
    text = key_text(value)
    if not text:
        return None
    words = f" {text} "
    for phrase, kind in _KIND_WORDS:
        if f" {phrase} " in words or (len(phrase) > 3 and phrase in text):
            return kind
    return None


# Guesses from the position (chức vụ), first match wins; folded prefixes or phrases.
_POSITION_KINDS: tuple[tuple[str, OfficialKind], ...] = (
    ("khong chuyen trach", KCT),
    ("phu trach dai truyen thanh", KCT),
    ("phu trach van thu", KCT),
    ("thu quy", KCT),
    ("hop dong", NLD),
    ("lai xe", NLD),
    ("bao ve", NLD),
    ("tap vu", NLD),
    ("nhan vien", NLD),
    ("vien chuc", VC),
    ("trung tam", VC),
    ("giao vien", VC),
    ("bac si", VC),
    ("bi thu", CB),
    ("chu tich", CB),
    ("cong chuc", CC),
    ("chuyen vien", CC),
    ("chanh van phong", CC),
    ("truong phong", CC),
    ("giam doc so", CC),
    ("chi huy truong", CC),
    ("ke toan", CC),
    ("van thu", CC),
    ("thanh tra", CC),
    ("can su", CC),
)


def guess_kind(position: str) -> OfficialKind | None:
    """Kind suggested by the position: "Chủ tịch UBND" → cán bộ, "Lái xe" → hợp đồng; None if unsure."""
    text = key_text(position)
    for phrase, kind in _POSITION_KINDS:
        if phrase in text:
            return kind
    return None


# ---- birth dates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BirthDate:
    """A birth date as precise as the sheet gives it: "day", "month" (03/1980) or "year" (1980);
    the stored date is the first day of the period."""

    date: dt.date
    precision: str


_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T].*)?$")
_MY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _plausible(date: dt.date, today: dt.date) -> bool:
    return dt.date(1900, 1, 1) <= date <= today


def parse_birth(value: Any, today: dt.date | None = None) -> BirthDate | str | None:
    """``BirthDate``, or a message (str) saying why the cell cannot be read, or None for an empty cell."""
    today = today or dt.date.today()
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        found = _parse_birth(value, today)
    except ValueError:  # 31/02/1980
        found = None
    if found is None:
        return _("birth date “{value}” cannot be read (write dd/mm/yyyy or the year)").format(
            value=clean_text(value)
        )
    if not _plausible(found.date, today):
        return _("birth date “{value}” is not plausible").format(value=clean_text(value))
    return found


def _parse_birth(value: Any, today: dt.date) -> BirthDate | None:
    if isinstance(value, dt.datetime):
        return BirthDate(value.date(), "day")
    if isinstance(value, dt.date):
        return BirthDate(value, "day")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return BirthDate(dt.date(int(value), 1, 1), "year")
        if 1 <= value < 80000:  # an Excel serial day number left without a date format
            return BirthDate(_EXCEL_EPOCH + dt.timedelta(days=int(value)), "day")
        return None
    text = key_text(str(value).replace(",", " "))
    raw = clean_text(value)
    if re.fullmatch(r"\d{4}", raw):
        return BirthDate(dt.date(int(raw), 1, 1), "year")
    if m := _DMY.match(raw):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year += 1900 if year > today.year % 100 else 2000
        return BirthDate(dt.date(year, month, day), "day")
    if m := _YMD.match(raw):
        return BirthDate(dt.date(int(m[1]), int(m[2]), int(m[3])), "day")
    if m := _MY.match(raw):
        return BirthDate(dt.date(int(m[2]), int(m[1]), 1), "month")
    if m := _WORDS.match(text):
        return BirthDate(dt.date(int(m[3]), int(m[2]), int(m[1])), "day")
    return None


def same_birth(stored: dt.date | None, incoming: BirthDate) -> bool:
    """Does the stored date agree with the sheet, at the sheet's precision? (1980 agrees with 05/03/1980.)"""
    if stored is None:
        return False
    if incoming.precision == "year":
        return stored.year == incoming.date.year
    if incoming.precision == "month":
        return (stored.year, stored.month) == (incoming.date.year, incoming.date.month)
    return stored == incoming.date
