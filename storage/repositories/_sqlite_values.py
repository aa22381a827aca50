"""Column values to and from SQLite text, for the plain-SQL statements of the bot's hot path.

storage/repositories/pipeline_sqlite.py and outbox_delivery_sqlite.py give their statements
straight to sqlite3. They write what SQLAlchemy's column types would (UtcDateTime as UTC
wall time 'YYYY-MM-DD HH:MM:SS.ffffff', Json as compact text), so the rows read back the same
everywhere else, but in one C call each instead of a chain of type processors: those cost
more than the statements (tests/unit/test_sqlite_values.py holds the two to each other).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table

from storage.jsonenc import dumps, loads
from storage.types import UtcDateTime

Convert = Callable[[Any], Any]


# The last moments written and their texts, newest first, swapped as one tuple: an update
# writes its `now`, the event's time and a lease's end to several columns of several rows,
# interleaved, so one remembered moment missed most of the time.
_recent: tuple[tuple[datetime, str], ...] = ()
_RECENT = 4


def datetime_to_db(value: datetime) -> str:
    global _recent
    recent = _recent
    for moment, text in recent:
        if moment is value:
            return text
    tz = value.tzinfo
    if tz is UTC:
        text = value.isoformat(" ", "microseconds")[:-6]  # without "+00:00"
    elif tz is None:
        raise ValueError("naive datetime given to a timezone-aware column")
    else:
        text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    _recent = ((value, text), *recent[: _RECENT - 1])
    return text


def datetime_from_db(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def converters(table: Table) -> dict[str, tuple[Convert, Convert]]:
    """column name -> (to the database, from the database), for the columns that need one."""
    found: dict[str, tuple[Convert, Convert]] = {}
    for column in table.columns:
        if isinstance(column.type, UtcDateTime):
            found[column.name] = (datetime_to_db, datetime_from_db)
        elif isinstance(column.type, JSON):
            found[column.name] = (dumps, loads)
    return found


class Converters:
    """Per column of a statement, in order: its converter, or None; and where they are."""

    __slots__ = ("functions", "positions")

    def __init__(self, functions: tuple[Convert | None, ...]) -> None:
        self.functions = functions
        self.positions = tuple(i for i, f in enumerate(functions) if f is not None)

    def __getitem__(self, index: int) -> Convert | None:
        return self.functions[index]


def to_db(table: Table, names: tuple[str, ...]) -> Converters:
    """The converters to the database for the columns `names` of `table`."""
    known = converters(table)
    return Converters(tuple(known[name][0] if name in known else None for name in names))


def from_db(table: Table, names: tuple[str, ...]) -> Converters:
    known = converters(table)
    return Converters(tuple(known[name][1] if name in known else None for name in names))


def row_to_db(values: tuple[Any, ...], convert: Converters) -> tuple[Any, ...]:
    return tuple(_apply(list(values), convert))


def row_from_db(values: tuple[Any, ...], convert: Converters) -> list[Any]:
    return _apply(list(values), convert)


def _apply(values: list[Any], convert: Converters) -> list[Any]:
    functions = convert.functions
    for index in convert.positions:
        value = values[index]
        if value is not None:
            values[index] = functions[index](value)  # type: ignore[misc]
    return values
