"""Rules for rows that are records rather than editable data: the visit lock and the digital
signatures are append-only, document numbers belong to the laptop that took them.

The lock has exactly one legitimate later change (``documents.records.fill_lock_pdf_sha256``):
``pdf_sha256`` goes from empty to a value, once, with a newer stamp, every other column unchanged.
"""

from __future__ import annotations

from typing import Any

from inspector_app.i18n import _
from inspector_app.sync.tables import LOCK_TABLE

DIGITAL_SIGNATURE = "digital_signature"
DOCUMENT_NUMBER = "document_number"
APPEND_ONLY = frozenset({LOCK_TABLE, DIGITAL_SIGNATURE})
# Reference-like tables (no visit) whose rows a laptop makes itself, stamped with its device id.
DEVICE_OWNED = frozenset({DOCUMENT_NUMBER})
_LOCK_FIXED = ("visit_id", "content_sha256", "locked_at", "locked_by", "device_id", "deleted")


def is_pdf_fill(row: dict[str, Any], old: dict[str, Any]) -> bool:
    """The lock's one allowed change: pdf_sha256 NULL → value, nothing else, newer stamp."""
    return (
        old.get("pdf_sha256") is None
        and row.get("pdf_sha256") is not None
        and str(row["updated_at"]) > str(old["updated_at"])
        and all(row.get(c) == old.get(c) for c in _LOCK_FIXED)
    )


def append_only_refusal(name: str, row: dict[str, Any], old: dict[str, Any]) -> str | None:
    """Why a new version of an append-only row already at the office is refused, or None."""
    if name == LOCK_TABLE:
        if is_pdf_fill(row, old):
            return None
        return _("A signature lock is never changed once recorded")
    if name == DIGITAL_SIGNATURE:
        return _("A digital signature is never changed once recorded")
    return None
