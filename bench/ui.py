"""Benchmark of the desktop UI (issue: the inspector's desktop). Not a test: prints figures, ratio last.

1. Cold start to the first painted main window with 5,000 visits in the database, against an empty
   PySide6 window with the same theme, both as fresh processes in the same run (target ≤ 1.5×).
2. First paint of the visits list with 100,000 visits (target < 300 ms).
3. a) Opening a visit with 300 officials and 80 checklist items, to the first paint of its roll call
   (target < 150 ms); b) the longest GUI-thread stall seen by the watchdog (ui/watchdog.py) while
   that visit is filled in — roll-call keys and answers through the real threaded writer (< 50 ms).

    python bench/ui.py [--visits 5000] [--big 100000] [--repeat 3] [--pace 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
from inspector_app.i18n import set_language
from inspector_app.ui.app import Startup, application
from inspector_app.ui.settings import load_settings
from inspector_app.ui.theme import apply_theme
folder = Path(sys.argv[2])
settings = load_settings(folder)
set_language(settings.language)
app = application()
apply_theme(app, settings.theme, folder / "theme")
startup = Startup(folder, settings, ask_demo=lambda w: False)
startup.shown.connect(lambda w: print(time.time() - t0, flush=True))
def ready(w):
    print(time.time() - t0, flush=True); app.quit()
startup.ready.connect(ready)
startup.start()
app.exec()
startup.close()
"""


def _child(script: str, data_dir: Path) -> list[float]:
    """Seconds from the child's start to each line it printed (first paint; then the list filled)."""
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", script, str(t0), str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return [float(line) for line in out.strip().splitlines()]


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


