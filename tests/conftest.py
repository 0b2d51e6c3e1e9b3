"""Shared fixtures: real SQLite files in temporary folders, the demo province built once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("INSPECTOR_HOME", None)

from inspector_app.core.db import DB_FILENAME, backup_to
from inspector_app.core.workspace import Workspace, open_workspace
from inspector_app.i18n import set_language


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from inspector_app.core.demo.load import load_demo

    folder = tmp_path_factory.mktemp("demo-template")
    ws = open_workspace(folder)
    load_demo(ws)
    ws.close()
    return folder


@pytest.fixture
def demo_ws(demo_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace holding the demo province — a fresh copy of one built per test session."""
    target = tmp_path / "demo"
    backup_to(demo_template / DB_FILENAME, target / DB_FILENAME)
    if (demo_template / "attachments").exists():
        shutil.copytree(demo_template / "attachments", target / "attachments")
    ws = open_workspace(target)
    yield ws
    ws.close()


def run_cli(
    *args: str, lang: str = "vi", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``inspector-app ARGS`` in a separate process, as a user or a script would run it."""
    full_env = {**os.environ, "INSPECTOR_LANG": lang, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "inspector_app", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=180,
    )


@pytest.fixture
def cli() -> object:
    return run_cli
