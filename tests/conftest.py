"""Shared basics for every tier. Storage's own fixtures live in tests/integration/conftest.py.

`database_url` gives each test a database of its own: a SQLite file in tmp_path always, and,
when TEST_DATABASE_URL names a PostgreSQL server (as .ci/run sets it), a freshly created
PostgreSQL database too, dropped after the test. Nothing is migrated here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

CONFIG_PREFIXES = ("RECEPTION_", "TELEGRAM_", "WHATSAPP_")
DIALECTS = ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


@pytest.fixture(autouse=True)
def isolated_configuration(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A developer's own RECEPTION_*/TELEGRAM_*/WHATSAPP_* variables never reach a test."""
    for name in list(os.environ):
        if name.upper().startswith(CONFIG_PREFIXES):
            monkeypatch.delenv(name)
    yield


@pytest.fixture(params=DIALECTS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/reception.db"
        return
    async with fresh_postgresql_database(os.environ["TEST_DATABASE_URL"]) as url:
        yield url


@asynccontextmanager
async def fresh_postgresql_database(server_url: str) -> AsyncIterator[str]:
    """CREATE DATABASE test_<random> on the server TEST_DATABASE_URL names; DROP it after."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    server = make_url(server_url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
