"""The bot pipeline's own statements: one update, one short transaction (issue 3).

Every statement here is built once, with bind parameters, so SQLAlchemy compiles and caches it
once; building a statement per call (`update().values(dict)`, a `where` of comparisons) costs
more Python than SQLite spends on the whole transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from reception.errors import ConcurrentUpdate
from reception.ports import Conversation
from storage.inloop import LoopConnection
from storage.repositories._base import Repository, build
from storage.repositories.pipeline_sqlite import SqlitePipelineStore
from storage.tables import conversations, inbound, is_pending, messages, outbox

_CONVERSATION_COLUMNS = tuple(c.name for c in conversations.columns if c.name != "id")


def _record_inbound(dialect_insert: Any) -> Any:
    return (
        dialect_insert(inbound)
        .values(
            channel=bindparam("b_channel"),
            external_id=bindparam("b_external_id"),
            received_at=bindparam("b_at"),
            processed_at=bindparam("b_at"),
        )
        .on_conflict_do_nothing(index_elements=[inbound.c.channel, inbound.c.external_id])
        .returning(inbound.c.id)
    )


def _create_conversation(dialect_insert: Any) -> Any:
    return (
        dialect_insert(conversations)
        .values(
            channel=bindparam("b_channel"),
            chat_id=bindparam("b_chat_id"),
            state=bindparam("b_state"),
            data=bindparam("b_data"),
            version=0,
            mode=bindparam("b_mode"),
            failures=0,
            updated_at=bindparam("b_at"),
        )
        .on_conflict_do_nothing(index_elements=[conversations.c.channel, conversations.c.chat_id])
        .returning(conversations.c.id)
    )


_RECORD_INBOUND = {
    "sqlite": _record_inbound(sqlite.insert),
    "postgresql": _record_inbound(postgresql.insert),
}
_CREATE_CONVERSATION = {
    "sqlite": _create_conversation(sqlite.insert),
    "postgresql": _create_conversation(postgresql.insert),
}
_FIND_CONVERSATION = select(conversations).where(
    conversations.c.channel == bindparam("b_channel"),
    conversations.c.chat_id == bindparam("b_chat_id"),
)
# PostgreSQL keeps one chat's updates apart across processes; SQLite ignores FOR UPDATE (its
# BEGIN IMMEDIATE already admits one writer).
_LOCK_CONVERSATION = _FIND_CONVERSATION.with_for_update()
_SAVE_CONVERSATION = (
    update(conversations)
    .where(
        conversations.c.id == bindparam("b_id"),
        conversations.c.version == bindparam("b_version"),
    )
    .values(
        {
            **{name: bindparam(f"b_{name}") for name in _CONVERSATION_COLUMNS},
            "version": conversations.c.version + 1,
        }
    )
)
_LOG_MESSAGES = insert(messages)
_ADD_OUTBOX = insert(outbox)
_ADD_OUTBOX_RETURNING_ID = insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)
_PENDING_IDS = select(outbox.c.id).where(
    outbox.c.channel == bindparam("b_channel"),
    outbox.c.chat_id == bindparam("b_chat_id"),
    is_pending(outbox),
)


class SqlPipelineStore(Repository):
    """Over the unit of work's connection: `PipelineStore(uow.connection)`."""

    __slots__ = ()

    async def record_inbound(self, channel: str, external_id: str, at: datetime) -> bool:
        """False when this update was seen before: drop it."""
        result = await self.conn.execute(
            _RECORD_INBOUND[self.dialect],
            {"b_channel": channel, "b_external_id": external_id, "b_at": at},
        )
        return result.scalar_one_or_none() is not None

    async def lock_conversation(self, channel: str, chat_id: str, at: datetime) -> Conversation:
        """The chat's conversation, locked until the transaction ends; made on first contact."""
        keys = {"b_channel": channel, "b_chat_id": chat_id}
        row = (await self.conn.execute(_LOCK_CONVERSATION, keys)).mappings().first()
        if row is not None:
            return build(Conversation, row)
        fresh = Conversation(channel=channel, chat_id=chat_id, updated_at=at)
        values = {
            **keys,
            "b_state": fresh.state,
            "b_data": fresh.data,
            "b_mode": fresh.mode,
            "b_at": at,
        }
        fresh.id = (
            await self.conn.execute(_CREATE_CONVERSATION[self.dialect], values)
        ).scalar_one_or_none()
        if fresh.id is None:  # another process made it meanwhile: wait for its lock
            row = (await self.conn.execute(_LOCK_CONVERSATION, keys)).mappings().one()
            return build(Conversation, row)
        return fresh

    async def save_conversation(self, conversation: Conversation) -> None:
        values = {f"b_{name}": getattr(conversation, name) for name in _CONVERSATION_COLUMNS}
        values["b_id"] = conversation.id
        if (await self.conn.execute(_SAVE_CONVERSATION, values)).rowcount != 1:
            raise ConcurrentUpdate(what="conversation", id=conversation.id)
        conversation.version += 1

    async def log_messages(self, rows: Sequence[dict[str, Any]]) -> None:
        """R39: rows of the messages table (every column but id)."""
        if rows:
            await self.conn.execute(_LOG_MESSAGES, list(rows))

    async def add_outbox(self, rows: Sequence[dict[str, Any]]) -> None:
        """Rows of the outbox table (every column but id), pending."""
        if rows:
            await self.conn.execute(_ADD_OUTBOX, list(rows))

    async def add_outbox_returning_ids(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """As add_outbox; the new rows' ids, in the order of `rows`."""
        if not rows:
            return []
        result = await self.conn.execute(_ADD_OUTBOX_RETURNING_ID, list(rows))
        return list(result.scalars())

    async def pending_ids(self, channel: str, chat_id: str) -> list[int]:
        """The rows still waiting to go to this chat (pending, leased or not)."""
        keys = {"b_channel": channel, "b_chat_id": chat_id}
        return list((await self.conn.execute(_PENDING_IDS, keys)).scalars())


def pipeline_store(uow: Any) -> Any:
    """The store for this unit of work: plain SQL on the loop's SQLite connection
    (storage.inloop), SQLAlchemy Core otherwise."""
    connection = uow.connection
    if isinstance(connection, LoopConnection):
        return SqlitePipelineStore(connection)
    return SqlPipelineStore(connection)
