"""The demo province (Hà Tĩnh after the 2025 reform): deterministic, consistent, loadable."""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
import uuid
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, create_engine

import inspector_app.core.models  # noqa: F401  (registers every table)
from inspector_app.core.demo.province import (
    DEMO_PROVINCE_CODE,
    DEMO_TEAM_CODE,
    demo_reference,
    demo_unit_codes,
)
from inspector_app.core.ids import stable_id
from inspector_app.core.models import SYNC_COLUMNS, OfficialKind, TeamRole, UnitType

TABLES = [
    "unit",
    "official",
    "inspector",
    "team",
    "team_decision",
    "team_member",
    "plan",
    "planned_visit",
    "work_schedule",
]
COMMUNE_TYPES = {UnitType.XA, UnitType.PHUONG}


@pytest.fixture(scope="module")
def demo() -> dict[str, list[dict[str, Any]]]:
    return demo_reference()


def _units_by_code(demo: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {u["code"]: u for u in demo["unit"]}


def test_tables_in_insertion_order(demo: dict[str, list[dict[str, Any]]]) -> None:
    assert list(demo) == TABLES


def test_deterministic(demo: dict[str, list[dict[str, Any]]]) -> None:
    again = demo_reference()
    assert again == demo
    for table in TABLES:
        assert [r["id"] for r in again[table]] == [r["id"] for r in demo[table]]


def test_ids_are_stable_uuids_and_unique(demo: dict[str, list[dict[str, Any]]]) -> None:
    units = _units_by_code(demo)
    assert units[DEMO_PROVINCE_CODE]["id"] == stable_id("demo", "unit", DEMO_PROVINCE_CODE)
    assert demo["team"][0]["id"] == stable_id("demo", "team", DEMO_TEAM_CODE)
    all_ids = [r["id"] for table in TABLES for r in demo[table]]
    assert all(isinstance(i, uuid.UUID) for i in all_ids)
    assert len(set(all_ids)) == len(all_ids)


def test_keys_are_real_columns_and_uniform(demo: dict[str, list[dict[str, Any]]]) -> None:
    for table in TABLES:
        columns = set(SQLModel.metadata.tables[table].columns.keys())
        rows = demo[table]
        assert rows, table
        keys = set(rows[0])
        assert keys <= columns - SYNC_COLUMNS, (table, keys - columns)
        assert "id" in keys
        assert all(set(r) == keys for r in rows), table  # executemany needs one key set per table


def test_counts(demo: dict[str, list[dict[str, Any]]]) -> None:
    units = demo["unit"]
    by_type = Counter(u["unit_type"] for u in units)
    assert by_type[UnitType.TINH] == 1
    assert 20 <= by_type[UnitType.XA] + by_type[UnitType.PHUONG] <= 32
    assert by_type[UnitType.PHUONG] >= 5
    assert 8 <= by_type[UnitType.SO] <= 10
    old = [u for u in units if u["valid_to"] is not None]
    assert 2 <= len(old) <= 4
    assert 5 <= len(demo["inspector"]) <= 7
    assert len(demo["team"]) == len(demo["team_decision"]) == len(demo["plan"]) == 1
    per_unit = Counter(o["unit_id"] for o in demo["official"])
    for u in units:
        if u["unit_type"] in COMMUNE_TYPES | {UnitType.SO} and u["valid_to"] is None:
            assert 10 <= per_unit[u["id"]] <= 40, u["name"]
    assert all(per_unit[u["id"]] == 0 for u in old)
    assert demo_unit_codes() == [u["code"] for u in units]
    assert len(set(demo_unit_codes())) == len(units)


def test_province_and_communes(demo: dict[str, list[dict[str, Any]]]) -> None:
    units = _units_by_code(demo)
    province = units["HT"]
    assert (province["name"], province["proper_name"], province["unit_type"]) == (
        "UBND tỉnh Hà Tĩnh",
        "Hà Tĩnh",
        "tinh",
    )
    assert demo["unit"][0] is province
    assert units["HT-XA-THACH-KHE"]["name"] == "UBND xã Thạch Khê"
    assert units["HT-PHUONG-THANH-SEN"]["name"] == "UBND phường Thành Sen"
    assert units["HT-SO-TP"]["name"] == "Sở Tư pháp tỉnh Hà Tĩnh"
    for u in demo["unit"]:
        assert u["code"].isascii() and u["code"] == u["code"].upper()
        if u["unit_type"] in COMMUNE_TYPES and u["valid_to"] is None:
            assert u["parent_id"] == province["id"]
            assert u["valid_from"] == dt.date(2025, 7, 1)
        if u["unit_type"] == UnitType.TT_PVHCC:
            parent = next(p for p in demo["unit"] if p["id"] == u["parent_id"])
            assert parent["unit_type"] in COMMUNE_TYPES
            assert u["name"].startswith("Trung tâm Phục vụ hành chính công ")
    # no thị trấn or huyện survives the reform
    for u in demo["unit"]:
        if u["unit_type"] in {UnitType.THI_TRAN, UnitType.HUYEN}:
            assert u["valid_to"] == dt.date(2025, 6, 30)


def test_merged_units_point_to_successors(demo: dict[str, list[dict[str, Any]]]) -> None:
    by_id = {u["id"]: u for u in demo["unit"]}
    old = [u for u in demo["unit"] if u["valid_to"] is not None]
    assert any(u["unit_type"] == UnitType.THI_TRAN for u in old)
    with_successor = [u for u in old if u["successor_id"] is not None]
    assert len(with_successor) >= 2
    for u in with_successor:
        successor = by_id[u["successor_id"]]
        assert successor["unit_type"] in COMMUNE_TYPES
        assert successor["valid_from"] == u["valid_to"] + dt.timedelta(days=1)


def test_references_point_backwards(demo: dict[str, list[dict[str, Any]]]) -> None:
    seen: set[uuid.UUID] = set()
    for u in demo["unit"]:
        for ref in ("parent_id", "successor_id"):
            assert u[ref] is None or u[ref] in seen, (u["code"], ref)
        seen.add(u["id"])
    unit_ids = {u["id"] for u in demo["unit"]}
    assert all(o["unit_id"] in unit_ids for o in demo["official"])
    inspector_ids = {i["id"] for i in demo["inspector"]}
    team_ids = {t["id"] for t in demo["team"]}
    assert all(m["inspector_id"] in inspector_ids and m["team_id"] in team_ids for m in demo["team_member"])
    assert all(d["team_id"] in team_ids for d in demo["team_decision"])
    assert all(p["team_id"] in team_ids for p in demo["plan"])
    assert all(t["province_id"] in unit_ids for t in demo["team"])
    assert all(s["province_id"] in unit_ids for s in demo["work_schedule"])


def test_enum_values(demo: dict[str, list[dict[str, Any]]]) -> None:
    assert {u["unit_type"] for u in demo["unit"]} <= {t.value for t in UnitType}
    kinds = {o["kind"] for o in demo["official"]}
    assert kinds == {k.value for k in OfficialKind}  # every kind appears at least once
    assert {o["gender"] for o in demo["official"]} == {"nam", "nu"}
    roles = Counter(m["role"] for m in demo["team_member"])
    assert set(roles) == {r.value for r in TeamRole}
    assert roles[TeamRole.LEADER] == 1 and roles[TeamRole.SECRETARY] == 1
    assert {s["season"] for s in demo["work_schedule"]} == {"summer", "winter"}


def test_rosters(demo: dict[str, list[dict[str, Any]]]) -> None:
    by_unit: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for o in demo["official"]:
        by_unit.setdefault(o["unit_id"], []).append(o)
    for u in demo["unit"]:
        staff = by_unit.get(u["id"], [])
        assert [o["sort_order"] for o in staff] == list(range(1, len(staff) + 1))
        if u["unit_type"] in COMMUNE_TYPES and u["valid_to"] is None:
            chairs = [o for o in staff if o["position"] == "Chủ tịch UBND"]
            assert len(chairs) == 1, u["name"]
            assert chairs[0]["kind"] == OfficialKind.CAN_BO
            assert staff[0]["kind"] == OfficialKind.CAN_BO  # leaders first
        if u["unit_type"] == UnitType.SO:
            assert staff[0]["position"] == "Giám đốc Sở"
            assert sum(o["position"] == "Giám đốc Sở" for o in staff) == 1
    for o in demo["official"]:
        born = o["birth_date"]
        age = 2026 - born.year - ((born.month, born.day) > (1, 1))  # full years on 1 January 2026
        assert 24 <= age <= 58, o
        assert o["department"]


def test_names_plausible(demo: dict[str, list[dict[str, Any]]]) -> None:
    people = [o["full_name"] for o in demo["official"]] + [i["full_name"] for i in demo["inspector"]]
    for name in people:
        words = name.split(" ")
        assert 3 <= len(words) <= 4, name
        assert all(w[:1].isupper() and w[1:].islower() for w in words), name
    assert Counter(people)["Nguyễn Văn An"] == 1
    family = Counter(n.split()[0] for n in people)
    assert family.most_common(1)[0][0] == "Nguyễn"
    for o in demo["official"]:
        middle = o["full_name"].split()[1]
        if middle == "Văn":
            assert o["gender"] == "nam"
        if middle == "Thị":
            assert o["gender"] == "nu"


def test_all_text_nfc(demo: dict[str, list[dict[str, Any]]]) -> None:
    for table in TABLES:
        for row in demo[table]:
            for key, value in row.items():
                if isinstance(value, str):
                    assert unicodedata.is_normalized("NFC", value), (table, key, value)
                    assert value == value.strip() and "  " not in value, (table, key, value)


def test_team_decision_and_plan(demo: dict[str, list[dict[str, Any]]]) -> None:
    team, decision, plan = demo["team"][0], demo["team_decision"][0], demo["plan"][0]
    assert team["code"] == DEMO_TEAM_CODE
    assert team["name"] == "Đoàn kiểm tra công vụ tỉnh Hà Tĩnh năm 2026"
    assert team["province_id"] == demo["unit"][0]["id"]
    assert decision["number"].endswith("/QĐ-UBND")
    assert decision["signed_on"].year == 2026 and decision["signed_on"].month == 1
    assert decision["valid_to"] == dt.date(2026, 12, 31)
    assert plan["number"].endswith("/KH-UBND")
    assert (plan["period_from"], plan["period_to"]) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    bases = plan["legal_bases"].splitlines()
    assert len(bases) >= 4
    assert any("80/2025/QH15" in b for b in bases) and any(decision["number"] in b for b in bases)
    assert plan["default_form_code"] == "kiem-tra-cong-vu-dot-xuat"


def test_schedules_contiguous(demo: dict[str, list[dict[str, Any]]]) -> None:
    schedules = sorted(demo["work_schedule"], key=lambda s: s["valid_from"])
    for prev, nxt in itertools.pairwise(schedules):
        assert nxt["valid_from"] == prev["valid_to"] + dt.timedelta(days=1)
        assert nxt["season"] != prev["season"]
    assert schedules[0]["valid_from"] <= dt.date(2025, 1, 1)
    assert schedules[-1]["valid_to"] >= dt.date(2027, 12, 31)
    for s in schedules:
        assert s["valid_from"] <= s["valid_to"]
        assert s["morning_start"] < s["morning_end"] < s["afternoon_start"] < s["afternoon_end"]
        assert all(isinstance(s[k], dt.time) for k in ("morning_start", "afternoon_end"))
        assert s["grace_minutes"] == 0
    for year in (2025, 2026, 2027):
        names = {s["name"] for s in schedules}
        assert f"Giờ làm việc mùa hè năm {year}" in names


def test_loads_into_sqlite_with_foreign_keys(demo: dict[str, list[dict[str, Any]]]) -> None:
    engine = create_engine("sqlite://")

    @sa.event.listens_for(engine, "connect")
    def _fk(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    SQLModel.metadata.create_all(engine)
    with engine.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        for table in TABLES:
            conn.execute(SQLModel.metadata.tables[table].insert(), demo[table])
    with engine.connect() as conn:
        for table in TABLES:
            count = conn.execute(sa.select(sa.func.count()).select_from(SQLModel.metadata.tables[table]))
            assert count.scalar() == len(demo[table])
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        official = SQLModel.metadata.tables["official"]
        row = conn.execute(sa.select(official).where(official.c.full_name == "Nguyễn Văn An")).one()
        assert row.kind == "cong_chuc" and row.birth_date.year < 2002
    engine.dispose()
