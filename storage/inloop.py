"""SQLite on the event loop's own thread, for the bot's hot path (issue 3; PERFORMANCE.md).

aiosqlite runs every call in a thread of its own, and through SQLAlchemy one statement costs
three or four hand-offs to that thread and back: an update of the dialog took some twenty,
most of its time. SQLite answers the dialog's small statements in microseconds, so the bot's
pipeline runs its one short transaction per update on a plain sqlite3 connection on the loop's
thread, with the same repositories as every other unit of work.

The loop never waits on a lock: the connection's busy_timeout is 0, and a BEGIN IMMEDIATE that
finds another writer (a console request, the outbox sender, another process) is retried after
an asyncio sleep, so that writer can finish meanwhile. Once begun, a writer in WAL mode waits
for nobody. The writers of this process queue on one asyncio lock before they get here
(bot.pipeline), which also makes one connection enough.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import weakref
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import StaticPool

from storage.jsonenc import dumps, loads
from storage.prepared import PreparedRunner, is_prepared
from storage.repositories.audit import SqlAuditRepository
from storage.repositories.citizens import SqlCitizenRepository
from storage.repositories.conversations import SqlConversationRepository
from storage.repositories.documents import SqlDocumentRepository
from storage.repositories.inbound import SqlInboundRepository
from storage.repositories.jobs import SqlJobRepository
from storage.repositories.messages import SqlMessageRepository
from storage.repositories.outbox import SqlOutboxRepository
from storage.repositories.protocols import SqlProtocolRepository
from storage.repositories.requests import SqlRequestRepository
from storage.repositories.schedule import SqlScheduleRepository
from storage.repositories.sessions import SqlSessionRepository
from storage.repositories.staff import SqlStaffRepository

log = logging.getLogger(__name__)

BEGIN_RETRY_FIRST_SECONDS = 0.0005
BEGIN_RETRY_MAX_SECONDS = 0.05
BEGIN_GIVE_UP_SECONDS = 30.0  # as long as the async engine's busy_timeout


class LoopConnection:
    """What the repositories use of an AsyncConnection (`execute`, `dialect`), over a
    synchronous Connection: awaiting it never leaves the loop's thread."""

    __slots__ = ("prepared", "raw", "sync")

    def __init__(self, sync: Connection, prepared: PreparedRunner) -> None:
        self.sync = sync
        self.prepared = prepared
        self.raw = prepared.raw  # the sqlite3 connection, for plain-SQL statements

    @property
    def dialect(self) -> Any:
        return self.sync.dialect

    async def execute(self, statement: Any, parameters: Any = None, **kw: Any) -> Any:
        if not kw and is_prepared(statement):  # storage.prepared: straight to sqlite3
            result = self.prepared.run(statement, parameters)
            if result is not None:
                return result
        return self.sync.execute(statement, parameters, **kw)

    async def exec_driver_sql(self, statement: str, parameters: Any = None) -> Any:
        return self.sync.exec_driver_sql(statement, parameters)

    async def scalar(self, statement: Any, parameters: Any = None) -> Any:
        return self.sync.scalar(statement, parameters)

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        """A SAVEPOINT, as SQLAlchemy's begin_nested() would emit it, but straight on sqlite3:
        SQLAlchemy's bookkeeping around the three statements cost some 90 µs. Nothing on this
        connection uses SQLAlchemy's own savepoints, and SQLite resolves a repeated name to
        the innermost savepoint, so nested blocks need no names of their own."""
        raw = self.raw
        raw.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            raw.execute("ROLLBACK TO nested")
            raw.execute("RELEASE nested")
            raise
        raw.execute("RELEASE nested")

    def in_transaction(self) -> bool:
        return self.sync.in_transaction()


_REPOSITORIES: dict[str, Any] = {
    "citizens": SqlCitizenRepository,
    "requests": SqlRequestRepository,
    "schedule": SqlScheduleRepository,
    "documents": SqlDocumentRepository,
    "protocols": SqlProtocolRepository,
    "outbox": SqlOutboxRepository,
    "audit": SqlAuditRepository,
    "staff": SqlStaffRepository,
    "jobs": SqlJobRepository,
    "conversations": SqlConversationRepository,
    "messages": SqlMessageRepository,
    "inbound": SqlInboundRepository,
    "sessions": SqlSessionRepository,
}


