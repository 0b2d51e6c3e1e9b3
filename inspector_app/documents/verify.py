"""Checking the PAdES signatures of a PDF: who signed, when, intact or not, whether each covers the
document as it was signed (later revisions may only add signatures), and — given trusted root
certificates — whether the signer's chain reaches one of them.

No network: no OCSP/CRL fetching (the laptop is usually offline); revocation is not checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from inspector_app.documents.signing import VN_TZ, quiet_pyhanko
from inspector_app.i18n import _

# Changes after a signature that keep it "covering the document as signed": none, archival
# updates, or filling form fields — that is, later signatures in their pre-created fields.
ALLOWED_LATER_CHANGES = (
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
)


@dataclass(frozen=True)
class CertInfo:
    common_name: str
    subject: str  # "CN=…, O=…, C=VN"
    serial_hex: str
    sha256: str  # fingerprint of the DER certificate

    @classmethod
    def of(cls, cert: asn1_x509.Certificate) -> CertInfo:
        native = cert.subject.native
        return cls(
            common_name=str(native.get("common_name", "")),
            subject=subject_text(cert),
            serial_hex=format(cert.serial_number, "X"),
            sha256=hashlib.sha256(cert.dump()).hexdigest(),
        )


def subject_text(cert: asn1_x509.Certificate) -> str:
    """The subject as "CN=…, O=…, C=VN" (most specific first, as pdfsig shows it)."""
    short = {"common_name": "CN", "organization_name": "O", "organizational_unit_name": "OU"}
    short |= {"country_name": "C", "locality_name": "L", "state_or_province_name": "ST"}
    parts = []
    for rdn in reversed(list(cert.subject.chosen)):
        for attr in rdn:
            key = attr["type"].native
            parts.append(f"{short.get(key, key)}={attr['value'].native}")
    return ", ".join(parts)


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    cert: CertInfo | None
    signed_at: dt.datetime | None  # as the signer reported it, in Asia/Ho_Chi_Minh
    intact: bool  # the signed bytes hash to what the signature says
    valid: bool  # the signature over that hash verifies with the certificate's key
    covers_document: bool  # whole file, or later revisions only add signatures
    coverage: str
    modification: str
    trusted: bool | None  # None when no trusted root was given
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.covers_document and self.trusted is not False

    @property
    def signer(self) -> str:
        return self.cert.common_name if self.cert else "?"


@dataclass(frozen=True)
class VerifyReport:
    signatures: tuple[SignatureCheck, ...]
    unsigned_fields: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """At least one signature, and every signature fine."""
        return bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)

    def reasons(self) -> list[str]:
        out = list(self.problems)
        if not self.signatures and not self.problems:
            out.append(_("The file has no digital signature"))
        for s in self.signatures:
            out += [f"{s.field} ({s.signer}): {p}" for p in s.problems]
        return out


def load_trust_roots(paths: Sequence[Path]) -> list[asn1_x509.Certificate]:
    roots = []
    for path in paths:
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except (OSError, ValueError) as exc:
            raise ValueError(
                _("Cannot read the certificate {path}: {error}").format(path=path, error=exc)
            ) from exc
    return roots


def verify_pdf(data: bytes, trust_roots: Sequence[asn1_x509.Certificate] | None = None) -> VerifyReport:
    """Check every signature of ``data``. ``trust_roots=None``: chains are not judged (``trusted`` is
    None); a list: each signer's chain must reach one of them."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_regular_signatures)
        unsigned = tuple(name for name, value, _ref in fields.enumerate_sig_fields(reader) if value is None)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        return VerifyReport((), (), (_("Not a readable PDF: {error}").format(error=exc),))
    context = ValidationContext(
        trust_roots=list(trust_roots or []), allow_fetching=False, revocation_mode="soft-fail"
    )
    checks = []
    for sig in sigs:
        checks.append(_check(sig, context, judge_trust=trust_roots is not None))
    return VerifyReport(tuple(checks), unsigned)


def _check(sig: object, context: ValidationContext, *, judge_trust: bool) -> SignatureCheck:
    name = str(getattr(sig, "field_name", "?"))
    cert = getattr(sig, "signer_cert", None)
    info = CertInfo.of(cert) if cert is not None else None
    try:
        with quiet_pyhanko():  # a chain that does not reach a root is logged with a traceback
            status: PdfSignatureStatus = validate_pdf_signature(sig, context)  # type: ignore[arg-type]
    except Exception as exc:  # a broken CMS blob raises from deep inside; report, do not crash
        return SignatureCheck(
            name,
            info,
            None,
            False,
            False,
            False,
            "UNCLEAR",
            "UNCLEAR",
            False if judge_trust else None,
            (_("The signature cannot be checked: {error}").format(error=f"{type(exc).__name__}: {exc}"),),
        )
    level = status.modification_level
    covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and level in ALLOWED_LATER_CHANGES
        and bool(status.docmdp_ok)
    )
    trusted = bool(status.trusted) if judge_trust else None
    problems = []
    if not status.intact:
        problems.append(_("the document was changed after it was signed (the signed bytes do not match)"))
    if not status.valid:
        problems.append(_("the signature does not match the signer's certificate"))
    if status.intact and not covers:
        problems.append(_("content was changed in a later revision, after this signature"))
    if trusted is False:
        problems.append(_("the signer's certificate does not chain to a trusted root"))
    when = status.signer_reported_dt.astimezone(VN_TZ) if status.signer_reported_dt else None
    return SignatureCheck(
        field=name,
        cert=info,
        signed_at=when,
        intact=bool(status.intact),
        valid=bool(status.valid),
        covers_document=covers,
        coverage=status.coverage.name if status.coverage else "UNCLEAR",
        modification=level.name if level else "NONE",
        trusted=trusted,
        problems=tuple(problems),
    )
