"""The dialect's INSERT with ON CONFLICT (both SQLite >= 3.35 and PostgreSQL have it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def insert_for(conn: AsyncConnection, table: Table) -> Any:
    """`postgresql.insert` or `sqlite.insert`, which offer `on_conflict_do_*`."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
