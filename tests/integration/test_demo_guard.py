"""The demo province's sample visits never reach an office: a data folder holding them may not
sign in or sync, and a laptop signed in to an office may not load them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_runner import run_cli
from sync_helpers import PASSWORD, Office, laptop, sqlite_office

from inspector_app.core.db import DB_FILENAME, backup_to
from inspector_app.core.workspace import open_workspace
from inspector_app.sync.tables import table


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    yield from sqlite_office(tmp_path_factory, "office-demo-guard")


def _visits_at(office: Office) -> int:
    with office.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table("visit"))).scalar_one())


def test_a_folder_with_the_demo_visits_neither_signs_in_nor_syncs(
    office: Office, demo_template: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "tried-the-demo"
    backup_to(demo_template / DB_FILENAME, folder / DB_FILENAME)
    env = {"INSPECTOR_PASSWORD": PASSWORD, "INSPECTOR_TOKEN_STORE": "file"}
    login = ["--data-dir", str(folder), "login", "--server", office.url, "--user", "an"]
    refused = run_cli(*login, env=env)
    assert refused.returncode != 0
    assert "6 cuộc kiểm tra mẫu của tỉnh trình diễn" in refused.stderr and "--data-dir" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run_cli("--data-dir", str(folder), "sync", "--server", office.url, env=env).returncode != 0
    assert _visits_at(office) == 0  # not one sample visit went up
    fresh = run_cli("--data-dir", str(tmp_path / "new-folder"), *login[2:], env=env)
    assert fresh.returncode == 0, fresh.stderr


def test_a_signed_in_laptop_does_not_load_the_demo(office: Office, tmp_path: Path) -> None:
    laptop(tmp_path / "a", office, "an").close()
    refused = run_cli("--data-dir", str(tmp_path / "a"), "demo", env={"INSPECTOR_TOKEN_STORE": "file"})
    assert refused.returncode == 1
    assert office.url in refused.stderr and "thư mục dữ liệu riêng" in refused.stderr
    assert "Traceback" not in refused.stderr
    ws = open_workspace(tmp_path / "a")
    with ws.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(table("visit"))).scalar_one() == 0
    ws.close()
