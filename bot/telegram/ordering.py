"""One chat's updates are handled one at a time, in the order they arrived.

An outer middleware on the update, so it runs before any filter: each update waits for its
chat's earlier ones, first come, first served. Updates reach this point in arrival order
(polling starts their tasks in order; nothing before it suspends). Across processes the
pipeline's per-chat lock in the database keeps them apart.

A chat's turn is a queue of futures, made only while an update of the chat is being handled:
most updates find their chat idle and go straight on, with no lock to make and take (an
asyncio.Lock per update cost about as much as the rest of this middleware).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ChatOrder(BaseMiddleware):
    def __init__(self) -> None:
        # chat -> the updates waiting for their turn; present while one is being handled
        self._waiting: dict[int, deque[asyncio.Future[None]]] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat_id = chat_of(event) if isinstance(event, Update) else None
        if chat_id is None:
            return await handler(event, data)
        waiting = self._waiting.get(chat_id)
        if waiting is None:
            self._waiting[chat_id] = deque()
        else:
            turn = asyncio.get_running_loop().create_future()
            waiting.append(turn)
            try:
                await turn
            except BaseException:
                if turn.cancelled() or not turn.done():
                    with contextlib.suppress(ValueError):  # _next may have dropped it
                        waiting.remove(turn)
                    raise
                self._next(chat_id)  # the turn came as this one was cancelled: pass it on
                raise
        try:
            return await handler(event, data)
        finally:
            self._next(chat_id)

    def _next(self, chat_id: int) -> None:
        """The chat's next update takes its turn; with none waiting the chat is idle."""
        waiting = self._waiting[chat_id]
        while waiting:
            turn = waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        del self._waiting[chat_id]


def chat_of(update: Update) -> int | None:
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None:
        query = update.callback_query
        return query.message.chat.id if query.message is not None else query.from_user.id
    return None
