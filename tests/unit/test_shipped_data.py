"""Shipped data is found the same way from a checkout, a wheel or a frozen app; house rules."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import inspector_app.paths as paths

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_prefers_the_package_then_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "inspector_app"
    (package / "forms").mkdir(parents=True)  # wheel / frozen layout: inside the package
    monkeypatch.setattr(paths, "_PACKAGE_DIR", package)
    assert paths.shipped("forms") == package / "forms"
    checkout = tmp_path / "repo" / "inspector_app"
    checkout.mkdir(parents=True)
    (tmp_path / "repo" / "resources" / "fonts").mkdir(parents=True)  # checkout layout: beside it
    monkeypatch.setattr(paths, "_PACKAGE_DIR", checkout)
    assert paths.shipped("resources/fonts/x.ttf") == tmp_path / "repo" / "resources" / "fonts" / "x.ttf"
    with pytest.raises(FileNotFoundError):
        paths.shipped("nothing")


def test_the_real_checkout_finds_forms_and_translations() -> None:
    assert list(paths.shipped("forms").glob("*.yaml"))
    assert paths.shipped("resources/locale/vi/LC_MESSAGES/inspector.po").is_file()


def test_the_wheel_carries_forms_resources_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("inspector_app/forms/") and n.endswith(".yaml") for n in names)
    assert "inspector_app/resources/locale/vi/LC_MESSAGES/inspector.po" in names
    assert any(n.startswith("inspector_app/core/migrations/versions/0001") for n in names)
    assert "inspector_app/core/migrations/env.py" in names


def test_only_the_ui_package_imports_qt() -> None:
    offenders = []
    for path in (ROOT / "inspector_app").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "inspector_app").parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
