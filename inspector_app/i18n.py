"""One gettext catalog for every user-facing string: Qt UI, command line and form-loader errors.

Message ids are English; the Vietnamese catalog (``resources/locale/vi/LC_MESSAGES/inspector.po``)
is the default language. The ``.po`` file is compiled with Babel when first needed (and the result
cached by its hash), so there is one source of truth in git and nothing to build before running.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import io
import os
from functools import cache
from pathlib import Path

import platformdirs

from inspector_app.paths import APP_NAME, shipped

DOMAIN = "inspector"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _compiled(po_bytes: bytes, language: str) -> bytes:
    from babel.messages.mofile import write_mo  # Babel costs ~60 ms to import and run: only when needed
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes), locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog compiled from the shipped .po, cached by the .po's hash in the user's cache
    folder (compiling at every start cost a noticeable part of the cold start)."""
    po_path = shipped(f"resources/locale/{language}/LC_MESSAGES/{DOMAIN}.po")
    if not po_path.exists():
        return gettext.NullTranslations()
    po_bytes = po_path.read_bytes()
    digest = hashlib.sha256(po_bytes).hexdigest()[:16]
    cached = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / f"{DOMAIN}-{language}-{digest}.mo"
    try:
        mo_bytes = cached.read_bytes()
    except OSError:
        mo_bytes = _compiled(po_bytes, language)
        with contextlib.suppress(OSError):  # a read-only or full disk only costs the cache
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(cached.name + f".{os.getpid()}")
            partial.write_bytes(mo_bytes)
            partial.replace(cached)
    return gettext.GNUTranslations(io.BytesIO(mo_bytes))


def set_language(language: str | None = None) -> str:
    """Switch the process's language; ``None`` means INSPECTOR_LANG or Vietnamese."""
    global _current, _language
    language = (language or os.environ.get("INSPECTOR_LANG") or DEFAULT_LANGUAGE).split("_")[0].lower()
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _language = language
    _current = translations(language) if language != "en" else gettext.NullTranslations()
    return language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (module-level constants)."""
    return message


set_language()
