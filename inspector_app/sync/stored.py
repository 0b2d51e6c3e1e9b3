"""Pulled rows straight to the values the laptop's SQLite stores, with no Python objects between.

``rows.decode_row`` followed by each column's bind processor gives the same values (a test holds
the two equal); this takes a page of thousands of rows in a fraction of the time. The forms an
office sends (lower-case UUIDs, UTC times) are checked and reshaped as text; anything else goes
the long way, through the decoder and its checks.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from inspector_app.sync.rows import LOCAL_ONLY, RowError, column_decoders, python_type
from inspector_app.sync.tables import table

Convert = Callable[[Any], Any]
_DIALECT = sqlite.dialect()
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ZERO = dt.timedelta(0)


def _long_way(decode: Convert, bind: Convert | None) -> Convert:
    return decode if bind is None else lambda v: bind(decode(v))


def _uuid(slow: Convert) -> Convert:
    def convert(v: Any) -> Any:  # stored as 32 hex digits
        if type(v) is str and _CANONICAL_UUID.fullmatch(v):
            return v.replace("-", "")
        return slow(v)

    return convert


def _utc_datetime(slow: Convert) -> Convert:
    def convert(v: Any) -> Any:  # stored as naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff'
        if type(v) is str:
            value = dt.datetime.fromisoformat(v)
            if value.utcoffset() == _ZERO:
                return value.replace(tzinfo=None).isoformat(" ", "microseconds")
        return slow(v)

    return convert


def _date(v: Any) -> Any:
    return dt.date.fromisoformat(v).isoformat()


def _time(slow: Convert) -> Convert:
    def convert(v: Any) -> Any:  # stored as 'HH:MM:SS.ffffff'
        if type(v) is str:
            value = dt.time.fromisoformat(v)
            if value.tzinfo is None:
                return value.isoformat("microseconds")
        return slow(v)

    return convert


def _bool(slow: Convert) -> Convert:
    def convert(v: Any) -> Any:
        return 1 if v is True else 0 if v is False else slow(v)

    return convert


def _converter(column: sa.Column[Any], decode: Convert) -> Convert:
    bind = column.type._cached_bind_processor(_DIALECT)
    slow = _long_way(decode, bind)
    py = python_type(column)
    impl = column.type.impl_instance if isinstance(column.type, sa.TypeDecorator) else column.type
    if py is uuid.UUID:
        return _uuid(slow)
    if py is dt.datetime and isinstance(impl, sa.DateTime) and not impl.timezone:
        return _utc_datetime(slow)
    if py is dt.date and type(column.type) is sa.Date:
        return _date
    if py is dt.time and type(column.type) is sa.Time:
        return _time(slow)
    if py is bool:
        return _bool(slow)
    return slow  # text and integers: the decoder's checks are all there is to do


@cache
def _converters(name: str) -> tuple[tuple[str, Convert, bool], ...]:
    decoders = column_decoders(name)
    return tuple(
        (col.name, _converter(col, decoders[col.name][0]), decoders[col.name][1])
        for col in table(name).columns
        if col.name not in LOCAL_ONLY
    )


def stored_rows(
    name: str, columns: Sequence[str], data: Sequence[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """Parameters for ``columns`` of ``name``, one tuple per wire row, column by column; the
    laptop's own ``dirty`` flag is stored clear. Raises RowError naming the faulty column."""
    converters = {col: (convert, required) for col, convert, required in _converters(name)}
    unknown = {key for row in data for key in row} - converters.keys()
    if unknown:
        raise RowError(f"{name}: unknown column(s): {', '.join(sorted(unknown))}")
    values: list[list[Any]] = []
    for col in columns:
        if col == "dirty":
            values.append([0] * len(data))
            continue
        convert, required = converters[col]
        raw = [row.get(col) for row in data]
        if required and col != "seq" and None in raw:
            raise RowError(f"{name}.{col}: value required")
        try:
            values.append([None if v is None else convert(v) for v in raw])
        except (ValueError, TypeError) as exc:
            raise RowError(f"{name}.{col}: {exc}") from exc
    return list(zip(*values, strict=True))
