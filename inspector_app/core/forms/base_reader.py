"""Primitives for reading YAML nodes with line numbers: each problem becomes an issue."""

from __future__ import annotations

from collections.abc import Sequence

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from inspector_app.core.forms.constants import (
    _LEVEL_KEYS,
    _level_name,
    _suggest,
)
from inspector_app.core.forms.spec import (
    FormIssue,
    Item,
    _is_number,
    _nfc,
    _plain_number,
    _show,
)
from inspector_app.i18n import _


class ReaderBase:
    """Node access with line numbers; every problem is collected as an issue, never raised."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.issues: list[FormIssue] = []
        self.code_line = 1
        self.roll_call = False
        self.all_codes: dict[str, int] = {}  # item code -> line of its first occurrence
        self.done: dict[str, Item] = {}  # items read so far (first occurrence of each code)

    def issue(self, line: int, message: str) -> None:
        self.issues.append(FormIssue(self.filename, line, message))

    # ---- position helpers
    @staticmethod
    def line_of(node: object, default: int = 1) -> int:
        lc = getattr(node, "lc", None)
        return lc.line + 1 if lc is not None and lc.line is not None else default

    def key_line(self, node: CommentedMap, key: object) -> int:
        try:
            return int(node.lc.key(key)[0]) + 1
        except Exception:
            return self.line_of(node)

    def item_line(self, seq: CommentedSeq, index: int) -> int:
        try:
            return int(seq.lc.item(index)[0]) + 1
        except Exception:
            return self.line_of(seq)

    @staticmethod
    def is_flow(node: CommentedMap) -> bool:
        try:
            return bool(node.fa.flow_style())
        except Exception:
            return False

    # ---- key checks
    def check_keys(
        self, node: CommentedMap, level: str, known: Sequence[str], required: Sequence[str]
    ) -> None:
        for key in node:
            if isinstance(key, str) and key in known:
                continue
            line = self.key_line(node, key)
            name = str(key)
            suggestion = _suggest(name, known)
            elsewhere = next((lvl for lvl, keys in _LEVEL_KEYS if lvl != level and name in keys), None)
            if self.is_flow(node) and node.get(key) is None and not suggestion and not elsewhere:
                msg = _(
                    "unknown key {key!r} — inside {{ … }} a comma separates entries: put text that contains a comma in double quotes"  # noqa: E501
                ).format(key=name)
            elif suggestion:
                msg = _("unknown key {key!r} — did you mean {suggestion!r}?").format(
                    key=name, suggestion=suggestion
                )
            elif elsewhere:
                msg = _(
                    "key {key!r} does not belong in {here}: it is a key of {there} (check the indentation)"
                )
                msg = msg.format(key=name, here=_level_name(level), there=_level_name(elsewhere))
            else:
                msg = _("unknown key {key!r}; allowed keys here: {keys}").format(
                    key=name, keys=", ".join(known)
                )
            self.issue(line, msg)
        for key in required:
            if key not in node:
                self.issue(
                    self.line_of(node),
                    _("missing required key {key!r} in {where}").format(key=key, where=_level_name(level)),
                )

    def wrong_type(self, node: CommentedMap, key: str, expected: str) -> None:
        msg = _("{key!r} must be {expected}, got {value}")
        self.issue(
            self.key_line(node, key), msg.format(key=key, expected=expected, value=_show(node.get(key)))
        )

    # ---- typed getters (report and return a default when wrong)
    def text(self, node: CommentedMap, key: str, *, required: bool = False) -> str | None:
        value = node.get(key)
        if value is None:
            if required and key in node:
                self.issue(self.key_line(node, key), _("{key!r} must not be empty").format(key=key))
            return None
        if _is_number(value):
            msg = _('{key!r} must be text, got the number {value}; put it in quotes, e.g. "{value}"')
            self.issue(self.key_line(node, key), msg.format(key=key, value=value))
            return None
        if not isinstance(value, str):
            self.wrong_type(node, key, _("plain text"))
            return None
        text = _nfc(value).strip()
        if not text:
            if required:
                self.issue(self.key_line(node, key), _("{key!r} must not be empty").format(key=key))
            return None
        return text

    def boolean(self, node: CommentedMap, key: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.wrong_type(node, key, _("true or false"))
            return False
        return value

    def number(self, node: CommentedMap, key: str, *, whole: bool = False) -> int | float | None:
        value = node.get(key)
        if value is None:
            return None
        if not _is_number(value) or (whole and not isinstance(value, int)):
            self.wrong_type(node, key, _("a whole number") if whole else _("a number"))
            return None
        return _plain_number(value)

    def seq(self, node: CommentedMap, key: str, *, required: bool = False) -> CommentedSeq | None:
        value = node.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, CommentedSeq) or (required and not value):
            self.issue(self.key_line(node, key), _("{key!r} must be a non-empty list").format(key=key))
            return None
        return value

    # ---- the form
