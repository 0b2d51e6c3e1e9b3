"""The office desk's unit edits (add, edit, close with a successor, reopen), the merger history read
from the registry, and loading a checklist form version from a file."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from sqlmodel import col, select

from inspector_app.core.db import session_scope
from inspector_app.core.models import AuditEntry, FormVersion, Unit
from inspector_app.core.registry.forms_load import list_form_versions, read_form_file, register_form_file
from inspector_app.core.registry.officials import add_official
from inspector_app.core.registry.unit_edits import (
    add_unit,
    close_unit,
    edit_unit,
    reopen_unit,
    suggest_code,
    suggest_name,
)
from inspector_app.core.registry.units import UnitClosed, find_unit, predecessors, successor_chain
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.workspace import Workspace
from inspector_app.paths import shipped

TODAY = dt.date(2026, 12, 1)


def _last_audit(ws: Workspace) -> AuditEntry:
    with ws.session() as s:
        entry = s.exec(select(AuditEntry).order_by(col(AuditEntry.updated_at).desc())).first()
        assert entry is not None
        return entry


def _unit(ws: Workspace, code: str) -> Unit:
    with ws.session() as s:
        return find_unit(s, code)


def test_suggestions_follow_the_naming_pattern() -> None:
    assert suggest_name("xa", " Thạch  Khê ", "UBND tỉnh Hà Tĩnh") == "UBND xã Thạch Khê"
    assert suggest_name("phuong", "Thành Sen", None) == "UBND phường Thành Sen"
    assert (
        suggest_name("tt_pvhcc", "", "UBND xã Thạch Khê") == "Trung tâm Phục vụ hành chính công xã Thạch Khê"
    )
    assert suggest_name("so", "Tư pháp", "UBND tỉnh Hà Tĩnh") == "Sở Tư pháp tỉnh Hà Tĩnh"
    assert suggest_name("phong", "Tư pháp", "UBND xã Thạch Khê") == ""
    assert suggest_code("HT", "xa", "Thạch Khê") == "HT-XA-THACH-KHE"
    assert suggest_code("HT-XA-THACH-KHE", "tt_pvhcc", "Thạch Khê") == "HT-XA-THACH-KHE-TTPVHCC"
    assert suggest_code("HT", "dac_khu", "Đảo Mới") == "HT-DAC-KHU-DAO-MOI"


def test_add_and_edit_a_unit(demo_ws: Workspace) -> None:
    ws, editor = demo_ws, demo_ws.editor
    province = _unit(ws, "HT")
    with session_scope(ws.engine) as s:
        row = add_unit(
            s,
            editor,
            code=" HT-XA-KY-HOA ",
            name=unicodedata.normalize("NFD", " UBND  xã Kỳ Hoa "),
            proper_name="Kỳ Hoa",
            unit_type="xa",
            parent_id=province.id,
            address="xã Kỳ Hoa, tỉnh Hà Tĩnh",
            valid_from=dt.date(2025, 7, 1),
        )
        unit_id = row.id
    added = _unit(ws, "ht-xa-ky-hoa")
    assert (added.id, added.name, added.search_key, added.dirty) == (
        unit_id,
        "UBND xã Kỳ Hoa",
        "ubnd xa ky hoa",
        True,
    )
    entry = _last_audit(ws)
    assert (entry.action, entry.entity_id) == ("unit.add", str(unit_id))
    assert json.loads(entry.detail)["code"] == "HT-XA-KY-HOA"

    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="Mã HT-XA-THACH-KHE đã được dùng"):
        add_unit(s, editor, code="ht-xa-thach-khe", name="UBND xã X", proper_name="X", unit_type="xa")
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="Loại đơn vị không hợp lệ"):
        add_unit(s, editor, code="HT-X", name="X", proper_name="X", unit_type="lang")
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="Tên trên văn bản"):
        add_unit(s, editor, code="HT-X", name="  ", proper_name="X", unit_type="xa")

    before = added.updated_at
    with session_scope(ws.engine) as s:
        edit_unit(s, editor, unit_id, name="UBND xã Kỳ Hoa", address="xã Kỳ Hoa, tỉnh Hà Tĩnh")  # no change
    assert _unit(ws, "HT-XA-KY-HOA").updated_at == before
    with session_scope(ws.engine) as s:
        edit_unit(s, editor, unit_id, name="UBND xã Kỳ Hoa Mới", code="HT-XA-KY-HOA-MOI")
    assert _unit(ws, "HT-XA-KY-HOA-MOI").search_key == "ubnd xa ky hoa moi"
    assert json.loads(_last_audit(ws).detail)["code"] == ["HT-XA-KY-HOA", "HT-XA-KY-HOA-MOI"]
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="trực thuộc chính nó"):
        edit_unit(s, editor, province.id, parent_id=unit_id)  # the province under its own commune


def test_close_with_a_successor_and_read_the_history(demo_ws: Workspace) -> None:
    ws, editor = demo_ws, demo_ws.editor
    old, new = _unit(ws, "HT-XA-THIEN-CAM"), _unit(ws, "HT-XA-CAM-XUYEN")
    last = dt.date(2026, 11, 30)
    with session_scope(ws.engine) as s:
        add_official(
            s, editor, unit_id=old.id, full_name="Lê Văn Cầm", position="Chuyên viên", kind="cong_chuc"
        )
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="không thể kế thừa chính nó"):
        close_unit(s, editor, old.id, last_day=last, successor_id=old.id)
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="trước ngày đơn vị thành lập"):
        close_unit(s, editor, old.id, last_day=dt.date(2025, 1, 1), successor_id=new.id)
    ended = _unit(ws, "HT-THI-TRAN-THACH-HA")  # ended 30/06/2025
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="cũng chấm dứt hoạt động"):
        close_unit(s, editor, old.id, last_day=last, successor_id=ended.id)

    with session_scope(ws.engine) as s:
        close_unit(s, editor, old.id, last_day=last, successor_id=new.id)
    closed = _unit(ws, "HT-XA-THIEN-CAM")
    assert (closed.valid_to, closed.successor_id, closed.dirty) == (last, new.id, True)
    entry = _last_audit(ws)
    assert entry.action == "unit.close"
    assert json.loads(entry.detail)["successor_id"] == [None, str(new.id)]

    with ws.session() as s:
        assert [(d, u.code) for d, u in predecessors(s, new.id)] == [(1, "HT-XA-THIEN-CAM")]
        assert [u.code for u in successor_chain(s, old.id)] == ["HT-XA-CAM-XUYEN"]
        # the demo's own merger: thị trấn Thạch Hà → xã Thạch Hà; xã Thạch Hải → xã Thạch Khê
        assert [u.code for _d, u in predecessors(s, find_unit(s, "HT-XA-THACH-KHE").id)] == [
            "HT-XA-THACH-HAI"
        ]

    with session_scope(ws.engine) as s, pytest.raises(UnitClosed):
        edit_unit(s, editor, old.id, name="UBND xã Thiên Cầm cũ")
    with session_scope(ws.engine) as s, pytest.raises(UnitClosed):
        close_unit(s, editor, old.id, last_day=last, successor_id=new.id)

    with session_scope(ws.engine) as s:
        reopen_unit(s, editor, old.id)
    reopened = _unit(ws, "HT-XA-THIEN-CAM")
    assert (reopened.valid_to, reopened.successor_id) == (None, None)
    assert _last_audit(ws).action == "unit.reopen"


def test_a_two_step_merger_reads_as_a_chain(demo_ws: Workspace) -> None:
    ws, editor = demo_ws, demo_ws.editor
    khe, lac = _unit(ws, "HT-XA-THACH-KHE"), _unit(ws, "HT-XA-THACH-LAC")
    with session_scope(ws.engine) as s:
        close_unit(s, editor, khe.id, last_day=dt.date(2026, 6, 30), successor_id=lac.id)
    with ws.session() as s:
        # Thạch Hải went into Thạch Khê in 2025, Thạch Khê into Thạch Lạc in 2026
        assert [(d, u.code) for d, u in predecessors(s, lac.id)] == [
            (1, "HT-XA-THACH-KHE"),
            (2, "HT-XA-THACH-HAI"),
        ]
        hai = find_unit(s, "HT-XA-THACH-HAI")
        assert [u.code for u in successor_chain(s, hai.id)] == ["HT-XA-THACH-KHE", "HT-XA-THACH-LAC"]


def test_a_merger_cannot_run_in_a_circle(demo_ws: Workspace) -> None:
    ws, editor = demo_ws, demo_ws.editor
    a, b = _unit(ws, "HT-XA-DONG-LOC"), _unit(ws, "HT-XA-CAN-LOC")
    with session_scope(ws.engine) as s:  # announced for the end of next year
        close_unit(s, editor, a.id, last_day=dt.date(2027, 12, 31), successor_id=b.id)
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="đã được sáp nhập vào"):
        close_unit(s, editor, b.id, last_day=TODAY, successor_id=a.id)


BROKEN_FORM = """\
code: thu-nghiem
version: 1
title: Phiếu thử
sections:
  - code: A
    title: Mục A
    items:
      - code: A1
        label: Câu hỏi: có dấu hai chấm
        type: yes_no
