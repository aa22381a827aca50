"""One chat's updates are handled one at a time, in the order they arrived.

An outer middleware on the update, so it runs before any filter: each update waits for its
chat's earlier ones (bot.turns). Updates reach this point in arrival order (polling starts
their tasks in order; nothing before it suspends). Across processes the pipeline's per-chat
lock in the database keeps them apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.turns import ChatTurns

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ChatOrder(BaseMiddleware):
    def __init__(self) -> None:
        self.turns = ChatTurns()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat_id = chat_of(event) if isinstance(event, Update) else None
        if chat_id is None:
            return await handler(event, data)
        await self.turns.take(chat_id)
        try:
            return await handler(event, data)
        finally:
            self.turns.done(chat_id)


def chat_of(update: Update) -> int | None:
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None:
        query = update.callback_query
        return query.message.chat.id if query.message is not None else query.from_user.id
    return None
