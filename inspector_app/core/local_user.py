"""This laptop's own password (the idle lock) and idle delay, kept in ``local_setting`` (never synced).

The password is stored as an scrypt hash with a random salt; nothing else about it is kept. Like the
other services, these functions do not commit: the caller's ``session_scope`` (or ``tasks.write``)
commits the change.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlmodel import Session

from inspector_app.core.services.editor import get_setting, set_setting
from inspector_app.core.services.errors import InvalidInput
from inspector_app.i18n import _

PASSWORD_KEY = "local_user.password"
IDLE_MINUTES_KEY = "local_user.idle_minutes"

MIN_PASSWORD_LENGTH = 6
DEFAULT_IDLE_MINUTES = 10
MAX_IDLE_MINUTES = 24 * 60

_SCHEME = "scrypt"
_N = 2**14
_R = 8
_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * r * n * 2, dklen=_KEY_BYTES
    )


def set_local_password(session: Session, password: str) -> None:
    """Set (or replace) this laptop's password. Refuses passwords shorter than 6 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("The password must be at least {count} characters long.").format(count=MIN_PASSWORD_LENGTH)
        )
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _derive(password, salt, _N, _R, _P)
    set_setting(session, PASSWORD_KEY, f"{_SCHEME}${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}")


def has_local_password(session: Session) -> bool:
    return bool(get_setting(session, PASSWORD_KEY))


def check_local_password(session: Session, password: str) -> bool:
    """True when ``password`` is this laptop's password (constant-time compare; False if none is set)."""
    stored = get_setting(session, PASSWORD_KEY)
    if not stored:
        return False
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != _SCHEME:
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(digest_b64, validate=True)
        actual = _derive(password, salt, int(n), int(r), int(p))
    except (ValueError, TypeError):  # damaged setting: never unlocks, never crashes the lock
        return False
    return hmac.compare_digest(actual, expected)


def idle_minutes(session: Session) -> int:
    """Minutes without input before the screen locks (default 10; 0 means never lock)."""
    raw = get_setting(session, IDLE_MINUTES_KEY)
    if raw is None:
        return DEFAULT_IDLE_MINUTES
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return min(max(value, 0), MAX_IDLE_MINUTES)


def set_idle_minutes(session: Session, minutes: int) -> None:
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise InvalidInput(
            _("The lock delay must be between 0 (never lock) and {max} minutes.").format(max=MAX_IDLE_MINUTES)
        )
    set_setting(session, IDLE_MINUTES_KEY, str(int(minutes)))
