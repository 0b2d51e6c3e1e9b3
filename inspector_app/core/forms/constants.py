"""The vocabulary of the form format: keys, answer types, code patterns."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from inspector_app.i18n import _

ANSWER_TYPES = (
    "yes_no", "yes_no_na", "single_choice", "multi_choice", "count", "number",
    "time", "date", "text", "photo", "table",
)  # fmt: skip
CHOICE_TYPES = ("single_choice", "multi_choice")
NUMERIC_TYPES = ("count", "number")
COLUMN_TYPES = ("text", "date", "count", "number", "time")
CONDITION_OPS = ("equals", "not_equals", "in", "greater_than", "less_than")
ROLL_CALL_TOTALS = (
    "roll_call.total", "roll_call.present", "roll_call.late", "roll_call.absent_with_reason",
    "roll_call.absent_without_reason", "roll_call.no_badge", "roll_call.no_name_plate",
    "roll_call.dress_not_ok",
)  # fmt: skip

FORM_KEYS = ("code", "version", "title", "title_en", "description", "roll_call", "legal_bases", "sections")
FORM_REQUIRED = ("code", "version", "title", "sections")
SECTION_KEYS = ("code", "title", "title_en", "items")
SECTION_REQUIRED = ("code", "title", "items")
ITEM_KEYS = (
    "code", "label", "label_en", "type", "required", "choices", "columns", "min", "max", "condition",
    "fail_when", "finding", "remedy", "legal_basis", "index_criterion", "weight", "auto", "hint", "photo",
)  # fmt: skip
ITEM_REQUIRED = ("code", "label", "type")
CHOICE_KEYS = ("value", "label", "label_en")
COLUMN_KEYS = ("code", "label", "type")
CONDITION_KEYS = ("item", *CONDITION_OPS)
FAIL_WHEN_KEYS = ("greater_than", "less_than")

FORM_CODE_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
ITEM_CODE_RE = re.compile(r"[A-Z][A-Z0-9_.-]*")
COLUMN_CODE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
SHA256_RE = re.compile(r"[0-9a-fA-F]{64}")
_TIME_RE = re.compile(r"(\d{1,2})(?::(\d{2})|[hHgG](\d{2})?)")
_VN_DATE_RE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_INT_RE = re.compile(r"[+-]?\d+")
_YES_NO_WORDS = {"có": "yes", "không": "no", "không áp dụng": "na", "true": "yes", "false": "no"}


_LEVEL_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("form", FORM_KEYS),
    ("section", SECTION_KEYS),
    ("item", ITEM_KEYS),
    ("choice", CHOICE_KEYS),
    ("column", COLUMN_KEYS),
    ("condition", CONDITION_KEYS),
)


def _level_name(level: str) -> str:
    names = {
        "form": _("the form (top level)"),
        "section": _("a section"),
        "item": _("an item"),
        "choice": _("a choice"),
        "column": _("a table column"),
        "condition": _("a condition"),
    }
    return names.get(level, level)


def _suggest(word: str, options: Sequence[str], cutoff: float = 0.6) -> str | None:
    close = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return close[0] if close else None
