"""Rows on the wire: plain JSON values (UUID, dates and times as ISO text, UTC with an offset),
decoded and checked column by column on arrival (text NFC-normalised where it enters, DESIGN §3)."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa

from inspector_app.sync.tables import table

JsonRow = dict[str, Any]
# The laptop's "not pushed yet" flag never travels; the office keeps its own.
LOCAL_ONLY = frozenset({"dirty"})


class RowError(ValueError):
    """A row that cannot be stored as sent (unknown column, wrong type, missing value)."""


def _encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise RowError("naive datetime")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def encode_row(row: Mapping[str, Any]) -> JsonRow:
    return {str(k): _encode_value(v) for k, v in row.items() if k not in LOCAL_ONLY}


_new, _set, _UUID, _UNKNOWN = object.__new__, object.__setattr__, uuid.UUID, uuid.SafeUUID.unknown


def _uuid(v: Any) -> uuid.UUID:
    # The canonical form the laptops send, built without uuid.UUID's string juggling (a batch
    # holds two ids per row); anything else goes through uuid.UUID and its checks.
    if type(v) is str and len(v) == 36 and v[8] == v[13] == v[18] == v[23] == "-":
        digits = v.replace("-", "")
        if len(digits) == 32 and digits.isalnum():
            u = _new(_UUID)
            _set(u, "int", int(digits, 16))
            _set(u, "is_safe", _UNKNOWN)
            return u
    return uuid.UUID(v if type(v) is str else str(v))


def _datetime(v: Any) -> dt.datetime:
    value = dt.datetime.fromisoformat(str(v))
    if value.tzinfo is None:
        raise RowError("a time without a zone")
    return value.astimezone(dt.UTC)


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise RowError("text expected")
    if "\x00" in v:
        raise RowError("text with a NUL character")  # PostgreSQL cannot store it
    # NFC only: collapsing spaces would change multi-line text (legal bases, explanations).
    return unicodedata.normalize("NFC", v)


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise RowError("integer expected")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise RowError("true/false expected")
    return v


_DECODERS: dict[type, Callable[[Any], Any]] = {
    uuid.UUID: _uuid,
    dt.datetime: _datetime,
    dt.date: lambda v: dt.date.fromisoformat(str(v)),
    dt.time: lambda v: dt.time.fromisoformat(str(v)),
    str: _text,
    int: _int,
    bool: _bool,
}


def python_type(column: sa.Column[Any]) -> type:
    """The Python type a column holds (the inner type of a TypeDecorator; text when unknown)."""
    ctype = column.type.impl_instance if isinstance(column.type, sa.TypeDecorator) else column.type
    try:
        return ctype.python_type
    except NotImplementedError:
        return str


@cache
def column_decoders(name: str) -> dict[str, tuple[Callable[[Any], Any], bool]]:
    out = {}
    for col in table(name).columns:
        if col.name in LOCAL_ONLY:
            continue
        py = python_type(col)
        required = not col.nullable and col.default is None and col.server_default is None
        out[col.name] = (_DECODERS.get(py, lambda v: v), required)
    return out


def decode_row(name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Python values for one row of ``name``; raises RowError naming the faulty column."""
    decoders = column_decoders(name)
    unknown = set(data) - set(decoders)
    if unknown:
        raise RowError(f"unknown column(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for col, (decode, required) in decoders.items():
        value = data.get(col)
        if value is None:
            if required and col != "seq":
                raise RowError(f"{col}: value required")
            out[col] = None
            continue
        try:
            out[col] = decode(value)
        except (ValueError, TypeError) as exc:
            raise RowError(f"{col}: {exc}") from exc
    return out


def decode_rows(name: str, data: Sequence[Mapping[str, Any]]) -> list[dict[str, Any] | RowError]:
    """``decode_row`` for many rows, column by column (one loop per column instead of one call per
    value); a row with any fault gets the same ``RowError`` as ``decode_row`` would raise."""
    decoders = column_decoders(name)
    known = decoders.keys()
    columns: list[list[Any]] = []
    try:
        if any(not known >= d.keys() for d in data):
            raise RowError("unknown column")
        for col, (decode, required) in decoders.items():
            values = [d.get(col) for d in data]
            if required and col != "seq" and None in values:
                raise RowError("value required")
            columns.append([None if v is None else decode(v) for v in values])
    except (RowError, ValueError, TypeError):
        out: list[dict[str, Any] | RowError] = []
        for d in data:  # the slow path names the faulty row and column
            try:
                out.append(decode_row(name, d))
            except RowError as exc:
                out.append(exc)
        return out
    names = list(decoders)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def column_names(name: str) -> list[str]:
    return [c.name for c in table(name).columns]


def select_rows(conn: sa.Connection, name: str, where: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    t = table(name)
    return [dict(r._mapping) for r in conn.execute(sa.select(t).where(where))]
