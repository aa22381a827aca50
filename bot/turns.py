"""One at a time per chat, first come, first served: the order of a chat's updates.

Telegram's ChatOrder middleware (bot.telegram.ordering) and the pipeline (bot.pipeline) each
keep one. A chat's turn is a queue of futures that exists only while an update of the chat
is being handled: most updates find their chat idle and go straight on, with nothing to make
and nothing to take (an asyncio.Lock made, taken and dropped per update cost about as much
as the rest of the ordering).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Hashable


class ChatTurns:
    def __init__(self) -> None:
        # chat -> the updates waiting for their turn; present while one is being handled
        self._waiting: dict[Hashable, deque[asyncio.Future[None]]] = {}

    @property
    def busy(self) -> int:
        """How many chats have an update being handled (for tests)."""
        return len(self._waiting)

    async def take(self, chat: Hashable) -> None:
        """Returns when it is this caller's turn; `done(chat)` must follow."""
        waiting = self._waiting.get(chat)
        if waiting is None:
            self._waiting[chat] = deque()
            return
        turn = asyncio.get_running_loop().create_future()
        waiting.append(turn)
        try:
            await turn
        except BaseException:
            if turn.cancelled() or not turn.done():
                with contextlib.suppress(ValueError):  # done() may have dropped it
                    waiting.remove(turn)
            else:  # the turn came as this caller was cancelled: pass it on
                self.done(chat)
            raise

    def done(self, chat: Hashable) -> None:
        """The chat's next update takes its turn; with none waiting the chat is idle."""
        waiting = self._waiting[chat]
        while waiting:
            turn = waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        del self._waiting[chat]
