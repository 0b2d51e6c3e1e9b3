"""Benchmark of the office desk (issue 7). Not a test: prints figures, ratio last.

(a) Import of officials from one generated workbook laid out as offices keep it (title rows, a two-row
    merged header, dates as dates and as text, a total row and signatures): time to read the workbook,
    build the preview and apply it — first into an empty unit (all added), then the same file again
    (all unchanged), then a copy with every tenth department changed (updates).
(b) Results: a workspace of 20,000 visits at 300 units (80 answers and 40 roll-call rows each); time of
    the whole results (``core.desk.results``, target < 500 ms) and of the summary report of the same
    period (PDF + .xlsx, target < 5 s), against a floor measured in the same run: plain
    ``SELECT count(*) … GROUP BY unit`` over the same answers and roll-call rows (raw sqlite3).

    python bench/office.py [--part all|import|results] [--officials 2000] [--visits 20000] [--units 300]
                           [--keep DIR]

``--keep DIR`` keeps the results workspace in DIR and reuses it on the next run with the same
``--visits`` and ``--units`` (building it takes most of a run); the import part always starts afresh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlmodel import SQLModel, col, select
from visit_rows import ANSWERS, TABLES, visit_rows  # bench/ is the script's folder

from inspector_app.core.bulk import insert_rows
from inspector_app.core.db import session_scope
from inspector_app.core.demo.load import load_demo
from inspector_app.core.desk.results import ResultsScope, compute_results
from inspector_app.core.ids import uuid7
from inspector_app.core.models import Official, Plan, PlannedVisit, Unit
from inspector_app.core.registry.import_plan import apply_import, preview_import
from inspector_app.core.registry.officials_import import read_officials
from inspector_app.core.registry.units import find_unit
from inspector_app.core.services.forms_registry import latest_form, spec_of
from inspector_app.core.workspace import Workspace, open_workspace

MADE = "bench-made.json"  # in a kept results workspace: what it holds
UNIT = "HT-SO-NV"  # Sở Nội vụ: a provincial department can list thousands (with its centres)


def _words(text: str) -> list[str]:
    return text.split()


FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Phan Võ Đặng Bùi Đỗ Hồ Ngô Dương Đinh Thái Trương")
MIDDLE = _words("Văn Thị Hữu Đức Minh Quang Ngọc Thu Thanh Hồng Kim Xuân")
GIVEN = _words(
    "An Bình Cường Dũng Hà Hằng Hạnh Hiền Hùng Huy Lan Linh Long Mai Nam Nga Phong Sơn Tâm Vân Yến"
)
POSITIONS = (
    ("Chuyên viên", "Công chức"),
    ("Chuyên viên chính", "Công chức"),
    ("Phó Trưởng phòng", "Công chức"),
    ("Viên chức", "Viên chức"),
    ("Lái xe", "Hợp đồng"),
    ("Nhân viên", None),
)
DEPARTMENTS = [f"Phòng {n}" for n in ("Tổ chức", "Công chức", "Cải cách hành chính", "Văn thư", "Thi đua")]


def make_workbook(path: Path, n: int, *, seed: int = 1, changed_every: int = 0) -> Path:
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws["A1"], ws["A3"] = "SỞ NỘI VỤ TỈNH HÀ TĨNH", "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
    ws.merge_cells("A3:G3")
    for cell, text in {"A5": "STT", "B5": "Họ và tên", "F5": "Loại", "G5": "Ghi chú"}.items():
        ws[cell] = text
        ws.merge_cells(f"{cell}:{cell[0]}6")
    ws["C5"], ws["C6"], ws["D6"] = "Ngày sinh", "Nam", "Nữ"
    ws.merge_cells("C5:D5")
    ws["E5"], ws["E6"] = "Chức vụ", "Chức vụ"
    ws["H5"], ws["H6"] = "Bộ phận", "Bộ phận"
    seen: set[tuple[str, str]] = set()
    r = 7
    while len(seen) < n:
        woman = rng.random() < 0.5
        name = f"{rng.choice(FAMILY)} {'Thị' if woman else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        position, kind = rng.choice(POSITIONS)
        if (name, position) in seen:
            name = f"{name} {rng.choice(GIVEN)}"
            if (name, position) in seen:
                continue
        seen.add((name, position))
        born = dt.date(rng.randint(1966, 2001), rng.randint(1, 12), rng.randint(1, 28))
        birth: object = born if rng.random() < 0.6 else born.strftime("%d/%m/%Y")
        department = DEPARTMENTS[len(seen) % len(DEPARTMENTS)]
        if changed_every and len(seen) % changed_every == 0:
            department = "Văn phòng Sở"
        values = [len(seen), name, None if woman else birth, birth if woman else None, position, kind]
        for c, v in enumerate([*values, None, department], start=1):
            if v is not None:
                cell = ws.cell(r, c, v)
                if isinstance(v, dt.date):
                    cell.number_format = "dd/mm/yyyy"
        r += 1 + (len(seen) % 250 == 0)  # a blank row now and then
    ws.cell(r, 1, f"Tổng cộng: {n} người")
    ws.cell(r + 2, 2, "Người lập biểu")
    ws.cell(r + 2, 5, "GIÁM ĐỐC")
    wb.save(path)
    return path


def run_import(ws: Workspace, path: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    read = read_officials(path)
    t1 = time.perf_counter()
    with session_scope(ws.engine) as session:
        unit = find_unit(session, UNIT)
        preview = preview_import(session, unit.id, read)
        t2 = time.perf_counter()
        result = apply_import(session, ws.editor, preview)
    t3 = time.perf_counter()
    return {
        "read_s": t1 - t0,
        "preview_s": t2 - t1,
        "apply_s": t3 - t2,
        "rows": len(read.officials),
        "problems": len(read.problems),
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


# ------------------------------------------------------------------------------------- results part

STAMP = "0000000000001-00000-bench"
SYNCED = {"updated_at": STAMP, "deleted": False, "dirty": False, "seq": None}
ROLL_STATUS = (("co_mat", 0.85), ("di_muon", 0.06), ("vang_co_ly_do", 0.04), ("vang_khong_ly_do", 0.02),
               ("di_cong_tac", 0.02), ("khong_ro_ly_do", 0.01))  # fmt: skip


def _answer_value(item: Any, rng: random.Random) -> str | None:
    """A JSON answer for a real form item; about one in ten scored answers fails."""
    fails = item.fail_when is not None and rng.random() < 0.1
    if item.type in ("yes_no", "yes_no_na"):
        na = item.type == "yes_no_na" and rng.random() < 0.1
        return json.dumps("no" if fails else ("na" if na else "yes"))
    if item.type in ("count", "number"):
        return json.dumps(rng.randint(1, 4) if fails else 0)
    if item.type == "single_choice":
        return json.dumps(item.fail_when[0] if fails else item.choices[0].value)
    return None if item.type in ("table", "photo", "multi_choice") else json.dumps("ghi chú")


def make_results_workspace(ws: Workspace, n_visits: int, n_units: int, *, seed: int = 3) -> dict[str, Any]:
    """Grow the demo workspace to ``n_visits`` visits at ``n_units`` units over 12 months, with real
    item codes and answers (about one in ten failing), roll calls with violations, and one planned
    visit per unit in the demo plan. A tenth of the visits come from ``visit_rows`` through
    ``insert_rows``; SQL then copies them nine times (new ids and days), ten times faster than
    building every row in Python."""
    rng = random.Random(seed)
    copied = n_visits // 10
    base = n_visits - 9 * copied
    with session_scope(ws.engine) as session:
        conn = session.connection()
        form = latest_form(session, "kiem-tra-cong-vu-dot-xuat")
        assert form is not None
        items = spec_of(form).items()
        plan = session.exec(select(Plan)).one()
        province = session.exec(select(Unit).where(Unit.unit_type == "tinh")).one()
        kinds = ("xa", "phuong", "so")
        units = [u.id for u in session.exec(select(Unit).where(col(Unit.unit_type).in_(kinds)))]
        extra = [
            {"id": uuid7(), "code": f"BENCH-{n:03d}", "name": f"UBND xã Thử Nghiệm {n}",
             "proper_name": f"Thử Nghiệm {n}", "unit_type": "xa", "parent_id": province.id,
             "search_key": f"ubnd xa thu nghiem {n}"}
            for n in range(n_units - len(units))
        ]  # fmt: skip
        insert_rows(conn, Unit.__table__, extra, defaults=SYNCED)  # type: ignore[arg-type]
        units += [u["id"] for u in extra]
        planned = [
            {"id": uuid7(), "plan_id": plan.id, "unit_id": unit, "team_id": plan.team_id,
             "planned_on": dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(350)),
             "mode": "theo_ke_hoach", "note": "", "sort_order": n}
            for n, unit in enumerate(units)
        ]  # fmt: skip
        insert_rows(conn, PlannedVisit.__table__, planned, defaults=SYNCED)  # type: ignore[arg-type]
        pending = {p["unit_id"]: p for p in planned if rng.random() < 0.8}  # 80% of the plan done
        in_plan = set(pending)  # the others' visits this year were surprise visits, outside the plan
        start = dt.datetime(2025, 7, 1, 0, 0, tzinfo=dt.UTC)
        tables = {name: SQLModel.metadata.tables[name] for name in TABLES}
        for k, unit in enumerate(units):
            per_unit = base // n_units + (k < base % n_units)
            rows = visit_rows(per_unit, unit_id=unit, form_id=form.id, stamp=lambda: STAMP, dirty=False,
                              team_id=plan.team_id)  # fmt: skip
            when_of = {}
            for v in sorted(rows["visit"], key=lambda _v: rng.random()):
                when = start + dt.timedelta(days=rng.randrange(365), hours=rng.randrange(0, 9))
                v["started_at"] = v["arrived_at"] = when_of[v["id"]] = when
                v["planned_visit_id"] = None
                v["status"] = rng.choices(("signed", "completed", "draft"), (0.6, 0.25, 0.15))[0]
                if when.year == 2026 and unit in in_plan:
                    v["plan_id"], v["mode"] = plan.id, "theo_ke_hoach"
                    p = pending.get(unit)
                    if p is not None and v["status"] != "draft":
                        v["planned_visit_id"] = pending.pop(unit)["id"]
            for i, a in enumerate(rows["answer"]):
                item = items[i % ANSWERS] if i % ANSWERS < len(items) else None
                if item is not None:
                    a["item_code"], a["value"] = item.code, _answer_value(item, rng)
                a["answered_at"] = when_of[a["visit_id"]]
            for r in rows["roll_call"]:
                r["status"] = rng.choices([s for s, _ in ROLL_STATUS], [w for _, w in ROLL_STATUS])[0]
                r["badge"] = "khong_deo" if rng.random() < 0.05 else "co"
                r["dress"] = "chua_dat" if rng.random() < 0.03 else "dat"
                r["name_plate"] = "khong" if rng.random() < 0.04 else "co"
            for name, table in tables.items():
                insert_rows(conn, table, rows[name])
        _copy_visits(conn, copied, times=9)
    return {"visits": n_visits, "units": len(units), "planned": len(planned)}


def _copy_visits(conn: Any, limit: int, *, times: int) -> None:
    """Copy ``limit`` bench visits with their answers and roll calls ``times`` times, each copy on a
    random day of the same twelve months (of the plan when in 2026 at a unit that has plan visits)."""

    def columns(table: str, replaced: dict[str, str], alias: str) -> tuple[str, str]:
        names = [c.name for c in SQLModel.metadata.tables[table].columns]
        return ", ".join(names), ", ".join(replaced.get(n, f"{alias}.{n}") for n in names)

    conn.exec_driver_sql(
        "CREATE TEMP TABLE bench_copy AS SELECT v.id AS old, lower(hex(randomblob(16))) AS new, "
        "strftime('%Y-%m-%d %H:%M:%S.000000', "  # as SQLAlchemy writes a time
        "julianday('2025-07-01') + abs(random()) % 365 + (abs(random()) % 9) / 24.0) AS at "
        f"FROM (SELECT id FROM visit WHERE device_id = 'bench' ORDER BY id LIMIT {int(limit)}) v, "
        f"(WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < {int(times)}) "
        "SELECT n FROM k)"
    )
    in_plan = (
        "CASE WHEN c.at >= '2026-01-01' AND v.unit_id IN (SELECT unit_id FROM planned_visit) "
        "AND v.unit_id IN (SELECT unit_id FROM visit WHERE plan_id IS NOT NULL) THEN v2.plan_id END"
    )
    names, values = columns(
        "visit",
        {
            "id": "c.new",
            "started_at": "c.at",
            "arrived_at": "c.at",
            "planned_visit_id": "NULL",
            "plan_id": in_plan,
        },
        "v",
    )
    conn.exec_driver_sql(
        f"INSERT INTO visit ({names}) SELECT {values} FROM bench_copy c JOIN visit v ON v.id = c.old "
        "CROSS JOIN (SELECT id AS plan_id FROM plan LIMIT 1) v2"
    )
    for table, extra in (("answer", {"answered_at": "c.at"}), ("roll_call", {})):
        names, values = columns(
            table, {"id": "lower(hex(randomblob(16)))", "visit_id": "c.new", **extra}, "x"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({names}) SELECT {values} "
            f"FROM bench_copy c JOIN {table} x ON x.visit_id = c.old"
        )
    conn.exec_driver_sql("DROP TABLE bench_copy")


def _median_s(fn: Any, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def floor_s(db: Path) -> float:
    """Every answer and roll-call row counted per unit, raw sqlite3 with the same memory map."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA mmap_size = 2147483648")

    def counts() -> None:
        for table in ("answer", "roll_call"):
            sql = f"SELECT v.unit_id, count(*) FROM {table} x JOIN visit v ON v.id = x.visit_id GROUP BY 1"
            conn.execute(sql).fetchall()

    counts()  # warm the page cache, as for ours
    try:
        return _median_s(counts)
    finally:
        conn.close()


