"""Checklist forms: the YAML form files, read into frozen dataclasses, checked and used (no Qt).

A form file is data an office clerk writes (see ``forms/README.md``), so the loader never stops at
the first mistake and never shows a traceback: every problem becomes a ``FormIssue`` ``FILE:LINE:
reason`` in the user's language. Line numbers come from ruamel.yaml's round-trip loader.
"""

from inspector_app.core.forms.constants import (
    ANSWER_TYPES,
    CONDITION_OPS,
    ROLL_CALL_TOTALS,
)
from inspector_app.core.forms.loading import check_command, check_forms, load_form, parse_form, shipped_forms
from inspector_app.core.forms.reader import _Reader  # noqa: F401  (tests patch it)
from inspector_app.core.forms.spec import (
    AnswerError,
    Choice,
    Column,
    Condition,
    FormError,
    FormIssue,
    FormSpec,
    Item,
    Section,
)

__all__ = [
    "ANSWER_TYPES",
    "CONDITION_OPS",
    "ROLL_CALL_TOTALS",
    "AnswerError",
    "Choice",
    "Column",
    "Condition",
    "FormError",
    "FormIssue",
    "FormSpec",
    "Item",
    "Section",
    "check_command",
    "check_forms",
    "load_form",
    "parse_form",
    "shipped_forms",
]
