"""What the operators' console adds to the handoff use cases (`reception.services.handoff`):
one operator per chat at a time, and closing a chat when the question is settled.
"""

from __future__ import annotations

from typing import Any

from reception.actors import Actor
from reception.errors import IllegalTransition
from reception.ports import Conversation, OutboxItem
from reception.services import handoff
from reception.services.context import Rules


class ChatClaimedByAnother(IllegalTransition):
    """Two operators never answer one citizen at once: take the chat over first."""

    message_id = "error-chat-claimed-by-another"


async def own_chat(uow: Any, conversation_id: int, operator: Actor) -> Conversation:
    """The chat, if it is with operators and not claimed by someone else."""
    conversation: Conversation = await uow.conversations.get(conversation_id)
    if conversation.mode != handoff.OPERATOR:
        raise IllegalTransition("error-chat-not-with-operator")
    if conversation.operator_id not in (None, operator.id):
        raise ChatClaimedByAnother()
    return conversation


async def reply(
    uow: Any,
    rules: Rules,
    conversation_id: int,
    operator: Actor,
    text: str | None = None,
    document: Any = None,
) -> OutboxItem:
    conversation = await own_chat(uow, conversation_id, operator)
    return await handoff.operator_reply(uow, rules, conversation, operator, text, document)


async def hand_back(uow: Any, rules: Rules, conversation_id: int, operator: Actor) -> Conversation:
    """The bot continues from the step the citizen was at."""
    conversation = await own_chat(uow, conversation_id, operator)
    return await handoff.return_to_bot(uow, rules, conversation, operator)


async def close_chat(
    uow: Any, rules: Rules, conversation_id: int, operator: Actor, closing_text: str
) -> Conversation:
    """The question is settled: the citizen gets the closing words, then the bot has the chat
    again. The audit log tells a closed chat from one merely handed back (R39)."""
    conversation = await own_chat(uow, conversation_id, operator)
    await handoff.operator_reply(uow, rules, conversation, operator, closing_text)
    conversation = await handoff.return_to_bot(uow, rules, conversation, operator)
    await uow.audit.record(
        operator, "chat.close", rules.clock.now(), "conversation", str(conversation_id)
    )
    return conversation
