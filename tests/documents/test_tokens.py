"""The list of known token modules: shipped, extended by the office."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.documents.tokens import TokenListError, installed_modules, load_token_modules


def test_shipped_list_names_the_vietnamese_cas() -> None:
    names = [m.name for m in load_token_modules()]
    for expected in ("VNPT-CA", "Viettel-CA", "FPT-CA", "BkavCA", "OpenSC"):
        assert expected in names
    vnpt = next(m for m in load_token_modules() if m.name == "VNPT-CA")
    assert all(p.lower().endswith(".dll") for p in vnpt.candidates("win32"))
    assert all(p.endswith(".so") or ".so." in p for p in vnpt.candidates("linux"))


def test_office_file_adds_and_replaces(tmp_path: Path) -> None:
    module = tmp_path / "libfake-pkcs11.so"
    module.write_bytes(b"\x7fELF")
    (tmp_path / "tokens.yaml").write_text(
        f"modules:\n  - name: VNPT-CA\n    linux: [{module}]\n    verified: true\n"
        f"  - name: CA mới của tỉnh\n    windows: newca.dll\n    linux: [/nowhere/x.so]\n",
        encoding="utf-8",
    )
    modules = {m.name: m for m in load_token_modules(tmp_path)}
    assert modules["VNPT-CA"].linux == (str(module),) and modules["VNPT-CA"].verified
    assert modules["CA mới của tỉnh"].windows == ("newca.dll",)
    assert (modules["VNPT-CA"], str(module)) in installed_modules(tmp_path)


def test_bad_office_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "tokens.yaml").write_text("modules:\n  - linux: [/x.so]\n", encoding="utf-8")
    with pytest.raises(TokenListError, match=r"tokens\.yaml"):
        load_token_modules(tmp_path)
