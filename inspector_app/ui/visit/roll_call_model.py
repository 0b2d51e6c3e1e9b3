"""The roll call of one visit as a Qt table model: one row per official, the columns of DOMAIN §4.1.

Every change goes to the single DB writer at once (``Tasks.write``); the model shows a value only
after its transaction committed: the write job returns the stored row, which alone is replaced
(totals recounted in memory). A full ``reload`` asked for while writes are pending waits for them.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from sqlmodel import Session

from inspector_app.core.models import AttendanceStatus, Attitude, Badge, Dress, NamePlate, RollCall
from inspector_app.core.services.attachments import store_attachment
from inspector_app.core.services.roll_call import (
    RollCallTotals,
    add_person,
    fill_auto_answers,
    record_roll_call,
    roll_call_rows,
    totals_of,
)
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.services.visits import get_visit
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _
from inspector_app.ui.photos import IMAGE_SUFFIXES, downscale_image_file
from inspector_app.ui.tasks import Tasks

(COL_NO, COL_NAME, COL_POSITION, COL_STATUS, COL_ARRIVAL, COL_LATE, COL_BADGE, COL_DRESS, COL_PLATE,
 COL_ATTITUDE, COL_REASON, COL_EVIDENCE, COL_NOTE) = range(13)  # fmt: skip
COLUMNS = (
    N_("No."), N_("Full name"), N_("Position"), N_("Attendance"), N_("Arrival"), N_("Min. late"),
    N_("Badge"), N_("Dress"), N_("Name plate"), N_("Attitude"), N_("Reason for absence"), N_("Evidence"),
    N_("Note"),
)  # fmt: skip
# Column → keyword of ``roll_call.record_roll_call``; the other columns are read-only.
FIELDS = {
    COL_STATUS: "status",
    COL_ARRIVAL: "arrival_at",
    COL_BADGE: "badge",
    COL_DRESS: "dress",
    COL_PLATE: "name_plate",
    COL_ATTITUDE: "attitude",
    COL_REASON: "reason",
    COL_EVIDENCE: "evidence_id",
    COL_NOTE: "note",
}
STATUS_LABELS: dict[str, str] = {
    AttendanceStatus.PRESENT: N_("Present"),
    AttendanceStatus.LATE: N_("Late"),
    AttendanceStatus.ABSENT_WITH_REASON: N_("Absent with a reason"),
    AttendanceStatus.ABSENT_WITHOUT_REASON: N_("Absent without a reason"),
    AttendanceStatus.ON_DUTY: N_("On official duty (with a document)"),
    AttendanceStatus.LEAVE: N_("On leave or sick leave"),
    AttendanceStatus.UNKNOWN: N_("Reason not known"),
}
CHOICES: dict[int, dict[str, str]] = {
    COL_STATUS: dict(STATUS_LABELS),
    COL_BADGE: {
        Badge.WORN: N_("Yes"),
        Badge.NOT_WORN: N_("Not worn"),
        Badge.NOT_ISSUED: N_("Badge not issued"),
        Badge.NA: N_("Not applicable"),
    },
    COL_DRESS: {Dress.OK: N_("Satisfactory"), Dress.NOT_OK: N_("Not satisfactory")},
    COL_PLATE: {NamePlate.YES: N_("Yes"), NamePlate.NO: N_("No"), NamePlate.NA: N_("Not applicable")},
    COL_ATTITUDE: {
        Attitude.GOOD: N_("Good"),
        Attitude.OK: N_("Satisfactory"),
        Attitude.NOT_OK: N_("Not satisfactory"),
        Attitude.NA: N_("Not applicable"),
    },
}
# The keyboard: digits 1–7 set the status (then the cursor moves on); letters cycle one column
# through its common answers, starting from the first when the cell is empty.
STATUS_KEYS: dict[str, str] = {str(n): s.value for n, s in enumerate(AttendanceStatus, start=1)}
CYCLE_KEYS: dict[str, tuple[int, tuple[str, ...]]] = {
    "T": (COL_BADGE, (Badge.WORN, Badge.NOT_WORN)),
    "A": (COL_DRESS, (Dress.OK, Dress.NOT_OK)),
    "B": (COL_PLATE, (NamePlate.YES, NamePlate.NO)),
    "D": (COL_ATTITUDE, (Attitude.GOOD, Attitude.OK, Attitude.NOT_OK)),
}
_BAD = {
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT_WITHOUT_REASON,
    AttendanceStatus.UNKNOWN,
    Badge.NOT_WORN,
    Dress.NOT_OK,
    NamePlate.NO,
}

RowRole = Qt.ItemDataRole.UserRole + 1  # the RollCall row (detached, read-only)
RowIdRole = Qt.ItemDataRole.UserRole + 2
ValueRole = Qt.ItemDataRole.UserRole + 3  # the stored value (code, datetime, uuid or text)

AnyIndex = QModelIndex | QPersistentModelIndex


def choice_label(col: int, value: str | None) -> str:
    labels = CHOICES.get(col, {})
    return _(labels[value]) if value in labels else (value or "")


def evidence_payload(path: Path) -> tuple[bytes, str, int | None, int | None]:
    """Bytes, MIME type and size of an evidence file, run off the GUI thread (``Tasks.run``): a photo
    is downscaled like every other photo; a scanned PDF (a travel order) is kept as it is."""
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return downscale_image_file(path)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.read_bytes(), mime, None, None


class RollCallModel(QAbstractTableModel):
    """Roll-call rows of one visit; edits are written at once and shown once committed."""

    totals_changed = Signal(object)  # RollCallTotals
    saving = Signal(int)  # writes not yet committed
    saved = Signal()  # a write committed and the rows were re-read
    failed = Signal(str)  # a write was refused: the message for the user

    def __init__(
        self,
        ws: Workspace,
        tasks: Tasks,
        visit_id: uuid.UUID,
        parent: Any = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = ws
        self._tasks = tasks
        self.visit_id = visit_id
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._rows: list[RollCall] = []
        self._day: dt.date = dt.date.today()
        self.totals = RollCallTotals()
        self.read_only = False
        self.pending = 0
        # Values asked for but not committed yet: a second T before the first commit toggles on.
        self._requested: dict[tuple[uuid.UUID, str], Any] = {}
        self._reload_wanted = False  # a reload asked for while writes were pending

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the rows; keeps the view's cursor when the same people are listed. While writes
        are pending it is done once, after the last one committed."""
        if self.pending:
            self._reload_wanted = True
            return
        self._read()

    def _read(self) -> None:
        self._reload_wanted = False
        with self._ws.session() as session:
            visit = get_visit(session, self.visit_id)
            rows = roll_call_rows(session, self.visit_id)
        self._day = (visit.arrived_at or visit.started_at).astimezone(VN_TZ).date()
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        self.totals = totals_of(rows)
        self.totals_changed.emit(self.totals)

    def _replace(self, stored: RollCall) -> None:
        row = self.row_of(stored.id)
        if row < 0:
            self._reload_wanted = True
            return
        self._rows[row] = stored
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.totals = totals_of(self._rows)
        self.totals_changed.emit(self.totals)

    def set_read_only(self, flag: bool) -> None:
        """Signed visits: no cell editable, every write refused before it is queued."""
        self.read_only = flag
        if self._rows:  # the flags changed
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def row_at(self, row: int) -> RollCall | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: uuid.UUID) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == row_id), -1)

    # --- writing -------------------------------------------------------------------------------

    def write(self, row: int, **fields: Any) -> bool:
        """Record the given columns of one row (keywords of ``record_roll_call``)."""
        target = self.row_at(row)
        if target is None or self.read_only:
            return False
        row_id = target.id
        for name, value in fields.items():
            self._requested[(row_id, name)] = value
        editor, visit_id = self._ws.editor, self.visit_id

        def job(session: Session) -> RollCall:
            stored = record_roll_call(session, editor, row_id=row_id, **fields)
            session.flush()
            fill_auto_answers(session, editor, visit_id=visit_id)  # the checklist counts follow
            return stored  # kept loaded after the commit (expire_on_commit=False)

        self._submit(job)
        return True

    def set_status(self, row: int, status: str | None) -> bool:
        """ "Late" with no arrival time yet takes the time now; the core computes the minutes."""
        target = self.row_at(row)
        if status == AttendanceStatus.LATE and target is not None and target.arrival_at is None:
            return self.write(row, status=status, arrival_at=self._clock())
        return self.write(row, status=status)

    def cycle(self, row: int, key: str) -> bool:
        """Next common answer of the column a letter key stands for (T, A, B, D)."""
        col, values = CYCLE_KEYS[key]
        target = self.row_at(row)
        if target is None:
            return False
        name = FIELDS[col]
        current = self._requested.get((target.id, name), getattr(target, name))
        following = values[(values.index(current) + 1) % len(values)] if current in values else values[0]
        return self.write(row, **{name: following})

    def arrived_now(self, row: int) -> bool:
        return self.write(row, arrival_at=self._clock())

    def add_person(self, full_name: str, position: str, kind: str, on_added: Callable[[int], None]) -> None:
        editor, visit_id = self._ws.editor, self.visit_id

        def job(session: Session) -> uuid.UUID:
            added = add_person(
                session, editor, visit_id=visit_id, full_name=full_name, position=position, kind=kind
            )
            session.flush()
            fill_auto_answers(session, editor, visit_id=visit_id)
            return added.id

        def added(row_id: uuid.UUID) -> None:
            self._read()  # a new row: the list itself changed
            on_added(self.row_of(row_id))

        self._submit(job, then=added)

    def attach_evidence(self, row: int, path: Path) -> bool:
        """Downscale (off the GUI thread), store the photo, point the row's evidence at it."""
        target = self.row_at(row)
        if target is None or self.read_only:
            return False
        row_id, editor, store = target.id, self._ws.editor, self._ws.attachments
        self.pending += 1
        self.saving.emit(self.pending)

        def prepared(payload: tuple[bytes, str, int | None, int | None]) -> None:
            data, mime, width, height = payload

            def job(session: Session) -> RollCall:
                photo = store_attachment(
                    session, editor, store, data=data, mime=mime, original_name=path.name, width=width,
                    height=height,
                )  # fmt: skip
                session.flush()
                return record_roll_call(session, editor, row_id=row_id, evidence_id=photo.id)

            self.pending -= 1  # counted again by _submit
            self._submit(job)

        def unreadable(exc: BaseException) -> None:
            self.pending -= 1
            self.saving.emit(self.pending)
            self.failed.emit(_("The photo could not be read: {problem}").format(problem=exc))

        self._tasks.run(lambda: evidence_payload(path), on_done=prepared, on_error=unreadable)
        return True

    def _submit(self, job: Callable[[Session], Any], then: Callable[[Any], None] | None = None) -> None:
        self.pending += 1
        self.saving.emit(self.pending)

        def done(result: Any) -> None:
            self._settle(result if isinstance(result, RollCall) else None)
            if then is not None:
                then(result)

        def refused(exc: BaseException) -> None:
            self._reload_wanted = True  # show again what the database holds
            self._settle(None)
            self.failed.emit(str(exc))

        self._tasks.write(job, on_done=done, on_error=refused)

    def _settle(self, stored: RollCall | None) -> None:
        self.pending -= 1
        if stored is not None:
            self._replace(stored)
        if self.pending == 0:
            self._requested.clear()
            if self._reload_wanted:
                self.reload()
        self.saving.emit(self.pending)
        self.saved.emit()

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section]) if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        editable = index.isValid() and index.column() in FIELDS and index.column() != COL_EVIDENCE
        if editable and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1) if col == COL_NO else self._display(row, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_ARRIVAL:
                return row.arrival_at.astimezone(VN_TZ).strftime("%H:%M") if row.arrival_at else ""
            return getattr(row, FIELDS[col]) if col in FIELDS else None
        if role == ValueRole:
            return getattr(row, FIELDS[col]) if col in FIELDS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            value = getattr(row, FIELDS[col]) if col in CHOICES else None
            return QColor("#c62828") if value in _BAD or (col == COL_LATE and row.minutes_late) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_NO, COL_ARRIVAL, COL_LATE):
            return Qt.AlignmentFlag.AlignCenter
        if role == RowRole:
            return row
        if role == RowIdRole:
            return row.id
        return None

    def _display(self, row: RollCall, col: int) -> str:
        if col == COL_NAME:
            return row.full_name
        if col == COL_POSITION:
            return row.position
        if col in CHOICES:
            return choice_label(col, getattr(row, FIELDS[col]))
        if col == COL_ARRIVAL:
            return row.arrival_at.astimezone(VN_TZ).strftime("%H:%M") if row.arrival_at else ""
        if col == COL_LATE:
            return str(row.minutes_late) if row.minutes_late else ""
        if col == COL_EVIDENCE:
            return _("Photo") if row.evidence_id else ""
        if col == COL_REASON:
            return row.reason or ""
        if col == COL_NOTE:
            return row.note or ""
        return ""

    def _tooltip(self, row: RollCall, col: int) -> str | None:
        if col in (COL_NAME, COL_POSITION):
            return " — ".join(p for p in (row.full_name, row.position, row.department) if p)
        if col == COL_STATUS:
            return _("Keys 1–7 set the attendance and move to the next person")
        if col == COL_ARRIVAL:
            return _("G: arrived now. F2: type the time (HH:MM)")
        if col == COL_LATE:
            return _("Computed from the working hours in force that day")
        keys = {COL_BADGE: "T", COL_DRESS: "A", COL_PLATE: "B", COL_ATTITUDE: "D"}
        if col in keys:
            return _("Key {key} switches between the common answers").format(key=keys[col])
        if col == COL_EVIDENCE:
            return _("P: attach a photo of the document (travel order, leave request…)")
        return self._display(row, col) or None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        col = index.column()
        if col not in FIELDS or col == COL_EVIDENCE:
            return False
        if col in CHOICES:
            value = value or None
            if value is not None and value not in CHOICES[col]:
                return False
        elif col == COL_ARRIVAL:
            parsed = self.parse_arrival(value)
            if parsed is False:
                return False
            value = parsed
        else:
            value = str(value or "").strip() or None
        row = self.row_at(index.row())
        if row is not None and getattr(row, FIELDS[col]) == value:
            return True  # nothing changed: no write, no audit entry
        if col == COL_STATUS:
            return self.set_status(index.row(), value)
        return self.write(index.row(), **{FIELDS[col]: value})

    def parse_arrival(self, value: Any) -> dt.datetime | bool | None:
        """An aware time on the visit's day (Vietnam clock), None to clear, False if unreadable."""
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
        text = str(value or "").strip().replace("h", ":").replace(".", ":")
        if not text:
            return None
        try:
            hour, _sep, minute = text.partition(":")
            clock = dt.time(int(hour), int(minute or 0))
        except ValueError:
            return False
        return dt.datetime.combine(self._day, clock, tzinfo=VN_TZ)
