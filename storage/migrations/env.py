"""Alembic environment for our async engines.

`storage.migrate.upgrade_to_head(url)` hands over an open connection in
`config.attributes["connection"]`. From the command line (for `alembic revision
--autogenerate`): `alembic -c storage/migrations/alembic.ini -x url=sqlite+aiosqlite:///x.db ...`
or RECEPTION_DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from storage.engine import create_engine
from storage.tables import metadata

config = context.config


def run_migrations(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite's procedure for altering tables (batch mode copies them): foreign keys off
        # while migrating, then checked. The pragma is ignored inside a transaction, so it
        # goes straight to the driver, before our BEGIN.
        _sqlite_pragma(connection, "foreign_keys=OFF")
    try:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=sqlite,
            compare_type=True,
            # Our engine emits BEGIN on SQLite too, so DDL is transactional on both dialects:
            # a failed upgrade leaves the database as it was.
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    finally:
        if sqlite:
            _sqlite_pragma(connection, "foreign_keys=ON")


def _sqlite_pragma(connection: Connection, pragma: str) -> None:
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _url() -> str:
    return (
        config.attributes.get("url")
        or context.get_x_argument(as_dictionary=True).get("url")
        or os.environ.get("RECEPTION_DATABASE_URL")
        or "sqlite+aiosqlite:///data/reception.db"
    )


async def run_async_migrations() -> None:
    engine = create_engine(_url(), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")

connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    asyncio.run(run_async_migrations())
