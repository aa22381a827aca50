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


def datetime_to_db(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a timezone-aware column")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


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


def to_db(table: Table, names: tuple[str, ...]) -> tuple[Convert | None, ...]:
    """Per column of `names`, in order: its converter to the database, or None."""
    known = converters(table)
    return tuple(known[name][0] if name in known else None for name in names)


def from_db(table: Table, names: tuple[str, ...]) -> tuple[Convert | None, ...]:
    known = converters(table)
    return tuple(known[name][1] if name in known else None for name in names)


def row_to_db(values: tuple[Any, ...], convert: tuple[Convert | None, ...]) -> tuple[Any, ...]:
    return tuple(
        value if f is None or value is None else f(value)
        for value, f in zip(values, convert, strict=True)
    )


def row_from_db(values: tuple[Any, ...], convert: tuple[Convert | None, ...]) -> list[Any]:
    return [
        value if f is None or value is None else f(value)
        for value, f in zip(values, convert, strict=True)
    ]
