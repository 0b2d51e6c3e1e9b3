"""``inspector-office``: serve the sync API, load the demo reference data, manage users and devices."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.i18n import _, set_language
from inspector_app.office import admin
from inspector_app.office.principal import ROLES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspector-office", description=_("Office sync service for Kiểm tra công vụ")
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        default=os.environ.get("INSPECTOR_OFFICE_DB"),
        help=_("SQLAlchemy database URL (default: a SQLite file in the current folder)"),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help=_("run the sync service"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--tls-cert", metavar="FILE")
    serve.add_argument("--tls-key", metavar="FILE")
    serve.add_argument("--files", metavar="DIR", help=_("folder for uploaded attachments"))
    sub.add_parser("load-demo", help=_("load the demo province's reference data"))
    user = sub.add_parser("user", help=_("manage users")).add_subparsers(dest="action", required=True)
    add = user.add_parser("add", help=_("add a user (password from INSPECTOR_PASSWORD or a prompt)"))
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--team", metavar="CODE")
    device = sub.add_parser("device", help=_("manage signed-in devices")).add_subparsers(
        dest="action", required=True
    )
    device.add_parser("list")
    revoke = device.add_parser("revoke")
    revoke.add_argument("device_id")
    return parser


def _password() -> str:
    password = os.environ.get("INSPECTOR_PASSWORD")
    if password:
        return password
    first = getpass.getpass(_("Password: "))
    if first != getpass.getpass(_("Repeat the password: ")):
        raise InvalidInput(_("The passwords differ"))
    return first


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from inspector_app.office.app import create_app

    if bool(args.tls_cert) != bool(args.tls_key):
        raise InvalidInput(_("Give both --tls-cert and --tls-key"))
    engine = admin.office_engine(args.database_url)
    files = admin.default_blob_dir(engine) if args.files is None else Path(args.files)
    if not args.tls_cert and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            _("Warning: serving plain HTTP on {host}; laptops will refuse it without TLS").format(
                host=args.host
            ),
            file=sys.stderr,
        )
    app = create_app(engine, blob_dir=files)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        log_level="info",
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    set_language()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        build_parser().print_help()  # no command: show what there is (and succeed)
        return 0
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            return _serve(args)
        engine = admin.office_engine(args.database_url)
        if args.command == "load-demo":
            counts = admin.load_demo_reference(engine)
            print(
                _("Loaded {units} units and {officials} officials").format(
                    units=counts["unit"], officials=counts["official"]
                )
            )
        elif args.command == "user":
            user = admin.add_user(engine, args.name, args.role, _password(), args.team)
            print(_("User {name} added ({role})").format(name=user.name, role=user.role))
        elif args.action == "list":
            states = {
                admin.ACTIVE: _("active"),
                admin.PENDING_WIPE: _("revoked, waiting for the laptop to wipe its data"),
                admin.WIPED: _("revoked, data wiped on the laptop"),
                admin.SIGNED_OUT: _("signed out"),
            }
            for d in admin.list_devices(engine):
                state = states.get(d.state, d.state)
                print(f"{d.id}  {d.user:<16} {d.tag:<14} {d.created_at}  {state}  {d.name}")
        elif not admin.revoke_device(engine, uuid.UUID(args.device_id)):
            raise NotFound(_("Device not found: {id}").format(id=args.device_id))
        else:
            print(_("Device {id} revoked").format(id=args.device_id))
    except (InvalidInput, NotFound, ValueError) as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 2
    return 0
