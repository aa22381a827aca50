"""The dialog, once for every channel (DESIGN.md "The dialog").

`Dialog.handle(uow, conversation, event)` reads one channel-free event, changes the
conversation (state and data, stored by the caller in the same transaction) and returns the
replies. What works from any step: /start and the menu, "back", "cancel", the operator
(button or /operator), the language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.files import DocumentStore
from bot.flow import buttons as b
from bot.flow import (
    followups,
    identity,
    menu,
    my_requests,
    preferences,
    question,
    representation,
    schedule,
    slot,
    staff_replies,
    start,
    states,
    summary,
    topic,
)
from bot.flow.events import EventKind, Incoming, Reply
from bot.flow.turn import Env, Step, Turn
from reception.citizens import DocumentKind
from reception.clock import Clock
from reception.errors import DomainError
from reception.ports import Conversation
from reception.profile import Profile
from reception.services import handoff
from reception.services.context import Rules


def all_steps() -> dict[str, Step]:
    steps: dict[str, Step] = {}
    for module in (
        start,
        menu,
        representation,
        identity,
        topic,
        question,
        preferences,
        slot,
        summary,
        my_requests,
        staff_replies,
        schedule,
        followups,
    ):
        steps.update(module.STEPS)
    return steps


@dataclass(slots=True)
class Outcome:
    """The replies, and what the message log should know about the inbound message."""

    replies: list[Reply]
    document_id: int | None = None  # the event's file, stored as this Document
    note: dict[str, Any] = field(default_factory=dict)


class Dialog:
    def __init__(self, rules: Rules, translator: Any, files: DocumentStore) -> None:
        self.rules = rules
        self.translator = translator
        self.files = files
        self.env = Env(rules, translator, files, all_steps())

    @classmethod
    def build(cls, profile: Profile, clock: Clock, translator: Any, data_dir: Path) -> Dialog:
        return cls(
            Rules.build(profile, clock), translator, DocumentStore(data_dir, profile.documents)
        )

    async def handle(self, uow: Any, conversation: Conversation, event: Incoming) -> list[Reply]:
        return (await self.respond(uow, conversation, event)).replies

    async def respond(self, uow: Any, conversation: Conversation, event: Incoming) -> Outcome:
        turn = Turn(self.env, uow, conversation, event)
        if conversation.mode == handoff.OPERATOR:
            pass  # the bot is quiet; the message is only stored, for the operator
        else:
            try:
                await self._dispatch(turn)
            except DomainError as error:
                turn.reply(Reply(self._error_text(turn, error)))
        await self._keep_file(turn)
        return Outcome(turn.replies, turn.document_id, turn.note)

    async def _dispatch(self, turn: Turn) -> None:
        conversation, data = turn.conversation, turn.data
        action = _global_action(turn.event)
        if action == "operator":
            await turn.hand_to_operator(
                handoff.REASON_BUTTON if turn.button else handoff.REASON_COMMAND
            )
        elif "lang" not in data:  # nothing works before the language
            if conversation.state == states.LANGUAGE and action is None:
                await self.env.steps[states.LANGUAGE].answer(turn)
            elif b.suffix(turn.button, b.LANGUAGE):
                conversation.state = states.LANGUAGE
                await self.env.steps[states.LANGUAGE].answer(turn)
            else:
                await turn.show(states.LANGUAGE)
        elif action in ("start", "menu"):
            await (turn.show(states.CONSENT) if "consent" not in data else turn.menu())
        elif action == "cancel":
            cancelled = conversation.state in states.BOOKING_STATES
            await turn.menu(notice="booking-cancelled" if cancelled else None)
        elif action == "back":
            await turn.back()
        elif action == "language":
            await turn.go(states.LANGUAGE)
        elif followups.handles(turn):  # buttons sent with notices: R12 new slot, R29 score
            await followups.answer(turn)
        elif conversation.state in self.env.steps:
            await self.env.steps[conversation.state].answer(turn)
        else:  # a state this version does not know (e.g. after an upgrade): start over
            await turn.menu()

    async def _keep_file(self, turn: Turn) -> None:
        """R39: a file the step did not take is still kept, once consent allows it (R36)."""
        file = turn.file
        if file is None or turn.document_id is not None or turn.data.get("consent") is not True:
            return
        if turn.conversation.citizen_id is None or self.files.refusal(file) is not None:
            return
        document = await self.files.save(
            turn.uow, turn.citizen_id, DocumentKind.ATTACHMENT, file, turn.event.channel, turn.now
        )
        turn.document_id = document.id

    def _error_text(self, turn: Turn, error: DomainError) -> str:
        known = turn.known(error.message_id)
        return turn.t(error.message_id if known else "error-domain", **error.args_for_message)


_COMMANDS = {
    "start": "start",
    "menu": "menu",
    "operator": "operator",
    "cancel": "cancel",
    "back": "back",
    "language": "language",
    "lang": "language",
}
_BUTTONS = {
    b.MENU: "menu",
    b.OPERATOR: "operator",
    b.CANCEL: "cancel",
    b.BACK: "back",
}


def _global_action(event: Incoming) -> str | None:
    """What works from any step: a command, or a navigation button."""
    if event.kind is EventKind.COMMAND and event.text:
        name = event.text.strip().lstrip("/").split("@", 1)[0].split(maxsplit=1)
        return _COMMANDS.get(name[0].casefold(), "start") if name else "start"
    if event.kind is EventKind.TEXT and event.text and event.text.strip().startswith("/"):
        word = event.text.strip().lstrip("/").split("@", 1)[0].split(maxsplit=1)
        return _COMMANDS.get(word[0].casefold()) if word else None
    if event.kind is EventKind.BUTTON:
        return _BUTTONS.get(event.button or "")
    return None
