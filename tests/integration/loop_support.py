"""Fixtures of the loop-connection tests: a migrated SQLite file, the bot's LoopSqlite on it,
and the ordinary unit of work on the same file. Import with `from ... import *`."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.engine import create_engine
from storage.inloop import LoopSqlite
from storage.uow import SqlUnitOfWorkFactory

__all__ = ["database_file", "loop_db", "uow_factory"]


@pytest.fixture
def database_file(tmp_path: Path, sqlite_template: Path) -> Path:
    path = tmp_path / "loop.db"
    shutil.copyfile(sqlite_template, path)
    return path


@pytest.fixture
async def loop_db(database_file: Path) -> AsyncIterator[LoopSqlite]:
    database = LoopSqlite(f"sqlite+aiosqlite:///{database_file}")
    yield database
    database.close()


@pytest.fixture
async def uow_factory(database_file: Path) -> AsyncIterator[SqlUnitOfWorkFactory]:
    engine = create_engine(f"sqlite+aiosqlite:///{database_file}")
    yield SqlUnitOfWorkFactory(engine)
    await engine.dispose()
