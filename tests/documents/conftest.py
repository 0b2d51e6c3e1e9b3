"""Fixtures of the signing tests: a test PKI made with ``cryptography``, and poppler's pdfsig."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspector_app.documents import demo_pki

PASSWORD = b"1234"


@dataclass(frozen=True)
class Pki:
    root: demo_pki.Issued
    other_root: demo_pki.Issued
    leader: demo_pki.Issued
    representative: demo_pki.Issued
    root_pem: Path
    other_root_pem: Path
    leader_p12: Path
    representative_p12: Path


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    root = demo_pki.make_root()
    other = demo_pki.make_root("Một CA khác")
    leader = demo_pki.issue_signer(root, "Lê Văn Thắng")
    rep = demo_pki.issue_signer(root, "Võ Thị Hồng", org="UBND phường Thành Sen")
    return Pki(
        root=root,
        other_root=other,
        leader=leader,
        representative=rep,
        root_pem=root.write_pem(folder / "root.pem"),
        other_root_pem=other.write_pem(folder / "other-root.pem"),
        leader_p12=demo_pki.write_pkcs12(leader, root, folder / "leader.p12", PASSWORD),
        representative_p12=demo_pki.write_pkcs12(rep, root, folder / "rep.p12", PASSWORD),
    )


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install it with `apt-get install -y {package}`", pytrace=False)
    return path


def pdfsig(path: Path) -> str:
    """pdfsig's report (it exits non-zero when a signature is invalid: the text is what counts)."""
    out = subprocess.run([require_tool("pdfsig", "poppler-utils"), str(path)], capture_output=True)
    return out.stdout.decode("utf-8", "replace") + out.stderr.decode("utf-8", "replace")
