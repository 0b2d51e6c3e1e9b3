"""The app's log and crash reports, both in ``<data folder>/logs`` (no Qt here).

The log rotates at about 1 MB and keeps five old files, so a laptop used for years never fills its
disk with it. A crash report is one text file: the traceback, the versions, and the last lines of
the log — nothing else about the user or the data than what the log already holds.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import logging
import platform
import sys
import traceback
from collections import deque
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TextIO

from inspector_app import __version__

LOG_DIRNAME = "logs"
LOG_FILENAME = "inspector.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
TAIL_LINES = 200
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

log = logging.getLogger(__name__)


def log_dir(data_dir: Path) -> Path:
    return data_dir / LOG_DIRNAME


def log_path(data_dir: Path) -> Path:
    return log_dir(data_dir) / LOG_FILENAME


def setup_logging(
    data_dir: Path, *, level: int = logging.INFO, max_bytes: int = MAX_BYTES, backup_count: int = BACKUP_COUNT
) -> RotatingFileHandler:
    """Send the root logger to the rotating file (once per folder; warnings still go to stderr)."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path.resolve():
            return handler
    handler = RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
        for other in root.handlers:  # the console keeps showing warnings only
            if other is not handler and other.level == logging.NOTSET:
                other.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    log.info(
        "Kiểm tra công vụ %s started (Python %s, %s)", __version__, platform.python_version(), sys.platform
    )
    return handler


def enable_faulthandler(data_dir: Path) -> TextIO:
    """A crash inside Qt or SQLite (no Python exception) still leaves its stack in
    ``logs/fatal.log``. The caller keeps the file open while the app runs."""
    path = log_dir(data_dir) / "fatal.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = path.open("a", encoding="utf-8")
    faulthandler.enable(fh)
    return fh


def last_log_lines(data_dir: Path, n: int = TAIL_LINES) -> list[str]:
    path = log_path(data_dir)
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return [line.rstrip("\n") for line in deque(fh, maxlen=n)]
    except OSError:
        return []


def versions() -> dict[str, str]:
    found = {
        "app": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    for name, module in (("qt", "PySide6"), ("sqlalchemy", "sqlalchemy"), ("sqlmodel", "sqlmodel")):
        mod = sys.modules.get(module)  # only what is loaded: a crash report must not import anything
        if mod is not None:
            found[name] = str(getattr(mod, "__version__", "?"))
    return found


def format_crash(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    thread: str = "",
    log_lines: list[str] | None = None,
) -> str:
    parts = [
        f"Kiểm tra công vụ — crash report {dt.datetime.now().astimezone().isoformat(timespec='seconds')}"
    ]
    parts += [f"{k}: {v}" for k, v in versions().items()]
    if thread:
        parts.append(f"thread: {thread}")
    parts += ["", "".join(traceback.format_exception(exc_type, exc, tb)).rstrip()]
    if log_lines:
        parts += ["", f"--- last {len(log_lines)} lines of {LOG_FILENAME} ---", *log_lines]
    return "\n".join(parts) + "\n"


def write_crash_report(
    data_dir: Path,
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    thread: str = "",
) -> Path:
    """``logs/crash-<local time>.txt``; logged first, so the log has the traceback too."""
    log.critical("unexpected error", exc_info=(exc_type, exc, tb) if exc is not None else None)
    folder = log_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}.txt"
    text = format_crash(exc_type, exc, tb, thread=thread, log_lines=last_log_lines(data_dir))
    path.write_text(text, encoding="utf-8")
    return path
