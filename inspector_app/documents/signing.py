"""PAdES signatures (pyHanko) with a PKCS#12 file or a PKCS#11 token, and a visible Vietnamese stamp.

Every signature is an incremental update appended to the bytes it signs, so several signers sign
in turn (team leader, then the unit's representative) without touching earlier signatures. The
first signature also creates the empty fields of the other signers (TECH-NOTES §2: pre-created
fields keep pyHanko's modification analysis at "form filling" for the earlier signatures).

The stamp font is Noto Serif (unitsPerEm 1000): pyHanko writes glyph widths in font units where
PDF expects 1/1000 em, so a 2048-unit font such as Liberation Serif comes out letter-spaced.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.stamp import TextStampStyle

from inspector_app.documents.flowables import PageBox
from inspector_app.documents.formatting import nfc
from inspector_app.i18n import _
from inspector_app.paths import shipped

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STAMP_FONT = "resources/fonts/NotoSerif-Regular.ttf"
STAMP_FONT_SIZE = 7
STAMP_TEXT = "Ký số bởi: %(signer)s\nĐơn vị: %(org)s\nNgày ký: %(ts)s"
STAMP_TEXT_NO_ORG = "Ký số bởi: %(signer)s\nNgày ký: %(ts)s"
TIME_FORMAT = "%d/%m/%Y %H:%M:%S +07:00"
DEFAULT_REASON = "Ký biên bản kiểm tra công vụ"
STAMP_COLOR = (0.72, 0.0, 0.0)  # the red of a seal
STAMP_HEIGHT = 36  # points: three lines at the bottom of the signature space, under the drawn signature


@contextmanager
def quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs an ERROR with a traceback for failures we report ourselves (a wrong password,
    a chain that does not reach a trusted root); keep them off the user's terminal."""
    logger = logging.getLogger("pyhanko")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


class SigningError(Exception):
    """Signing was refused or failed; ``str(error)`` is a message for the user."""


# ---------------------------------------------------------------------------------------- keys


def load_pkcs12(path: Path, password: bytes | None = None) -> signers.SimpleSigner:
    """The key and certificate of a .p12/.pfx file (the CA's chain inside it is embedded too)."""
    if not path.is_file():
        raise SigningError(_("Certificate file not found: {path}").format(path=path))
    try:
        with quiet_pyhanko():
            signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password or None)
    except (ValueError, TypeError, OSError) as exc:
        raise SigningError(
            _("Cannot open the certificate file {path} (wrong password?): {error}").format(
                path=path, error=exc
            )
        ) from exc
    if signer is None:
        raise SigningError(_("Cannot open the certificate file {path} (wrong password?)").format(path=path))
    return signer


@contextmanager
def pkcs11_signer(
    lib: str, token_label: str, key_label: str | None = None, pin: str | None = None
) -> Iterator[signers.Signer]:
    """A signer on a USB token through its PKCS#11 module; the session closes on exit.

    Without ``key_label`` the token must hold exactly one private key. ``pin=None`` lets a token
    with its own PIN pad or dialog ask for it (protected authentication path).
    """
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as p11_errors
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as p11

    if not Path(lib).is_file():
        raise SigningError(_("PKCS#11 module not found: {path}").format(path=lib))
    try:
        session = p11.open_pkcs11_session(
            lib, token_criteria=TokenCriteria(label=token_label), user_pin=pin or p11.PROTECTED_AUTH
        )
    except p11_errors.PinIncorrect as exc:
        raise SigningError(_("Wrong PIN for the token {label}").format(label=token_label)) from exc
    except (p11_errors.PKCS11Error, OSError, RuntimeError) as exc:
        raise SigningError(
            _("Cannot open the token {label} with {lib}: {error}").format(
                label=token_label, lib=lib, error=type(exc).__name__ + (f" {exc}" if str(exc) else "")
            )
        ) from exc
    try:
        key_id: bytes | None = None
        if key_label is None:
            keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
            if len(keys) != 1:
                labels = ", ".join(str(k[Attribute.LABEL]) for k in keys) or "—"
                raise SigningError(
                    _("Choose the key on the token {label} (keys: {keys})").format(
                        label=token_label, keys=labels
                    )
                )
            key_id = bytes(keys[0][Attribute.ID])
        yield p11.PKCS11Signer(
            session, key_label=key_label, key_id=key_id, other_certs_to_pull=None, embed_roots=True
        )
    finally:
        session.close()


