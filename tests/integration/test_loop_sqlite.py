"""The bot's loop-thread SQLite connection (storage.inloop): group commit and prepared
statements behave like the ordinary unit of work, only cheaper."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from reception.errors import SlotTaken
from storage.inloop import LoopSqlite
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, registered, seed
from tests.integration.loop_support import *  # noqa: F403  (fixtures)


def chats_on_disk(path: Path) -> set[str]:
    """What another process would see: a separate connection, committed rows only."""
    with sqlite3.connect(path) as other:
        return {row[0] for row in other.execute("SELECT chat_id FROM conversations")}


async def test_units_that_queue_together_share_one_commit_and_each_returns_after_it(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    commits: list[str] = []
    seen_on_return: dict[str, bool] = {}

    async def unit(chat_id: str) -> None:
        async with loop_db() as uow:
            if not commits and loop_db._sync is not None:  # trace the group's COMMITs
                loop_db._sync.connection.driver_connection.set_trace_callback(
                    lambda sql: commits.append(sql) if sql == "COMMIT" else None
                )
            await uow.conversations.get_or_create("web", chat_id, NOW)
            await uow.commit()
        seen_on_return[chat_id] = chat_id in chats_on_disk(database_file)

    await asyncio.gather(*(unit(f"c{n}") for n in range(6)))
    assert seen_on_return == {f"c{n}": True for n in range(6)}  # on disk before returning
    assert len(commits) < 6  # and fewer COMMITs than units


async def test_chats_that_write_again_at_once_keep_sharing_commits(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    """Ten chats, each writing again as soon as its last write is on disk (a citizen
    answering at once): the rounds of ten keep sharing their COMMITs."""
    commits: list[str] = []

    async def chat(chat_id: str) -> None:
        for step in range(5):
            async with loop_db() as uow:
                if not commits and loop_db._sync is not None:  # trace the COMMITs
                    loop_db._sync.connection.driver_connection.set_trace_callback(
                        lambda sql: commits.append(sql) if sql == "COMMIT" else None
                    )
                await uow.conversations.get_or_create("web", f"{chat_id}-{step}", NOW)
                await uow.commit()

    await asyncio.gather(*(chat(f"c{n}") for n in range(10)))
    assert len(chats_on_disk(database_file)) == 50
    assert len(commits) <= 6  # 50 units


async def test_a_failing_unit_is_rolled_back_alone_in_its_group(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    async def unit(chat_id: str, fail: bool) -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", chat_id, NOW)
            if fail:
                raise RuntimeError("a bug in this update")
            await uow.commit()

    outcomes = await asyncio.gather(
        unit("kept-1", False), unit("lost", True), unit("kept-2", False), return_exceptions=True
    )
    assert [type(o).__name__ for o in outcomes] == ["NoneType", "RuntimeError", "NoneType"]
    assert chats_on_disk(database_file) == {"kept-1", "kept-2"}


async def test_a_unit_left_without_commit_keeps_nothing(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    async with loop_db() as uow:
        await uow.conversations.get_or_create("web", "duplicate", NOW)
    async with loop_db() as uow:
        await uow.conversations.get_or_create("web", "kept", NOW)
        await uow.commit()
    assert chats_on_disk(database_file) == {"kept"}


async def test_a_waiter_cancelled_in_the_queue_does_not_hold_the_group_open(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    async def first() -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", "first", NOW)
            await asyncio.sleep(0.05)  # holds the connection: the second unit queues
            await uow.commit()

    async def second() -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", "second", NOW)
            await uow.commit()

    done = asyncio.create_task(first())
    await asyncio.sleep(0.01)
    waiting = asyncio.create_task(second())
    await asyncio.sleep(0.01)
    waiting.cancel()  # while it queues for the connection
    await asyncio.wait_for(done, 5)
    assert chats_on_disk(database_file) == {"first"}


async def test_prepared_statements_read_what_sqlalchemy_reads(
    loop_db: LoopSqlite, uow_factory: SqlUnitOfWorkFactory
) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        added = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1"))
        await uow.commit()
    assert added.id is not None
    async with uow_factory(readonly=True) as uow:
        expected = (
            await uow.citizens.get(s.citizen_ids[0]),
            await uow.schedule.get_official(s.official_id),
            await uow.schedule.officials(),
            await uow.schedule.get_slot(s.slots[0].id),
            await uow.requests.get(added.id),
        )
    async with loop_db() as uow:
        assert (
            await uow.citizens.get(s.citizen_ids[0]),
            await uow.schedule.get_official(s.official_id),
            await uow.schedule.officials(),
            await uow.schedule.get_slot(s.slots[0].id),
            await uow.requests.get(added.id),
        ) == expected


async def test_prepared_writes_read_back_through_sqlalchemy(
    loop_db: LoopSqlite, uow_factory: SqlUnitOfWorkFactory
) -> None:
    s = await seed(uow_factory)
    async with loop_db() as uow:
        citizen = await uow.citizens.get(s.citizen_ids[1])
        citizen.full_name, citizen.consent_at = "Айгүл Сейтқызы", NOW
        await uow.citizens.update(citizen)
        added = await uow.requests.add(registered(s.citizen_ids[1], s.official_id, "7"))
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert await uow.citizens.get(s.citizen_ids[1]) == citizen
        again = await uow.requests.get(added.id or 0)
    assert (again.number, again.registered_at, again.answer_due) == (
        "7",
        added.registered_at,
        added.answer_due,
    )


async def test_a_held_slot_is_slot_taken_on_the_loop_connection_too(
    loop_db: LoopSqlite, uow_factory: SqlUnitOfWorkFactory
) -> None:
    s = await seed(uow_factory)
    slot = s.slots[0].id
    async with loop_db() as uow:
        await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1", slot_id=slot))
        await uow.commit()
    async with loop_db() as uow:
        with pytest.raises(SlotTaken):
            await uow.requests.add(registered(s.citizen_ids[1], s.official_id, "2", slot_id=slot))
