"""Buttons that come with notices, answered at whatever step the chat is (issue 5):
- R12: the official cancelled; one tap on an offered slot books the request into it (the
  booking's own notice, with date, time and place, is the confirmation);
- R29: after the reception, a score from 1 to 5, then an optional comment.
The jobs that send these buttons (bot/jobs/citizens.py) build their ids here.
"""

from __future__ import annotations

from bot.flow.events import Reply
from bot.flow.turn import Nav, Step, Turn
from reception.errors import DomainError
from reception.services.reminders import (
    add_satisfaction_comment,
    pick_new_slot,
    record_satisfaction,
)
from storage.repositories.reminders import SqlFeedback

NEW_SLOT = "ns:"  # + request id + ":" + slot id (Telegram allows 64 bytes)
SCORE = "sc:"  # + request id + ":" + score
NO_COMMENT = "sc:skip"
FEEDBACK_COMMENT = "feedback.comment"  # the dialog state while an optional comment may come
_REQUEST_KEY = "feedback_request"


def new_slot_button(request_id: int, slot_id: int) -> str:
    return f"{NEW_SLOT}{request_id}:{slot_id}"


def score_button(request_id: int, score: int) -> str:
    return f"{SCORE}{request_id}:{score}"


def _pair(button: str | None, prefix: str) -> tuple[int, int] | None:
    if button is None or not button.startswith(prefix):
        return None
    first, _, second = button[len(prefix) :].partition(":")
    if not (first.isdigit() and second.isdigit()):
        return None
    return int(first), int(second)


def handles(turn: Turn) -> bool:
    button = turn.button
    return button is not None and (
        _pair(button, NEW_SLOT) is not None or _pair(button, SCORE) is not None
    )


async def answer(turn: Turn) -> None:
    """Only called when `handles(turn)`; a refusal (slot taken meanwhile) is said in words."""
    rules = turn.env.rules
    try:
        chosen = _pair(turn.button, NEW_SLOT)
        if chosen is not None:
            request_id, slot_id = chosen
            await pick_new_slot(turn.uow, rules, turn.citizen_id, request_id, slot_id)
            return
        scored = _pair(turn.button, SCORE)
        assert scored is not None
        request_id, score = scored
        await record_satisfaction(
            turn.uow, SqlFeedback(turn.uow.connection), rules, turn.citizen_id, request_id, score
        )
    except DomainError as error:
        known = turn.known(error.message_id)
        turn.say(error.message_id if known else "error-domain", **error.args_for_message)
        return
    turn.data[_REQUEST_KEY] = request_id
    await turn.show(FEEDBACK_COMMENT)


async def ask_comment(turn: Turn) -> Reply:
    return Reply(
        turn.t("reminder-satisfaction-thanks"),
        ((turn.btn(NO_COMMENT, "reminder-satisfaction-skip"),),),
    )


async def answer_comment(turn: Turn) -> None:
    request_id = turn.data.get(_REQUEST_KEY)
    if turn.button == NO_COMMENT or request_id is None:
        turn.data.pop(_REQUEST_KEY, None)
        await turn.menu()
        return
    if not turn.text:
        await turn.reask("error-satisfaction-comment-empty")
        return
    await add_satisfaction_comment(
        turn.uow,
        SqlFeedback(turn.uow.connection),
        turn.env.rules,
        turn.citizen_id,
        int(request_id),
        turn.text,
    )
    turn.data.pop(_REQUEST_KEY, None)
    await turn.menu(notice="reminder-satisfaction-comment-thanks")


STEPS = {FEEDBACK_COMMENT: Step(ask_comment, answer_comment, Nav.NONE)}
