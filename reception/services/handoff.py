"""Handing a chat to a person and back (DESIGN.md "The dialog"; R34, R39).

A chat in operator mode gets no answer from the bot: every message the citizen sends is only
stored (R39) for the operator, until an operator hands the chat back. The console's operator
screen lists such chats with `uow.conversations.in_operator_mode()`, then calls `claim`,
`operator_reply` and `return_to_bot`.

Each use case takes an open unit of work and never commits; the caller commits once, so the
mode change, the outbox row, the message log and the audit record land together. After the
commit the caller wakes the outbox sender. What an operator sends is logged here, when it is
queued, with the operator as its author (R39), so the console's chat shows it at once; the
sender does not log rows of this kind again (bot.outbox.worker.logged_when_sent).

`conversation_ref` is the conversation id, or the Conversation object itself when the caller
already holds it locked (the bot's pipeline does); either way the change is saved here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reception.actors import Actor, ActorKind
from reception.citizens import Document
from reception.errors import IllegalTransition, ValidationFailed
from reception.ports import Conversation, MessageRecord, OutboxItem
from reception.services.context import Rules

BOT = "bot"
OPERATOR = "operator"

# Why a chat was handed over, as the audit log records it.
REASON_BUTTON = "button"
REASON_COMMAND = "command"
REASON_FAILURES = "failures"  # three failed inputs in a row

# The notice the citizen gets when the bot takes the chat back; a Fluent id the outbox
# sender renders in the citizen's language (locales/*/bot.ftl).
RETURNED_MESSAGE_ID = "handoff-returned"
OUTBOX_KIND = "operator"
MAX_REPLY_CHARS = 4000

ConversationRef = Conversation | int


@dataclass(frozen=True, slots=True)
class OperatorRequested:
    """What the citizen is told: whether operators work now and, if not, from when (R34)."""

    conversation_id: int
    working_now: bool
    operators_from: datetime  # now when working_now, else when work next starts (Asia/Almaty)


async def request_operator(
    uow: Any, rules: Rules, conversation_ref: ConversationRef, reason: str
) -> OperatorRequested:
    """The bot goes quiet for this chat; the chat waits in the operators' list.

    Asking again while waiting changes nothing. The reply to the citizen is the caller's
    (the dialog words it in the citizen's language from the returned `OperatorRequested`).
    """
    conversation = await _load(uow, conversation_ref)
    now = rules.clock.now()
    if conversation.mode != OPERATOR:
        conversation.mode = OPERATOR
        conversation.operator_id = None
        conversation.failures = 0
        conversation.updated_at = now  # the operators' list orders by the time of waiting
        await uow.conversations.save(conversation)
        actor = (
            Actor.citizen(conversation.citizen_id)
            if conversation.citizen_id is not None
            else Actor.system()
        )
        await _audit(uow, actor, "chat.operator_requested", now, conversation, reason=reason)
    assert conversation.id is not None
    working = rules.calendar.is_working_time(now)  # R34
    operators_from = now if working else rules.calendar.next_working_moment(now)
    return OperatorRequested(conversation.id, working, operators_from)


async def claim(
    uow: Any, rules: Rules, conversation_ref: ConversationRef, operator: Actor
) -> Conversation:
    """The operator takes the chat: it shows as theirs, and the bot stays quiet in it.

    An operator may also take a chat that never asked for one (e.g. from its history).
    """
    _require_staff(operator)
    conversation = await _load(uow, conversation_ref)
    now = rules.clock.now()
    conversation.mode = OPERATOR
    conversation.operator_id = operator.id
    conversation.failures = 0
    await uow.conversations.save(conversation)
    await _audit(uow, operator, "chat.claim", now, conversation)
    return conversation


async def operator_reply(
    uow: Any,
    rules: Rules,
    conversation_ref: ConversationRef,
    operator: Actor,
    text: str | None = None,
    document: Document | None = None,
) -> OutboxItem:
    """The operator's message (text, a stored document, or both) goes to the citizen.

    The chat must be with operators (asked for, or claimed). The first reply claims an
    unclaimed chat. Returns the outbox row; wake the sender after the commit.
    """
    _require_staff(operator)
    text = (text or "").strip()
    if not text and document is None:
        raise ValidationFailed("error-operator-reply-empty")
    if len(text) > MAX_REPLY_CHARS:
        raise ValidationFailed("error-operator-reply-too-long", limit=MAX_REPLY_CHARS)
    conversation = await _load(uow, conversation_ref)
    if conversation.mode != OPERATOR:
        raise IllegalTransition("error-chat-not-with-operator")
    now = rules.clock.now()
    if conversation.operator_id is None:
        conversation.operator_id = operator.id
        await uow.conversations.save(conversation)
    # The shape of bot.flow.events.Reply.to_payload(), which every channel sender reads.
    payload: dict[str, Any] = {
        "text": text,
        "buttons": [],
        "ask_contact": False,
        "document_path": document.path if document else None,
        "document_name": document.file_name if document else None,
        "kind": OUTBOX_KIND,
        "extra": {"author_kind": str(ActorKind.STAFF), "author_id": str(operator.id)},
    }
    item = await _send_as_operator(
        uow,
        conversation,
        operator,
        now,
        payload=payload,
        text=text or None,
        document_id=document.id if document else None,
    )
    await _audit(uow, operator, "chat.operator_reply", now, conversation)
    return item


async def return_to_bot(
    uow: Any, rules: Rules, conversation_ref: ConversationRef, operator: Actor
) -> Conversation:
    """The bot answers this chat again, from the step the citizen was at; the citizen is told
    so (RETURNED_MESSAGE_ID). Handing back a chat the bot already has changes nothing."""
    _require_staff(operator)
    conversation = await _load(uow, conversation_ref)
    if conversation.mode != OPERATOR:
        return conversation
    now = rules.clock.now()
    conversation.mode = BOT
    conversation.operator_id = None
    conversation.failures = 0
    await uow.conversations.save(conversation)
    await _send_as_operator(uow, conversation, operator, now, message_id=RETURNED_MESSAGE_ID)
    await _audit(uow, operator, "chat.return_to_bot", now, conversation)
    return conversation


async def _load(uow: Any, conversation_ref: ConversationRef) -> Conversation:
    if isinstance(conversation_ref, Conversation):
        return conversation_ref
    conversation: Conversation = await uow.conversations.get(conversation_ref)
    return conversation


async def _send_as_operator(
    uow: Any,
    conversation: Conversation,
    operator: Actor,
    now: datetime,
    *,
    payload: dict[str, Any] | None = None,
    message_id: str | None = None,
    text: str | None = None,
    document_id: int | None = None,
) -> OutboxItem:
    """Queues a message to the citizen, a rendered `payload` or the Fluent notice
    `message_id`, and logs it as the operator's (R39)."""
    item: OutboxItem = await uow.outbox.add(
        OutboxItem(
            channel=conversation.channel,
            chat_id=conversation.chat_id,
            citizen_id=conversation.citizen_id,
            payload=payload if payload is not None else {},
            kind=OUTBOX_KIND,
            message_id=message_id,
            created_at=now,
            next_attempt_at=now,
        )
    )
    await uow.messages.add(
        MessageRecord(
            channel=conversation.channel,
            chat_id=conversation.chat_id,
            direction="out",
            at=now,
            author_kind=str(ActorKind.STAFF),
            author_id=operator.id,
            text=text,
            payload=payload if payload is not None else {"message_id": message_id},
            conversation_id=conversation.id,
            citizen_id=conversation.citizen_id,
            document_id=document_id,
        )
    )
    return item


def _require_staff(actor: Actor) -> None:
    if actor.kind is not ActorKind.STAFF or actor.id is None:
        raise ValidationFailed("error-operator-required")


async def _audit(
    uow: Any, actor: Actor, action: str, at: datetime, conversation: Conversation, **details: str
) -> None:
    await uow.audit.record(
        actor, action, at, "conversation", str(conversation.id), details=details or None
    )
