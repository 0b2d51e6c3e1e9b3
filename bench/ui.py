"""Benchmark of the desktop UI (issue: the inspector's desktop). Not a test: prints figures, ratio last.

1. Cold start to the first painted main window with 5,000 visits in the database, against an empty
   PySide6 window with the same theme, both as fresh processes in the same run (target ≤ 1.5×).
2. First paint of the visits list with 100,000 visits (target < 300 ms).
3. Opening a visit with 300 officials and 80 checklist items (target < 150 ms) — measured once the
   visit window exists (ui/visit/visit_window.py).

    python bench/ui.py [--visits 5000] [--big 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlmodel import SQLModel, select

from inspector_app.core.bulk import insert_rows
from inspector_app.core.demo.load import load_demo
from inspector_app.core.ids import uuid7
from inspector_app.core.models import FormVersion, Unit
from inspector_app.core.workspace import open_workspace

STAMP = "0000000000001-00000-bench"

# Child processes: each prints the seconds from its own first line to its first painted window.
BASELINE_CHILD = r"""
import sys, time
t0 = float(sys.argv[1])
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
from inspector_app.ui.theme import apply_theme
app = QApplication([])
apply_theme(app, "light", Path(sys.argv[2]) / "theme")
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(time.time() - t0, flush=True); app.quit()
        return False
w = QMainWindow(); w.resize(1280, 800); f = Painted(); w.installEventFilter(f); w.show()
app.exec()
"""

APP_CHILD = r"""
import sys, time
t0 = float(sys.argv[1])
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from inspector_app.ui.app import Startup, application
from inspector_app.ui.settings import load_settings
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.theme import apply_theme
folder = Path(sys.argv[2])
settings = load_settings(folder)
app = application()
apply_theme(app, settings.theme, folder / "theme")
tasks = Tasks()
startup = Startup(folder, settings, tasks, ask_demo=lambda w: False)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and startup.window.home.isVisible():
            print(time.time() - t0, flush=True); app.quit()
        return False
f = Painted()
startup.ready.connect(lambda w: w.installEventFilter(f))
startup.start()
app.exec()
startup.close()
"""


def _child(script: str, data_dir: Path) -> float:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", script, str(t0), str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return float(out.strip().splitlines()[-1])


def add_visits(ws_dir: Path, n: int) -> None:
    """Bulk-insert ``n`` completed visits spread over the demo units (what a year of sync brings)."""
    ws = open_workspace(ws_dir)
    with ws.session() as s:
        units = [u.id for u in s.exec(select(Unit).where(Unit.unit_type.in_(("xa", "phuong", "so")))).all()]  # type: ignore[attr-defined]
        form = s.exec(select(FormVersion)).first()
        assert form is not None
        form_id = form.id
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    rows = [
        {"id": uuid7(), "updated_at": STAMP, "deleted": False, "dirty": False, "seq": None,
         "unit_id": units[i % len(units)], "form_id": form_id, "mode": "dot_xuat",
         "status": ("draft", "completed", "signed")[i % 3], "started_at": base + dt.timedelta(minutes=37 * i),
         "arrived_at": base + dt.timedelta(minutes=37 * i), "copies": 2, "device_id": "bench",
         "number": f"{i % 900 + 1:02d}/BB-ĐKTCV" if i % 3 == 2 else None}
        for i in range(n)
    ]  # fmt: skip
    with ws.engine.begin() as conn:
        for start in range(0, len(rows), 20_000):
            insert_rows(conn, SQLModel.metadata.tables["visit"], rows[start : start + 20_000])
    ws.close()


def first_paint_of_big_list(data_dir: Path) -> float:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from inspector_app.ui.home_view import HomeView
    from inspector_app.ui.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    apply_theme(app, "light", data_dir / "theme")  # type: ignore[arg-type]
    ws = open_workspace(data_dir)
    painted: list[float] = []

    class Painted(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    start = time.perf_counter()
    view = HomeView(ws.session)
    view.resize(1280, 760)
    view.reload()
    watcher = Painted()
    view.table.viewport().installEventFilter(watcher)
    view.show()
    while not painted and time.perf_counter() - start < 10:
        app.processEvents()
    view.close()
    ws.close()
    return painted[0] - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=5000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    try:
        start_dir = folder / "start"
        load_demo(open_workspace(start_dir))
        add_visits(start_dir, args.visits - 6)
        big_dir = folder / "big"
        load_demo(open_workspace(big_dir))
        add_visits(big_dir, args.big - 6)

        first_paint = min(first_paint_of_big_list(big_dir) for _ in range(args.repeat))
        print(
            f"2. first paint of the visits list with {args.big:,} visits: {first_paint * 1000:.0f} ms "
            f"(target < 300 ms: {'met' if first_paint < 0.3 else 'NOT met'})"
        )

        empty = statistics.median(_child(BASELINE_CHILD, folder / "baseline") for _ in range(args.repeat))
        cold = statistics.median(_child(APP_CHILD, start_dir) for _ in range(args.repeat))
        print(
            f"1. cold start to first painted window: empty themed window {empty * 1000:.0f} ms, "
            f"the app with {args.visits:,} visits {cold * 1000:.0f} ms"
        )
        ratio = cold / empty
        verdict = "met" if ratio <= 1.5 else "NOT met"
        print(f"ratio cold start app/empty window: {ratio:.2f} (target <= 1.5: {verdict})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
