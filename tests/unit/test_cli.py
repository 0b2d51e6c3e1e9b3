"""The command-line contract, run as a user would: separate processes on a real data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run_cli

from inspector_app.core.db import DB_FILENAME

run = run_cli


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    first = run("--data-dir", str(folder), "demo")
    assert first.returncode == 0, first.stderr
    assert "Đã tải dữ liệu mẫu" in first.stdout
    second = run("--data-dir", str(folder), "demo")
    assert second.returncode == 0, second.stderr
    assert "0 cuộc kiểm tra mới" in second.stdout  # idempotent
    return folder


def test_demo_twice_then_db_check(demo_dir: Path) -> None:
    check = run("--data-dir", str(demo_dir), "db", "check")
    assert check.returncode == 0, check.stderr
    assert "nguyên vẹn" in check.stdout


def test_visits_list_json_contract(demo_dir: Path) -> None:
    result = run("--data-dir", str(demo_dir), "visits", "list", "--json")
    assert result.returncode == 0, result.stderr
    visits = json.loads(result.stdout)
    assert len(visits) >= 5
    assert {"draft", "completed", "signed"} <= {v["status"] for v in visits}
    for v in visits:
        assert {"id", "unit", "form", "status", "started_at"} <= set(v)
        assert v["started_at"].endswith("+00:00")
    text = run("--data-dir", str(demo_dir), "visits", "list")
    assert "UBND phường Thành Sen" in text.stdout and "đã ký" in text.stdout


def test_env_var_sets_the_data_folder(demo_dir: Path) -> None:
    env = {**os.environ, "INSPECTOR_HOME": str(demo_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "inspector_app", "visits", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert len(json.loads(result.stdout)) >= 5


def test_db_check_reports_damage(tmp_path: Path) -> None:
    assert run("--data-dir", str(tmp_path), "visits", "list").returncode == 0
    path = tmp_path / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[4096:6000] = os.urandom(1904)
    path.write_bytes(bytes(data))
    result = run("--data-dir", str(tmp_path), "db", "check")
    assert result.returncode == 1
    assert "bị hỏng" in result.stderr and "backups" in result.stderr
    assert "Traceback" not in result.stderr
    opened = run("--data-dir", str(tmp_path), "visits", "list")
    assert opened.returncode == 1 and "bị hỏng" in opened.stderr and "Traceback" not in opened.stderr


def test_db_check_without_a_database(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path), "db", "check")
    assert result.returncode == 1 and "Chưa có cơ sở dữ liệu" in result.stderr


def test_forms_check_prints_file_line_errors(tmp_path: Path) -> None:
    broken = tmp_path / "phieu-loi.yaml"
    broken.write_text(
        "code: thu-nghiem\nversion: một\ntitle: Phiếu thử\nsections:\n  - code: A\n    title: Chung\n    items:\n"
        "      - code: A1\n        label: Câu hỏi\n        type: yes_or_no\n",
        encoding="utf-8",
    )
    result = run("forms", "check", str(broken))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert any(line.startswith(f"{broken}:2:") for line in lines), result.stdout
    assert any(line.startswith(f"{broken}:10:") for line in lines), result.stdout
    assert "Traceback" not in result.stderr
    english = run("--lang", "en", "forms", "check", str(broken))
    assert english.returncode == 1 and english.stdout != result.stdout


def test_forms_check_passes_the_shipped_forms() -> None:
    from inspector_app.paths import shipped

    files = sorted(str(p) for p in shipped("forms").glob("*.yaml"))
    result = run("forms", "check", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_office_command_prints_its_help() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from inspector_app.office.cli import main; main()"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "--database-url" in result.stdout


def test_export_minutes_of_a_signed_visit(demo_dir: Path, tmp_path: Path) -> None:
    visits = json.loads(run("--data-dir", str(demo_dir), "visits", "list", "--json").stdout)
    signed = next(v for v in visits if v["status"] == "signed")
    out = tmp_path / "bien-ban.pdf"
    result = run("--data-dir", str(demo_dir), "export", "minutes", signed["id"], "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF") and "trang" in result.stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "BIÊN BẢN" in text and signed["unit"] in text.replace("\n", " ")
    bad = run("--data-dir", str(demo_dir), "export", "minutes", "không-phải-mã", "-o", str(out))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    missing = run(
        "--data-dir",
        str(demo_dir),
        "export",
        "minutes",
        "00000000-0000-7000-8000-000000000000",
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert (
        missing.returncode == 1 and "Không tìm thấy" in missing.stderr and not (tmp_path / "x.pdf").exists()
    )


def test_export_register_lists_the_minutes_numbers(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "so-dang-ky.pdf"
    result = run("--data-dir", str(demo_dir), "export", "register", "--year", "2026", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "03/BB-ĐKTCV" in text and "05/BB-ĐKTCV" in text


def test_config_sets_the_lock_delay_and_the_copies_kept(tmp_path: Path) -> None:
    assert "10 phút" in run("--data-dir", str(tmp_path), "config").stdout
    changed = run("--data-dir", str(tmp_path), "config", "--idle-minutes", "5", "--backups-kept", "30")
    assert changed.returncode == 0 and "5 phút" in changed.stdout and "30 bản" in changed.stdout
    for bad in (["--idle-minutes", "-1"], ["--backups-kept", "0"]):
        refused = run("--data-dir", str(tmp_path), "config", *bad)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "5 phút" in run("--data-dir", str(tmp_path), "config").stdout  # nothing changed by the refusals
