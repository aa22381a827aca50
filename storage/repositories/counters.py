"""Per-year counters for request and protocol numbers: one atomic upsert, no gaps on rollback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.prepared import prepare
from storage.repositories._upsert import insert_for
from storage.tables import counters

REQUEST_NUMBERS = "request"
PROTOCOL_NUMBERS = "protocol"
_NEXT: dict[str, Any] = {}  # per dialect, built once


async def next_value(conn: AsyncConnection, name: str, year: int) -> int:
    """Increments the counter and returns the new value.

    The row stays locked (PostgreSQL) or the write lock held (SQLite) until the unit of work
    ends, so numbers are sequential and a rolled-back number is reused.
    """
    statement = _NEXT.get(conn.dialect.name)
    if statement is None:
        statement = _NEXT[conn.dialect.name] = prepare(
            insert_for(conn, counters)
            .values(name=bindparam("b_name"), year=bindparam("b_year"), value=1)
            .on_conflict_do_update(
                index_elements=[counters.c.name, counters.c.year],
                set_={"value": counters.c.value + 1},
            )
            .returning(counters.c.value)
        )
    return (await conn.execute(statement, {"b_name": name, "b_year": year})).scalar_one()
