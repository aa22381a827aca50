"""The chat page's WebSocket: what the visitor types or taps goes through the pipeline; the
replies come back through the outbox (bot.webchat.sender). On connect the page gets the
conversation's recent history from the message log (R39), or, on a first visit, the
dialog's first question.

Frames from the page (JSON):
  {"id": "<client message id>", "type": "text", "text": "..."}
  {"id": "<client message id>", "type": "button", "button": "<button id>"}
The id makes a resent frame harmless: the pipeline de-duplicates on it.
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from app.keys import CLOCK, TRANSLATOR, UOW_FACTORY
from bot.flow.events import EventKind, Incoming, Reply
from bot.pipeline import process
from bot.webchat.sender import CHANNEL, browser_message
from bot.webchat.views import CLIENT_ID, same_origin, visitor_of, webchat
from reception.ports import MessageRecord

log = logging.getLogger(__name__)

HISTORY = 50
MAX_FRAME = 16 * 1024
MAX_TEXT = 4000
MAX_BUTTON = 64
HEARTBEAT_SECONDS = 25.0
# A person types far slower than this; more is a script, and is dropped.
BURST, WINDOW_SECONDS = 30, 10.0


async def chat_socket(request: web.Request) -> web.WebSocketResponse:
    visitor = visitor_of(request)
    if visitor is None:
        raise web.HTTPUnauthorized(text="open /chat first")
    if not same_origin(request):
        raise web.HTTPForbidden(text="cross-site socket")
    chat = webchat(request)
    socket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS, max_msg_size=MAX_FRAME)
    await socket.prepare(request)
    chat.visitors.add(visitor, socket)
    try:
        past = await history(request, visitor)
        if past:
            await socket.send_json({"type": "history", "messages": past})
        else:  # a first visit: the dialog asks its first question
            await _feed(request, visitor, EventKind.COMMAND, "hello", text="/start")
        recent: deque[float] = deque()
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            if _too_fast(recent):
                await socket.send_json({"type": "error", "code": "too-fast"})
                continue
            await _handle(request, socket, visitor, frame.data)
    finally:
        chat.visitors.remove(visitor, socket)
    return socket


async def _handle(
    request: web.Request, socket: web.WebSocketResponse, visitor: str, data: str
) -> None:
    try:
        frame = json.loads(data)
    except ValueError:
        frame = None
    if not isinstance(frame, dict) or not CLIENT_ID.match(str(frame.get("id", ""))):
        await socket.send_json({"type": "error", "code": "bad-frame"})
        return
    client_id, kind = str(frame["id"]), frame.get("type")
    text, button = frame.get("text"), frame.get("button")
    if kind == "text" and isinstance(text, str) and text.strip() and len(text) <= MAX_TEXT:
        await _feed(request, visitor, EventKind.TEXT, client_id, text=text)
    elif kind == "button" and isinstance(button, str) and 0 < len(button) <= MAX_BUTTON:
        await _feed(request, visitor, EventKind.BUTTON, client_id, button=button)
    else:
        await socket.send_json({"type": "error", "code": "bad-frame", "id": client_id})
        return
    await socket.send_json({"type": "ack", "id": client_id})


async def _feed(
    request: web.Request, visitor: str, kind: EventKind, client_id: str, **kw: Any
) -> None:
    chat = webchat(request)
    event = Incoming(
        CHANNEL, visitor, f"{visitor}:{client_id}", request.config_dict[CLOCK].now(), kind, **kw
    )
    await process(request.config_dict[UOW_FACTORY], chat.dialog, event, on_commit=chat.hub)


def _too_fast(recent: deque[float]) -> bool:
    now = time.monotonic()
    while recent and now - recent[0] > WINDOW_SECONDS:
        recent.popleft()
    if len(recent) >= BURST:
        return True
    recent.append(now)
    return False


async def history(request: web.Request, visitor: str) -> list[dict[str, Any]]:
    """The conversation's last messages, oldest first, as the page shows them."""
    async with request.config_dict[UOW_FACTORY](readonly=True) as uow:
        conversation = await uow.conversations.find(CHANNEL, visitor)
        if conversation is None or conversation.id is None:
            return []
        records = await uow.messages.for_conversation(conversation.id, HISTORY)
    lang = str(conversation.data.get("lang") or "ru")
    translator = request.config_dict[TRANSLATOR]
    return history_messages(records, lambda message_id: translator(lang, message_id))


def history_messages(
    records: list[MessageRecord], render: Callable[[str], str]
) -> list[dict[str, Any]]:
    # A reply is logged when it is sent, so it may come after the citizen's answer to it;
    # in time order, and a tap shows as the label of the button tapped.
    records = sorted(records, key=lambda r: (r.at, r.id or 0))
    replies = {id(r): _logged_reply(r, render) for r in records if r.direction == "out"}
    labels = {b.id: b.label for reply in replies.values() for row in reply.buttons for b in row}
    shown: list[dict[str, Any]] = []
    for record in records:
        if record.direction == "out":
            shown.append(browser_message(replies[id(record)]))
            continue
        payload = record.payload or {}
        file = payload.get("file") or {}
        text = record.text or labels.get(str(payload.get("button"))) or file.get("name")
        if text and not (record.text or "").startswith("/"):
            shown.append({"type": "mine", "text": text})
    return shown


def _logged_reply(record: MessageRecord, render: Callable[[str], str]) -> Reply:
    payload = record.payload or {}
    if "text" in payload:
        return Reply.from_payload(payload)
    if payload.get("message_id"):  # a notice logged before it was written out (handoff)
        return Reply(render(str(payload["message_id"])))
    return Reply(record.text or "")
