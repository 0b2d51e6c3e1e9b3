"""The form model: frozen dataclasses for a checklist form and the answers it accepts (no Qt)."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from inspector_app.core.forms.constants import (
    _INT_RE,
    _TIME_RE,
    _VN_DATE_RE,
    _YES_NO_WORDS,
    CHOICE_TYPES,
    NUMERIC_TYPES,
    SHA256_RE,
)
from inspector_app.i18n import _, current_language


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _show(value: object) -> str:
    """A short printable form of a YAML value or an answer for messages."""
    if isinstance(value, Mapping):
        return _("a mapping (key: value block)")
    if isinstance(value, list | tuple | set | frozenset):
        return _("a list")
    if value is None:
        return _("nothing (empty)")
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(_nfc(value)) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _plain_number(value: object) -> int | float:
    """ruamel's ScalarFloat/ScalarInt → plain int/float (callers check ``_is_number`` first)."""
    return int(value) if isinstance(value, int) else float(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Choice:
    """One option of a single_choice/multi_choice item."""

    value: str
    label: str
    label_en: str | None = None


@dataclass(frozen=True)
class Column:
    """One column of a table item."""

    code: str
    label: str
    type: str


@dataclass(frozen=True)
class Condition:
    """Show an item only when an earlier item's answer matches; ``op`` is one of CONDITION_OPS."""

    item: str
    op: str
    value: object

    def holds(self, answers: Mapping[str, object]) -> bool:
        answer = answers.get(self.item)
        if answer is None or answer == "":
            return False
        answer = _nfc(answer) if isinstance(answer, str) else answer
        if self.op in ("greater_than", "less_than"):
            if not (_is_number(answer) and _is_number(self.value)):
                return False
            a, b = float(answer), float(self.value)  # type: ignore[arg-type]
            return a > b if self.op == "greater_than" else a < b
        many = self.op == "in" and isinstance(self.value, list | tuple | set | frozenset)
        wanted = tuple(self.value) if many else (self.value,)  # type: ignore[arg-type]
        given = (
            [_nfc(v) if isinstance(v, str) else v for v in answer]
            if isinstance(answer, list | tuple | set | frozenset)
            else [answer]
        )
        hit = any(_same(g, w) for g in given for w in wanted)
        return not hit if self.op == "not_equals" else hit


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


class AnswerError(ValueError):
    """An answer that does not fit its item; the message is translated and names the item code."""


@dataclass(frozen=True, kw_only=True)
class Item:
    """One checklist question."""

    code: str
    label: str
    label_en: str | None = None
    type: str = "text"
    required: bool = False
    choices: tuple[Choice, ...] = ()
    columns: tuple[Column, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    condition: Condition | None = None
    # yes_no/yes_no_na/choices: tuple of failing values; count/number: ("greater_than"|"less_than", N)
    fail_when: tuple[object, ...] | None = None
    finding: str | None = None
    remedy: str | None = None
    legal_basis: str | None = None
    index_criterion: str | None = None
    weight: float = 1.0
    auto: str | None = None
    hint: str | None = None
    photo: bool = False
    section: str = ""
    line: int = 0

    def answer_values(self) -> tuple[str, ...]:
        """The allowed answers of a yes/no or choice item (empty for other types)."""
        return _answer_values(self.type, self.choices)

    def is_visible(self, answers: Mapping[str, object]) -> bool:
        return self.condition is None or self.condition.holds(answers)

    def fails(self, value: object) -> bool:
        if self.fail_when is None or value is None:
            return False
        try:
            value = self.validate(value)
        except AnswerError:
            return False
        if value is None:
            return False
        if self.type in NUMERIC_TYPES:
            op, limit = self.fail_when
            assert _is_number(value) and _is_number(limit)
            return value > limit if op == "greater_than" else value < limit  # type: ignore[operator]
        if isinstance(value, list):
            return any(v in self.fail_when for v in value)
        return value in self.fail_when

    def validate(self, value: object) -> object:
        """The normalised answer (None = not answered), or AnswerError."""
        if value is None:
            return None
        if self.type == "table":
            return self._validate_table(value)
        if self.type == "photo":
            return _validate_photos(self.code, value)
        if self.type in ("yes_no", "yes_no_na", "single_choice"):
            return self._one_answer(value)
        if self.type == "multi_choice":
            if not isinstance(value, list | tuple | set | frozenset):
                raise AnswerError(
                    _("{code}: expected a list of choices, got {value}").format(
                        code=self.code, value=_show(value)
                    )
                )
            picked = {self._one_answer(v) for v in value}
            return [c.value for c in self.choices if c.value in picked]
        return _validate_scalar(self.type, self.code, value, self.min, self.max)

    def _one_answer(self, value: object) -> str:
        allowed = self.answer_values()
        key = value
        if isinstance(value, bool) and self.type in ("yes_no", "yes_no_na"):
            key = "yes" if value else "no"
        elif isinstance(value, int) and not isinstance(value, bool) and self.type in CHOICE_TYPES:
            key = str(value)
        if isinstance(key, str):
            key = _nfc(key).strip()
            if self.type in ("yes_no", "yes_no_na"):
                key = _YES_NO_WORDS.get(key.lower(), key.lower())
            if key in allowed:
                return key
        if self.type == "yes_no":
            msg = _("{code}: expected “yes” or “no”, got {value}")
        elif self.type == "yes_no_na":
            msg = _("{code}: expected “yes”, “no” or “na”, got {value}")
        else:
            msg = _("{code}: {value} is not one of the choices ({choices})")
        raise AnswerError(msg.format(code=self.code, value=_show(value), choices=", ".join(allowed)))

    def _validate_table(self, value: object) -> list[dict[str, object]]:
        if not isinstance(value, list | tuple):
            raise AnswerError(
                _("{code}: expected a list of table rows, got {value}").format(
                    code=self.code, value=_show(value)
                )
            )
        columns = {c.code: c for c in self.columns}
        rows: list[dict[str, object]] = []
        for number, row in enumerate(value, start=1):
            where = f"{self.code} [{number}]"
            if not isinstance(row, Mapping):
                raise AnswerError(
                    _("{code}: a table row must map column codes to values, got {value}").format(
                        code=where, value=_show(row)
                    )
                )
            for key in row:
                if key not in columns:
                    raise AnswerError(
                        _("{code}: unknown column {column!r} (columns: {columns})").format(
                            code=where, column=key, columns=", ".join(columns)
                        )
                    )
            rows.append(
                {
                    c.code: _validate_scalar(c.type, f"{where}.{c.code}", row.get(c.code), None, None)
                    for c in self.columns
                }
            )
        return rows

    def display_value(self, value: object) -> str:
        """An answer as words for a finding or a report ("không", "Chưa đạt", "3", "07:30")."""
        if isinstance(value, list | tuple):
            return ", ".join(self.display_value(v) for v in value)
        if self.type in ("yes_no", "yes_no_na") and isinstance(value, str):
            words = {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}
            return words.get(value, value)
        if self.type in CHOICE_TYPES:
            for c in self.choices:
                if c.value == value:
                    return c.label
        if isinstance(value, float):
            shown = str(int(value)) if value.is_integer() else repr(value)
            return shown.replace(".", ",") if current_language() == "vi" else shown  # 45,5 in Vietnamese
        return "" if value is None else str(value)

    def finding_text(self, value: object) -> str:
        with contextlib.suppress(AnswerError):
            value = self.validate(value)
        shown = self.display_value(value)
        if self.finding:
            try:
                return self.finding.format(value=shown)
            except (KeyError, IndexError, ValueError):
                return self.finding.replace("{value}", shown)
        if self.type in NUMERIC_TYPES and shown:
            return _("{label}: {value} (not met)").format(label=self.label, value=shown)
        return _("{label}: not met").format(label=self.label)


def _answer_values(item_type: str, choices: Sequence[Choice]) -> tuple[str, ...]:
    if item_type == "yes_no":
        return ("yes", "no")
    if item_type == "yes_no_na":
        return ("yes", "no", "na")
    if item_type in CHOICE_TYPES:
        return tuple(c.value for c in choices)
    return ()


def _validate_photos(code: str, value: object) -> list[str]:
    if isinstance(value, list | tuple) and all(isinstance(v, str) and SHA256_RE.fullmatch(v) for v in value):
        seen: dict[str, None] = {}
        for v in value:
            seen[str(v).lower()] = None
        return list(seen)
    raise AnswerError(
        _("{code}: expected a list of photo fingerprints (SHA-256), got {value}").format(
            code=code, value=_show(value)
        )
    )


def _validate_scalar(
    kind: str, code: str, value: object, low: int | float | None, high: int | float | None
) -> object:
    """count/number/time/date/text answers (also table cells); None stays None."""
    if value is None:
        return None
    result: object
    if kind == "text":
        if not isinstance(value, str):
            raise AnswerError(_("{code}: expected text, got {value}").format(code=code, value=_show(value)))
        return _nfc(value).strip()
    if kind in NUMERIC_TYPES:
        number = _to_number(value, whole=kind == "count")
        if number is None or (kind == "count" and number < 0):
            msg = (
                _("{code}: expected a whole number ≥ 0, got {value}")
                if kind == "count"
                else (_("{code}: expected a number, got {value}"))
            )
            raise AnswerError(msg.format(code=code, value=_show(value)))
        if low is not None and number < low:
            raise AnswerError(
                _("{code}: {value} is less than the minimum {min}").format(code=code, value=number, min=low)
            )
        if high is not None and number > high:
            raise AnswerError(
                _("{code}: {value} is more than the maximum {max}").format(code=code, value=number, max=high)
            )
        return number
    if kind == "time":
        result = _to_time(value)
        if result is None:
            raise AnswerError(
                _("{code}: expected a time HH:MM (e.g. 07:30), got {value}").format(
                    code=code, value=_show(value)
                )
            )
        return result
    if kind == "date":
        result = _to_date(value)
        if result is None:
            raise AnswerError(
                _("{code}: expected a date YYYY-MM-DD (e.g. 2025-07-01), got {value}").format(
                    code=code, value=_show(value)
                )
            )
        return result
    raise AnswerError(_("{code}: unknown answer type {type!r}").format(code=code, type=kind))


def _to_number(value: object, *, whole: bool) -> int | float | None:
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if _INT_RE.fullmatch(text):
            return int(text)
        if whole:
            return None
        try:
            value = float(text.replace(",", ".", 1) if text.count(",") == 1 and "." not in text else text)
        except ValueError:
            return None
    if not _is_number(value):
        return None
    number = _plain_number(value)
    if whole and isinstance(number, float):
        if not number.is_integer():
            return None
        number = int(number)
    return number


def _to_time(value: object) -> str | None:
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if not isinstance(value, str):
        return None
    m = _TIME_RE.fullmatch(value.strip().replace(" ", ""))
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _to_date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return dt.date.fromisoformat(text).isoformat()
        m = _VN_DATE_RE.fullmatch(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class Section:
    """A titled group of items (A, B, C …)."""

    code: str
    title: str
    title_en: str | None = None
    items: tuple[Item, ...] = ()


@dataclass(frozen=True, kw_only=True)
class FormSpec:
    """A loaded, checked form; ``sha256`` identifies the exact file an inspection was made with."""

    code: str
    version: int
    title: str
    title_en: str | None = None
    description: str | None = None
    roll_call: bool = False
    legal_bases: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    sha256: str = ""
    source: str = ""
    _by_code: dict[str, Item] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        for item in self.items():
            self._by_code.setdefault(item.code, item)

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, code: str) -> Item:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(code) from None

    def visible_items(self, answers: Mapping[str, object]) -> list[Item]:
        """Items shown for these answers; an item whose condition names a hidden item is hidden too."""
        shown: list[Item] = []
        hidden: set[str] = set()
        for item in self.items():
            if (item.condition and item.condition.item in hidden) or not item.is_visible(answers):
                hidden.add(item.code)
            else:
                shown.append(item)
        return shown

    def missing_required(self, answers: Mapping[str, object]) -> list[Item]:
        """Visible required items without an answer (auto-filled counts excluded)."""
        return [
            item
            for item in self.visible_items(answers)
            if item.required and not item.auto and answers.get(item.code) in (None, "", [])
        ]


@dataclass(frozen=True)
class FormIssue:
    """One problem in a form file, printed as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class FormError(Exception):
    """A form file that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: Iterable[FormIssue]) -> None:
        self.issues: list[FormIssue] = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


# --------------------------------------------------------------------------------------------- reading
