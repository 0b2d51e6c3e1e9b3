"""PyInstaller's entry script: the frozen app runs the same ``main()`` as the ``inspector-app`` command.

It lives outside the package on purpose: a script inside ``inspector_app/`` would put that folder
on the frozen app's import path and make its modules importable under a second, top-level name.
"""

import sys

from inspector_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