def generated_form(items: int = 80, per_section: int = 10) -> str:
    """A form of ``items`` items in sections of ten, every common answer type (registered as YAML)."""
    kinds = ("yes_no", "yes_no_na", "count", "text", "yes_no", "time", "number", "yes_no", "text", "yes_no")
    lines = ["code: bench-80", "version: 1", f"title: Phiếu đo hiệu năng ({items} mục)", "roll_call: true"]
    lines.append("sections:")
    for section in range(items // per_section):
        lines += [f"  - code: S{section}", f"    title: Phần {section + 1}", "    items:"]
        for i, kind in enumerate(kinds[:per_section]):
            n = section * per_section + i + 1
            extra = f", fail_when: [no], finding: Mục {n} chưa đạt" if kind == "yes_no" else ""
            required = ", required: true" if i == 0 else ""
            lines.append(
                f"      - {{code: I{n}, label: Nội dung kiểm tra số {n}, type: {kind}{required}{extra}}}"
            )
    return "\n".join(lines) + "\n"


def big_visit(data_dir: Path, officials: int = 300) -> uuid.UUID:
    """A draft visit of the 80-item form at UBND xã Can Lộc, topped up to ``officials`` people."""
    from inspector_app.core.db import session_scope
    from inspector_app.core.forms import parse_form
    from inspector_app.core.models import Official
    from inspector_app.core.services.forms_registry import register_form
    from inspector_app.core.services.visits import start_visit

    ws = open_workspace(data_dir)
    with session_scope(ws.engine) as s:
        unit = s.exec(select(Unit).where(Unit.code == "HT-XA-CAN-LOC")).one()
        have = len(s.exec(select(Official.id).where(Official.unit_id == unit.id)).all())
        rows = [
            {"id": uuid7(), "unit_id": unit.id, "full_name": f"Nguyễn Văn Thử {n:03d}",
             "position": "Chuyên viên", "department": "Văn phòng", "kind": "cong_chuc",
             "sort_order": 1000 + n, "search_key": f"nguyen van thu {n:03d}"}
            for n in range(officials - have)
        ]  # fmt: skip
        insert_rows(
            s.connection(), SQLModel.metadata.tables["official"], rows,
            defaults={"updated_at": STAMP, "deleted": False, "dirty": False},
        )  # fmt: skip
        form = register_form(s, ws.editor, parse_form(generated_form()))
        visit_id = start_visit(s, ws.editor, unit_id=unit.id, form_id=form.id).id
    ws.close()
    return visit_id


def _until(app: Any, done: Callable[[], bool], limit: float = 30.0) -> None:
    start = time.perf_counter()
    while not done() and time.perf_counter() - start < limit:
        app.processEvents()


def open_visit_times(data_dir: Path, visit_id: uuid.UUID, repeat: int) -> list[float]:
    """Seconds from ``VisitWindow(...)`` to the first paint of its roll-call table, each opening."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from inspector_app.ui.tasks import Tasks
    from inspector_app.ui.visit.visit_window import ROLL_CALL_TAB, VisitWindow

    app = QApplication.instance() or QApplication([])
    ws = open_workspace(data_dir)
    tasks = Tasks(ws.engine)
    times: list[float] = []

    class Painted(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(time.perf_counter())
            return False

    watcher = Painted()
    for _ in range(repeat):
        painted: list[float] = []
        start = time.perf_counter()
        window = VisitWindow(ws, tasks, visit_id)
        window.view(ROLL_CALL_TAB).table.viewport().installEventFilter(watcher)
        window.show()
        _until(app, lambda: bool(painted))  # noqa: B023
        times.append(painted[0] - start)
        assert window.view(ROLL_CALL_TAB).model.rowCount() >= 300
        window.close()
        window.deleteLater()
        app.processEvents()
    tasks.wait_idle()
    ws.close()
    return times


def longest_stall_while_filling(data_dir: Path, visit_id: uuid.UUID, pace_ms: int) -> tuple[float, int]:
    """The longest GUI-thread stall (ms) while the visit is filled in through the threaded writer: one
    roll-call key per official, then every checklist item answered, one user action every ``pace_ms``."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from inspector_app.ui.app import settle_heap
    from inspector_app.ui.tasks import Tasks
    from inspector_app.ui.visit.answer_editors import ButtonsEditor, LineEditor, TextEditor
    from inspector_app.ui.visit.visit_window import CHECKLIST_TAB, ROLL_CALL_TAB, VisitWindow
    from inspector_app.ui.watchdog import StallWatchdog

    app = QApplication.instance() or QApplication([])
    ws = open_workspace(data_dir)
    tasks = Tasks(ws.engine)
    window = VisitWindow(ws, tasks, visit_id)
    window.show()
    _until(app, window.isVisible)
    roll, checklist = window.view(ROLL_CALL_TAB), window.view(CHECKLIST_TAB)
    actions: list[Callable[[], object]] = [
        lambda n=n: QTest.keyClicks(roll.table, "12311114"[n % 8]) for n in range(roll.model.rowCount())
    ]
    actions.append(lambda: window.tabs.setCurrentIndex(CHECKLIST_TAB))
    for index, section in enumerate(checklist.data.spec.sections):
        actions.append(lambda i=index: checklist.show_section(i))
        for item in section.items:
            actions.append(lambda code=item.code: _answer(checklist.rows[code].editor))

    def _answer(editor: object) -> None:
        if isinstance(editor, ButtonsEditor):
            editor.choose("yes" if "yes" in editor.buttons else next(iter(editor.buttons)))
        elif isinstance(editor, LineEditor):
            editor.line.setText("07:30" if editor.item.type == "time" else "3")
            editor.line.editingFinished.emit()
        elif isinstance(editor, TextEditor):
            editor.box.setPlainText("Đơn vị chấp hành tốt.")
            editor.finish()

    loop = QEventLoop()
    timer = QTimer(interval=pace_ms)

    def step() -> None:
        if actions:
            actions.pop(0)()
        elif not tasks.busy():
            timer.stop()
            loop.quit()

    timer.timeout.connect(step)
    gc.collect()  # the bench's own set-up garbage (the demo load), which the app never has
    settle_heap()  # what the app does once its workspace is open
    watchdog = StallWatchdog()
    watchdog.start()
    timer.start()
    loop.exec()
    watchdog.stop()
    window.close()
    tasks.wait_idle()
    ws.close()
    return watchdog.longest_ms, watchdog.ticks


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=5000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pace", type=int, default=100, help="ms between user actions while filling")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    try:
        start_dir = folder / "start"
        load_demo(open_workspace(start_dir))
        add_visits(start_dir, args.visits - 6)
        big_dir = folder / "big"
        load_demo(open_workspace(big_dir))
        add_visits(big_dir, args.big - 6)

        visit_dir = folder / "visit"
        load_demo(open_workspace(visit_dir))
        visit_id = big_visit(visit_dir)
        opened = open_visit_times(visit_dir, visit_id, args.repeat + 1)
        print(
            f"3a. opening a visit with 300 officials and 80 items: {min(opened[1:]) * 1000:.0f} ms "
            f"(first opening, modules imported: {opened[0] * 1000:.0f} ms; target < 150 ms: "
            f"{'met' if min(opened[1:]) < 0.15 else 'NOT met'})"
        )
        stall, ticks = longest_stall_while_filling(visit_dir, visit_id, args.pace)
        print(
            f"3b. longest GUI-thread stall while the visit is filled in (300 roll-call keys, 80 answers, "
            f"one action every {args.pace} ms, {ticks} watchdog ticks): {stall:.0f} ms "
            f"(target < 50 ms: {'met' if stall < 50 else 'NOT met'})"
        )

        first_paint = min(first_paint_of_big_list(big_dir) for _ in range(args.repeat))
        print(
            f"2. first paint of the visits list with {args.big:,} visits: {first_paint * 1000:.0f} ms "
            f"(target < 300 ms: {'met' if first_paint < 0.3 else 'NOT met'})"
        )

        empty = statistics.median(_child(BASELINE_CHILD, folder / "baseline")[0] for _ in range(args.repeat))
        runs = [_child(APP_CHILD, start_dir) for _ in range(args.repeat)]
        cold = statistics.median(r[0] for r in runs)
        filled = statistics.median(r[1] for r in runs)
        print(
            f"1. cold start to first painted window: empty themed window {empty * 1000:.0f} ms, "
            f"the app with {args.visits:,} visits {cold * 1000:.0f} ms "
            f"(its visits list filled at {filled * 1000:.0f} ms)"
        )
        ratio = cold / empty
        verdict = "met" if ratio <= 1.5 else "NOT met"
        print(f"ratio cold start app/empty window: {ratio:.2f} (target <= 1.5: {verdict})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