\tbad: tab
"""


def test_read_a_form_file_reports_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "phieu.yaml"
    broken.write_text(BROKEN_FORM, encoding="utf-8")
    read = read_form_file(broken)
    assert read.spec is None and read.issues
    assert all(i.line > 0 for i in read.issues)
    assert str(read.issues[0]).startswith(f"{broken}:")
    missing = read_form_file(tmp_path / "khong-co.yaml")
    assert missing.spec is None and "không tìm thấy" in missing.issues[0].message.lower()


def test_register_a_new_version_once(workspace: Workspace, tmp_path: Path) -> None:
    source = shipped("forms/surprise_civil_service.yaml").read_text(encoding="utf-8")
    path = tmp_path / "v2.yaml"
    path.write_text(source.replace("version: 1\n", "version: 2\n", 1), encoding="utf-8")
    read = read_form_file(path)
    assert read.spec is not None and read.spec.version == 2
    with session_scope(workspace.engine) as s:
        first = register_form_file(s, workspace.editor, read.spec)
    with session_scope(workspace.engine) as s:
        again = register_form_file(s, workspace.editor, read.spec)
    assert (first.new, again.new, first.form_id == again.form_id) == (True, False, True)
    with workspace.session() as s:
        listed = [(f.code, f.version) for f in list_form_versions(s)]
        assert listed[:2] == [("kiem-tra-cong-vu-dot-xuat", 2), ("kiem-tra-cong-vu-dot-xuat", 1)]
        assert len(s.exec(select(FormVersion)).all()) == 3
