"""Conclusion notices on the command line: parsers and handlers for cli.py.

    inspector-app export notice NOTICE -o OUT.pdf
    inspector-app notice list [--json]
    inspector-app notice issue NOTICE [--number N]
    inspector-app notice sign NOTICE --p12 FILE [--password-env VAR] [--location PLACE]
    inspector-app notice sign NOTICE --pkcs11-lib LIB --token-label L [--key-label K] [--pin-env VAR]
    inspector-app notice verify NOTICE [--trust CA.pem]…

NOTICE is the notice's id, the first characters of it, or its number (06/TB-ĐKTCV). The exported
PDF of a signed notice is the signed file itself. Exit codes: 0 done / valid; 1 refused or invalid
(the reason on stderr); 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from inspector_app.i18n import _


def add_export_notice_parser(export_sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = export_sub.add_parser(
        "notice", help=_("a conclusion notice as PDF (the signed file once signed)")
    )
    p.add_argument("notice", metavar="NOTICE", help=_("the notice: its id or its number (06/TB-ĐKTCV)"))
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    return p


def add_notice_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser("notice", help=_("conclusion notices (thông báo kết luận)"))
    notice_sub = p.add_subparsers(dest="notice_command", required=True, metavar=_("ACTION"))
    listing = notice_sub.add_parser("list", help=_("list the conclusion notices"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    issue = notice_sub.add_parser("issue", help=_("give a draft notice its number and make it final"))
    issue.add_argument("notice", metavar="NOTICE")
    issue.add_argument("--number", metavar="N", help=_("a number typed by hand (the block ran out)"))
    sign = notice_sub.add_parser("sign", help=_("sign an issued notice digitally (PAdES)"))
    sign.add_argument("notice", metavar="NOTICE")
    key = sign.add_mutually_exclusive_group(required=True)
    key.add_argument("--p12", metavar=_("FILE"), help=_("certificate and key in a PKCS#12 file (.p12/.pfx)"))
    key.add_argument(
        "--pkcs11-lib",
        metavar="LIB",
        help=_("PKCS#11 module of the USB token (a path or a known token name)"),
    )
    sign.add_argument(
        "--password-env", metavar="VAR", help=_("environment variable holding the .p12 password")
    )
    sign.add_argument("--token-label", metavar="L", help=_("label of the token"))
    sign.add_argument("--key-label", metavar="K", help=_("label of the key on the token"))
    sign.add_argument("--pin-env", metavar="VAR", help=_("environment variable holding the token PIN"))
    sign.add_argument("--location", help=_("place recorded in the signature"))
    verify = notice_sub.add_parser("verify", help=_("check the signature of a signed notice"))
    verify.add_argument("notice", metavar="NOTICE")
    verify.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="CA.pem",
        help=_("trusted root certificate: every signer must chain to one (repeatable)"),
    )
    return p


def _fail(message: object, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code


def find_notice(session: Any, value: str) -> uuid.UUID:
    """A notice by id, id prefix (at least 6 characters) or number."""
    import sqlalchemy as sa
    from sqlmodel import col, select

    from inspector_app.core.models import ConclusionNotice
    from inspector_app.core.text import nfc

    live = ConclusionNotice.deleted == sa.false()
    try:
        wanted = uuid.UUID(value)
    except ValueError:
        pass
    else:
        if session.exec(select(ConclusionNotice.id).where(ConclusionNotice.id == wanted, live)).first():
            return wanted
        raise LookupError(_("Conclusion notice not found: {id}").format(id=value))
    by_number = session.exec(
        select(ConclusionNotice.id).where(ConclusionNotice.number == nfc(value).strip(), live)
    ).all()
    if len(by_number) == 1:
        return by_number[0]
    prefix = value.strip().lower().replace("-", "")
    if len(prefix) >= 6 and all(c in "0123456789abcdef" for c in prefix):
        ids = [
            i
            for i in session.exec(select(col(ConclusionNotice.id)).where(live)).all()
            if i.hex.startswith(prefix)
        ]
        if len(ids) == 1:
            return ids[0]
    raise LookupError(_("Conclusion notice not found: {id}").format(id=value))


def export_notice_command(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.core.desk.notice_signing import notice_pdf
    from inspector_app.core.services.errors import ServiceError
    from inspector_app.documents.base import DocumentError

    out = Path(args.output)
    if out.suffix.lower() != ".pdf":
        return _fail(_("The output must end in .pdf: {path}").format(path=out), 2)
    try:
        with ws.session() as session:
            data = notice_pdf(session, ws.attachments, find_notice(session, args.notice))
    except (LookupError, ServiceError, DocumentError) as exc:
        return _fail(exc)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")  # never a half-written file under the real name
    tmp.write_bytes(data)
    tmp.replace(out)
    print(_("Wrote {path}").format(path=out))
    return 0


def notice_command(ws: Any, args: argparse.Namespace) -> int:
    handlers = {"list": _list, "issue": _issue, "sign": _sign, "verify": _verify}
    return handlers[args.notice_command](ws, args)


def _list(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.core.desk.notices import list_notices

    with ws.session() as session:
        rows = list_notices(session)
    items = [
        {
            "id": str(n.id),
            "number": n.number,
            "unit": unit,
            "issued_on": n.issued_on.isoformat(),
            "status": n.status,
            "report_by": n.report_by.isoformat() if n.report_by else None,
        }
        for n, unit in rows
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return 0
    for item in items:
        number = item["number"] or "—"
        print(f"{item['id']}  {number:<14}  {item['issued_on']}  {item['status']:<7}  {item['unit']}")
    return 0


def _issue(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.core.db import session_scope
    from inspector_app.core.desk.notices import issue_notice
    from inspector_app.core.services.errors import ServiceError

    try:
        with session_scope(ws.engine) as session:
            notice = issue_notice(
                session, ws.editor, notice_id=find_notice(session, args.notice), manual_number=args.number
            )
            number = notice.number
    except (LookupError, ServiceError) as exc:
        return _fail(exc)
    print(_("Issued as {number}").format(number=number))
    return 0


def _sign(ws: Any, args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from inspector_app.core.db import session_scope
    from inspector_app.core.desk.notice_signing import sign_notice
    from inspector_app.core.services.errors import ServiceError
    from inspector_app.documents.base import DocumentError
    from inspector_app.documents.commands import _module_path, _secret  # the `sign` command's helpers
    from inspector_app.documents.signing import SigningError, load_pkcs12, pkcs11_signer

    try:
        with ExitStack() as stack:
            if args.p12:
                password = _secret(args.password_env, _("Password of the certificate file: "))
                signer: Any = load_pkcs12(Path(args.p12), password.encode("utf-8") if password else None)
            else:
                if not args.token_label:
                    return _fail(_("--token-label is required with --pkcs11-lib"), 2)
                pin = _secret(args.pin_env, _("Token PIN: "))
                lib = _module_path(args.pkcs11_lib)
                signer = stack.enter_context(pkcs11_signer(lib, args.token_label, args.key_label, pin))
            with session_scope(ws.engine) as session:
                notice = sign_notice(
                    session,
                    ws.editor,
                    ws.attachments,
                    notice_id=find_notice(session, args.notice),
                    signer=signer,
                    location=args.location,
                )
                number, when = notice.number, notice.signed_at
    except (LookupError, ServiceError, DocumentError, SigningError, ValueError, FileNotFoundError) as exc:
        return _fail(exc)
    from inspector_app.documents.formatting import local

    stamp = local(when).strftime("%d/%m/%Y %H:%M:%S") if when else "?"
    print(_("Signed the notice {number} at {time}").format(number=number, time=stamp))
    return 0


def _verify(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.core.desk.notice_signing import verify_notice
    from inspector_app.core.services.errors import ServiceError
    from inspector_app.documents.verify import load_trust_roots

    try:
        roots = load_trust_roots([Path(p) for p in args.trust]) if args.trust else None
        with ws.session() as session:
            report = verify_notice(session, ws.attachments, find_notice(session, args.notice), roots)
    except (LookupError, ServiceError, ValueError) as exc:
        return _fail(exc)
    for n, s in enumerate(report.signatures, start=1):
        when = s.signed_at.strftime("%d/%m/%Y %H:%M:%S %z") if s.signed_at else "?"
        print(_("Signature {n}: field {field}").format(n=n, field=s.field))
        print("  " + _("Signer: {subject}").format(subject=s.cert.subject if s.cert else "?"))
        print("  " + _("Signing time: {time}").format(time=when))
    if report.ok:
        print(_("All signatures are valid."))
        return 0
    for reason in report.reasons():
        print(reason, file=sys.stderr)
    return 1
