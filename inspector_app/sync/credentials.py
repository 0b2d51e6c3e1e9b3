"""Where the laptop keeps its office token: the OS keyring, or an owner-only file where no
keyring backend exists (a bare Linux session, a service account)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
SERVICE = "kiem-tra-cong-vu"
TOKEN_FILE = "sync-token.json"


def _keyring_usable() -> bool:
    if os.environ.get("INSPECTOR_TOKEN_STORE") == "file":
        return False
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0
    except Exception:  # any import or backend failure means: use the file
        return False


class TokenStore:
    def __init__(self, data_dir: Path, account: str) -> None:
        self.path = data_dir / TOKEN_FILE
        self.account = account

    def save(self, token: str) -> None:
        if _keyring_usable():
            try:
                import keyring

                keyring.set_password(SERVICE, self.account, token)
                self.path.unlink(missing_ok=True)
                return
            except Exception as exc:  # a locked or broken keyring: fall back rather than lose the login
                log.warning("keyring unavailable (%s); keeping the token in %s", exc, self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"account": self.account, "token": token}, fh)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def load(self) -> str | None:
        if self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return str(data["token"]) if data.get("account") == self.account else None
        if _keyring_usable():
            try:
                import keyring

                return keyring.get_password(SERVICE, self.account)
            except Exception as exc:
                log.warning("keyring unavailable: %s", exc)
        return None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        if _keyring_usable():
            try:
                import keyring

                keyring.delete_password(SERVICE, self.account)
            except Exception as exc:
                log.debug("no keyring entry to delete: %s", exc)
