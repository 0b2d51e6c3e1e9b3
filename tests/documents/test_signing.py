"""PAdES signing and verification of the biên bản, checked by our verify and by poppler's pdfsig."""

from __future__ import annotations

import argparse
import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from inspector_app.core.ids import stable_id
from inspector_app.core.workspace import Workspace
from inspector_app.documents.commands import add_parsers, sign_command, verify_command
from inspector_app.documents.minutes import MinutesPdf, render_minutes
from inspector_app.documents.signing import SigningError, field_names, load_pkcs12, sign_pdf
from inspector_app.documents.verify import load_trust_roots, verify_pdf
from tests.documents.conftest import PASSWORD, Pki, pdfsig, require_tool

SIGNED = stable_id("demo", "visit", "v1")
LEADER, REP = "truong_doan", "dai_dien_don_vi"


def minutes(ws: Workspace) -> MinutesPdf:
    with ws.session() as session:
        return render_minutes(session, SIGNED, attachments=ws.attachments)


def sign_leader(m: MinutesPdf, pki: Pki) -> bytes:
    signer = load_pkcs12(pki.leader_p12, PASSWORD)
    boxes = m.signature_boxes
    return sign_pdf(
        m.data, signer, field=LEADER, box=boxes[LEADER], other_boxes=boxes, location="Hà Tĩnh"
    ).data


def sign_both(m: MinutesPdf, pki: Pki) -> tuple[bytes, bytes]:
    first = sign_leader(m, pki)
    second = sign_pdf(first, load_pkcs12(pki.representative_p12, PASSWORD), field=REP).data
    return first, second


def pdfsig_verdicts(path: Path) -> list[str]:
    return re.findall(r"Signature Validation: (.+)", pdfsig(path))


def stamp_texts(data: bytes, field: str) -> list[str]:
    """The /ActualText strings of the field's appearance (what the stamp shows, as Unicode)."""
    reader = PdfFileReader(io.BytesIO(data))
    ref = next(r for name, _v, r in fields.enumerate_sig_fields(reader) if name == field)
    streams, todo = [], [ref.get_object()["/AP"]["/N"].get_object()]
    while todo:
        xobj = todo.pop()
        streams.append(xobj.data)
        resources = xobj.get("/Resources")
        for sub in (resources.get_object().get("/XObject") or {}).values() if resources else ():
            todo.append(sub.get_object())
    blob = b"\n".join(streams)
    out = []
    for m in re.finditer(rb"/ActualText\s*\(", blob):
        stream = io.BytesIO(blob)
        stream.seek(m.end() - 1)
        out.append(str(generic.read_string_from_stream(stream)))
    return out


# ------------------------------------------------------------------------------------------ one signer


def test_p12_signature_valid_for_us_and_pdfsig(demo_ws: Workspace, pki: Pki, tmp_path: Path) -> None:
    m = minutes(demo_ws)
    data = sign_leader(m, pki)
    assert data.startswith(m.data), "an incremental update keeps the rendered bytes as they were"
    report = verify_pdf(data, load_trust_roots([pki.root_pem]))
    assert report.ok, report.reasons()
    (sig,) = report.signatures
    assert sig.field == LEADER and sig.signer == "Lê Văn Thắng"
    assert sig.cert is not None and "O=Thanh tra tỉnh Hà Tĩnh (DEMO)" in sig.cert.subject
    assert sig.intact and sig.valid and sig.covers_document and sig.trusted
    assert sig.coverage == "ENTIRE_FILE"
    assert sig.signed_at is not None and sig.signed_at.utcoffset().total_seconds() == 7 * 3600
    assert set(report.unsigned_fields) == {REP, "thu_ky"}, "the other signers' fields exist, empty"
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    text = pdfsig(path)
    assert pdfsig_verdicts(path) == ["Signature is Valid."], text
    assert "Total document signed" in text
    assert "ETSI.CAdES.detached" in text
    assert "Lê Văn Thắng" in text


def test_visible_stamp_is_vietnamese_and_drawn(demo_ws: Workspace, pki: Pki, tmp_path: Path) -> None:
    m = minutes(demo_ws)
    data = sign_leader(m, pki)
    texts = stamp_texts(data, LEADER)
    assert "Ký số bởi: Lê Văn Thắng" in texts
    assert "Đơn vị: Thanh tra tỉnh Hà Tĩnh (DEMO)" in texts
    assert any(re.fullmatch(r"Ngày ký: \d\d/\d\d/\d{4} \d\d:\d\d:\d\d \+07:00", t) for t in texts), texts
    assert b"NotoSerif" in data[len(m.data) :], "the stamp font is embedded in the update"
    # The stamp is really painted in the leader's box: red pixels there on the rendered page.
    box = m.signature_boxes[LEADER]
    path, png = tmp_path / "signed.pdf", tmp_path / "page"
    path.write_bytes(data)
    page = str(box.page_index + 1)
    require_tool("pdftoppm", "poppler-utils")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", page, "-l", page, "-singlefile", path, png], check=True
    )
    with Image.open(png.with_suffix(".png")) as img:
        rgb = img.convert("RGB")
        crop = rgb.crop(
            (round(box.x1), round(img.height - box.y2), round(box.x2), round(img.height - box.y1))
        )
        px = crop.tobytes()
        red = sum(1 for i in range(0, len(px), 3) if px[i] > 120 and px[i + 1] < 90 and px[i + 2] < 90)
    assert red > 50, "no red stamp drawn in the leader's box"


