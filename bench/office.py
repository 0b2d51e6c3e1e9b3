"""Benchmark of the office desk (issue: registry). Not a test: prints figures.

Import of officials from one generated workbook laid out as offices keep it (title rows, a two-row
merged header, dates as dates and as text, a total row and signatures): time to read the workbook,
build the preview and apply it — first into an empty unit (all added), then the same file again
(all unchanged), then a copy with every tenth department changed (updates).

    python bench/office.py [--officials 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlmodel import select

from inspector_app.core.db import session_scope
from inspector_app.core.demo.load import load_demo
from inspector_app.core.models import Official
from inspector_app.core.registry.import_plan import apply_import, preview_import
from inspector_app.core.registry.officials_import import read_officials
from inspector_app.core.registry.units import find_unit
from inspector_app.core.workspace import Workspace, open_workspace

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = open_workspace(folder / "data")
        try:
            load_demo(ws)
            t = time.perf_counter()
            book = make_workbook(folder / "ds.xlsx", args.officials)
            changed = make_workbook(folder / "ds-changed.xlsx", args.officials, changed_every=10)
            size = book.stat().st_size / 1024
            print(f"workbooks written: {size:.0f} KiB each, {time.perf_counter() - t:.2f} s")
            for label, path in (("first import", book), ("same file again", book), ("10% changed", changed)):
                f = run_import(ws, path)
                total = f["read_s"] + f["preview_s"] + f["apply_s"]
                print(
                    f"{label:<16} rows {f['rows']:.0f}  read {f['read_s']:.3f} s"
                    f"  preview {f['preview_s']:.3f} s"
                    f"  apply {f['apply_s']:.3f} s  total {total:.3f} s  ({f['rows'] / total:,.0f} rows/s)"
                    f"  added {f['added']:.0f} updated {f['updated']:.0f} unchanged {f['unchanged']:.0f}"
                    f"  problems {f['problems']:.0f}"
                )
            with ws.session() as session:
                unit = find_unit(session, UNIT)
                count = len(session.exec(select(Official.id).where(Official.unit_id == unit.id)).all())
            print(f"officials of {UNIT} now: {count}")
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
