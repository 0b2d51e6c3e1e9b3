"""One gettext catalog for every user-facing string: Qt UI, command line and form-loader errors.

Message ids are English; the Vietnamese catalog (``resources/locale/vi/LC_MESSAGES/inspector.po``)
is the default language. The ``.po`` file is compiled in memory with Babel when first needed, so
there is one source of truth in git and nothing to build before running from a checkout.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from inspector_app.paths import shipped

DOMAIN = "inspector"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


@cache
def translations(language: str) -> gettext.NullTranslations:
    po_path = shipped(f"resources/locale/{language}/LC_MESSAGES/{DOMAIN}.po")
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


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
