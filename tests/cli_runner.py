"""Running ``inspector-app`` as a user or a script would: a separate process, Vietnamese by default."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(
    *args: str, lang: str = "vi", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "INSPECTOR_LANG": lang, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "inspector_app", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=180,
    )
