"""Answering a fix request (R17) or objecting in a hearing (R24) by writing in the chat.

A reply to staff is kept, never acted on by the bot: the text stays in the message log marked
with the request, files become the request's documents, and the audit log notes it on the
request, so staff see it and decide (fix_received, uphold_objection) themselves.
"""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Reply
from bot.flow.my_requests import current_request
from bot.flow.turn import Nav, Step, Turn
from reception.actors import Actor
from reception.citizens import DocumentKind
from reception.requests import BookingRequest


async def start_reply(turn: Turn, request: BookingRequest) -> None:
    """Takes this message as (the start of) the citizen's answer to `request`."""
    turn.data["request"] = request.id
    turn.conversation.state = states.REQUEST_REPLY
    turn.conversation.failures = 0
    await record_reply(turn, request)


async def ask_reply(turn: Turn) -> Reply:
    request = await current_request(turn)
    return Reply(
        turn.t("my-reply-ask", number=request.number if request else "—"),
        ((turn.btn(b.DONE, "my-reply-done"),),),
    )


async def answer_reply(turn: Turn) -> None:
    request = await current_request(turn)
    if request is None or turn.button == b.DONE:
        await turn.show(states.MY_REQUEST) if request else await turn.menu()
        return
    if not (turn.text or turn.file):
        await turn.reask("my-reply-expected")
        return
    await record_reply(turn, request)


async def record_reply(turn: Turn, request: BookingRequest) -> None:
    assert request.id is not None
    file = turn.file
    details: dict[str, object] = {"status": str(request.status)}
    if file is not None:
        refusal = turn.env.files.refusal(file)
        if refusal is not None:
            await turn.reask(refusal, **turn.env.files.refusal_args())
            return
        document = await turn.env.files.save(
            turn.uow,
            turn.citizen_id,
            DocumentKind.ATTACHMENT,
            file,
            turn.event.channel,
            turn.now,
            request_id=request.id,
        )
        turn.document_id = document.id
        details["document"] = document.id
    turn.note = {"request_id": request.id, "reply_to": str(request.status)}
    await turn.uow.audit.record(
        Actor.citizen(turn.citizen_id),
        "request.citizen_reply",
        turn.now,
        "request",
        str(request.id),
        details=details,
    )
    turn.reply(
        Reply(
            turn.t("my-reply-received", number=request.number or "—"),
            ((turn.btn(b.DONE, "my-reply-done"),),),
        )
    )


STEPS = {states.REQUEST_REPLY: Step(ask_reply, answer_reply, Nav.NONE)}
