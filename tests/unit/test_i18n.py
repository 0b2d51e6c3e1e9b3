"""One catalog serves every user-facing string; Vietnamese is complete and is the default."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from inspector_app import i18n
from inspector_app.paths import shipped

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT / "inspector_app", method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"inspector_app/{filename}:{lineno}")
    return found


def _catalog():  # type: ignore[no-untyped-def]
    with shipped("resources/locale/vi/LC_MESSAGES/inspector.po").open("rb") as fh:
        return read_po(fh, locale="vi")


def test_every_message_in_the_code_has_a_vietnamese_translation() -> None:
    catalog = _catalog()
    missing = []
    for msgid, where in sorted(_extracted().items(), key=lambda kv: kv[1]):
        entry = catalog.get(msgid)
        text = entry.string if entry else None
        if not text or (isinstance(text, tuple) and not all(text)):
            missing.append(f'#: {where}\nmsgid {msgid!r}\nmsgstr ""\n')
    assert not missing, "Add these to the .po file:\n\n" + "\n".join(missing)


def test_the_catalog_has_no_duplicates_and_no_format_mismatch() -> None:
    text = shipped("resources/locale/vi/LC_MESSAGES/inspector.po").read_text(encoding="utf-8")
    # One-line msgids; a multi-line one starts with msgid "" (like the header) and is left out here.
    ids = [line for line in text.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert len(ids) == len(set(ids)), "duplicate msgid in inspector.po"
    import re

    fields = re.compile(r"\{(\w*)[^}]*\}")
    for message in _catalog():
        if not message.id or not message.string:
            continue
        ids_ = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(fields.findall(ids_[-1]))
        for s in strings:
            assert set(fields.findall(s)) == expected, f"placeholders differ in {message.id!r}"


def test_vietnamese_by_default_english_on_request() -> None:
    assert i18n.set_language(None) == "vi"
    assert i18n._("draft") == "bản nháp"
    i18n.set_language("en")
    assert i18n._("draft") == "draft"
    assert i18n.set_language("fr") == "vi"
