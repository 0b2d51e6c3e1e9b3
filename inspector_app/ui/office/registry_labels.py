"""Words the registry tab shows for stored codes (unit types, kinds, genders, seasons), dates as
Vietnamese offices write them, and the small helpers its dialogs share."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QWidget

from inspector_app.core.models import OfficialKind, UnitType
from inspector_app.i18n import N_, _
from inspector_app.ui.message_boxes import widen

UNIT_TYPE_LABELS: dict[str, str] = {
    UnitType.TINH: N_("Province"),
    UnitType.THANH_PHO_TW: N_("Centrally-run city"),
    UnitType.XA: N_("Commune"),
    UnitType.PHUONG: N_("Ward"),
    UnitType.DAC_KHU: N_("Special zone"),
    UnitType.SO: N_("Provincial department"),
    UnitType.PHONG: N_("Specialised office"),
    UnitType.TT_PVHCC: N_("Public administration service centre"),
    UnitType.DON_VI_SU_NGHIEP: N_("Public service unit"),
    UnitType.HUYEN: N_("Rural district (before 2025)"),
    UnitType.QUAN: N_("Urban district (before 2025)"),
    UnitType.THI_XA: N_("District-level town (before 2025)"),
    UnitType.THANH_PHO_THUOC_TINH: N_("Provincial city (before 2025)"),
    UnitType.THI_TRAN: N_("Township (before 2025)"),
}
KIND_LABELS: dict[str, str] = {
    OfficialKind.CAN_BO: N_("Cadre"),
    OfficialKind.CONG_CHUC: N_("Civil servant"),
    OfficialKind.VIEN_CHUC: N_("Public employee"),
    OfficialKind.NGUOI_LAO_DONG: N_("Contract worker"),
    OfficialKind.KHONG_CHUYEN_TRACH: N_("Non-specialised staff"),
}
GENDER_LABELS: dict[str, str] = {"nam": N_("Male"), "nu": N_("Female")}
SEASON_LABELS: dict[str, str] = {"summer": N_("Summer"), "winter": N_("Winter"), "all_year": N_("All year")}
FIELD_LABELS: dict[str, str] = {
    "department": N_("Department"),
    "kind": N_("Kind"),
    "birth_date": N_("Birth date"),
    "gender": N_("Gender"),
}
ERROR_STYLE = "color: #c62828;"
_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


def label(labels: dict[str, str], value: str | None) -> str:
    if value is None:
        return ""
    return _(labels[value]) if value in labels else value


def shown_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


def shown_value(field: str, value: object) -> str:
    """A stored value as the preview shows it: labels for codes, dd/mm/yyyy for dates, — for none."""
    if value is None or value == "":
        return "—"
    if field == "kind":
        return label(KIND_LABELS, str(value))
    if field == "gender":
        return label(GENDER_LABELS, str(value))
    if isinstance(value, dt.date):
        return shown_date(value)
    return str(value)


def parse_date(text: str, what: str) -> dt.date | None:
    """An optional date typed as dd/mm/yyyy (also d.m.yyyy, d-m-yyyy); ValueError with a message."""
    if not text.strip():
        return None
    match = _DATE.match(text)
    if match is None:
        raise ValueError(
            _("{field}: write the date as dd/mm/yyyy, not “{text}”.").format(field=what, text=text)
        )
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("{field}: {text} is not a date.").format(field=what, text=text)) from None


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qtime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def to_qtime(value: dt.time) -> QTime:
    return QTime(value.hour, value.minute)


def index_of(combo: QComboBox, value: object) -> int:
    """The item holding ``value`` (findData misses Python objects such as UUIDs); 0 if none."""
    return next((n for n in range(combo.count()) if combo.itemData(n) == value), 0)


def error_label() -> QLabel:
    """The red line under a dialog's fields where refusals are shown (hidden until needed)."""
    box = QLabel()
    box.setWordWrap(True)
    box.setStyleSheet(ERROR_STYLE)
    box.setObjectName("errorLabel")
    box.hide()
    return box


def show_message(parent: QWidget, title: str, text: str, *, warning: bool = True) -> QMessageBox:
    """A window-modal message that does not block the caller (tests read ``text()``)."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText(_("Close"))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    widen(box)
    box.open()
    return box