class LoopUnitOfWork:
    """SqlUnitOfWork's repositories over the loop's SQLite connection; write units only.

    The unit is a SAVEPOINT inside the group transaction of its LoopSqlite: `commit()`
    releases it, leaving without `commit()` rolls it back. Leaving returns once the group's
    COMMIT is done, so a caller that saw `commit()` succeed and the block end has its work
    on disk."""

    def __init__(self, database: LoopSqlite) -> None:
        self._database = database
        self._conn: LoopConnection | None = None
        self._committed = False

    @property
    def connection(self) -> LoopConnection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("a unit of work is entered once")
        sync = await self._database.enter()
        self._conn = LoopConnection(sync, self._database.prepared)
        return self

    def __getattr__(self, name: str) -> Any:
        """A repository, made on first use: most units touch two or three of the thirteen."""
        repository = _REPOSITORIES.get(name)
        if repository is None:
            raise AttributeError(name)
        made = repository(self.connection)
        setattr(self, name, made)
        return made

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._database.leave(keep=self._committed and exc_type is None)

    async def commit(self) -> None:
        """Marks the unit's work to keep; it reaches the disk with its group's COMMIT, which
        leaving the block waits for."""
        self.connection  # noqa: B018 - raises when the unit is not open
        self._committed = True

    async def rollback(self) -> None:
        _raw(self.connection.sync).execute("ROLLBACK TO unit")
        self._committed = False


class _Group:
    """One open transaction and the units inside it; `waiters` hear of its COMMIT."""

    __slots__ = ("failure", "finished", "opened", "units", "waiters")

    def __init__(self, opened: float) -> None:
        self.opened = opened
        self.units = 0
        # One future per unit that waits for the COMMIT, awaited by that unit alone: a
        # cancelled unit cancels only its own, and the others wake one loop turn after the
        # COMMIT (a future shared through asyncio.shield took two turns, and a group's units
        # then woke on either side of the next COMMIT, splitting the groups in two).
        self.waiters: list[asyncio.Future[None]] = []
        self.finished = False
        self.failure: BaseException | None = None


