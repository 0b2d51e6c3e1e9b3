"""``inspector-office``: the office service's command line. Only its help exists so far: the
service itself (serve, load-demo, user, device) arrives with the sync issue."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from inspector_app.i18n import _


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspector-office",
        description=_("Office sync service for Kiểm tra công vụ (not available yet in this version)."),
    )
    parser.add_argument("--database-url", metavar="URL", help=_("SQLAlchemy database URL"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    build_parser().parse_args(argv)
    build_parser().print_help()
    return 0
