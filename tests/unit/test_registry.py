"""The office desk's registry: finding units, editing officials (stamped, audited, refused for units
that no longer exist) and the ``units list`` / ``officials list`` command-line contract."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any

import pytest
from sqlmodel import col, select

from inspector_app.core.db import session_scope
from inspector_app.core.models import AuditEntry, Official, Unit
from inspector_app.core.registry.officials import add_official, edit_official, mark_left, move_official
from inspector_app.core.registry.units import UnitClosed, find_unit, list_officials, list_units
from inspector_app.core.services import audit
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.services.search import search_officials
from inspector_app.core.workspace import Workspace

XA, WARD, ENDED = "HT-XA-THACH-KHE", "HT-PHUONG-THANH-SEN", "HT-THI-TRAN-THACH-HA"


def _last_audit(ws: Workspace) -> AuditEntry:
    with ws.session() as s:
        entry = s.exec(select(AuditEntry).order_by(col(AuditEntry.updated_at).desc())).first()
        assert entry is not None
        return entry


def test_find_unit_by_code_or_id(demo_ws: Workspace) -> None:
    with demo_ws.session() as s:
        unit = find_unit(s, " ht-xa-thach-khe ")
        assert unit.name == "UBND xã Thạch Khê"
        assert find_unit(s, str(unit.id)).code == XA
        with pytest.raises(NotFound, match="Không có đơn vị nào có mã hoặc id HT-NOWHERE"):
            find_unit(s, "HT-NOWHERE")
        all_units, current = list_units(s), list_units(s, current_only=True, today=dt.date(2026, 1, 1))
        assert {u.code for u in all_units} - {u.code for u in current} == {
            "HT-HUYEN-THACH-HA",
            "HT-THI-TRAN-THACH-HA",
            "HT-XA-THACH-HAI",
        }


def test_add_edit_move_and_mark_left(demo_ws: Workspace) -> None:
    ws, editor = demo_ws, demo_ws.editor
    with ws.session() as s:
        xa, ward = find_unit(s, XA), find_unit(s, WARD)
        roster = len(list_officials(s, xa.id))
    with session_scope(ws.engine) as s:
        added = add_official(
            s,
            editor,
            unit_id=xa.id,
            full_name=unicodedata.normalize("NFD", "  Lê   Thị Thu  Hà "),
            position=" Chuyên viên ",
            kind="cong_chuc",
            department="Phòng Kinh tế",
            gender="nu",
            birth_date=dt.date(1994, 2, 3),
        )
    assert added.full_name == "Lê Thị Thu Hà" and added.position == "Chuyên viên"
    assert added.search_key == "le thi thu ha" and added.sort_order == roster + 1
    assert added.dirty and added.updated_at.endswith(editor.device_id)
    assert _last_audit(ws).action == "official.add"
    with ws.session() as s:
        assert [o.id for o in search_officials(s, "le thi thu ha", unit_id=xa.id)] == [added.id]

    stamp = added.updated_at
    with session_scope(ws.engine) as s:
        edited = edit_official(s, editor, added.id, position="Công chức Tài chính - Kế toán", birth_date=None)
    assert edited.position == "Công chức Tài chính - Kế toán" and edited.birth_date is None
    assert edited.updated_at > stamp
    entry = _last_audit(ws)
    assert entry.action == "official.edit"
    assert json.loads(entry.detail) == {
        "birth_date": ["1994-02-03", None],
        "position": ["Chuyên viên", "Công chức Tài chính - Kế toán"],
    }
    n = entry.n
    with session_scope(ws.engine) as s:  # nothing differs: nothing stamped, nothing audited
        edit_official(s, editor, added.id, department="Phòng Kinh tế")
    assert _last_audit(ws).n == n

    with session_scope(ws.engine) as s:
        moved = move_official(
            s, editor, added.id, to_unit_id=ward.id, department="Phòng Kinh tế, Hạ tầng và Đô thị"
        )
    assert moved.unit_id == ward.id and moved.department == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert json.loads(_last_audit(ws).detail)["to_unit_id"] == str(ward.id)

    with session_scope(ws.engine) as s:
        left = mark_left(s, editor, added.id, left_on=dt.date(2026, 6, 30))
    assert left.left_on == dt.date(2026, 6, 30) and _last_audit(ws).action == "official.left"
    with ws.session() as s:
        still = list_officials(s, ward.id, include_left=False, today=dt.date(2026, 7, 1))
        assert added.id not in {o.id for o in still}
        assert added.id in {o.id for o in list_officials(s, ward.id)}
        assert audit.verify(s) == []


def test_bad_input_is_refused(demo_ws: Workspace) -> None:
    with demo_ws.session() as s:
        xa = find_unit(s, XA)
        with pytest.raises(InvalidInput, match="không được để trống"):
            add_official(
                s, demo_ws.editor, unit_id=xa.id, full_name="  ", position="Chuyên viên", kind="cong_chuc"
            )
        with pytest.raises(InvalidInput, match="Loại đối tượng không hợp lệ"):
            add_official(s, demo_ws.editor, unit_id=xa.id, full_name="A B", position="C", kind="thu_tuong")
        official = s.exec(select(Official).where(Official.unit_id == xa.id)).first()
        assert official is not None
        with pytest.raises(InvalidInput, match="đã công tác tại"):
            move_official(s, demo_ws.editor, official.id, to_unit_id=xa.id)


def test_a_unit_that_no_longer_exists_takes_no_edits(demo_ws: Workspace) -> None:
    with session_scope(demo_ws.engine) as s:
        ended = find_unit(s, ENDED)
        xa = find_unit(s, XA)
        # An official registered before the merger (as the office's history would hold).
        s.add(Official(unit_id=ended.id, full_name="Trần Văn Cũ", position="Chủ tịch UBND", kind="can_bo"))
    with demo_ws.session() as s:
        old = s.exec(select(Official).where(Official.unit_id == ended.id)).one()
        message = "Đơn vị UBND thị trấn Thạch Hà không còn tồn tại (chấm dứt ngày 30/06/2025); hãy sửa ở đơn vị kế thừa UBND xã Thạch Hà."
        with pytest.raises(UnitClosed) as refused:
            edit_official(s, demo_ws.editor, old.id, position="Phó Chủ tịch UBND")
        assert str(refused.value) == message
        with pytest.raises(UnitClosed):
            add_official(s, demo_ws.editor, unit_id=ended.id, full_name="A B", position="C", kind="can_bo")
        with pytest.raises(UnitClosed):
            mark_left(s, demo_ws.editor, old.id, left_on=dt.date(2025, 6, 30))
        newcomer = s.exec(select(Official).where(Official.unit_id == xa.id)).first()
        assert newcomer is not None
        with pytest.raises(UnitClosed, match="không còn tồn tại"):
            move_official(s, demo_ws.editor, newcomer.id, to_unit_id=ended.id)
        # Before it ended the unit took edits: the rule is about the day of the edit.
        edit_official(s, demo_ws.editor, old.id, position="Phó Chủ tịch UBND", today=dt.date(2025, 6, 1))
        s.rollback()


def _wired(result: Any) -> Any:
    assert "invalid choice" not in result.stderr, "cli.py must register the registry commands"
    return result


def test_cli_units_and_officials_lists(demo_ws: Workspace, cli: Any) -> None:
    data = str(demo_ws.data_dir)
    units = _wired(cli("--data-dir", data, "units", "list", "--json"))
    assert units.returncode == 0, units.stderr
    rows = {u["code"]: u for u in json.loads(units.stdout)}
    with demo_ws.session() as s:
        assert len(rows) == len(s.exec(select(Unit.id)).all())
    assert rows[XA] | {"id": "?"} == {
        "id": "?",
        "code": XA,
        "name": "UBND xã Thạch Khê",
        "proper_name": "Thạch Khê",
        "type": "xa",
        "parent_code": "HT",
        "address": "xã Thạch Khê, tỉnh Hà Tĩnh",
        "valid_from": "2025-07-01",
        "valid_to": None,
        "successor_code": None,
        "current": True,
    }
    assert rows[ENDED]["valid_to"] == "2025-06-30" and rows[ENDED]["successor_code"] == "HT-XA-THACH-HA"
    assert rows[ENDED]["current"] is False

    people = cli("--data-dir", data, "officials", "list", "--unit", rows[XA]["id"], "--json")
    assert people.returncode == 0, people.stderr
    listed = json.loads(people.stdout)
    with demo_ws.session() as s:
        expected = list_officials(s, find_unit(s, XA).id)
    assert [p["id"] for p in listed] == [str(o.id) for o in expected]
    first = listed[0]
    assert set(first) >= {
        "id",
        "full_name",
        "position",
        "department",
        "kind",
        "birth_date",
        "left_on",
        "gender",
    }
    assert (
        first["full_name"] == expected[0].full_name
        and first["birth_date"] == expected[0].birth_date.isoformat()
    )

    text = cli("--data-dir", data, "officials", "list", "--unit", XA.lower())
    assert text.returncode == 0 and f"{len(expected)} người." in text.stdout

    missing = cli("--data-dir", data, "officials", "list", "--unit", "KHONG-CO")
    assert missing.returncode == 1 and "Không có đơn vị nào có mã hoặc id KHONG-CO" in missing.stderr
    assert "Traceback" not in missing.stderr
