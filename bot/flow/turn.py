"""One update's worth of dialog: the event, the conversation, the replies being built.

A step module sees only a `Turn`. It reads the input (`text`, `button`, `file`), keeps what it
learned in `draft` (stored with the conversation, so it survives restarts) and moves on with
`go(state)`, or re-asks with a specific message with `reask(error_id)`. Three failed inputs in
a row hand the chat to an operator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.channels import Capabilities, capabilities
from bot.flow.events import LANGUAGE_KEY, Button, EventKind, Incoming, IncomingFile, Reply
from reception.ports import Conversation
from reception.services import handoff

if TYPE_CHECKING:
    from bot.files import DocumentStore
    from locales import Translator
    from reception.services.context import Rules

MAX_FAILURES = 3  # failed inputs in a row before an operator takes over
MAX_TRAIL = 40
_HOURS = ("start", "end", "lunch_start", "lunch_end")
_T = TypeVar("_T")
Rows = tuple[tuple[Button, ...], ...]


class Nav(Enum):
    """Which navigation row a step's prompt carries."""

    NONE = "none"
    BOOKING = "booking"  # back, cancel
    SUB = "sub"  # back, menu


@dataclass(frozen=True, slots=True)
class Step:
    ask: Callable[[Turn], Awaitable[Reply]]
    answer: Callable[[Turn], Awaitable[None]]
    nav: Nav = Nav.BOOKING


@dataclass(frozen=True, slots=True)
class Env:
    """What every step may use besides the unit of work."""

    rules: Rules
    translator: Translator
    files: DocumentStore
    steps: dict[str, Step]
    # Keyboards that depend only on the language and on the rules, which stay the same for
    # the life of the Dialog (Turn.once). Buttons and their rows are frozen, so every reply
    # may share them. Keyed by builder and language only, so it cannot grow with the input.
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)


