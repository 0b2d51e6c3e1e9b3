"""The roll call: the table model with no window (rows, columns, roles, writes read back from the
database, totals), then the keyboard — what is STORED after each key, read with a fresh Session."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.ids import answer_id
from inspector_app.core.models import Answer, Attachment, FormVersion, RollCall, Unit
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.services.visits import start_visit
from inspector_app.core.workspace import Workspace
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.roll_call_model import (
    COL_ARRIVAL,
    COL_BADGE,
    COL_EVIDENCE,
    COL_LATE,
    COL_NAME,
    COL_PLATE,
    COL_STATUS,
    COLUMNS,
    RollCallModel,
    RowIdRole,
    ValueRole,
)
from inspector_app.ui.visit.roll_call_view import RollCallView

Display = Qt.ItemDataRole.DisplayRole
# 30 November 2026 (winter hours: the morning starts at 07:30), the team arrives at 07:20.
ARRIVED = dt.datetime(2026, 11, 30, 7, 20, tzinfo=VN_TZ)
LATE_CLOCK = dt.datetime(2026, 11, 30, 7, 52, tzinfo=VN_TZ)  # 22 minutes late


def start_at(ws: Workspace, unit_name: str, form_code: str = "kiem-tra-cong-vu-dot-xuat") -> uuid.UUID:
    with session_scope(ws.engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == unit_name)).one()
        form = session.exec(select(FormVersion).where(FormVersion.code == form_code)).one()
        return start_visit(session, ws.editor, unit_id=unit.id, form_id=form.id, arrived_at=ARRIVED).id


def stored(ws: Workspace, visit_id: uuid.UUID) -> list[RollCall]:
    """The rows as the database holds them, read with a brand-new session."""
    with Session(ws.engine) as session:
        return list(
            session.exec(
                select(RollCall).where(RollCall.visit_id == visit_id).order_by(RollCall.sort_order)  # type: ignore[arg-type]
            ).all()
        )


@pytest.fixture
def visit_id(demo_ws: Workspace) -> uuid.UUID:
    return start_at(demo_ws, "UBND xã Thạch Lạc")  # 30 officials


@pytest.fixture
def model(demo_ws: Workspace, visit_id: uuid.UUID) -> RollCallModel:
    m = RollCallModel(demo_ws, Tasks(demo_ws.engine, synchronous=True), visit_id, clock=lambda: LATE_CLOCK)
    m.reload()
    return m


def test_rows_columns_and_roles(model: RollCallModel, demo_ws: Workspace, visit_id: uuid.UUID) -> None:
    rows = stored(demo_ws, visit_id)
    assert model.rowCount() == len(rows) == 30
    assert model.columnCount() == len(COLUMNS) == 13
    headers = [model.headerData(c, Qt.Orientation.Horizontal, Display) for c in range(13)]
    assert headers[:4] == ["STT", "Họ và tên", "Chức vụ, chức danh", "Tình trạng"]
    assert "Đeo thẻ" in headers and "Biển tên" in headers and "Thái độ" in headers
    assert model.data(model.index(0, 0), Display) == "1"
    assert model.data(model.index(0, COL_NAME), Display) == rows[0].full_name
    assert model.data(model.index(0, COL_NAME), RowIdRole) == rows[0].id
    assert model.data(model.index(0, COL_STATUS), Display) == ""
    assert model.data(model.index(0, COL_STATUS), ValueRole) is None
    assert model.flags(model.index(0, COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, COL_NAME)) & Qt.ItemFlag.ItemIsEditable
    assert model.totals.total == 30 and model.totals.unmarked == 30


def test_model_is_consistent(model: RollCallModel, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(model)


def test_set_data_is_written_then_read_back(
    model: RollCallModel, demo_ws: Workspace, visit_id: uuid.UUID
) -> None:
    totals: list[object] = []
    model.totals_changed.connect(totals.append)
    assert model.setData(model.index(0, COL_STATUS), "co_mat")
    assert model.setData(model.index(1, COL_ARRIVAL), "8:05")  # 35 minutes after 07:30
    assert model.setData(model.index(2, COL_BADGE), "khong_deo")
    assert model.setData(model.index(3, COL_PLATE), "khong")
    assert not model.setData(model.index(4, COL_STATUS), "ngu_gat")  # not a status: refused
    assert not model.setData(model.index(4, COL_ARRIVAL), "sáng")

    rows = stored(demo_ws, visit_id)
    assert rows[0].status == "co_mat"
    assert rows[1].status == "di_muon" and rows[1].minutes_late == 35  # the core judged it late
    assert rows[1].arrival_at == dt.datetime(2026, 11, 30, 1, 5, tzinfo=dt.UTC)
    assert (rows[2].badge, rows[3].name_plate, rows[4].status) == ("khong_deo", "khong", None)
    # What is shown is what was read back.
    assert model.data(model.index(0, COL_STATUS), Display) == "Có mặt"
    assert model.data(model.index(1, COL_STATUS), Display) == "Đi muộn"
    assert model.data(model.index(1, COL_ARRIVAL), Display) == "08:05"
    assert model.data(model.index(1, COL_LATE), Display) == "35"
    assert model.data(model.index(2, COL_BADGE), Display) == "Không đeo"
    assert model.data(model.index(2, COL_BADGE), Qt.ItemDataRole.ForegroundRole) == QColor("#c62828")
    t = model.totals
    assert (t.total, t.present, t.late, t.no_badge, t.no_name_plate, t.unmarked) == (30, 1, 1, 1, 1, 28)
    assert totals[-1] == t
    # The totals feed the checklist's automatic counts (B1 tổng số, B3 đi muộn, C1 không đeo thẻ).
    with Session(demo_ws.engine) as session:
        for code, value in (("B1", "30"), ("B3", "1"), ("C1", "1"), ("C4", "1")):
            answer = session.get(Answer, answer_id(visit_id, code))
            assert answer is not None and answer.value == value, code


def test_a_refused_write_is_reported_and_nothing_shown(model: RollCallModel, demo_ws: Workspace) -> None:
    messages: list[str] = []
    model.failed.connect(messages.append)
    assert model.write(0, badge="sai")  # queued: the core refuses it
    assert messages and "sai" in messages[0]
    assert model.data(model.index(0, COL_BADGE), Display) == ""
    assert model.pending == 0


def test_add_person_not_in_the_registry(
    model: RollCallModel, demo_ws: Workspace, visit_id: uuid.UUID
) -> None:
    added: list[int] = []
    model.add_person("Trần Văn Mới", "Bảo vệ", "nguoi_lao_dong", on_added=added.append)
    assert model.rowCount() == 31 and added == [30]
    row = stored(demo_ws, visit_id)[-1]
    assert (row.full_name, row.position, row.official_id, row.kind) == (
        "Trần Văn Mới",
        "Bảo vệ",
        None,
        "nguoi_lao_dong",
    )
    assert model.totals.total == 31


def test_evidence_photo_is_stored_and_linked(
    model: RollCallModel, demo_ws: Workspace, visit_id: uuid.UUID, tmp_path: Path
) -> None:
    picture = tmp_path / "giay-di-duong.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    assert image.save(str(picture))
    assert model.attach_evidence(5, picture)
    row = stored(demo_ws, visit_id)[5]
    assert row.evidence_id is not None
    with Session(demo_ws.engine) as session:
        photo = session.get(Attachment, row.evidence_id)
        assert photo is not None and photo.mime.startswith("image/")
    assert model.data(model.index(5, COL_EVIDENCE), Display) == "Ảnh"


# --- the keyboard ------------------------------------------------------------------------------

KEYS = {str(n): getattr(Qt.Key, f"Key_{n}") for n in range(1, 8)} | {
    k: getattr(Qt.Key, f"Key_{k}") for k in "TABDG"
}
STATUS_OF = {
    "1": "co_mat",
    "2": "di_muon",
    "3": "vang_co_ly_do",
    "4": "vang_khong_ly_do",
    "5": "di_cong_tac",
    "6": "nghi_phep_om",
    "7": "khong_ro_ly_do",
}


@pytest.fixture
def view(demo_ws: Workspace, visit_id: uuid.UUID, qtbot) -> RollCallView:  # type: ignore[no-untyped-def]
    v = RollCallView(demo_ws, Tasks(demo_ws.engine, synchronous=True), visit_id)
    v.model._clock = lambda: LATE_CLOCK  # "now" for the late arrivals
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.show()
    v.table.setFocus()
    return v


def test_thirty_officials_marked_from_the_keyboard(
    view: RollCallView, demo_ws: Workspace, visit_id: uuid.UUID, qtbot
) -> None:  # type: ignore[no-untyped-def]
    # Per person: letters first (they stay on the person), then the status digit (moves on).
    plan = ["1", "T1", "2", "1", "B1", "4", "3", "5", "6", "7"] * 3
    for keys in plan:
        for key in keys:
            qtbot.keyClick(view.table, KEYS[key])
    assert view.table.currentIndex().row() == 29  # stayed on the last person

    rows = stored(demo_ws, visit_id)
    assert [r.status for r in rows] == [STATUS_OF[k[-1]] for k in plan]
    for row, keys in zip(rows, plan, strict=True):
        assert row.badge == ("co" if "T" in keys else "khong_ap_dung" if keys in "34567" else None)
        assert row.name_plate == ("co" if "B" in keys else None)
        if keys == "2":
            assert row.arrival_at == LATE_CLOCK.astimezone(dt.UTC) and row.minutes_late == 22
        else:
            assert row.arrival_at is None
    totals = view.model.totals
    assert (totals.present, totals.late, totals.absent_with_reason, totals.absent_without_reason) == (
        12,
        3,
        9,
        6,
    )
    assert view.total_labels["late"].text() == "Đi muộn: <b>3</b>"
    assert view.status.text().startswith("Đã lưu")


def test_letter_keys_toggle_and_stay_on_the_person(
    view: RollCallView, demo_ws: Workspace, visit_id: uuid.UUID, qtbot
) -> None:  # type: ignore[no-untyped-def]
    for key in "TTT":  # Có → Không đeo → Có
        qtbot.keyClick(view.table, KEYS[key])
    qtbot.keyClick(view.table, KEYS["T"])
    qtbot.keyClick(view.table, KEYS["A"])
    qtbot.keyClick(view.table, KEYS["A"])  # Đạt → Chưa đạt
    qtbot.keyClick(view.table, KEYS["D"])
    qtbot.keyClick(view.table, KEYS["G"])  # arrived now: late by the schedule
    assert view.table.currentIndex().row() == 0
    row = stored(demo_ws, visit_id)[0]
    assert (row.badge, row.dress, row.attitude) == ("khong_deo", "chua_dat", "tot")
    assert (row.status, row.minutes_late) == ("di_muon", 22)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, KEYS["1"])
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    view.table.go_to(1, COL_STATUS)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)  # clears the status again
    assert stored(demo_ws, visit_id)[1].status is None


def test_legend_and_tooltips_name_the_keys(view: RollCallView) -> None:
    text = view.legend.text()
    for part in ("<b>1</b> Có mặt", "<b>2</b> Đi muộn", "<b>4</b> Vắng không lý do", "<b>T</b> đeo thẻ"):
        assert part in text
    assert view.legend.isVisible()
    tip = view.model.data(view.model.index(0, COL_BADGE), Qt.ItemDataRole.ToolTipRole)
    assert "T" in tip


def test_read_only_refuses_every_key(
    view: RollCallView, demo_ws: Workspace, visit_id: uuid.UUID, qtbot
) -> None:  # type: ignore[no-untyped-def]
    view.set_read_only(True)
    for key in ("1", "2", "T", "B", "G"):
        qtbot.keyClick(view.table, KEYS[key])
    assert not view.model.setData(view.model.index(0, COL_STATUS), "co_mat")
    assert not view.model.flags(view.model.index(0, COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    assert not view.add_button.isEnabled()
    assert all(r.status is None and r.badge is None for r in stored(demo_ws, visit_id))


def test_saved_only_after_the_commit(demo_ws: Workspace, visit_id: uuid.UUID, qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(demo_ws.engine)  # the real background writer
    view = RollCallView(demo_ws, tasks, visit_id)
    qtbot.addWidget(view)
    view.show()
    view.table.setFocus()
    with qtbot.waitSignal(view.model.saved, timeout=10_000):
        qtbot.keyClick(view.table, Qt.Key.Key_1)
        assert view.status.text() == "Đang lưu…"  # the commit has not been heard of yet
        assert view.model.data(view.model.index(0, COL_STATUS), Display) == ""
    assert view.model.data(view.model.index(0, COL_STATUS), Display) == "Có mặt"
    assert view.status.text().startswith("Đã lưu")
    assert stored(demo_ws, visit_id)[0].status == "co_mat"
    tasks.wait_idle()
