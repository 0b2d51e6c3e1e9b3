"""Signing through a real PKCS#11 module: SoftHSM2 as the USB token, loaded with opensc's pkcs11-tool.

CI installs them with `apt-get install -y softhsm2 opensc`; without them these tests fail and say so.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspector_app.core.ids import stable_id
from inspector_app.core.workspace import Workspace
from inspector_app.documents.minutes import render_minutes
from inspector_app.documents.signing import SigningError, pkcs11_signer, sign_pdf
from inspector_app.documents.tokens import TokenModule
from inspector_app.documents.verify import load_trust_roots, verify_pdf
from tests.documents.conftest import Pki, pdfsig, require_tool

SIGNED = stable_id("demo", "visit", "v1")
MODULE_PATHS = TokenModule(
    "SoftHSM2",
    linux=(
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    ),
)
LABEL, PIN, SO_PIN, KEY = "test", "1234", "5678", "truong-doan"


@dataclass(frozen=True)
class Token:
    lib: str
    label: str
    pin: str
    key_label: str


@pytest.fixture(scope="module")
def token(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """A SoftHSM2 token holding the leader's key and certificate.

    SoftHSM reads SOFTHSM2_CONF when the module initialises; python-pkcs11 keeps the module loaded
    for the process, so the whole test session shares this one token folder.
    """
    util = require_tool("softhsm2-util", "softhsm2")
    tool = require_tool("pkcs11-tool", "opensc")
    lib = MODULE_PATHS.installed("linux")
    if lib is None:
        pytest.fail("libsofthsm2.so not found: install it with `apt-get install -y softhsm2`", pytrace=False)
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = dict(os.environ)

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, env=env)

    run(util, "--init-token", "--free", "--label", LABEL, "--pin", PIN, "--so-pin", SO_PIN)
    key, cert = folder / "key.der", folder / "cert.der"
    key.write_bytes(pki.leader.key_der)
    cert.write_bytes(pki.leader.cert_der)
    base = (tool, "--module", lib, "--token-label", LABEL, "--login", "--pin", PIN)
    run(*base, "--write-object", str(key), "--type", "privkey", "--id", "01", "--label", KEY)
    run(*base, "--write-object", str(cert), "--type", "cert", "--id", "01", "--label", KEY)
    yield Token(lib, LABEL, PIN, KEY)
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def test_sign_with_token_and_verify(demo_ws: Workspace, pki: Pki, token: Token, tmp_path: Path) -> None:
    with demo_ws.session() as session:
        m = render_minutes(session, SIGNED, attachments=demo_ws.attachments)
    box = m.signature_boxes["truong_doan"]
    with pkcs11_signer(token.lib, token.label, token.key_label, token.pin) as signer:
        signed = sign_pdf(m.data, signer, field="truong_doan", box=box, other_boxes=m.signature_boxes)
    assert signed.signer_name == "Lê Văn Thắng"
    report = verify_pdf(signed.data, load_trust_roots([pki.root_pem]))
    assert report.ok, report.reasons()
    path = tmp_path / "token.pdf"
    path.write_bytes(signed.data)
    assert "Signature is Valid." in pdfsig(path)


def test_token_key_found_without_a_label(demo_ws: Workspace, token: Token) -> None:
    with demo_ws.session() as session:
        data = render_minutes(session, SIGNED, attachments=demo_ws.attachments).data
    with pkcs11_signer(token.lib, token.label, None, token.pin) as signer:
        signed = sign_pdf(data, signer, field="truong_doan")
    assert verify_pdf(signed.data).ok


def test_token_wrong_pin_and_unknown_label_are_clear_errors(token: Token) -> None:
    with (
        pytest.raises(SigningError, match="PIN"),
        pkcs11_signer(token.lib, token.label, token.key_label, "9999"),
    ):
        pass
    with pytest.raises(SigningError, match="khong-co"), pkcs11_signer(token.lib, "khong-co", None, token.pin):
        pass