def bench_results(ws: Workspace, n_visits: int, n_units: int, *, made: dict[str, Any] | None = None) -> None:
    """``made``: the workspace was built by an earlier run (``--keep``) with these figures."""
    from inspector_app.documents.report import render_report_pdf
    from inspector_app.documents.report_data import build_report_data
    from inspector_app.documents.report_xlsx import render_report_xlsx

    t = time.perf_counter()
    how = "reused"
    if made is None:
        made, how = make_results_workspace(ws, n_visits, n_units), "built"
        (ws.data_dir / MADE).write_text(json.dumps(made))
    rows = made["visits"] * 120
    print(f"(b) workspace: {made['visits']:,} visits at {made['units']} units, {made['planned']} planned "
          f"({rows:,} answers + roll-call rows) {how} in {time.perf_counter() - t:.1f} s")  # fmt: skip
    with ws.session() as session:
        plan_id = session.exec(select(Plan.id)).one()
    start, end = dt.date(2025, 7, 1), dt.date(2026, 12, 31)
    whole = ResultsScope(date_from=start, date_to=end)
    with ws.engine.begin() as conn:  # the per-visit figures the results keep: none yet (cold)
        conn.exec_driver_sql("DELETE FROM visit_tally_item")
        conn.exec_driver_sql("DELETE FROM visit_tally")
    t = time.perf_counter()
    res = compute_results(ws.engine, whole)  # cold: computes and keeps every visit's figures
    cold_s = time.perf_counter() - t
    whole_s = _median_s(lambda: compute_results(ws.engine, whole))
    plan_s = _median_s(lambda: compute_results(ws.engine, ResultsScope(plan_id=plan_id)))
    floor = floor_s(ws.db_path)
    print(f"    results of the whole period ({res.visits:,} visits, {len(res.topics)} topics, "
          f"{len(res.ranking)} units ranked, {len(res.months)} months): {whole_s * 1000:.0f} ms "
          f"(target < 500 ms: {'met' if whole_s < 0.5 else 'NOT met'})")  # fmt: skip
    print(f"    results of the plan: {plan_s * 1000:.0f} ms; the whole period cold (no figures kept yet, "
          f"all computed and kept): {cold_s * 1000:.0f} ms")  # fmt: skip
    print(
        f"    floor, count(*) GROUP BY unit over the same answers and roll-call rows: {floor * 1000:.0f} ms"
    )
    t = time.perf_counter()
    with ws.session() as session:
        data = build_report_data(session, date_from=start, date_to=end)
    t_data = time.perf_counter() - t
    pdf, xlsx = render_report_pdf(data), render_report_xlsx(data)
    report_s = time.perf_counter() - t
    print(f"    summary report of the same period: {report_s:.1f} s, of which its queries {t_data:.1f} s "
          f"(PDF {len(pdf) // 1024} KiB, .xlsx {len(xlsx) // 1024} KiB; "
          f"target < 5 s: {'met' if report_s < 5 else 'NOT met'})")  # fmt: skip
    print(f"ratio results/floor: {whole_s / floor:.2f}")


