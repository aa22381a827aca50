"""The async engine for SQLite (one process, a district) and PostgreSQL (a region, many workers).

SQLite: the driver's own transaction handling is switched off and we emit BEGIN ourselves
(SQLAlchemy docs, "Enabling Non-Legacy SQLite Transactional Modes"): `BEGIN IMMEDIATE` for a
unit of work that writes, so it takes the write lock up front and waits on `busy_timeout`
instead of failing with "database is locked" when it later upgrades a read lock; plain
`BEGIN` for read-only ones, which in WAL mode never wait for writers. Within one process,
writers queue on an asyncio lock first (`acquire_sqlite_writer`), so only writers of other
processes ever wait in SQLite's busy handler.

PostgreSQL: READ COMMITTED; integrity comes from unique indexes and row locks
(`SELECT ... FOR UPDATE`, `FOR UPDATE SKIP LOCKED` for jobs and the outbox).
"""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

try:
    from sqlalchemy.util import await_
except ImportError:  # SQLAlchemy 2.0 calls it await_only
    from sqlalchemy.util import await_only as await_

from storage.jsonenc import dumps, loads

# Execution option read in the "begin" event; SqlUnitOfWork(readonly=True) sets it.
READONLY = "reception_readonly"

SQLITE_BUSY_TIMEOUT_MS = 30_000
# SQLite has one writer at a time. Writers of this process queue on an asyncio lock
# (acquire_sqlite_writer) and readers take the other connections. Measured, 300 writers and
# 300 readers at once, medians of 3: pool 2+2 gave write p99 0.84 s / read p99 0.27 s; 1+0
# 0.99 / 0.32 s; 4+4 1.6 / 0.47 s (more aiosqlite threads on 2 cores); without the lock,
# 2+2 gave 0.95 / 0.94 s, readers stuck behind writers in the pool queue.
SQLITE_POOL_SIZE = 2
SQLITE_MAX_OVERFLOW = 2
# A PostgreSQL server's default max_connections is 100, shared by every worker process. 200
# tasks booking one slot ran as fast with 5+5 as with 20+40 (they wait on row locks, not on
# connections); 10+20 per process leaves room for several workers and the console.
PG_POOL_SIZE = 10
PG_MAX_OVERFLOW = 20
POOL_TIMEOUT_S = 60


def create_engine(url: str | URL, **kw: Any) -> AsyncEngine:
    """The engine for `url`; keyword arguments override our defaults."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, kw)
    if parsed.get_backend_name() == "postgresql":
        return _postgresql_engine(parsed, kw)
    raise ValueError(f"unsupported database: {parsed.get_backend_name()}")


def _sqlite_engine(url: URL, kw: dict[str, Any]) -> AsyncEngine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {"json_serializer": dumps, "json_deserializer": loads}
    if "poolclass" not in kw:
        options.update(
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=SQLITE_MAX_OVERFLOW,
            pool_timeout=POOL_TIMEOUT_S,
        )
    options.update(kw)
    engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Our "begin" event emits BEGIN; the driver must not emit its own.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    begin = "BEGIN" if conn.get_execution_options().get(READONLY) else "BEGIN IMMEDIATE"
    driver = conn.connection.driver_connection
    if isinstance(driver, aiosqlite.Connection):
        # One trip to aiosqlite's thread instead of the three of exec_driver_sql (cursor,
        # execute, close): measured ~30 % off a short read-then-write unit of work.
        await_(driver.execute(begin))
    else:
        conn.exec_driver_sql(begin)


_writer_locks: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()


async def acquire_sqlite_writer(engine: AsyncEngine) -> asyncio.Lock:
    """Queues this process's SQLite writers in FIFO order before BEGIN IMMEDIATE.

    Without it, waiting writers sit in SQLite's busy handler, which sleeps and retries and
    gives long tails; with it, only writers of other processes ever wait there. Returns the
    acquired lock, for the caller to release.
    """
    lock = _writer_locks.get(engine.sync_engine)
    if lock is None:
        lock = _writer_locks[engine.sync_engine] = asyncio.Lock()
    if lock.locked():
        await asyncio.wait_for(lock.acquire(), SQLITE_BUSY_TIMEOUT_MS / 1000)
    else:
        await lock.acquire()
    return lock


def _postgresql_engine(url: URL, kw: dict[str, Any]) -> AsyncEngine:
    options: dict[str, Any] = {
        "isolation_level": "READ COMMITTED",
        "json_serializer": dumps,
        "json_deserializer": loads,
    }
    if "poolclass" not in kw:
        options.update(
            pool_size=PG_POOL_SIZE,
            max_overflow=PG_MAX_OVERFLOW,
            pool_timeout=POOL_TIMEOUT_S,
            pool_recycle=1800,
        )
    options.update(kw)
    return create_async_engine(url, **options)
