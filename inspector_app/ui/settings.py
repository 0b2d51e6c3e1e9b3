"""Typed settings of the desktop app, one JSON file in the data folder (``settings.json``).

A damaged or unreadable file never stops the app: it falls back to the defaults and the next save
writes a sound file. Geometry and window state are Qt's own byte blobs, kept as base64 text.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

log = logging.getLogger(__name__)

SETTINGS_FILENAME = "settings.json"


class Settings(BaseModel):
    language: Literal["vi", "en"] = "vi"
    theme: Literal["light", "dark"] = "light"
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    visits_header: str = ""  # base64 of QHeaderView.saveState() (column widths)
    backups_kept: int = Field(default=14, ge=1, le=365)  # rolling daily copies of the database

    @staticmethod
    def encode(blob: bytes) -> str:
        return base64.b64encode(blob).decode("ascii")

    @staticmethod
    def decode(text: str) -> bytes:
        try:
            return base64.b64decode(text.encode("ascii"), validate=True)
        except (binascii.Error, ValueError):
            return b""


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILENAME


def load_settings(data_dir: Path) -> Settings:
    path = settings_path(data_dir)
    if not path.exists():
        return Settings()
    try:
        return Settings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        log.warning("settings %s unreadable, using defaults: %s", path, exc)
        return Settings()


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write to a temporary file and rename: a crash mid-write leaves the old file whole."""
    path = settings_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(settings.model_dump(), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
