"""The engine and the unit of work: SQLite settings, aware times, rollback unless committed."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from storage.engine import create_engine
from storage.tables import citizens
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, citizen


async def test_sqlite_runs_in_wal_with_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/new/folder/reception.db")
    try:
        async with engine.connect() as conn:
            pragmas = {
                name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
            }
    finally:
        await engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "busy_timeout": 30000,
        "foreign_keys": 1,
        "synchronous": 1,
    }


async def test_nothing_is_kept_unless_committed(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.citizens.add(citizen())
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.citizens.add(citizen())
            raise RuntimeError("the handler failed")
    async with uow_factory(readonly=True) as uow:
        assert (await uow.connection.execute(select(citizens.c.id))).all() == []


async def test_times_come_back_aware_in_utc(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        person = await uow.citizens.add(citizen(created_at=NOW))
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        stored = (await uow.citizens.get(person.id)).created_at
    assert stored == NOW and stored.tzinfo is UTC


async def test_a_naive_time_is_refused(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(StatementError, match="naive datetime"):
            await uow.citizens.add(citizen(created_at=datetime(2026, 3, 2, 9, 0)))


async def test_a_reader_is_not_blocked_by_an_open_writer(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        person = await uow.citizens.add(citizen())
        await uow.commit()
    async with uow_factory() as writer:
        person.phone = "+77000000000"
        await writer.citizens.update(person)
        async with uow_factory(readonly=True) as reader:
            seen = await asyncio.wait_for(reader.citizens.get(person.id), timeout=5)
        await writer.commit()
    assert seen.phone != "+77000000000"


async def test_a_read_only_unit_of_work_leaves_its_connection_writable(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    for _ in range(3):  # the pool hands the same connections around
        async with uow_factory(readonly=True) as uow:
            await uow.citizens.by_channel("telegram", "1")
        async with uow_factory() as uow:
            await uow.citizens.add(citizen())
            await uow.commit()


async def test_sqlite_writers_of_two_processes_wait_for_each_other_instead_of_failing(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """Two engines stand for two processes: each has its own in-process writer queue, so
    they meet in SQLite's lock. BEGIN IMMEDIATE makes read-then-write units of work wait
    there (busy_timeout) instead of failing with "database is locked"."""
    path = tmp_path / "shared.db"
    shutil.copyfile(sqlite_template, path)
    engines = [create_engine(f"sqlite+aiosqlite:///{path}") for _ in range(2)]
    factories = [SqlUnitOfWorkFactory(engine) for engine in engines]

    async def read_then_write(factory: SqlUnitOfWorkFactory) -> None:
        async with factory() as uow:
            conversation = await uow.conversations.get_or_create("web", "shared", NOW)
            conversation.failures += 1
            await asyncio.sleep(0)  # let the other process in between the read and the write
            await uow.conversations.save(conversation)
            await uow.commit()

    try:
        await asyncio.gather(*(read_then_write(factories[n % 2]) for n in range(40)))
        async with factories[0](readonly=True) as uow:
            conversation = await uow.conversations.get_or_create("web", "shared", NOW)
    finally:
        for engine in engines:
            await engine.dispose()
    assert conversation.failures == 40
