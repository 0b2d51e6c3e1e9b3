"""Text as it enters the system: NFC-normalised, trimmed; and the diacritic-free search key."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC with runs of whitespace collapsed and the ends trimmed (typing, import and sync all pass here)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def nfc_or_none(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = nfc(text)
    return cleaned or None


def fold(text: str) -> str:
    """Lower-case ASCII search key: "Nguyễn Văn An" → "nguyen van an" (đ → d, marks dropped)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
