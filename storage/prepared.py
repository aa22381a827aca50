"""Prepared statements: SQLAlchemy builds and compiles them once, sqlite3 runs them.

The repositories' hot statements are built once (storage/repositories/_statements.py). On the
bot's loop-thread SQLite connection (storage.inloop) even a prebuilt statement costs 40-60 µs
in SQLAlchemy's execution machinery (an execution context, a cursor result, rows) around
the 3-5 µs SQLite spends on it, and the dialog runs a few of them on most updates. A statement
registered here with `prepare()` is compiled by SQLAlchemy once per set of parameter names;
after that the loop connection binds the parameters in SQL order (through the columns' own
type processors), runs the SQL on sqlite3 and returns a small result with the part of
SQLAlchemy's Result API the repositories use. Everything else, and every other connection,
goes through SQLAlchemy as before; so do statements it cannot run this way (expanding IN
lists, Python-side column defaults).

Errors are SQLAlchemy's: a constraint violation raises sqlalchemy.exc.IntegrityError, so
storage.integrity maps it to the same domain error on every path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound

from storage.repositories._sqlite_values import datetime_to_db
from storage.types import UtcDateTime

S = TypeVar("S")
_PREPARED: dict[int, Any] = {}  # id -> the statement (kept alive: its id stays unique)


def prepare(statement: S) -> S:
    """Marks a statement built once (module level, or a cached builder) as prepared."""
    _PREPARED[id(statement)] = statement
    return statement


def is_prepared(statement: Any) -> bool:
    return _PREPARED.get(id(statement)) is statement


class _Plan:
    """One statement compiled for one set of parameter names."""

    __slots__ = (
        "binds",
        "converted",
        "keys",
        "names",
        "pick",
        "processed",
        "results",
        "row_class",
        "sql",
    )

    def __init__(self, statement: Any, dialect: Dialect, keys: Sequence[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        if "POSTCOMPILE" in compiled.string or compiled.insert_prefetch or compiled.update_prefetch:
            raise _Unsupported
        missing = [
            name
            for name in compiled.positiontup or ()
            if name not in keys and compiled.binds[name].required
        ]
        if missing:  # SQLAlchemy says which value is missing, in its own words
            raise _Unsupported
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        processors = {
            name: _utc_to_db if isinstance(compiled.binds[name].type, UtcDateTime) else process
            for name, process in compiled._bind_processors.items()
        }
        # Per position: (parameter name or None for a value fixed in the statement, the fixed
        # value, its type processor)
        self.binds = tuple(
            (name, None, processors.get(name))
            if name in keys
            else (None, compiled.binds[name].effective_value, processors.get(name))
            for name in self.names
        )
        # The common case, every value a parameter: one C call picks them in SQL order, and
        # only the positions with a processor are touched again.
        self.pick: Callable[[dict[str, Any]], Any] | None = None
        if self.names and all(name is not None for name, _, _ in self.binds):
            self.pick = itemgetter(*self.names)
        self.processed = tuple(
            (position, process)
            for position, (_, _, process) in enumerate(self.binds)
            if process is not None
        )
        self.keys: tuple[str, ...] = tuple(entry.keyname for entry in compiled._result_columns)
        self.results: tuple[Callable[[Any], Any] | None, ...] = tuple(
            _utc_from_db
            if isinstance(entry.type, UtcDateTime)
            else entry.type._cached_result_processor(dialect, None)
            for entry in compiled._result_columns
        )
        # Where a value needs converting: most columns (numbers, text) need nothing.
        self.converted = tuple(i for i, process in enumerate(self.results) if process)
        self.row_class = _row_class(self.keys)

    def parameters(self, values: dict[str, Any]) -> Sequence[Any]:
        pick = self.pick
        if pick is not None:
            if len(self.names) == 1:
                picked: list[Any] = [pick(values)]
            elif not self.processed:
                return pick(values)  # type: ignore[no-any-return]
            else:
                picked = list(pick(values))
            for position, process in self.processed:
                picked[position] = process(picked[position])
            return picked
        out = []
        for name, fixed, process in self.binds:
            value = values[name] if name is not None else fixed
            out.append(value if process is None else process(value))
        return tuple(out)


class _Unsupported(Exception):
    pass


# UtcDateTime's values as its processors make them (a TypeDecorator over SQLite's DATETIME,
# a chain of three calls), in one call each: a slot, a request or a citizen has several.
# tests/unit/test_sqlite_values.py holds them to SQLAlchemy's.
def _utc_to_db(value: datetime | None) -> str | None:
    return None if value is None else datetime_to_db(value)


def _utc_from_db(value: str) -> datetime:
    moment = datetime.fromisoformat(value)  # SQLAlchemy's DATETIME reads text this way
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class PreparedRunner:
    """Runs prepared statements on one sqlite3 connection; one per loop connection."""

    __slots__ = ("_dialect", "_plans", "raw")

    def __init__(self, raw: sqlite3.Connection, dialect: Dialect) -> None:
        self.raw = raw
        self._dialect = dialect
        self._plans: dict[tuple[int, frozenset[str]], _Plan | None] = {}

    def run(self, statement: Any, parameters: Any) -> FastResult | None:
        """The result, or None when this statement cannot run here (use SQLAlchemy)."""
        many = isinstance(parameters, list)
        if many and not parameters:
            return None
        if many and len(parameters) == 1:  # one row: a plain execute, less machinery
            parameters, many = parameters[0], False
        first = parameters[0] if many else (parameters or {})
        if not isinstance(first, dict):
            return None
        key = (id(statement), frozenset(first))
        plan = self._plans.get(key, _MISSING)
        if plan is _MISSING:
            try:
                plan = _Plan(statement, self._dialect, tuple(first))
            except _Unsupported:
                plan = None
            self._plans[key] = plan
        if plan is None or (many and plan.keys):  # executemany ... RETURNING: not in sqlite3
            return None
        assert isinstance(plan, _Plan)
        try:
            if many:
                cursor = self.raw.executemany(plan.sql, [plan.parameters(p) for p in parameters])
                return FastResult(plan, [], cursor.rowcount)
            cursor = self.raw.execute(plan.sql, plan.parameters(first))
            rows = cursor.fetchall() if plan.keys else []
        except sqlite3.Error as error:
            raise DBAPIError.instance(
                plan.sql, None, error, sqlite3.Error, dialect=self._dialect
            ) from error
        return FastResult(plan, rows, cursor.rowcount)


_MISSING: Any = object()


class FastRow(tuple[Any, ...]):
    """A row: by position, by attribute (`row.name`), by key (`row._mapping["name"]`).

    Each plan has its own subclass (`_row_class`), whose attributes are its columns."""

    _keys: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._keys.index(name)]
        except ValueError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> dict[str, Any]:
        return dict(zip(self._keys, self, strict=True))


def _row_class(keys: tuple[str, ...]) -> type[FastRow]:
    """A FastRow whose columns are attributes: `row.starts_at` is one C-level item lookup,
    where FastRow.__getattr__ searches the keys. A name a tuple already has (`count`,
    `index`) or one given twice stays with FastRow, as it was."""
    namespace: dict[str, Any] = {"__slots__": (), "_keys": keys}
    for position, key in enumerate(keys):
        if key.isidentifier() and not hasattr(FastRow, key) and keys.count(key) == 1:
            namespace[key] = property(itemgetter(position))
    return type("FastRow", (FastRow,), namespace)


class FastResult:
    """The part of SQLAlchemy's CursorResult the repositories use."""

    __slots__ = ("_keys", "_row_class", "_rows", "rowcount")

    def __init__(self, plan: _Plan, raw_rows: list[tuple[Any, ...]], rowcount: int) -> None:
        self._keys = plan.keys
        self._row_class = plan.row_class
        converted = plan.converted
        if converted and raw_rows:
            processors = plan.results
            rows: list[Any] = []
            for raw_row in raw_rows:
                row = list(raw_row)
                for index in converted:
                    value = row[index]
                    if value is not None:
                        row[index] = processors[index](value)  # type: ignore[misc]
                rows.append(row)
            self._rows = rows
        else:
            self._rows = raw_rows
        self.rowcount = rowcount

    def _row(self, values: Sequence[Any]) -> FastRow:
        return self._row_class(values)

    def __iter__(self) -> Iterator[FastRow]:
        return map(self._row_class, self._rows)

    def all(self) -> list[FastRow]:
        return list(map(self._row_class, self._rows))

    fetchall = all

    def first(self) -> FastRow | None:
        return self._row(self._rows[0]) if self._rows else None

    def one(self) -> FastRow:
        return self._row(_one(self._rows))

    def one_or_none(self) -> FastRow | None:
        if len(self._rows) > 1:
            raise MultipleResultsFound("Multiple rows were found when one or none was required")
        return self.first()

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        return _one(self._rows)[0]

    def scalar_one_or_none(self) -> Any:
        return self.one_or_none()[0] if self._rows else None  # type: ignore[index]

    def scalars(self) -> _Scalars:
        return _Scalars([row[0] for row in self._rows])

    def mappings(self) -> _Mappings:
        keys = self._keys
        return _Mappings([dict(zip(keys, row, strict=True)) for row in self._rows])


def _one(rows: list[Any]) -> Any:
    if not rows:
        raise NoResultFound("No row was found when one was required")
    if len(rows) > 1:
        raise MultipleResultsFound("Multiple rows were found when exactly one was required")
    return rows[0]


class _Scalars:
    __slots__ = ("_values",)

    def __init__(self, values: list[Any]) -> None:
        self._values = values

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def all(self) -> list[Any]:
        return list(self._values)

    def first(self) -> Any:
        return self._values[0] if self._values else None

    def one(self) -> Any:
        return _one(self._values)


class _Mappings:
    __slots__ = ("_maps",)

    def __init__(self, maps: list[dict[str, Any]]) -> None:
        self._maps = maps

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._maps)

    def all(self) -> list[dict[str, Any]]:
        return list(self._maps)

    def first(self) -> dict[str, Any] | None:
        return self._maps[0] if self._maps else None

    def one(self) -> dict[str, Any]:
        return _one(self._maps)  # type: ignore[no-any-return]

    def one_or_none(self) -> dict[str, Any] | None:
        if len(self._maps) > 1:
            raise MultipleResultsFound("Multiple rows were found when one or none was required")
        return self.first()
