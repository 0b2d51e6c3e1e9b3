"""Where things are: shipped data (forms, resources) and the user's data folder.

Shipped data is found the same way from a checkout, an installed wheel or a frozen app:
the wheel and the PyInstaller bundle put ``forms/`` and ``resources/`` inside the package,
a checkout (or an editable install) keeps them at the top of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "KiemTraCongVu"
_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """Path of a shipped data folder (``"forms"`` or ``"resources"``) or a file below it."""
    top = name.split("/", 1)[0]
    for base in (_PACKAGE_DIR, _PACKAGE_DIR.parent):
        if (base / top).is_dir():
            return base / name
    raise FileNotFoundError(f"shipped data folder {top!r} not found beside {_PACKAGE_DIR}")


def user_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the local database, attachments, backups and logs.

    Order: an explicit ``--data-dir``, then ``INSPECTOR_HOME``, then the platform's default.
    """
    raw = override or os.environ.get("INSPECTOR_HOME")
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
