"""The bot pipeline's statements on the loop's SQLite connection (storage.inloop), as plain SQL.

The same five statements as SqlPipelineStore, given straight to sqlite3: on SQLite they are
the whole per-update cost of the pipeline, and SQLAlchemy's execution machinery costs ten
times what SQLite does for them. Values go through the columns' own SQLAlchemy type
processors (UtcDateTime, Json), so what is written here reads back the same everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Dialect

from reception.errors import ConcurrentUpdate
from reception.ports import Conversation
from storage.inloop import LoopConnection
from storage.tables import conversations, inbound, messages, outbox

_RECORD_INBOUND = (
    "INSERT INTO inbound (channel, external_id, received_at, processed_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (channel, external_id) DO NOTHING RETURNING id"
)
_CONVERSATION = (
    "id",
    "channel",
    "chat_id",
    "citizen_id",
    "state",
    "data",
    "version",
    "mode",
    "operator_id",
    "failures",
    "updated_at",
    "last_inbound_at",
)
_LOCK_CONVERSATION = (
    f"SELECT {', '.join(_CONVERSATION)} FROM conversations WHERE channel = ? AND chat_id = ?"
)
_CREATE_CONVERSATION = (
    "INSERT INTO conversations (channel, chat_id, state, data, version, mode, failures, "
    "updated_at) VALUES (?, ?, ?, ?, 0, ?, 0, ?) "
    "ON CONFLICT (channel, chat_id) DO NOTHING RETURNING id"
)
_SAVED = ("citizen_id", "state", "data", "mode", "operator_id", "failures", "updated_at",
          "last_inbound_at")  # fmt: skip
_SAVE_CONVERSATION = (
    f"UPDATE conversations SET {', '.join(f'{c} = ?' for c in _SAVED)}, version = version + 1 "
    "WHERE id = ? AND version = ?"
)


def _insert(table: Any) -> tuple[str, tuple[str, ...]]:
    names = tuple(c.name for c in table.columns if c.name != "id")
    return (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        names,
    )


_LOG_MESSAGES = _insert(messages)
_ADD_OUTBOX = _insert(outbox)
_processors: dict[int, dict[tuple[str, str], tuple[Callable[..., Any], Callable[..., Any]]]] = {}


def _column_processors(
    dialect: Dialect,
) -> dict[tuple[str, str], tuple[Callable[..., Any], Callable[..., Any]]]:
    """(table, column) -> (to the database, from the database), for the typed columns."""
    found = _processors.get(id(dialect))
    if found is None:
        found = {}
        for table in (conversations, inbound, messages, outbox):
            for column in table.columns:
                impl = column.type.dialect_impl(dialect)
                bind, result = impl.bind_processor(dialect), impl.result_processor(dialect, None)
                if bind is not None or result is not None:
                    found[(table.name, column.name)] = (bind or _same, result or _same)
        _processors[id(dialect)] = found
    return found


def _same(value: Any) -> Any:
    return value


_NO_PROCESSORS = (_same, _same)


class SqlitePipelineStore:
    __slots__ = ("_raw", "_types")

    def __init__(self, conn: LoopConnection) -> None:
        self._raw = conn.sync.connection.driver_connection
        self._types = _column_processors(conn.sync.dialect)

    def _to_db(self, table: str, column: str, value: Any) -> Any:
        processors = self._types.get((table, column))
        return value if processors is None or value is None else processors[0](value)

    def _from_db(self, table: str, column: str, value: Any) -> Any:
        processors = self._types.get((table, column))
        return value if processors is None or value is None else processors[1](value)

    async def record_inbound(self, channel: str, external_id: str, at: datetime) -> bool:
        when = self._to_db("inbound", "received_at", at)
        row = self._raw.execute(_RECORD_INBOUND, (channel, external_id, when, when)).fetchone()
        return row is not None

    async def lock_conversation(self, channel: str, chat_id: str, at: datetime) -> Conversation:
        """The chat's conversation (BEGIN IMMEDIATE holds the lock); made on first contact."""
        row = self._raw.execute(_LOCK_CONVERSATION, (channel, chat_id)).fetchone()
        if row is None:
            fresh = Conversation(channel=channel, chat_id=chat_id, updated_at=at)
            values = (
                channel,
                chat_id,
                fresh.state,
                self._to_db("conversations", "data", fresh.data),
                fresh.mode,
                self._to_db("conversations", "updated_at", at),
            )
            created = self._raw.execute(_CREATE_CONVERSATION, values).fetchone()
            if created is not None:
                fresh.id = created[0]
                return fresh
            row = self._raw.execute(_LOCK_CONVERSATION, (channel, chat_id)).fetchone()
        return Conversation(
            **{
                name: self._from_db("conversations", name, value)
                for name, value in zip(_CONVERSATION, row, strict=True)
            }
        )

    async def save_conversation(self, conversation: Conversation) -> None:
        values = [
            self._to_db("conversations", name, getattr(conversation, name)) for name in _SAVED
        ]
        values += [conversation.id, conversation.version]
        if self._raw.execute(_SAVE_CONVERSATION, values).rowcount != 1:
            raise ConcurrentUpdate(what="conversation", id=conversation.id)
        conversation.version += 1

    async def log_messages(self, rows: Sequence[dict[str, Any]]) -> None:
        self._insert_many(_LOG_MESSAGES, "messages", rows)

    async def add_outbox(self, rows: Sequence[dict[str, Any]]) -> None:
        self._insert_many(_ADD_OUTBOX, "outbox", rows)

    def _insert_many(
        self, statement: tuple[str, tuple[str, ...]], table: str, rows: Sequence[dict[str, Any]]
    ) -> None:
        if not rows:
            return
        sql, names = statement
        binds = [self._types.get((table, name), _NO_PROCESSORS)[0] for name in names]
        self._raw.executemany(
            sql,
            [
                tuple(
                    None if (value := row.get(name)) is None else bind(value)
                    for name, bind in zip(names, binds, strict=True)
                )
                for row in rows
            ],
        )
