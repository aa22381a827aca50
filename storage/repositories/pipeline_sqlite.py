"""The bot pipeline's statements on the loop's SQLite connection (storage.inloop), as plain SQL.

The same five statements as SqlPipelineStore, given straight to sqlite3: on SQLite they are
the whole per-update cost of the pipeline, and SQLAlchemy's execution machinery costs ten
times what SQLite does for them. Values are written as the columns' SQLAlchemy types write
them (storage/repositories/_sqlite_values.py), so they read back the same everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reception.errors import ConcurrentUpdate
from reception.ports import Conversation
from storage.inloop import LoopConnection
from storage.repositories._sqlite_values import (
    Converters,
    datetime_to_db,
    from_db,
    row_from_db,
    row_to_db,
    to_db,
)
from storage.tables import PENDING_BY_CHAT, conversations, messages, outbox

# No RETURNING on the hot inserts: SQLite's RETURNING buffers the result and cost 4-5 µs an
# insert here; rowcount (0 after a conflict) and lastrowid say the same.
_RECORD_INBOUND = (
    "INSERT INTO inbound (channel, external_id, received_at, processed_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (channel, external_id) DO NOTHING"
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
_PENDING_IDS = (  # ix_outbox_pending_by_chat answers it; INDEXED BY: see PENDING_BY_CHAT
    f"SELECT id FROM outbox {PENDING_BY_CHAT} WHERE channel = ? AND chat_id = ? "
    "AND status = 'pending'"
)
_SAVED = ("state", "data", "mode", "operator_id", "failures", "updated_at", "last_inbound_at")


def _save(names: tuple[str, ...]) -> str:
    return (
        f"UPDATE conversations SET {', '.join(f'{c} = ?' for c in names)}, "
        "version = version + 1 WHERE id = ? AND version = ?"
    )


# citizen_id only when it changed: SQLite rewrites the entry of every index on a column that
# an UPDATE sets, changed or not (ix_conversations_citizen_id: a page of WAL per commit).
_SAVE_CONVERSATION = _save(_SAVED)
_SAVE_CONVERSATION_AND_CITIZEN = _save((*_SAVED, "citizen_id"))


def _insert(table: Any) -> tuple[str, tuple[str, ...], Converters]:
    names = tuple(c.name for c in table.columns if c.name != "id")
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    return sql, names, to_db(table, names)


_LOG_MESSAGES = _insert(messages)
_ADD_OUTBOX = _insert(outbox)
_CONVERSATION_FROM_DB = from_db(conversations, _CONVERSATION)
_SAVED_TO_DB = to_db(conversations, _SAVED)
_DATA_TO_DB = to_db(conversations, ("data",))[0]


class SqlitePipelineStore:
    __slots__ = ("_citizens", "_raw")

    def __init__(self, conn: LoopConnection) -> None:
        self._raw = conn.raw
        self._citizens: dict[int | None, int | None] = {}  # conversation id -> as loaded

    async def record_inbound(self, channel: str, external_id: str, at: datetime) -> bool:
        when = datetime_to_db(at)
        return self._raw.execute(_RECORD_INBOUND, (channel, external_id, when, when)).rowcount == 1

    async def lock_conversation(self, channel: str, chat_id: str, at: datetime) -> Conversation:
        """The chat's conversation (BEGIN IMMEDIATE holds the lock); made on first contact."""
        row = self._raw.execute(_LOCK_CONVERSATION, (channel, chat_id)).fetchone()
        if row is None:
            fresh = Conversation(channel=channel, chat_id=chat_id, updated_at=at)
            assert _DATA_TO_DB is not None
            values = (
                channel,
                chat_id,
                fresh.state,
                _DATA_TO_DB(fresh.data),
                fresh.mode,
                datetime_to_db(at),
            )
            created = self._raw.execute(_CREATE_CONVERSATION, values).fetchone()
            if created is not None:
                fresh.id = created[0]
                self._citizens[fresh.id] = None
                return fresh
            row = self._raw.execute(_LOCK_CONVERSATION, (channel, chat_id)).fetchone()
        values = row_from_db(row, _CONVERSATION_FROM_DB)
        conversation = Conversation(**dict(zip(_CONVERSATION, values, strict=True)))
        self._citizens[conversation.id] = conversation.citizen_id
        return conversation

    async def save_conversation(self, conversation: Conversation) -> None:
        values = row_to_db(tuple(getattr(conversation, name) for name in _SAVED), _SAVED_TO_DB)
        citizen_id, sql = conversation.citizen_id, _SAVE_CONVERSATION
        if self._citizens.get(conversation.id, -1) != citizen_id:
            values, sql = (*values, citizen_id), _SAVE_CONVERSATION_AND_CITIZEN
            self._citizens[conversation.id] = citizen_id
        parameters = (*values, conversation.id, conversation.version)
        if self._raw.execute(sql, parameters).rowcount != 1:
            raise ConcurrentUpdate(what="conversation", id=conversation.id)
        conversation.version += 1

    async def log_messages(self, rows: Sequence[dict[str, Any]]) -> None:
        self._insert_many(_LOG_MESSAGES, rows)

    async def add_outbox(self, rows: Sequence[dict[str, Any]]) -> None:
        self._insert_many(_ADD_OUTBOX, rows)

    async def add_outbox_returning_ids(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        sql, names, convert = _ADD_OUTBOX
        execute = self._raw.execute
        return [
            execute(sql, row_to_db(tuple(map(row.get, names)), convert)).lastrowid for row in rows
        ]

    async def pending_ids(self, channel: str, chat_id: str) -> list[int]:
        return [row[0] for row in self._raw.execute(_PENDING_IDS, (channel, chat_id))]

    def _insert_many(
        self,
        statement: tuple[str, tuple[str, ...], Converters],
        rows: Sequence[dict[str, Any]],
    ) -> None:
        if not rows:
            return
        sql, names, convert = statement
        self._raw.executemany(sql, [row_to_db(tuple(map(row.get, names)), convert) for row in rows])
