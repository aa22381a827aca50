"""The unit of work: one connection, one transaction, repositories over it.

    async with uow_factory() as uow:
        request = await uow.requests.get(request_id, for_update=True)
        notices = request.book(...)
        await uow.requests.save(request)
        await uow.outbox.add_notices(notices, clock.now())
        await uow.commit()

Anything not committed is rolled back when the block ends. A read-only unit of work
(`readonly=True`) begins with a plain BEGIN on SQLite, so it never waits for writers, and is
READ ONLY on PostgreSQL. A writing unit of work on SQLite holds the process's writer lock
from entry to exit: never open one inside another in the same task (it would wait 30 s and
raise TimeoutError).

After a domain error from a unique index (SlotTaken, ActiveRequestExists) the transaction is
aborted on PostgreSQL: let the unit of work roll back and open a new one to go on.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.engine import READONLY, acquire_sqlite_writer
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


class SqlUnitOfWork:
    citizens: SqlCitizenRepository
    requests: SqlRequestRepository
    schedule: SqlScheduleRepository
    documents: SqlDocumentRepository
    protocols: SqlProtocolRepository
    outbox: SqlOutboxRepository
    audit: SqlAuditRepository
    staff: SqlStaffRepository
    jobs: SqlJobRepository
    conversations: SqlConversationRepository
    messages: SqlMessageRepository
    inbound: SqlInboundRepository
    sessions: SqlSessionRepository

    def __init__(self, engine: AsyncEngine, readonly: bool = False) -> None:
        self.engine = engine
        self.readonly = readonly
        self._conn: AsyncConnection | None = None
        self._writer: asyncio.Lock | None = None

    @property
    def connection(self) -> AsyncConnection:
        """The unit of work's connection, for the rare statement no repository offers."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("a unit of work is entered once")
        if not self.readonly and self.engine.dialect.name == "sqlite":
            self._writer = await acquire_sqlite_writer(self.engine)
        try:
            conn = await self.engine.connect()
        except BaseException:
            self._release_writer()
            raise
        try:
            if self.readonly:
                # Read by our SQLite "begin" event; PostgreSQL gets a READ ONLY transaction.
                option = "postgresql_readonly" if conn.dialect.name == "postgresql" else READONLY
                await conn.execution_options(**{option: True})
            await conn.begin()
        except BaseException:
            await conn.close()
            self._release_writer()
            raise
        self._conn = conn
        self.citizens = SqlCitizenRepository(conn)
        self.requests = SqlRequestRepository(conn)
        self.schedule = SqlScheduleRepository(conn)
        self.documents = SqlDocumentRepository(conn)
        self.protocols = SqlProtocolRepository(conn)
        self.outbox = SqlOutboxRepository(conn)
        self.audit = SqlAuditRepository(conn)
        self.staff = SqlStaffRepository(conn)
        self.jobs = SqlJobRepository(conn)
        self.conversations = SqlConversationRepository(conn)
        self.messages = SqlMessageRepository(conn)
        self.inbound = SqlInboundRepository(conn)
        self.sessions = SqlSessionRepository(conn)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                await conn.rollback()
        finally:
            await conn.close()
            self._release_writer()

    def _release_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.release()

    async def commit(self) -> None:
        """Commits. A statement after this begins a new transaction, rolled back at the end
        unless committed again."""
        await self.connection.commit()

    async def rollback(self) -> None:
        await self.connection.rollback()


class SqlUnitOfWorkFactory:
    """`factory(readonly=False)` gives a new unit of work over the engine's pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def __call__(self, *, readonly: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, readonly=readonly)
