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
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import StaticPool

from storage.jsonenc import dumps
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

BEGIN_RETRY_FIRST_SECONDS = 0.0005
BEGIN_RETRY_MAX_SECONDS = 0.05
BEGIN_GIVE_UP_SECONDS = 30.0  # as long as the async engine's busy_timeout


class LoopConnection:
    """What the repositories use of an AsyncConnection (`execute`, `dialect`), over a
    synchronous Connection: awaiting it never leaves the loop's thread."""

    __slots__ = ("sync",)

    def __init__(self, sync: Connection) -> None:
        self.sync = sync

    @property
    def dialect(self) -> Any:
        return self.sync.dialect

    async def execute(self, statement: Any, parameters: Any = None, **kw: Any) -> Any:
        return self.sync.execute(statement, parameters, **kw)

    async def exec_driver_sql(self, statement: str, parameters: Any = None) -> Any:
        return self.sync.exec_driver_sql(statement, parameters)

    async def scalar(self, statement: Any, parameters: Any = None) -> Any:
        return self.sync.scalar(statement, parameters)

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        with self.sync.begin_nested():
            yield

    def in_transaction(self) -> bool:
        return self.sync.in_transaction()


class LoopUnitOfWork:
    """SqlUnitOfWork's repositories over the loop's SQLite connection; write units only."""

    def __init__(self, database: LoopSqlite) -> None:
        self._database = database
        self._conn: LoopConnection | None = None

    @property
    def connection(self) -> LoopConnection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("a unit of work is entered once")
        sync = await self._database.begin()
        conn = self._conn = LoopConnection(sync)
        self.citizens = SqlCitizenRepository(conn)  # type: ignore[arg-type]
        self.requests = SqlRequestRepository(conn)  # type: ignore[arg-type]
        self.schedule = SqlScheduleRepository(conn)  # type: ignore[arg-type]
        self.documents = SqlDocumentRepository(conn)  # type: ignore[arg-type]
        self.protocols = SqlProtocolRepository(conn)  # type: ignore[arg-type]
        self.outbox = SqlOutboxRepository(conn)  # type: ignore[arg-type]
        self.audit = SqlAuditRepository(conn)  # type: ignore[arg-type]
        self.staff = SqlStaffRepository(conn)  # type: ignore[arg-type]
        self.jobs = SqlJobRepository(conn)  # type: ignore[arg-type]
        self.conversations = SqlConversationRepository(conn)  # type: ignore[arg-type]
        self.messages = SqlMessageRepository(conn)  # type: ignore[arg-type]
        self.inbound = SqlInboundRepository(conn)  # type: ignore[arg-type]
        self.sessions = SqlSessionRepository(conn)  # type: ignore[arg-type]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and conn.sync.in_transaction():
            conn.sync.rollback()

    async def commit(self) -> None:
        self.connection.sync.commit()

    async def rollback(self) -> None:
        self.connection.sync.rollback()


class LoopSqlite:
    """One synchronous connection to a SQLite file, used on the event loop. Units of work
    over it must not overlap: the caller serialises them (bot.pipeline's writer lock)."""

    def __init__(self, url: str | URL) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            raise ValueError("LoopSqlite needs a SQLite database file")
        self.engine = create_engine(
            URL.create("sqlite", database=parsed.database),
            poolclass=StaticPool,
            json_serializer=dumps,
            # Used on the loop's thread only; closing may happen in a finaliser elsewhere.
            connect_args={"check_same_thread": False},
        )
        event.listen(self.engine, "connect", _on_connect)
        self._sync: Connection | None = None

    def __call__(self, *, readonly: bool = False) -> LoopUnitOfWork:
        return LoopUnitOfWork(self)

    async def begin(self) -> Connection:
        """BEGIN IMMEDIATE on the connection, waiting (asynchronously) for other writers."""
        if self._sync is None:
            self._sync = self.engine.connect()
        sync = self._sync
        raw = sync.connection.driver_connection
        assert raw is not None
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

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()
            self._sync = None
        self.engine.dispose()


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=0")  # never block the loop; begin() retries
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
