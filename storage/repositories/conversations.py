"""Dialog state per chat, read and saved once per update (the bot's hot path)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from reception.errors import ConcurrentUpdate
from reception.ports import Conversation
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.repositories._upsert import insert_for
from storage.tables import conversations, in_operator_mode

_COLUMNS = columns(conversations, exclude=("id", "version"))


class SqlConversationRepository(Repository):
    __slots__ = ()

    async def get_or_create(self, channel: str, chat_id: str, at: datetime) -> Conversation:
        """One SELECT for a known chat; a new chat is inserted (a racing insert is tolerated)."""
        statement = select(conversations).where(
            conversations.c.channel == channel, conversations.c.chat_id == chat_id
        )
        row = (await self.conn.execute(statement)).mappings().first()
        if row is not None:
            return build(Conversation, row)
        conversation = Conversation(channel=channel, chat_id=chat_id, updated_at=at)
        insert = (
            insert_for(self.conn, conversations)
            .values({**values_of(conversation, _COLUMNS), "version": 0})
            .on_conflict_do_nothing(
                index_elements=[conversations.c.channel, conversations.c.chat_id]
            )
            .returning(conversations.c.id)
        )
        conversation.id = (await self.conn.execute(insert)).scalar_one_or_none()
        if conversation.id is None:
            row = (await self.conn.execute(statement)).mappings().one()
            return build(Conversation, row)
        return conversation

    async def find(self, channel: str, chat_id: str) -> Conversation | None:
        """The chat's conversation, or None when it never wrote (nothing is created)."""
        statement = select(conversations).where(
            conversations.c.channel == channel, conversations.c.chat_id == chat_id
        )
        row = (await self.conn.execute(statement)).mappings().first()
        return None if row is None else build(Conversation, row)

    async def get(self, conversation_id: int) -> Conversation:
        statement = select(conversations).where(conversations.c.id == conversation_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return build(Conversation, found(row, "conversation", conversation_id))

    async def save(self, conversation: Conversation) -> None:
        statement = (
            update(conversations)
            .where(
                conversations.c.id == conversation.id,
                conversations.c.version == conversation.version,
            )
            .values({**values_of(conversation, _COLUMNS), "version": conversation.version + 1})
        )
        if (await self.conn.execute(statement)).rowcount != 1:
            raise ConcurrentUpdate(what="conversation", id=conversation.id)
        conversation.version += 1

    async def in_operator_mode(self, limit: int = 100) -> list[Conversation]:
        """Chats handed to operators (claimed or not), longest waiting first."""
        statement = (
            select(conversations)
            .where(in_operator_mode(conversations))
            .order_by(conversations.c.updated_at, conversations.c.id)
            .limit(limit)
        )
        return [build(Conversation, row) for row in (await self.conn.execute(statement)).mappings()]
