"""Reading the parts of one item: choices, columns, bounds, failing answers, conditions."""

from __future__ import annotations

import string
from collections.abc import Sequence

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from inspector_app.core.forms.base_reader import ReaderBase
from inspector_app.core.forms.constants import (
    CHOICE_KEYS,
    CHOICE_TYPES,
    COLUMN_CODE_RE,
    COLUMN_KEYS,
    COLUMN_TYPES,
    CONDITION_KEYS,
    CONDITION_OPS,
    FAIL_WHEN_KEYS,
    NUMERIC_TYPES,
    ROLL_CALL_TOTALS,
    _level_name,
    _suggest,
)
from inspector_app.core.forms.spec import (
    Choice,
    Column,
    Condition,
    _answer_values,
    _is_number,
    _nfc,
    _plain_number,
    _show,
    _to_date,
    _to_time,
)
from inspector_app.i18n import _


class ItemPartsReader(ReaderBase):
    """The item-level checks of the reader: choices, columns, bounds, failing answers, conditions."""

    def only_for(self, node: CommentedMap, key: str, kind: str, types: Sequence[str]) -> bool:
        """True when ``key`` is present and allowed for this answer type; reports when not allowed."""
        if key not in node:
            return False
        if kind and kind not in types:
            self.issue(
                self.key_line(node, key),
                _("{key!r} cannot be used with answer type {type!r}; it is for: {types}").format(
                    key=key, type=kind, types=", ".join(types)
                ),
            )
            return False
        return bool(kind)

    def read_choices(self, node: CommentedMap, kind: str) -> tuple[Choice, ...]:
        if kind in CHOICE_TYPES and not node.get("choices"):
            line = self.key_line(node, "choices") if "choices" in node else self.key_line(node, "type")
            self.issue(line, _("a {type} item needs a non-empty 'choices' list").format(type=kind))
            return ()
        if not self.only_for(node, "choices", kind, CHOICE_TYPES):
            return ()
        raw = self.seq(node, "choices", required=True)
        choices: list[Choice] = []
        first: dict[str, int] = {}
        for index, entry in enumerate(raw if raw is not None else ()):
            assert raw is not None
            line = self.item_line(raw, index)
            if isinstance(entry, CommentedMap):
                self.check_keys(entry, "choice", CHOICE_KEYS, ("value",))
                value = _choice_value(entry.get("value"))
                if value is None:
                    if "value" in entry:
                        self.wrong_type(entry, "value", _("plain text"))
                    continue
                label = self.text(entry, "label") or value
                choice = Choice(value, label, self.text(entry, "label_en"))
            else:
                value = _choice_value(entry)
                if value is None:
                    self.issue(
                        line,
                        _("a choice must be text or a block with value: and label:, got {value}").format(
                            value=_show(entry)
                        ),
                    )
                    continue
                choice = Choice(value, value, None)
            if not value:
                self.issue(line, _("a choice value must not be empty"))
                continue
            if value in first:
                self.issue(
                    line,
                    _("duplicate choice value {value!r} (first used on line {first})").format(
                        value=value, first=first[value]
                    ),
                )
                continue
            first[value] = line
            choices.append(choice)
        return tuple(choices)

    def read_columns(self, node: CommentedMap, kind: str) -> tuple[Column, ...]:
        if kind == "table" and not node.get("columns"):
            line = self.key_line(node, "columns") if "columns" in node else self.key_line(node, "type")
            self.issue(line, _("a table item needs a non-empty 'columns' list"))
            return ()
        if not self.only_for(node, "columns", kind, ("table",)):
            return ()
        raw = self.seq(node, "columns", required=True)
        columns: list[Column] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(raw if raw is not None else ()):
            assert raw is not None
            line = self.item_line(raw, index)
            if not isinstance(entry, CommentedMap):
                self.issue(
                    line,
                    _("a column must be a block with code:, label: and type:, got {value}").format(
                        value=_show(entry)
                    ),
                )
                continue
            self.check_keys(entry, "column", COLUMN_KEYS, COLUMN_KEYS)
            code = self.text(entry, "code", required=True) or ""
            ctype = self.text(entry, "type", required=True) or ""
            if code and not COLUMN_CODE_RE.fullmatch(code):
                self.issue(
                    self.key_line(entry, "code"),
                    _(
                        "column code {code!r} must start with a letter and use only letters, digits or '_'"
                    ).format(code=code),
                )
            if ctype and ctype not in COLUMN_TYPES:
                self.issue(
                    self.key_line(entry, "type"),
                    _("unknown column type {type!r}; use one of: {types}").format(
                        type=ctype, types=", ".join(COLUMN_TYPES)
                    ),
                )
            if code in seen:
                self.issue(
                    self.key_line(entry, "code"),
                    _("duplicate column code {code!r} (first used on line {first})").format(
                        code=code, first=seen[code]
                    ),
                )
            elif code:
                seen[code] = self.key_line(entry, "code")
            columns.append(Column(code, self.text(entry, "label", required=True) or code, ctype))
        return tuple(columns)

    def read_bounds(self, node: CommentedMap, kind: str) -> tuple[int | float | None, int | float | None]:
        bounds: list[int | float | None] = []
        for key in ("min", "max"):
            value = None
            if self.only_for(node, key, kind, NUMERIC_TYPES):
                value = self.number(node, key, whole=kind == "count")
                if kind == "count" and value is not None and value < 0:
                    self.wrong_type(node, key, _("a whole number ≥ 0"))
                    value = None
            bounds.append(value)
        low, high = bounds
        if low is not None and high is not None and low > high:
            self.issue(
                self.key_line(node, "max"),
                _("'max' ({max}) is smaller than 'min' ({min})").format(max=high, min=low),
            )
        return low, high

    def read_fail_when(
        self, node: CommentedMap, kind: str, choices: Sequence[Choice]
    ) -> tuple[object, ...] | None:
        usable = ("yes_no", "yes_no_na", *CHOICE_TYPES, *NUMERIC_TYPES)
        if not self.only_for(node, "fail_when", kind, usable):
            return None
        raw = node.get("fail_when")
        line = self.key_line(node, "fail_when")
        if kind in NUMERIC_TYPES:
            if not isinstance(raw, CommentedMap) or len(raw) != 1:
                self.issue(
                    line,
                    _("'fail_when' of a {type} item must be one of: greater_than: N, less_than: N").format(
                        type=kind
                    ),
                )
                return None
            op, limit = next(iter(raw.items()))
            if op not in FAIL_WHEN_KEYS:
                self.issue(
                    self.key_line(raw, op),
                    _("'fail_when' of a {type} item must be one of: greater_than: N, less_than: N").format(
                        type=kind
                    ),
                )
                return None
            if not _is_number(limit):
                self.wrong_type(raw, op, _("a number"))
                return None
            return (op, _plain_number(limit))
        allowed = _answer_values(kind, choices)
        values = list(raw) if isinstance(raw, CommentedSeq) else [raw]
        if not values:
            self.issue(line, _("'fail_when' must list at least one failing answer"))
            return None
        out: list[str] = []
        for index, value in enumerate(values):
            key = _answer_key(kind, value)
            where = self.item_line(raw, index) if isinstance(raw, CommentedSeq) else line
            if key not in allowed:
                if allowed:  # with no valid choices the choices error already says it all
                    self.issue(
                        where,
                        _("fail_when value {value} is not an answer of this item ({allowed})").format(
                            value=_show(value), allowed=", ".join(allowed)
                        ),
                    )
            elif key not in out:
                out.append(key)
        return tuple(out) if out else None

    def read_condition(self, node: CommentedMap, code: str) -> Condition | None:
        if "condition" not in node:
            return None
        raw = node.get("condition")
        line = self.key_line(node, "condition")
        if not isinstance(raw, CommentedMap):
            self.wrong_type(
                node,
                "condition",
                _("a block with item: and one of {ops}").format(ops=", ".join(CONDITION_OPS)),
            )
            return None
        unknown = [k for k in raw if k not in CONDITION_KEYS]
        for key in unknown:
            suggestion = _suggest(str(key), CONDITION_OPS, 0.7)  # "more_than" must not suggest less_than
            msg = _("unknown condition operator {op!r}; use one of: {ops}").format(
                op=key, ops=", ".join(CONDITION_OPS)
            )
            if suggestion:
                msg += " — " + _("did you mean {suggestion!r}?").format(suggestion=suggestion)
            self.issue(self.key_line(raw, key), msg)
        ops = [k for k in raw if k in CONDITION_OPS]
        target = raw.get("item")
        if "item" not in raw:
            self.issue(
                line,
                _("missing required key {key!r} in {where}").format(
                    key="item", where=_level_name("condition")
                ),
            )
        if len(ops) > 1:
            self.issue(
                line, _("a condition takes exactly one operator, found: {ops}").format(ops=", ".join(ops))
            )
            return None
        if not ops:
            if not unknown:
                self.issue(line, _("a condition needs one of: {ops}").format(ops=", ".join(CONDITION_OPS)))
            return None
        if not isinstance(target, str):
            if "item" in raw:
                self.wrong_type(raw, "item", _("an item code"))
            return None
        target = _nfc(target).strip()
        op = ops[0]
        value = raw.get(op)
        vline = self.key_line(raw, op)
        tline = self.key_line(raw, "item")
        if target == code:
            self.issue(tline, _("an item's condition cannot refer to the item itself"))
            return None
        ref = self.done.get(target)
        if ref is None:
            if target in self.all_codes:
                self.issue(
                    tline,
                    _(
                        "condition refers to item {code!r}, which comes later in the form (line {line}); "
                        "a condition can only refer to an earlier item"
                    ).format(code=target, line=self.all_codes[target]),
                )
            else:
                suggestion = _suggest(target, list(self.all_codes))
                msg = _("condition refers to item {code!r}, which does not exist").format(code=target)
                if suggestion:
                    msg += " — " + _("did you mean {suggestion!r}?").format(suggestion=suggestion)
                self.issue(tline, msg)
            return None
        if not ref.type:
            return None
        if ref.type in ("photo", "table"):
            self.issue(
                tline, _("a condition cannot test a {type} item ({code})").format(type=ref.type, code=target)
            )
            return None
        if op in ("greater_than", "less_than"):
            if ref.type not in NUMERIC_TYPES:
                self.issue(
                    vline,
                    _("{op!r} only works with count or number items; {code} is {type}").format(
                        op=op, code=target, type=ref.type
                    ),
                )
                return None
            if not _is_number(value):
                self.wrong_type(raw, op, _("a number"))
                return None
            return Condition(target, op, _plain_number(value))
        if op == "in":
            if not isinstance(value, CommentedSeq) or not value:
                self.wrong_type(raw, op, _("a non-empty list"))
                return None
            values = list(value)
        else:
            values = [value]
        normalised: list[object] = []
        allowed = ref.answer_values()
        for v in values:
            wanted: object
            if ref.type in NUMERIC_TYPES:
                wanted = _plain_number(v) if _is_number(v) else None
            elif ref.type == "date":
                wanted = _to_date(v)
            elif ref.type == "time":
                wanted = _to_time(v)
            elif allowed:
                wanted = _answer_key(ref.type, v)
                wanted = wanted if wanted in allowed else None
            else:
                wanted = _nfc(v).strip() if isinstance(v, str) else None
            if wanted is None:
                msg = _("condition value {value} is not an answer of item {code} ({allowed})")
                self.issue(
                    vline,
                    msg.format(
                        value=_show(v), code=target, allowed=", ".join(allowed) or _answer_kind(ref.type)
                    ),
                )
                return None
            normalised.append(wanted)
        return Condition(target, op, tuple(normalised) if op == "in" else normalised[0])

    def read_auto(self, node: CommentedMap, kind: str) -> str | None:
        if "auto" not in node:
            return None
        name = self.text(node, "auto")
        line = self.key_line(node, "auto")
        if name is None:
            return None
        if name not in ROLL_CALL_TOTALS:
            suggestion = _suggest(name, ROLL_CALL_TOTALS)
            msg = _("unknown roll-call total {name!r}; use one of: {names}").format(
                name=name, names=", ".join(ROLL_CALL_TOTALS)
            )
            if suggestion:
                msg += " — " + _("did you mean {suggestion!r}?").format(suggestion=suggestion)
            self.issue(line, msg)
            return None
        if kind and kind != "count":
            self.issue(line, _("'auto' can only fill a count item, not {type!r}").format(type=kind))
            return None
        if not self.roll_call:
            self.issue(line, _("'auto' needs 'roll_call: true' at the top of the form"))
        return name

    def check_placeholders(self, node: CommentedMap, key: str, text: str) -> None:
        try:
            names = [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
        except ValueError:
            names = ["?"]
        bad = [n for n in names if n != "value"]
        if bad:
            self.issue(
                self.key_line(node, key),
                _(
                    "{key!r} may only use the placeholder {{value}}; found {found} (write {{{{ and }}}} for a literal brace)"  # noqa: E501
                ).format(key=key, found=", ".join("{" + n + "}" for n in bad)),
            )


def _choice_value(value: object) -> str | None:
    if isinstance(value, str):
        return _nfc(value).strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _answer_key(kind: str, value: object) -> object:
    """A fail_when/condition value as the answer it stands for (YAML true/false → yes/no)."""
    if isinstance(value, bool) and kind in ("yes_no", "yes_no_na"):
        return "yes" if value else "no"
    if kind in CHOICE_TYPES:
        return _choice_value(value)
    return _nfc(value).strip() if isinstance(value, str) else value


def _answer_kind(kind: str) -> str:
    return {
        "text": _("plain text"),
        "count": _("a whole number ≥ 0"),
        "number": _("a number"),
        "time": _("a time HH:MM"),
        "date": _("a date YYYY-MM-DD"),
    }.get(kind, kind)


# --------------------------------------------------------------------------------------------- YAML
