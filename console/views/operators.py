"""The operators' screens: the inbox of handed-off chats and a live conversation; replies
with text, a canned reply (kk/ru) or a file; claim, hand back to the bot, close.

New messages reach the page through console/views/operator_stream.py (server-sent events).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from app.keys import PROFILE, SETTINGS, TRANSLATOR
from console import live
from console.errors import status_of
from console.rbac import roles
from console.views.chat_view import CANNED_REPLIES, OPERATOR_ROLES, chat_language, message_views
from console.web import actor, console_url, current_user, now, open_uow, redirect, render, rules
from reception.citizens import DocumentKind
from reception.errors import DomainError, ValidationFailed
from reception.services import handoff, operator_chats
from storage.repositories.console_ops import ConsoleOpsQueries

routes = web.RouteTableDef()
UNCLAIMED_ALERT_MINUTES = 5  # a chat nobody took for this long is highlighted
HISTORY = 100  # messages shown when the chat opens; older ones stay in the request card


def setup(console: web.Application) -> None:
    live.install(console)


def _chat_id(request: web.Request) -> int:
    value = request.match_info["conversation_id"]
    if not value.isdigit():
        raise web.HTTPNotFound()
    return int(value)


async def inbox_context(request: web.Request) -> dict[str, Any]:
    async with open_uow(request, readonly=True) as uow:
        rows = await ConsoleOpsQueries(uow.connection).inbox()
    stale_before = now(request) - timedelta(minutes=UNCLAIMED_ALERT_MINUTES)
    return {"rows": rows, "stale_before": stale_before, "alert_minutes": UNCLAIMED_ALERT_MINUTES}


@routes.get("/operators", name="inbox")
@roles(OPERATOR_ROLES)
async def inbox_page(request: web.Request) -> web.StreamResponse:
    return render(request, "operators/inbox.html", await inbox_context(request))


@routes.get("/operators/rows", name="inbox-rows")
@roles(OPERATOR_ROLES)
async def inbox_rows(request: web.Request) -> web.StreamResponse:
    """The inbox table alone, which the page fetches again when the stream says so."""
    return render(request, "operators/_rows.html", await inbox_context(request))


@routes.get("/operators/chats/{conversation_id}", name="chat")
@roles(OPERATOR_ROLES)
async def chat_page(request: web.Request, error: DomainError | None = None) -> web.Response:
    conversation_id = _chat_id(request)
    async with open_uow(request, readonly=True) as uow:
        conversation = await uow.conversations.get(conversation_id)
        citizen = None
        if conversation.citizen_id is not None:
            citizen = await uow.citizens.get(conversation.citizen_id)
        history = await uow.messages.for_conversation(conversation_id, limit=HISTORY)
        operator = None
        if conversation.operator_id is not None:
            operator = await uow.staff.get(conversation.operator_id)
    context = {
        "conversation": conversation,
        "citizen": citizen,
        "operator": operator,
        "chat_lang": chat_language(conversation, citizen),
        "messages": message_views(request, history),
        "last_id": history[-1].id if history else 0,
        "canned": CANNED_REPLIES,
        "mine": conversation.operator_id == current_user(request).id,
        "error": error,
    }
    return render(
        request, "operators/chat.html", context, status=status_of(error) if error else 200
    )


def _done(request: web.Request, conversation_id: int, done: str) -> web.Response:
    if request.headers.get("Accept", "").startswith("application/json"):
        return web.json_response({"ok": True})
    query = {"done": done}
    return redirect(console_url(request, "chat", conversation_id=conversation_id, query=query))


def _after_commit(request: web.Request) -> None:
    """Wake this process's outbox sender and live tail: the change is committed."""
    from bot.outbox.hub import OUTBOX_HUB

    outbox = request.config_dict.get(OUTBOX_HUB)
    if outbox is not None:
        outbox.wake()
    request.config_dict[live.LIVE_HUB].poke()


@routes.post("/operators/chats/{conversation_id}/claim", name="chat-claim")
@roles(OPERATOR_ROLES)
async def claim(request: web.Request) -> web.StreamResponse:
    conversation_id = _chat_id(request)
    async with open_uow(request) as uow:
        await handoff.claim(uow, rules(request), conversation_id, actor(request))
        await uow.commit()
    request.config_dict[live.LIVE_HUB].publish(live.INBOX)
    return _done(request, conversation_id, "console-done-ops-claimed")


