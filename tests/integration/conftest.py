"""Storage tests run on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set.

SQLite: migrated once into a template file, copied per test. PostgreSQL: migrated once per
session into a fresh database (dropped at the end), emptied before each test.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import MetaData
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import NullPool

from storage.engine import create_engine
from storage.migrate import upgrade_to_head
from storage.uow import SqlUnitOfWorkFactory

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
DIALECTS = ["sqlite", *(["postgresql"] if TEST_DATABASE_URL else [])]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "reception.db"
    asyncio.run(upgrade_to_head(f"sqlite+aiosqlite:///{path}"))
    return path


async def _admin(base: URL, sql: str) -> None:
    conn = await asyncpg.connect(
        user=base.username,
        password=base.password,
        host=base.host or "127.0.0.1",
        port=base.port or 5432,
        database=base.database,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class PostgresqlCleaner:
    """Empties what a test wrote. TRUNCATE ... CASCADE costs ~0.1-0.5 s a test (every
    relation it touches is recreated), DELETE of a few small tables ~5 ms; so: find the
    tables with rows, DELETE them children first, restart their id sequences. The audit log
    refuses DELETE by design and is truncated instead."""

    def __init__(self, sync_connection: Connection) -> None:
        reflected = MetaData()
        reflected.reflect(sync_connection)
        tables = [t for t in reflected.sorted_tables if t.name != "alembic_version"]
        self.children_first = [t.name for t in reversed(tables)]
        self.with_id = {t.name for t in tables if "id" in t.c and t.c.id.autoincrement}
        self.probe = " UNION ALL ".join(
            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.name})" for t in tables
        )

    async def clean(self, conn: AsyncConnection) -> None:
        used = set((await conn.exec_driver_sql(self.probe)).scalars().all())
        for name in (n for n in self.children_first if n in used):
            verb = "TRUNCATE" if name == "audit_log" else "DELETE FROM"
            await conn.exec_driver_sql(f"{verb} {name}")
            if name in self.with_id:
                await conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 1, false)"
                )


async def _prepare_postgresql(url: str) -> PostgresqlCleaner:
    await upgrade_to_head(url)
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(PostgresqlCleaner)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgresql() -> Iterator[tuple[str, PostgresqlCleaner]]:
    """A database of this session's own on the TEST_DATABASE_URL server, migrated once."""
    assert TEST_DATABASE_URL is not None
    base = make_url(TEST_DATABASE_URL)
    name = f"reception_it_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        yield url, asyncio.run(_prepare_postgresql(url))
    finally:
        asyncio.run(_admin(base, f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(params=DIALECTS)
def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> tuple[str, PostgresqlCleaner | None]:
    """The URL of an empty migrated database, and for PostgreSQL what empties it."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgresql")
    path = tmp_path / "reception.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite+aiosqlite:///{path}", None


@pytest.fixture
async def database_url(database: tuple[str, PostgresqlCleaner | None]) -> str:
    url, cleaner = database
    if cleaner is not None:
        engine = create_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                await cleaner.clean(conn)
        finally:
            await engine.dispose()
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(engine)