class Turn:
    __slots__ = ("conversation", "document_id", "env", "event", "note", "replies", "uow")

    def __init__(self, env: Env, uow: Any, conversation: Conversation, event: Incoming) -> None:
        self.env = env
        self.uow = uow
        self.conversation = conversation
        self.event = event
        self.replies: list[Reply] = []
        self.document_id: int | None = None  # a file of this event, stored as a Document
        self.note: dict[str, Any] = {}  # extra facts for the inbound message's log entry

    # -- reading --------------------------------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        return self.conversation.data

    @property
    def draft(self) -> dict[str, Any]:
        draft: dict[str, Any] = self.conversation.data.setdefault("draft", {})
        return draft

    @property
    def lang(self) -> str:
        return str(self.conversation.data.get("lang") or "ru")

    @property
    def now(self) -> datetime:
        return self.env.rules.clock.now()

    @property
    def channel(self) -> Capabilities:
        return capabilities(self.event.channel)

    @property
    def text(self) -> str | None:
        """The typed text, stripped; None for buttons, files and contacts."""
        if self.event.kind is not EventKind.TEXT or self.event.text is None:
            return None
        return self.event.text.strip()

    @property
    def button(self) -> str | None:
        return self.event.button if self.event.kind is EventKind.BUTTON else None

    @property
    def file(self) -> IncomingFile | None:
        return self.event.file if self.event.kind is EventKind.FILE else None

    @property
    def citizen_id(self) -> int:
        assert self.conversation.citizen_id is not None, "steps after the language have one"
        return self.conversation.citizen_id

    # -- words ----------------------------------------------------------------------------

    def t(self, message_id: str, **args: Any) -> str:
        return self.env.translator(self.lang, message_id, **args)

    def known(self, message_id: str) -> bool:
        return self.env.translator.has(self.lang, message_id)

    def btn(self, button_id: str, message_id: str, **args: Any) -> Button:
        return Button(button_id, self.t(message_id, **args))

    def public(self, message_id: str, **args: Any) -> str:
        """A text of public facts only (schedule, topics, officials), kept once formatted:
        locales.Translator.public. Never with a citizen's own data."""
        return self.env.translator.public(self.lang, message_id, **args)

    def once(self, build: Callable[[Turn], _T]) -> _T:
        """`build(self)`, made once per language and kept: for keyboards whose buttons take
        no arguments, or only the rules' (which do not change while the bot runs)."""
        key = (build, self.lang)
        cache = self.env.cache
        value: _T | None = cache.get(key)
        if value is None:
            value = cache[key] = build(self)
        return value

    def say(self, message_id: str, *rows: Sequence[Button], **args: Any) -> None:
        self.reply(Reply(self.t(message_id, **args), tuple(tuple(r) for r in rows)))

    def reply(self, reply: Reply) -> None:
        """Adds a reply, marked with its language (Reply.written_in)."""
        self.replies.append(reply.written_in(self.lang))

    # -- moving ---------------------------------------------------------------------------

    async def go(self, state: str) -> None:
        """Moves on to `state` and asks its question; "back" returns here."""
        current = self.conversation.state
        trail: list[str] = self.data.setdefault("trail", [])
        if current != state and current in self.env.steps:
            trail.append(current)
            del trail[:-MAX_TRAIL]
        await self.show(state)

    async def show(self, state: str) -> None:
        """Sets `state` and asks its question, without leaving a way back."""
        self.conversation.state = state
        self.conversation.failures = 0
        await self.ask()

    async def ask(self, prefix: str | None = None) -> None:
        step = self.env.steps[self.conversation.state]
        reply = await step.ask(self)
        lang = self.lang
        text = f"{prefix}\n\n{reply.text}" if prefix else reply.text
        rows = reply.buttons
        if step.nav is not Nav.NONE:
            rows += self._nav_rows(step.nav)
        extra = {**reply.extra, LANGUAGE_KEY: lang} if reply.extra else {LANGUAGE_KEY: lang}
        # Already written in `lang`, so added as it is (what `reply` would do).
        self.replies.append(Reply(text, rows, ask_contact=reply.ask_contact, extra=extra))

    async def back(self) -> None:
        trail: list[str] = self.data.setdefault("trail", [])
        while trail:
            previous = trail.pop()
            if previous in self.env.steps:
                await self.show(previous)
                return
        await self.menu()

    async def menu(self, notice: str | None = None, **args: Any) -> None:
        """The main menu, forgetting any booking in progress; `notice` goes on top of it."""
        for key in ("draft", "trail", "request", "page"):
            self.data.pop(key, None)
        self.conversation.state = states.MENU
        self.conversation.failures = 0
        await self.ask(prefix=self.t(notice, **args) if notice else None)

    async def reask(self, error_id: str, **args: Any) -> None:
        """A specific message on bad input, then the same question again; three failures in a
        row hand the chat to an operator."""
        self.conversation.failures += 1
        if self.conversation.failures >= MAX_FAILURES:
            self.say("handoff-after-failures")
            await self.hand_to_operator(handoff.REASON_FAILURES)
            return
        await self.ask(prefix=self.t(error_id, **args))

    async def hand_to_operator(self, reason: str) -> None:
        requested = await handoff.request_operator(
            self.uow, self.env.rules, self.conversation, reason
        )
        if requested.working_now:
            self.say("handoff-waiting")
        else:  # R34
            hours = self.env.rules.profile.hours
            self.say(
                "handoff-waiting-after-hours",
                when=requested.operators_from,
                **{name: getattr(hours, name).strftime("%H:%M") for name in _HOURS},
            )

    def _nav_rows(self, nav: Nav) -> Rows:
        if nav is Nav.BOOKING:
            return self.once(_booking_nav)
        if nav is Nav.SUB:
            return self.once(_sub_nav)
        return ()


def _booking_nav(turn: Turn) -> Rows:
    return ((turn.btn(b.BACK, "nav-back"), turn.btn(b.CANCEL, "nav-cancel")),)


def _sub_nav(turn: Turn) -> Rows:
    return ((turn.btn(b.BACK, "nav-back"), turn.btn(b.MENU, "nav-menu")),)
