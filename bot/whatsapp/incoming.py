"""WhatsApp messages as channel-free `Incoming` events.

`external_id` is the wamid: the pipeline de-duplicates on it (UNIQUE(channel, external_id)),
so a message Meta delivers twice is answered once. `at` is Meta's timestamp of the message,
which also opens the 24-hour window (R38). Media the dialog cannot take (voice, video,
stickers) comes as a refused file, so a step waiting for a document names what it accepts;
anything else without text (a location, an unsupported type) comes as empty text and is
re-asked like one. Reactions are not messages to answer: they stay in the stored raw event.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.files import REFUSED_WRONG_TYPE
from bot.flow.events import EventKind, Incoming, IncomingFile
from bot.whatsapp.payloads import InboundMessage

CHANNEL = "whatsapp"
FILE_TYPES = ("image", "document")
REFUSED_MEDIA = ("audio", "voice", "video", "sticker")
IGNORED = ("reaction", "system", "request_welcome", "ephemeral")

FetchFile = Callable[[InboundMessage], Awaitable[IncomingFile]]


def needs_download(message: InboundMessage) -> bool:
    return message.type in FILE_TYPES


async def to_incoming(message: InboundMessage, fetch: FetchFile) -> Incoming | None:
    """The event for the dialog, or None for what is not answered (a reaction)."""
    if message.type in IGNORED:
        return None
    base = {
        "channel": CHANNEL,
        "chat_id": message.chat_id,
        "external_id": message.wamid,
        "at": message.at,
        "display_name": message.display_name,
    }
    content = message.content
    if message.type == "text":
        return Incoming(kind=EventKind.TEXT, text=str(content.get("body") or ""), **base)
    button = _button_id(message)
    if button is not None:
        return Incoming(kind=EventKind.BUTTON, button=button, **base)
    if message.type in FILE_TYPES:
        file = await fetch(message)
        return Incoming(kind=EventKind.FILE, file=file, text=content.get("caption"), **base)
    if message.type in REFUSED_MEDIA:
        refused = IncomingFile(message.type, "", 0, None, refused_reason=REFUSED_WRONG_TYPE)
        return Incoming(kind=EventKind.FILE, file=refused, **base)
    return Incoming(kind=EventKind.TEXT, text=_text_of(message), **base)


def _button_id(message: InboundMessage) -> str | None:
    content = message.content
    if message.type == "interactive":
        reply = content.get("button_reply") or content.get("list_reply") or {}
        return str(reply["id"]) if isinstance(reply, dict) and reply.get("id") else None
    if message.type == "button" and content.get("payload"):  # a template's quick reply
        return str(content["payload"])
    return None


def _text_of(message: InboundMessage) -> str:
    """Typed-in text for the rest: a template button without payload, a shared contact card
    (its number, checked by the dialog like a typed one), anything else empty."""
    content = message.content
    if message.type == "button":
        return str(content.get("text") or "")
    if message.type == "contacts":
        for card in content.get("contacts") or []:
            for phone in card.get("phones") or [] if isinstance(card, dict) else []:
                if isinstance(phone, dict) and phone.get("phone"):
                    return str(phone["phone"])
    return ""
