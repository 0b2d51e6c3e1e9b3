"""The rotating log and the crash report (no Qt)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from inspector_app.logs import last_log_lines, log_path, setup_logging, write_crash_report


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    before = (list(root.handlers), root.level, [h.level for h in root.handlers])
    yield
    for handler in root.handlers:
        if handler not in before[0]:
            handler.close()
    root.handlers[:] = before[0]
    root.setLevel(before[1])
    for handler, level in zip(before[0], before[2], strict=True):
        handler.setLevel(level)
    logging.captureWarnings(False)


def test_the_log_rotates_and_keeps_five_old_files(tmp_path: Path, restore_root: None) -> None:
    handler = setup_logging(tmp_path, max_bytes=2_000)
    assert setup_logging(tmp_path, max_bytes=2_000) is handler  # once per folder
    assert isinstance(handler, RotatingFileHandler) and handler.backupCount == 5
    for i in range(400):
        logging.getLogger("inspector_app.test").info("line %d %s", i, "x" * 40)
    folder = log_path(tmp_path).parent
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["inspector.log"] + [f"inspector.log.{n}" for n in range(1, 6)]
    assert all(p.stat().st_size <= 2_100 for p in folder.iterdir())
    assert last_log_lines(tmp_path, 1)[0].endswith("line 399 " + "x" * 40)


def test_default_size_is_about_a_megabyte(tmp_path: Path, restore_root: None) -> None:
    handler = setup_logging(tmp_path)
    assert handler.maxBytes == 1_000_000 and handler.backupCount == 5


def test_a_crash_report_has_the_traceback_versions_and_the_log_tail(
    tmp_path: Path, restore_root: None
) -> None:
    setup_logging(tmp_path)
    logging.getLogger("inspector_app.test").info("opened visit 42")
    try:
        raise ZeroDivisionError("chia cho 0")
    except ZeroDivisionError:
        exc_type, exc, tb = sys.exc_info()
    assert exc_type is not None and exc is not None
    report = write_crash_report(tmp_path, exc_type, exc, tb, thread="MainThread")
    assert report.parent == tmp_path / "logs" and report.name.startswith("crash-")
    text = report.read_text(encoding="utf-8")
    assert "ZeroDivisionError: chia cho 0" in text
    assert 'raise ZeroDivisionError("chia cho 0")' in text  # the traceback, with its source line
    assert "app: " in text and "python: " in text and "thread: MainThread" in text
    assert "opened visit 42" in text  # the last lines of the log


def test_a_crash_report_without_a_log(tmp_path: Path) -> None:
    report = write_crash_report(tmp_path, RuntimeError, RuntimeError("Qt fatal: boom"), None)
    assert "RuntimeError: Qt fatal: boom" in report.read_text(encoding="utf-8")
