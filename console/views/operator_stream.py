"""Server-sent events for the operators' screens (console/live.py is the fan-out).

SSE rather than a WebSocket: the stream only goes to the browser (replies are ordinary POSTs
with the CSRF token), it passes proxies as plain HTTP, and EventSource reconnects by itself
sending `Last-Event-ID` — the id of the last message shown — so a reconnect misses nothing:
each wake-up re-reads the chat's messages after that id from the database.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web

from console import live
from console.rbac import roles
from console.security import same_origin
from console.views.chat_view import OPERATOR_ROLES, ButtonLabels, message_view
from console.web import open_uow
from storage.repositories.console_ops import ConsoleOpsQueries

routes = web.RouteTableDef()
KEEPALIVE_SECONDS = 15.0  # a comment line keeps proxies from closing an idle stream
# The stream ends after this long and EventSource reconnects: the session (and its idle
# timeout) is checked again by the auth middleware on every reconnect.
STREAM_SECONDS = 300.0


async def _open_stream(request: web.Request) -> web.StreamResponse:
    # A browser's EventSource sends Origin; another site's page must not read the stream.
    if "Origin" in request.headers and not same_origin(request):
        raise web.HTTPForbidden()
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # nginx: pass events through at once
        }
    )
    await response.prepare(request)
    await response.write(b"retry: 2000\n\n")
    return response


async def _send(
    response: web.StreamResponse, event: str, data: Any, event_id: int | None = None
) -> None:
    lines = f"event: {event}\n"
    if event_id is not None:
        lines += f"id: {event_id}\n"
    lines += f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
    await response.write(lines.encode())


async def _wait(queue: asyncio.Queue[str]) -> str | None:
    try:
        return await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
    except TimeoutError:
        return None


@routes.get("/operators/chats/{conversation_id}/events", name="chat-events")
@roles(OPERATOR_ROLES)
async def chat_events(request: web.Request) -> web.StreamResponse:
    """Each new message of the chat, in and out, as `event: message` with its id."""
    value = request.match_info["conversation_id"]
    if not value.isdigit():
        raise web.HTTPNotFound()
    conversation_id = int(value)
    last = _last_event_id(request)
    async with open_uow(request, readonly=True) as uow:
        await uow.conversations.get(conversation_id)  # 404 for an unknown chat
        offered = await ConsoleOpsQueries(uow.connection).last_outgoing(conversation_id, last)
    labels = ButtonLabels()
    if offered is not None:
        labels.seen(offered)
    hub = live.live_hub(request)
    response = await _open_stream(request)
    started = time.monotonic()
    async with hub.subscribe(live.chat_topic(conversation_id), live.CLOSED) as queue:
        try:
            while time.monotonic() - started < STREAM_SECONDS:
                async with open_uow(request, readonly=True) as uow:
                    queries = ConsoleOpsQueries(uow.connection)
                    new = await queries.conversation_messages_after(conversation_id, last)
                for message in new:
                    view = message_view(request, message, labels)
                    labels.seen(message)
                    await _send(response, "message", view, message.id)
                    last = message.id or last
                woke = await _wait(queue)
                if woke == live.CLOSED:
                    break
                if woke is None:
                    await response.write(b": keepalive\n\n")
        except ConnectionResetError:  # the browser went away
            return response
    return response


@routes.get("/operators/events", name="inbox-events")
@roles(OPERATOR_ROLES)
async def inbox_events(request: web.Request) -> web.StreamResponse:
    """`event: inbox` whenever chats may have changed; the page then re-reads its table."""
    hub = live.live_hub(request)
    response = await _open_stream(request)
    started = time.monotonic()
    async with hub.subscribe(live.INBOX, live.CLOSED) as queue:
        try:
            while time.monotonic() - started < STREAM_SECONDS:
                woke = await _wait(queue)
                if woke == live.CLOSED:
                    break
                if woke is None:
                    await response.write(b": keepalive\n\n")
                else:
                    await _send(response, "inbox", {})
        except ConnectionResetError:  # the browser went away
            return response
    return response


def _last_event_id(request: web.Request) -> int:
    value = request.headers.get("Last-Event-ID") or request.query.get("after") or "0"
    if not value.isdigit():
        raise web.HTTPBadRequest()
    return int(value)