@routes.post("/operators/chats/{conversation_id}/reply", name="chat-reply")
@roles(OPERATOR_ROLES)
async def reply(request: web.Request) -> web.StreamResponse:
    conversation_id = _chat_id(request)
    form = await request.post()
    async with open_uow(request) as uow:
        try:
            conversation = await operator_chats.own_chat(uow, conversation_id, actor(request))
            text = await _reply_text(request, uow, conversation, form)
            document = await _document(request, uow, conversation, form.get("file"))
            await operator_chats.reply(
                uow, rules(request), conversation_id, actor(request), text, document
            )
        except DomainError as error:
            await uow.rollback()
            if request.headers.get("Accept", "").startswith("application/json"):
                raise
            return await chat_page(request, error)
        await uow.commit()
    _after_commit(request)
    return _done(request, conversation_id, "console-done-ops-sent")


async def _reply_text(request: web.Request, uow: Any, conversation: Any, form: Any) -> str:
    """Typed text, or a canned reply written in the citizen's language (not the operator's)."""
    canned = form.get("canned")
    if isinstance(canned, str) and canned:
        if canned not in CANNED_REPLIES:
            raise web.HTTPBadRequest()
        citizen = None
        if conversation.citizen_id is not None:
            citizen = await uow.citizens.get(conversation.citizen_id)
        lang = chat_language(conversation, citizen)
        return str(request.config_dict[TRANSLATOR](lang, f"ops-canned-{canned}"))
    text = form.get("text", "")
    return text.strip() if isinstance(text, str) else ""


async def _document(request: web.Request, uow: Any, conversation: Any, upload: Any) -> Any:
    """A file the operator attaches, checked and stored like the citizens' own (bot.files)."""
    if not isinstance(upload, web.FileField) or not upload.filename:
        return None
    from bot.files import DocumentStore
    from bot.flow.events import IncomingFile

    if conversation.citizen_id is None:
        raise ValidationFailed("error-chat-file-needs-citizen")
    store = DocumentStore(
        request.config_dict[SETTINGS].data_dir, request.config_dict[PROFILE].documents
    )
    content = upload.file.read(store.max_bytes + 1)
    # Some clients (aiohttp's own) percent-encode non-ASCII names in the form part.
    name = unquote(upload.filename)
    incoming = IncomingFile(name, upload.content_type, len(content), content)
    refusal = store.refusal(incoming)
    if refusal is not None:
        raise ValidationFailed(refusal, **store.refusal_args())
    return await store.save(
        uow,
        conversation.citizen_id,
        DocumentKind.ATTACHMENT,
        incoming,
        conversation.channel,
        now(request),
    )


@routes.post("/operators/chats/{conversation_id}/handback", name="chat-handback")
@roles(OPERATOR_ROLES)
async def hand_back(request: web.Request) -> web.StreamResponse:
    conversation_id = _chat_id(request)
    async with open_uow(request) as uow:
        await operator_chats.hand_back(uow, rules(request), conversation_id, actor(request))
        await uow.commit()
    _after_commit(request)
    return redirect(console_url(request, "inbox", query={"done": "console-done-ops-handed-back"}))


@routes.post("/operators/chats/{conversation_id}/close", name="chat-close")
@roles(OPERATOR_ROLES)
async def close(request: web.Request) -> web.StreamResponse:
    conversation_id = _chat_id(request)
    async with open_uow(request) as uow:
        conversation = await uow.conversations.get(conversation_id)
        citizen = None
        if conversation.citizen_id is not None:
            citizen = await uow.citizens.get(conversation.citizen_id)
        closing = request.config_dict[TRANSLATOR](
            chat_language(conversation, citizen), "ops-canned-closing"
        )
        await operator_chats.close_chat(
            uow, rules(request), conversation_id, actor(request), closing
        )
        await uow.commit()
    _after_commit(request)
    return redirect(console_url(request, "inbox", query={"done": "console-done-ops-closed"}))