def bench_import(ws: Workspace, folder: Path, officials: int) -> None:
    t = time.perf_counter()
    book = make_workbook(folder / "ds.xlsx", officials)
    changed = make_workbook(folder / "ds-changed.xlsx", officials, changed_every=10)
    size = book.stat().st_size / 1024
    print(f"(a) workbooks written: {size:.0f} KiB each, {time.perf_counter() - t:.2f} s")
    for label, path in (("first import", book), ("same file again", book), ("10% changed", changed)):
        f = run_import(ws, path)
        total = f["read_s"] + f["preview_s"] + f["apply_s"]
        print(
            f"    {label:<16} rows {f['rows']:.0f}  read {f['read_s']:.3f} s"
            f"  preview {f['preview_s']:.3f} s"
            f"  apply {f['apply_s']:.3f} s  total {total:.3f} s  ({f['rows'] / total:,.0f} rows/s)"
            f"  added {f['added']:.0f} updated {f['updated']:.0f} unchanged {f['unchanged']:.0f}"
            f"  problems {f['problems']:.0f}"
        )
    with ws.session() as session:
        unit = find_unit(session, UNIT)
        count = len(session.exec(select(Official.id).where(Official.unit_id == unit.id)).all())
    print(f"    officials of {UNIT} now: {count}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("all", "import", "results"), default="all")
    parser.add_argument("--officials", type=int, default=2000)
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the results workspace in this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.part in ("all", "import"):
            ws = open_workspace(folder / "data")
            try:
                load_demo(ws)
                bench_import(ws, folder, args.officials)
            finally:
                ws.close()
        if args.part in ("all", "results"):
            data = (args.keep / f"v{args.visits}-u{args.units}") if args.keep else folder / "results"
            made = json.loads((data / MADE).read_text()) if (data / MADE).exists() else None
            if made is None and data.exists():  # an unfinished build: start again
                shutil.rmtree(data)
            ws = open_workspace(data, keep_backups=0)
            try:
                if made is None:
                    load_demo(ws)
                bench_results(ws, args.visits, args.units, made=made)
            finally:
                ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
