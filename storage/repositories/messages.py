"""R39: the log of every message in and out."""

from __future__ import annotations

from sqlalchemy import Select, insert, select, union_all

from reception.ports import MessageRecord
from storage.repositories._base import Repository, build, columns, values_of
from storage.tables import conversations, messages

_COLUMNS = columns(messages)


def of_citizen(citizen_id: int, limit: int) -> Select:
    """Newest first; each part through an index of its own (migration 0009)."""
    chats = select(conversations.c.id).where(conversations.c.citizen_id == citizen_id)
    both = union_all(
        select(messages).where(messages.c.conversation_id.in_(chats)),
        select(messages).where(
            messages.c.conversation_id.is_(None), messages.c.citizen_id == citizen_id
        ),
    ).subquery()
    return select(both).order_by(both.c.id.desc()).limit(limit)


class SqlMessageRepository(Repository):
    __slots__ = ()

    async def add(self, message: MessageRecord) -> MessageRecord:
        statement = insert(messages).values(values_of(message, _COLUMNS)).returning(messages.c.id)
        message.id = (await self.conn.execute(statement)).scalar_one()
        return message

    async def for_conversation(
        self, conversation_id: int, limit: int = 50, before_id: int | None = None
    ) -> list[MessageRecord]:
        """The last `limit` messages (before `before_id`, to page back), oldest first."""
        statement = select(messages).where(messages.c.conversation_id == conversation_id)
        if before_id is not None:
            statement = statement.where(messages.c.id < before_id)
        return await self._latest(statement, limit)

    async def for_citizen(self, citizen_id: int, limit: int = 50) -> list[MessageRecord]:
        """The last `limit` messages of the citizen's chats, and those logged for the citizen
        outside any chat, oldest first."""
        rows = (await self.conn.execute(of_citizen(citizen_id, limit))).mappings().all()
        return [build(MessageRecord, row) for row in reversed(rows)]

    async def _latest(self, statement: Select, limit: int) -> list[MessageRecord]:
        statement = statement.order_by(messages.c.id.desc()).limit(limit)
        rows = (await self.conn.execute(statement)).mappings().all()
        return [build(MessageRecord, row) for row in reversed(rows)]
