"""What every repository shares: the unit of work's connection and row <-> dataclass mapping."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from reception.errors import NotFound


class Repository:
    __slots__ = ("conn",)

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    @property
    def dialect(self) -> str:
        return self.conn.dialect.name


def columns(table: Table, *, exclude: Iterable[str] = ("id",)) -> tuple[str, ...]:
    skip = set(exclude)
    return tuple(c.name for c in table.columns if c.name not in skip)


def values_of(
    obj: Any, names: Iterable[str], renamed: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Column values from a dataclass; `renamed` maps column name -> attribute name."""
    renamed = renamed or {}
    return {name: getattr(obj, renamed.get(name, name)) for name in names}


def build(
    cls: Callable[..., Any],
    row: Mapping[Any, Any],
    renamed: Mapping[str, str] | None = None,
    convert: Mapping[str, Callable[[Any], Any]] | None = None,
) -> Any:
    """A dataclass from a row mapping; `convert` turns stored strings back into enums."""
    kwargs = (
        {renamed.get(name, name): value for name, value in row.items()} if renamed else dict(row)
    )
    if convert:
        for attribute, to_value in convert.items():
            value = kwargs.get(attribute)
            if value is not None:
                kwargs[attribute] = to_value(value)
    return cls(**kwargs)


def found(row: Any, what: str, key: object) -> Any:
    if row is None:
        raise NotFound(what=what, id=key)
    return row
