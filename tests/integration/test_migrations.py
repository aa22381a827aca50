"""The migrations build exactly the schema of storage.tables, on each dialect."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.tables import metadata


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": _on_dialect(connection)}
    )
    return compare_metadata(context, metadata)


def _on_dialect(connection: Connection) -> Any:
    """Skips what the metadata builds only on another dialect (`Index(...).ddl_if(...)`)."""

    def include(obj: Any, name: Any, type_: Any, reflected: Any, compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, connection.dialect.name)

    return include


async def test_the_migrated_database_matches_the_metadata(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == [], "\n".join(str(d) for d in differences)


def _partial_indexes(connection: Connection) -> dict[str, bool]:
    return {
        index["name"]: bool(index["unique"])
        for index in inspect(connection).get_indexes("requests")
        if index["name"] in ("uq_requests_slot_holding", "uq_requests_citizen_official_active")
    }


async def test_the_partial_unique_indexes_exist(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert await conn.run_sync(_partial_indexes) == {
            "uq_requests_slot_holding": True,
            "uq_requests_citizen_official_active": True,
        }
