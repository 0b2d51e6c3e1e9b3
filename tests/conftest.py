"""Shared fixtures: real SQLite files in temporary folders, the demo province built once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("INSPECTOR_HOME", None)

from cli_runner import run_cli  # tests/ is on sys.path (pyproject: pythonpath)

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


@pytest.fixture
def cli() -> object:
    """``cli("demo")`` runs ``inspector-app demo`` in a separate process (see cli_runner.py)."""
    return run_cli