def certificate_name(signer: signers.Signer) -> tuple[str, str]:
    """(common name, organisation) of the signer's certificate."""
    cert = signer.signing_cert
    if cert is None:
        raise SigningError(_("The signing key has no certificate"))
    subject = cert.subject.native
    return nfc(str(subject.get("common_name", ""))), nfc(str(subject.get("organization_name", "")))


# ---------------------------------------------------------------------------------------- stamp


def stamp_style(with_org: bool = True) -> TextStampStyle:
    font = GlyphAccumulatorFactory(str(shipped(STAMP_FONT)), font_size=STAMP_FONT_SIZE)
    return TextStampStyle(
        stamp_text=STAMP_TEXT if with_org else STAMP_TEXT_NO_ORG,
        timestamp_format=TIME_FORMAT,
        text_box_style=TextBoxStyle(
            font=font,
            font_size=STAMP_FONT_SIZE,
            leading=round(STAMP_FONT_SIZE * 1.3),
            text_color=STAMP_COLOR,
            # pyHanko's default puts 10 pt around the text, which a 36 pt stamp cannot spare.
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        ),
        border_width=1,
        border_color=STAMP_COLOR,
        # A white veil under the text: the drawn signature shows through, the text stays readable.
        background=RawContent(b"1 1 1 rg 0 0 10 10 re f", box=layout.BoxConstraints(10, 10)),
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
        ),
        background_opacity=0.8,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(3),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


class _VnTimePdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time (CMS attribute and stamp) is the one given, in Vietnam's zone
    — pyHanko takes the machine's zone otherwise, and a laptop may be set to anything."""

    def __init__(self, *args: Any, signing_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


# ---------------------------------------------------------------------------------------- sign


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    field: str
    signer_name: str
    signed_at: dt.datetime  # aware, Asia/Ho_Chi_Minh


def field_names(data: bytes) -> dict[str, bool]:
    """Signature fields of a PDF: name → signed already."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return {name: value is not None for name, value, _ref in fields.enumerate_sig_fields(reader)}


def sign_pdf(
    data: bytes,
    signer: signers.Signer,
    *,
    field: str,
    box: PageBox | None = None,
    other_boxes: Mapping[str, PageBox] | None = None,
    reason: str = DEFAULT_REASON,
    location: str | None = None,
    at: dt.datetime | None = None,
) -> SignedPdf:
    """Sign ``data`` in the signature field ``field`` and return the new bytes (the old ones plus
    an incremental update).

    ``box`` places a visible stamp when the field does not exist yet; ``other_boxes`` are the
    fields of the later signers, created empty now when missing. A field already signed is refused.
    """
    existing = field_names(data)
    if existing.get(field):
        raise SigningError(_("The field {field} is already signed").format(field=field))
    name, org = certificate_name(signer)
    when = (at or dt.datetime.now(VN_TZ)).astimezone(VN_TZ).replace(microsecond=0)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    for other, other_box in (other_boxes or {}).items():
        if other != field and other not in existing:
            fields.append_signature_field(writer, _field_spec(other, other_box))
    new_field = _field_spec(field, box) if field not in existing else None
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=nfc(reason),
        location=nfc(location) if location else None,
        name=name or None,
    )
    pdf_signer = _VnTimePdfSigner(
        meta, signer=signer, stamp_style=stamp_style(bool(org)), new_field_spec=new_field, signing_time=when
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params={"org": org})
    except SigningError:
        raise
    except Exception as exc:  # pyHanko and token drivers raise many kinds; the user needs the reason
        raise SigningError(_("Signing failed: {error}").format(error=f"{type(exc).__name__}: {exc}")) from exc
    return SignedPdf(out.getvalue(), field, name, when)


def _field_spec(name: str, box: PageBox | None) -> SigFieldSpec:
    if box is None:
        return SigFieldSpec(name)
    top = min(box.y2, box.y1 + STAMP_HEIGHT)
    rect = (round(box.x1), round(box.y1), round(box.x2), round(top))
    return SigFieldSpec(name, on_page=box.page_index, box=rect)


__all__ = [
    "DEFAULT_REASON",
    "VN_TZ",
    "SignedPdf",
    "SigningError",
    "certificate_name",
    "field_names",
    "load_pkcs12",
    "pkcs11_signer",
    "sign_pdf",
    "stamp_style",
]
