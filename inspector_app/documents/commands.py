"""``inspector-app sign`` and ``inspector-app verify``: parsers and handlers for cli.py.

Building the parsers imports nothing heavy; pyHanko is imported when a command runs.

    inspector-app sign IN.pdf -o OUT.pdf --p12 FILE [--password-env VAR]
    inspector-app sign IN.pdf -o OUT.pdf --pkcs11-lib LIB --token-label L [--key-label K] [--pin-env VAR]
    inspector-app verify FILE.pdf [--trust CA.pem]…

Exit codes: 0 done / every signature valid; 1 refused or invalid (the reason on stderr).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from inspector_app.i18n import _


def add_sign_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser("sign", help=_("sign a PDF digitally (PAdES)"))
    p.add_argument("input", metavar="IN.pdf")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    key = p.add_mutually_exclusive_group(required=True)
    key.add_argument("--p12", metavar=_("FILE"), help=_("certificate and key in a PKCS#12 file (.p12/.pfx)"))
    key.add_argument(
        "--pkcs11-lib",
        metavar="LIB",
        help=_("PKCS#11 module of the USB token (a path or a known token name)"),
    )
    p.add_argument("--password-env", metavar="VAR", help=_("environment variable holding the .p12 password"))
    p.add_argument("--token-label", metavar="L", help=_("label of the token"))
    p.add_argument("--key-label", metavar="K", help=_("label of the key on the token"))
    p.add_argument("--pin-env", metavar="VAR", help=_("environment variable holding the token PIN"))
    p.add_argument("--field", metavar=_("NAME"), help=_("signature field (default: the first empty one)"))
    p.add_argument(
        "--box",
        metavar="PAGE:X1,Y1,X2,Y2",
        help=_("where a new field's visible stamp goes (page from 1, PDF points)"),
    )
    p.add_argument("--reason", help=_("reason recorded in the signature"))
    p.add_argument("--location", help=_("place recorded in the signature"))
    return p


def add_verify_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser("verify", help=_("check the digital signatures of a PDF"))
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="CA.pem",
        help=_("trusted root certificate: every signer must chain to one (repeatable)"),
    )
    return p


def add_parsers(sub: Any) -> None:
    add_sign_parser(sub)
    add_verify_parser(sub)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _secret(env: str | None, prompt: str) -> str | None:
    if env:
        value = os.environ.get(env)
        if value is None:
            raise LookupError(_("The environment variable {name} is not set").format(name=env))
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    return None


def _parse_box(text: str) -> Any:
    from inspector_app.documents.flowables import PageBox

    try:
        page, coords = text.split(":", 1)
        x1, y1, x2, y2 = (float(v) for v in coords.split(","))
        return PageBox(int(page) - 1, x1, y1, x2, y2)
    except ValueError as exc:
        raise ValueError(_("--box must look like 5:87,224,239,292")) from exc


def _module_path(value: str) -> str:
    if Path(value).is_file():
        return value
    from inspector_app.documents.tokens import load_token_modules

    for module in load_token_modules():
        if module.name.casefold() == value.casefold():
            found = module.installed()
            if found is None:
                raise FileNotFoundError(
                    _("The driver of {name} is not installed here").format(name=module.name)
                )
            return found
    return value  # let the signer report it missing


def sign_command(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from pyhanko.sign.signers import Signer

    from inspector_app.documents.signing import (
        SigningError,
        field_names,
        load_pkcs12,
        pkcs11_signer,
        sign_pdf,
    )

    src, out = Path(args.input), Path(args.output)
    if not src.is_file():
        return _fail(_("File not found: {path}").format(path=src))
    data = src.read_bytes()
    try:
        box = _parse_box(args.box) if args.box else None
        fields = field_names(data)
        field = args.field or next((n for n, signed in fields.items() if not signed), None)
        field = field or f"Signature{len(fields) + 1}"
        with ExitStack() as stack:
            signer: Signer
            if args.p12:
                password = _secret(args.password_env, _("Password of the certificate file: "))
                signer = load_pkcs12(Path(args.p12), password.encode("utf-8") if password else None)
            else:
                if not args.token_label:
                    return _fail(_("--token-label is required with --pkcs11-lib"))
                pin = _secret(args.pin_env, _("Token PIN: "))
                lib = _module_path(args.pkcs11_lib)
                signer = stack.enter_context(pkcs11_signer(lib, args.token_label, args.key_label, pin))
            extra = {"reason": args.reason} if args.reason else {}
            signed = sign_pdf(data, signer, field=field, box=box, location=args.location, **extra)
    except (SigningError, LookupError, ValueError, FileNotFoundError) as exc:
        return _fail(str(exc))
    out.write_bytes(signed.data)
    when = signed.signed_at.strftime("%d/%m/%Y %H:%M:%S")
    print(
        _("Signed by {name} at {time} (field {field}): {path}").format(
            name=signed.signer_name, time=when, field=field, path=out
        )
    )
    return 0


def verify_command(args: argparse.Namespace) -> int:
    from inspector_app.documents.verify import load_trust_roots, verify_pdf

    path = Path(args.file)
    if not path.is_file():
        return _fail(_("File not found: {path}").format(path=path))
    try:
        roots = load_trust_roots([Path(p) for p in args.trust]) if args.trust else None
    except ValueError as exc:
        return _fail(str(exc))
    report = verify_pdf(path.read_bytes(), roots)
    yes, no = _("yes"), _("no")
    for n, s in enumerate(report.signatures, start=1):
        when = s.signed_at.strftime("%d/%m/%Y %H:%M:%S %z") if s.signed_at else "?"
        print(_("Signature {n}: field {field}").format(n=n, field=s.field))
        print("  " + _("Signer: {subject}").format(subject=s.cert.subject if s.cert else "?"))
        print("  " + _("Signing time: {time}").format(time=when))
        print("  " + _("Intact: {value}").format(value=yes if s.intact and s.valid else no))
        print(
            "  " + _("Covers the document as signed: {value}").format(value=yes if s.covers_document else no)
        )
        if s.trusted is not None:
            print("  " + _("Chains to a trusted root: {value}").format(value=yes if s.trusted else no))
    for name in report.unsigned_fields:
        print(_("Empty signature field: {field}").format(field=name))
    if report.ok:
        print(_("All signatures are valid."))
        return 0
    for reason in report.reasons():
        print(reason, file=sys.stderr)
    return 1
