"""Turns an outbox row into the `Reply` a channel sends.

A dialog reply is stored rendered (`Reply.to_payload()`); a notice (registered, booked,
reminder ...) is stored as kind + Fluent message id + arguments and is written here, in the
citizen's language, when it goes out — so it reads in the language the citizen uses then.
Arguments come back from JSON as ISO strings; dates and moments are parsed back, so the
Translator writes them the citizen's way («23 қараша 2026 ж.» / «23 ноября 2026 г.»).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Protocol

from bot.flow.events import LANGUAGE_KEY, Reply, needs_citizen_language
from reception.ports import OutboxItem

DEFAULT_LANGUAGE = "ru"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"
)


class Translate(Protocol):
    def __call__(self, lang: str, message_id: str, **args: Any) -> str: ...


class RenderError(ValueError):
    """The row cannot become a message (no payload and no message id): a bug, not a retry."""


def needs_language(item: OutboxItem) -> bool:
    """Only notices and replies whose channel adds its own words need the citizen's language."""
    if not item.payload:
        return True
    return needs_citizen_language(
        item.payload.get("extra") or {}, bool(item.payload.get("ask_contact"))
    )


def render(item: OutboxItem, translate: Translate, language: str | None) -> Reply:
    lang = language or DEFAULT_LANGUAGE
    if item.payload:
        reply = Reply.from_payload(item.payload)
        if LANGUAGE_KEY in reply.extra or language is None:
            return reply
        return _with_language(reply, lang)
    if not item.message_id:
        raise RenderError("an outbox row with neither a payload nor a message id")
    text = translate(lang, item.message_id, **parse_arguments(item.args))
    return Reply(text=text, kind=item.kind, extra={LANGUAGE_KEY: lang})


def parse_arguments(args: dict[str, Any]) -> dict[str, Any]:
    return {name: _parse(value) for name, value in args.items()}


def _parse(value: Any) -> Any:
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
        if _ISO_MOMENT.fullmatch(value):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value
    if isinstance(value, list):
        return [_parse(item) for item in value]
    return value


def _with_language(reply: Reply, lang: str) -> Reply:
    return Reply(
        text=reply.text,
        buttons=reply.buttons,
        ask_contact=reply.ask_contact,
        document_path=reply.document_path,
        document_name=reply.document_name,
        kind=reply.kind,
        extra={**reply.extra, LANGUAGE_KEY: lang},
    )
