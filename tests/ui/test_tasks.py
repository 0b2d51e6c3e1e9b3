"""The background seam: one DB writer, results and errors back on the GUI thread by signal."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session

from inspector_app.core.services.editor import get_setting, set_setting
from inspector_app.core.workspace import Workspace
from inspector_app.ui.tasks import Tasks


def stored(ws: Workspace, key: str) -> str | None:
    with ws.session() as session:
        return get_setting(session, key)


def test_write_commits_and_reports_on_the_gui_thread(workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(workspace.engine)
    seen: dict[str, object] = {}

    def write(session: Session) -> str:
        seen["worker"] = threading.current_thread()
        set_setting(session, "ui.test", "đã lưu")
        return "ok"

    def done(result: object) -> None:
        seen["callback"] = threading.current_thread()
        seen["result"] = result
        seen["stored"] = stored(workspace, "ui.test")  # committed before the UI hears of it

    with qtbot.waitSignal(tasks.finished, timeout=10_000) as blocker:
        job = tasks.write(write, on_done=done)
    assert blocker.args == [job, "ok"]
    assert seen["result"] == "ok" and seen["stored"] == "đã lưu"
    assert seen["callback"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    assert tasks.wait_idle()


def test_a_failed_write_rolls_back_and_reports_the_error(workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(workspace.engine)
    errors: list[BaseException] = []

    def write(session: Session) -> None:
        set_setting(session, "ui.half", "không được lưu")
        raise ValueError("hỏng giữa chừng")

    with qtbot.waitSignal(tasks.failed, timeout=10_000) as blocker:
        tasks.write(write, on_error=errors.append)
    assert isinstance(blocker.args[1], ValueError)
    assert [str(e) for e in errors] == ["hỏng giữa chừng"]
    assert stored(workspace, "ui.half") is None
    # The writer survives an error and takes the next job.
    with qtbot.waitSignal(tasks.finished, timeout=10_000):
        tasks.write(lambda s: set_setting(s, "ui.after", "1"))
    assert stored(workspace, "ui.after") == "1"


def test_writes_run_one_at_a_time_in_order_on_one_thread(workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(workspace.engine)
    threads: set[int] = set()
    order: list[int] = []

    def job(n: int):  # type: ignore[no-untyped-def]
        def write(session: Session) -> int:
            threads.add(threading.get_ident())
            set_setting(session, "ui.counter", str(n))
            order.append(n)
            return n

        return write

    with qtbot.waitSignals([tasks.finished] * 20, timeout=20_000):
        for n in range(20):
            tasks.write(job(n))
    assert order == list(range(20))
    assert len(threads) == 1
    assert stored(workspace, "ui.counter") == "19"


def test_non_db_work_runs_in_the_pool(qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks()
    with qtbot.waitSignal(tasks.finished, timeout=10_000) as blocker:
        tasks.run(lambda: sum(range(10)))
    assert blocker.args[1] == 45
    with qtbot.waitSignal(tasks.failed, timeout=10_000):
        tasks.write(lambda s: None)  # no database open yet: an error, not a crash


def test_synchronous_mode_for_unit_tests(workspace: Workspace) -> None:
    tasks = Tasks(workspace.engine, synchronous=True)
    results: list[object] = []
    tasks.write(lambda s: set_setting(s, "ui.sync", "1") or "done", on_done=results.append)
    assert results == ["done"] and stored(workspace, "ui.sync") == "1"
    tasks.run(lambda: 1 / 0, on_error=results.append)
    assert isinstance(results[-1], ZeroDivisionError)
    assert not tasks.busy()


@pytest.mark.parametrize("synchronous", [True, False])
def test_unscoped_write_is_serialized_with_the_others(workspace: Workspace, qtbot, synchronous: bool) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(workspace.engine, synchronous=synchronous)
    with qtbot.waitSignal(tasks.finished, timeout=10_000, raising=not synchronous):
        tasks.write_unscoped(lambda: "own transactions")