class _Checkpointer:
    """Copies the WAL back into the database file in a thread of its own.

    SQLite's automatic checkpoint runs inside the COMMIT that finds the WAL over 1,000 pages,
    on the committing connection's thread: for the loop connection, on the event loop, where
    it stalled every update in flight (with it there, bench/dialog.py's p99 was 11 ms; with
    it here, 7 ms). The loop connection turns it off
    (wal_autocheckpoint=0) and this does the same work beside the loop: after every
    `EVERY_COMMITS` group commits, or the first commit `EVERY_SECONDS` after the last
    checkpoint, a PASSIVE checkpoint on its own connection in its own thread. PASSIVE never
    waits for and never blocks the writer; sqlite3 lets go of the GIL while SQLite copies
    pages, so the loop goes on meanwhile. What a reader still uses stays in the WAL for the
    next checkpoint, as with SQLite's own. Nothing here touches the event loop.
    """

    EVERY_COMMITS = 40  # about 500-900 pages of WAL at the dialog's group sizes
    EVERY_SECONDS = 1.0

    def __init__(self, database: str) -> None:
        self._database = database
        self._executor: ThreadPoolExecutor | None = None
        self._connection: sqlite3.Connection | None = None  # one thread at a time
        self._commits = 0
        self._last = time.monotonic()
        self._running = False
        self.checkpoints = 0  # done, for tests and the curious

    def committed(self) -> None:
        """A COMMIT of the loop connection is done (on the loop's thread)."""
        self._commits += 1
        if self._running:
            return
        if (
            self._commits < self.EVERY_COMMITS
            and time.monotonic() - self._last < self.EVERY_SECONDS
        ):
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="sqlite-checkpoint")
        self._commits, self._last, self._running = 0, time.monotonic(), True
        self._executor.submit(self._checkpoint)

    def _checkpoint(self) -> None:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(
                    self._database, isolation_level=None, check_same_thread=False
                )
            self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as error:  # e.g. the file is gone: SQLite's own is still there
            log.warning("background WAL checkpoint failed: %s", error)
            self._close_connection()
        finally:
            self._running = False

    def _close_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        """Waits for a checkpoint under way and closes its connection and thread."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        self._close_connection()


class LoopSqlite:
    """One synchronous connection to a SQLite file, used on the event loop, with group commit.

    Units of work take the connection in turn (an asyncio lock: waiting there is cheap and
    fair, where waiting on SQLite's busy handler means sleeping up to 100 ms at a time). Each
    unit is a SAVEPOINT: its de-duplication, state change and outbox rows are kept or rolled
    back together, on their own. When a unit ends, the
    transaction stays open for one turn of the event loop: the units that start meanwhile join
    it, and one COMMIT serves the group; each unit returns when that COMMIT is done, never
    before. A quiet bot waits one loop turn; under load a commit (about 0.1 ms of page writes,
    most of an update's database time) is shared. A group is closed after `GROUP_MAX_UNITS` units or
    `GROUP_MAX_SECONDS`, so no unit waits long for its commit.
    """

    GROUP_MAX_UNITS = 32
    GROUP_MAX_SECONDS = 0.010

    def __init__(self, url: str | URL) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            raise ValueError("LoopSqlite needs a SQLite database file")
        self.engine = create_engine(
            URL.create("sqlite", database=parsed.database),
            poolclass=StaticPool,
            json_serializer=dumps,
            json_deserializer=loads,
            # Used on the loop's thread only; closing may happen in a finaliser elsewhere.
            connect_args={"check_same_thread": False},
        )
        event.listen(self.engine, "connect", _on_connect)
        _bind_none_and_bool_directly()
        self.checkpointer = _Checkpointer(parsed.database)
        self.closed = False  # close() was called: for_engine() makes a new one
        self._sync: Connection | None = None
        self.prepared: PreparedRunner = None  # type: ignore[assignment]  # set by begin()
        self._lock = asyncio.Lock()
        self._busy = False  # a unit holds the connection
        self._group: _Group | None = None

    def __call__(self, *, readonly: bool = False) -> LoopUnitOfWork:
        return LoopUnitOfWork(self)

    async def enter(self) -> Connection:
        """Takes the connection in turn and opens a unit (a SAVEPOINT) in the group."""
        await self._lock.acquire()
        try:
            if self._group is None:
                sync = await self.begin()
                self._group = _Group(time.monotonic())
            sync = self._sync
            assert sync is not None
            self.prepared.raw.execute("SAVEPOINT unit")
        except BaseException:
            if self._group is not None and self._group.units == 0:
                self._finish(self._group)  # nothing in it yet: ends it
            self._lock.release()
            raise
        self._group.units += 1
        self._busy = True
        return sync

    async def leave(self, *, keep: bool) -> None:
        """Ends the unit (kept or rolled back); returns once the group's COMMIT is done."""
        group, sync = self._group, self._sync
        assert group is not None and sync is not None
        self._busy = False
        try:
            raw = self.prepared.raw  # the sqlite3 connection under `sync`
            if not keep:
                raw.execute("ROLLBACK TO unit")
            raw.execute("RELEASE unit")
        except BaseException as error:  # the transaction itself is gone: the group failed
            self._finish(group, error)
            self._lock.release()
            raise
        full = group.units >= self.GROUP_MAX_UNITS
        old = time.monotonic() - group.opened >= self.GROUP_MAX_SECONDS
        if not full and not old:
            # The COMMIT waits one turn of the event loop: the tasks that are ready meanwhile
            # (other chats' updates, the outbox sender) may open their units in this group.
            # The last unit's turn ends with nobody busy, and the group commits.
            self._lock.release()
            loop = asyncio.get_running_loop()
            waiter = loop.create_future()
            group.waiters.append(waiter)
            loop.call_soon(self._commit_if_idle, group)
            await waiter
            return
        self._finish(group)
        self._lock.release()
        if group.failure is not None:
            raise group.failure

    def _commit_if_idle(self, group: _Group) -> None:
        if self._group is group and not self._busy and not self._lock.locked():
            self._finish(group)

    def _finish(self, group: _Group, failure: BaseException | None = None) -> None:
        """COMMITs the group (or rolls it back after `failure`) and tells its units."""
        self._group = None
        sync = self._sync
        if failure is None and sync is not None:
            try:
                sync.commit()
            except Exception as error:
                failure = error
            else:
                self.checkpointer.committed()
        if failure is not None and sync is not None:
            try:
                # After a failed COMMIT SQLAlchemy's transaction is inactive (in_transaction()
                # is False) and rollback() only forgets it, while SQLite's stays open (e.g. a
                # deferred foreign key): end both, or every later BEGIN fails.
                sync.rollback()
                raw = _raw(sync)
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
            except Exception:  # the connection is broken: the next unit reconnects
                self._discard()
        if group.finished:
            return
        group.finished, group.failure = True, failure
        for waiter in group.waiters:
            if waiter.done():  # its unit was cancelled meanwhile
                continue
            if failure is None:
                waiter.set_result(None)
            else:
                waiter.set_exception(failure)
                waiter.exception()  # retrieved: a unit cancelled before it woke logs nothing

    async def begin(self) -> Connection:
        """BEGIN IMMEDIATE on the connection, waiting (asynchronously) for other writers."""
        if self._sync is None:
            self._sync = self.engine.connect()
            self.prepared = PreparedRunner(_raw(self._sync), self._sync.dialect)
        sync = self._sync
        raw = _raw(sync)
        delay, waited = BEGIN_RETRY_FIRST_SECONDS, 0.0
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if waited >= BEGIN_GIVE_UP_SECONDS:
                    raise
                await asyncio.sleep(delay)
                waited += delay
                delay = min(delay * 2, BEGIN_RETRY_MAX_SECONDS)
        # SQLAlchemy's own begin emits nothing for pysqlite: the transaction is the one above.
        sync.begin()
        return sync

    def _discard(self) -> None:
        if self._sync is not None:
            try:
                self._sync.invalidate()
            finally:
                self._sync = None

    def close(self) -> None:
        """Commits a group whose units are all done (they only wait for its COMMIT), then
        closes the connection: SQLite's write lock is free once this returns, so no other
        connection is left waiting for it in the busy handler."""
        self.closed = True
        if self._group is not None:
            self._commit_if_idle(self._group)
        if self._sync is not None:
            self._sync.close()
            self._sync = None
        self.engine.dispose()
        self.checkpointer.close()


# Per async SQLite engine: the one LoopSqlite over its file (the bot's pipeline and the outbox
# sender write through it), closed with the engine at the latest.
_by_engine: weakref.WeakKeyDictionary[Any, LoopSqlite] = weakref.WeakKeyDictionary()


def for_engine(engine: Any) -> LoopSqlite:
    """The LoopSqlite over `engine`'s SQLite file, made on first use."""
    database = _by_engine.get(engine)
    if database is None:
        database = _by_engine[engine] = LoopSqlite(engine.url)
        weakref.finalize(engine, database.close)
    return database


def close_for(engine: Any) -> None:
    """At shutdown, before the engine is disposed, while the event loop still runs: closes
    `engine`'s LoopSqlite if it has one. Left to the garbage collector, an open transaction
    could hold SQLite's write lock after the loop is gone, and a writer of the engine waiting
    for it would finish in its aiosqlite thread with no loop to report to."""
    database = _by_engine.pop(engine, None)
    if database is not None:
        database.close()


def _raw(sync: Connection) -> sqlite3.Connection:
    raw = sync.connection.driver_connection
    assert raw is not None
    return raw  # type: ignore[no-any-return]


def _bind_none_and_bool_directly() -> None:
    """sqlite3 binds str, int and float as they are, but for any other value (None, bool) it
    looks up an adapter, and finding none it asks sqlite3.PrepareProtocol for `__adapt__`,
    which builds and throws away an AttributeError: a third of a µs a value, a dozen values
    an update (the NULL columns of the messages and outbox rows). With these two registered
    the lookup finds its answer at once; what is bound stays the same (NULL, 0 and 1). Per
    process, for every sqlite3 connection, and harmless to register again."""
    sqlite3.register_adapter(type(None), _same)
    sqlite3.register_adapter(bool, int)


def _same(value: Any) -> Any:
    return value


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=0")  # never block the loop; begin() retries
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Savepoints (one per unit) keep their undo pages in memory, not in a temp file.
        cursor.execute("PRAGMA temp_store=MEMORY")
        # Checkpoints run beside the loop, not in its COMMITs (_Checkpointer).
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    finally:
        cursor.close()
