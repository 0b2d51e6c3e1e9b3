"""A database that fails its integrity check: say which file, where the backups are, and stop.

The file is left exactly as it is — restoring it is a person's decision, not the app's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from inspector_app.core.db import backup_dir
from inspector_app.i18n import _


def damaged_message(db_path: Path, problem: str) -> tuple[str, str]:
    """(main text, details) of the dialog."""
    text = _(
        "The database {path} is damaged and cannot be opened.\n\n"
        "The file has not been changed. Close the app, then restore the newest copy from the "
        "backups folder {folder} (or ask your IT support to do it)."
    ).format(path=db_path, folder=backup_dir(db_path.parent))
    return text, problem


def damaged_box(parent: QWidget | None, db_path: Path, problem: str) -> QMessageBox:
    text, details = damaged_message(db_path, problem)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Damaged database"))
    box.setText(text)
    # Not setDetailedText: Qt ships no Vietnamese catalog, its "Show Details…" button stays English.
    shown = "\n".join(details.splitlines()[:5])
    box.setInformativeText(_("What SQLite reported: {problem}").format(problem=shown))
    return box


def show_damaged(parent: QWidget | None, db_path: Path, problem: str) -> None:
    damaged_box(parent, db_path, problem).exec()
