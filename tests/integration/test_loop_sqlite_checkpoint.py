"""The loop connection's WAL is copied back into the database file by a thread beside the
event loop (storage.inloop._Checkpointer), never inside the loop's COMMITs."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from storage.inloop import LoopSqlite
from tests.integration.builders import NOW
from tests.integration.loop_support import *  # noqa: F403  (fixtures)


def chats_in_database_file(path: Path) -> set[str]:
    """The rows in the database file itself, without the WAL: what checkpoints put there."""
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as main_file_only:
        return {row[0] for row in main_file_only.execute("SELECT chat_id FROM conversations")}


def chats_committed(path: Path) -> set[str]:
    with sqlite3.connect(path) as other:
        return {row[0] for row in other.execute("SELECT chat_id FROM conversations")}


def checkpoint_every(loop_db: LoopSqlite, commits: int) -> None:
    """A checkpoint after every `commits` group commits, never by the clock."""
    loop_db.checkpointer.EVERY_COMMITS = commits
    loop_db.checkpointer.EVERY_SECONDS = 3600.0


async def write_chats(loop_db: LoopSqlite, count: int, first: int = 0) -> None:
    for n in range(first, first + count):  # one after another: a group commit each
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", f"c{n}", NOW)
            await uow.commit()


async def wait_for_checkpoints(loop_db: LoopSqlite, count: int) -> None:
    async with asyncio.timeout(10):
        while loop_db.checkpointer.checkpoints < count:  # noqa: ASYNC110 (a thread's counter)
            await asyncio.sleep(0.01)


async def test_the_wal_reaches_the_database_file_though_the_loop_never_checkpoints(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    checkpoint_every(loop_db, 5)

    await write_chats(loop_db, 5)
    await wait_for_checkpoints(loop_db, 1)
    await write_chats(loop_db, 5, first=5)
    await wait_for_checkpoints(loop_db, 2)
    await write_chats(loop_db, 2, first=10)

    assert loop_db.prepared.raw.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    assert chats_committed(database_file) == {f"c{n}" for n in range(12)}
    # The second checkpoint started after the tenth COMMIT: those are in the file, the last
    # two only in the WAL until the next checkpoint.
    assert chats_in_database_file(database_file) == {f"c{n}" for n in range(10)}


async def test_without_enough_commits_nothing_is_checkpointed_yet(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    """A checkpoint every few commits, not one per commit: the WAL takes the writes first."""
    checkpoint_every(loop_db, 1_000)

    await write_chats(loop_db, 3)

    assert loop_db.checkpointer.checkpoints == 0
    assert chats_committed(database_file) == {"c0", "c1", "c2"}
    assert chats_in_database_file(database_file).isdisjoint({"c0", "c1", "c2"})


async def test_closing_ends_the_checkpoint_thread(loop_db: LoopSqlite) -> None:
    checkpoint_every(loop_db, 1)
    await write_chats(loop_db, 2)
    await wait_for_checkpoints(loop_db, 1)

    loop_db.close()

    assert not [t for t in threading.enumerate() if t.name.startswith("sqlite-checkpoint")]
