"""Composition root: language → logging → command line (which opens the DB or the UI).

Here logging goes to stderr (warnings), for every command. The desktop app (``ui.app.run``, once the
data folder is known) adds the rotating ``logs/inspector.log``, the crash hooks and faulthandler.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from inspector_app.cli import main as cli_main

    try:
        return cli_main(argv)
    except BrokenPipeError:  # output piped into `head` and the like
        return 0


if __name__ == "__main__":
    sys.exit(main())