def test_one_byte_changed_in_signed_range_fails_both(demo_ws: Workspace, pki: Pki, tmp_path: Path) -> None:
    data = bytearray(sign_leader(minutes(demo_ws), pki))
    at = data.index(b"/Producer")  # inside the first byte range (the rendered document)
    data[at + 2] ^= 0x01
    report = verify_pdf(bytes(data))
    assert not report.ok
    (sig,) = report.signatures
    assert not sig.intact
    assert any("thay đổi sau khi ký" in r for r in report.reasons())
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(data))
    verdicts = pdfsig_verdicts(path)
    assert verdicts and "Valid" not in verdicts[0], pdfsig(path)


def test_field_already_signed_is_refused(demo_ws: Workspace, pki: Pki) -> None:
    data = sign_leader(minutes(demo_ws), pki)
    with pytest.raises(SigningError, match="đã được ký"):
        sign_pdf(data, load_pkcs12(pki.leader_p12, PASSWORD), field=LEADER)


def test_wrong_p12_password_is_a_clear_error(pki: Pki) -> None:
    with pytest.raises(SigningError, match="sai mật khẩu"):
        load_pkcs12(pki.leader_p12, b"nope")


# ------------------------------------------------------------------------------------------ two signers


def test_two_signers_in_turn_both_verify(demo_ws: Workspace, pki: Pki, tmp_path: Path) -> None:
    m = minutes(demo_ws)
    first, second = sign_both(m, pki)
    assert second.startswith(first)
    assert field_names(second) == {LEADER: True, REP: True, "thu_ky": False}
    report = verify_pdf(second, load_trust_roots([pki.root_pem]))
    assert report.ok, report.reasons()
    leader, rep = report.signatures
    assert (leader.signer, rep.signer) == ("Lê Văn Thắng", "Võ Thị Hồng")
    assert leader.coverage == "ENTIRE_REVISION" and leader.modification == "FORM_FILLING"
    assert leader.covers_document and rep.coverage == "ENTIRE_FILE"
    path = tmp_path / "both.pdf"
    path.write_bytes(second)
    assert pdfsig_verdicts(path) == ["Signature is Valid.", "Signature is Valid."], pdfsig(path)


def test_content_changed_after_a_signature_is_caught(demo_ws: Workspace, pki: Pki) -> None:
    """An incremental update that rewrites page content leaves the bytes of the first signature
    intact, but it no longer covers the document as shown."""
    data = sign_leader(minutes(demo_ws), pki)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 700 Td (FORGED) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    (sig,) = verify_pdf(out.getvalue()).signatures
    assert sig.intact and not sig.covers_document and not sig.ok


# ------------------------------------------------------------------------------------------ command line


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_cli_sign_then_verify_with_trust(
    demo_ws: Workspace,
    pki: Pki,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    src, one, two = tmp_path / "bb.pdf", tmp_path / "one.pdf", tmp_path / "two.pdf"
    m = minutes(demo_ws)
    src.write_bytes(m.data)
    box = m.signature_boxes[LEADER]
    monkeypatch.setenv("P12_PASSWORD", PASSWORD.decode())
    spec = f"{box.page_index + 1}:{box.x1},{box.y1},{box.x2},{box.y2}"
    argv = ("--p12", str(pki.leader_p12), "--password-env", "P12_PASSWORD")
    assert sign_command(parse("sign", str(src), "-o", str(one), *argv, "--field", LEADER, "--box", spec)) == 0
    argv = ("--p12", str(pki.representative_p12), "--password-env", "P12_PASSWORD")
    assert sign_command(parse("sign", str(one), "-o", str(two), *argv)) == 0
    capsys.readouterr()
    assert verify_command(parse("verify", str(two))) == 0
    assert verify_command(parse("verify", str(two), "--trust", str(pki.root_pem))) == 0
    out = capsys.readouterr().out
    assert "Lê Văn Thắng" in out and "Võ Thị Hồng" in out
    assert verify_command(parse("verify", str(two), "--trust", str(pki.other_root_pem))) == 1
    err = capsys.readouterr().err
    assert "gốc tin cậy" in err, err
    assert pdfsig_verdicts(two) == ["Signature is Valid.", "Signature is Valid."]


def test_cli_verify_fails_on_tampered_and_unsigned(
    demo_ws: Workspace, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    m = minutes(demo_ws)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(m.data)
    assert verify_command(parse("verify", str(plain))) == 1
    data = bytearray(sign_leader(m, pki))
    data[data.index(b"/Producer") + 2] ^= 0x01
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(data))
    assert verify_command(parse("verify", str(bad), "--trust", str(pki.root_pem))) == 1


def test_cli_sign_reports_bad_password(
    pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_ws: Workspace
) -> None:
    src = tmp_path / "bb.pdf"
    src.write_bytes(minutes(demo_ws).data)
    monkeypatch.setenv("P12_PASSWORD", "wrong")
    argv = ("--p12", str(pki.leader_p12), "--password-env", "P12_PASSWORD")
    assert sign_command(parse("sign", str(src), "-o", str(tmp_path / "x.pdf"), *argv)) == 1
    assert not (tmp_path / "x.pdf").exists()
