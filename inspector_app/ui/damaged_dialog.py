"""A database that fails its integrity check: say which file, offer the newest sound copy, or stop.

Nothing is restored unless the person says so. Restoring moves the damaged files into the backups
folder (``core.backups.restore``), so even then nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from inspector_app.core.backups import backup_dir
from inspector_app.i18n import _
from inspector_app.ui.message_boxes import widen


def _widen(box: QMessageBox, width: int = 560) -> None:
    widen(box, width)


def damaged_message(db_path: Path, problem: str) -> tuple[str, str]:
    """(main text, details) of the dialog when no sound copy exists."""
    text = _(
        "The database {path} is damaged and cannot be opened.\n\n"
        "The file has not been changed. Close the app, then restore the newest copy from the "
        "backups folder {folder} (or ask your IT support to do it)."
    ).format(path=db_path, folder=backup_dir(db_path.parent))
    return text, problem


def _problem_text(problem: str) -> str:
    # Not setDetailedText: Qt ships no Vietnamese catalog, its "Show Details…" button stays English.
    shown = "\n".join(problem.splitlines()[:5])
    return _("What SQLite reported: {problem}").format(problem=shown)


def damaged_box(parent: QWidget | None, db_path: Path, problem: str) -> QMessageBox:
    text, details = damaged_message(db_path, problem)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Damaged database"))
    box.setText(text)
    box.setInformativeText(_problem_text(details))
    _widen(box)
    return box


def backup_time(backup: Path) -> dt.datetime | None:
    """When a copy was made: its name carries the UTC time (``inspector-20261201T074129…Z-daily``),
    else the file's modification time."""
    stamp = backup.stem.split("-")[1] if backup.stem.count("-") >= 1 else ""
    try:
        made = dt.datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        try:
            made = dt.datetime.fromtimestamp(backup.stat().st_mtime, dt.UTC)
        except OSError:
            return None
    return made.astimezone()


def restore_box(
    parent: QWidget | None, db_path: Path, problem: str, backup: Path
) -> tuple[QMessageBox, QAbstractButton]:
    """The offer to put ``backup`` back, and its "restore" button."""
    made = backup_time(backup)
    when = made.strftime("%d/%m/%Y %H:%M") if made else "?"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Damaged database"))
    box.setText(
        _(
            "The database {path} is damaged and cannot be opened.\n\n"
            "There is a sound copy made on {when}. Restore it? Changes made after that time are "
            "not in the copy; if this laptop synced with the office since, the next sync brings "
            "them back."
        ).format(path=db_path, when=when)
    )
    box.setInformativeText(
        _(
            "The damaged file is not deleted: it is moved to {folder}, where your IT support can "
            "still look at it."
        ).format(folder=backup_dir(db_path.parent))
        + "\n\n"
        + _problem_text(problem)
    )
    restore = box.addButton(
        _("Restore the copy of {when}").format(when=when), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(_("Close the app"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)  # type: ignore[arg-type]
    _widen(box)
    return box, restore


def show_damaged(parent: QWidget | None, db_path: Path, problem: str) -> None:
    damaged_box(parent, db_path, problem).exec()


def ask_restore(parent: QWidget | None, db_path: Path, problem: str, backup: Path) -> bool:
    """True when the person chose to restore ``backup``."""
    box, restore = restore_box(parent, db_path, problem, backup)
    box.exec()
    return box.clickedButton() is restore
