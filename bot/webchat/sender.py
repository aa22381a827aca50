"""The web chat as an outbox channel: a reply goes to every open socket of its visitor.

A visitor with no open socket (the page closed, the phone asleep) loses nothing: the outbox
sender logs the reply in the message log when it is "sent" here (R39), and the page replays
the conversation's recent history from that log when it connects again.

One process holds a visitor's sockets, so the web chat's outbox rows must be delivered by
a sender in a process that serves /chat (RECEPTION_ROLES with both web and worker, as
`reception run` has by default).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from aiohttp import web

from bot.flow.events import Reply
from bot.outbox.base import ChannelLimits, SendResult
from reception.ports import OutboxItem

log = logging.getLogger(__name__)

CHANNEL = "web"
DOCUMENT_URL = "/chat/files/{item_id}"


def browser_message(reply: Reply, item_id: int | None = None) -> dict[str, Any]:
    """What the page's script renders: text, rows of buttons, and a link to a document."""
    message: dict[str, Any] = {
        "type": "reply",
        "text": reply.text,
        "buttons": [[{"id": b.id, "label": b.label} for b in row] for row in reply.buttons],
    }
    if reply.document_path and item_id is not None:
        message["document"] = {
            "name": reply.document_name or "document",
            "url": DOCUMENT_URL.format(item_id=item_id),
        }
    return message


class Visitors:
    """The open sockets of each visitor in this process."""

    def __init__(self) -> None:
        self._sockets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)

    def add(self, visitor_id: str, socket: web.WebSocketResponse) -> None:
        self._sockets[visitor_id].add(socket)

    def remove(self, visitor_id: str, socket: web.WebSocketResponse) -> None:
        sockets = self._sockets.get(visitor_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[visitor_id]

    def connected(self, visitor_id: str) -> int:
        return len(self._sockets.get(visitor_id, ()))

    async def push(self, visitor_id: str, message: dict[str, Any]) -> int:
        """Sends to each open socket; returns how many took it."""
        delivered = 0
        for socket in list(self._sockets.get(visitor_id, ())):
            if socket.closed:
                self.remove(visitor_id, socket)
                continue
            try:
                await socket.send_json(message)
                delivered += 1
            except (ConnectionError, RuntimeError):
                self.remove(visitor_id, socket)
        return delivered

    async def close_all(self) -> None:
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                await socket.close(code=1001, message=b"server shutdown")
        self._sockets.clear()


class WebChatSender:
    """bot.outbox.base.ChannelSender for the web chat."""

    channel = CHANNEL
    limits = ChannelLimits()  # our own sockets: no rate to respect

    def __init__(self, visitors: Visitors) -> None:
        self.visitors = visitors

    async def send(self, item: OutboxItem, reply: Reply) -> SendResult:
        delivered = await self.visitors.push(item.chat_id, browser_message(reply, item.id))
        if not delivered:
            log.debug("web chat: visitor offline; the reply waits in the history")
        return SendResult.sent(f"web:{item.id}")
