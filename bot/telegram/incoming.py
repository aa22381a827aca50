"""Telegram messages and button taps as channel-free `Incoming` events.

`external_id` is the update_id: the pipeline de-duplicates on it, so an update Telegram
delivers twice (webhook retries, a restart between getUpdates calls) is answered once.
"""

from __future__ import annotations

from datetime import datetime

from aiogram.types import CallbackQuery, Message

from bot.files import REFUSED_WRONG_TYPE
from bot.flow.events import EventKind, Incoming, IncomingFile

CHANNEL = "telegram"
_MEDIA = ("voice", "audio", "video", "video_note", "animation", "sticker")


def base_fields(message: Message, update_id: int) -> dict[str, object]:
    user = message.from_user
    return {
        "channel": CHANNEL,
        "chat_id": str(message.chat.id),
        "external_id": str(update_id),
        "at": message.date,  # R20: when the message reached Telegram, even if we were down
        "language_hint": user.language_code if user else None,
        "display_name": user.full_name if user else None,
    }


def text_event(message: Message, update_id: int) -> Incoming:
    return Incoming(kind=EventKind.TEXT, text=message.text or "", **base_fields(message, update_id))


def command_event(message: Message, update_id: int) -> Incoming:
    """`/start@our_bot payload` -> text "/start", args "payload"."""
    head, _, rest = (message.text or "").strip().partition(" ")
    command = head.split("@", 1)[0].lower()
    return Incoming(
        kind=EventKind.COMMAND,
        text=command,
        args=rest.strip() or None,
        **base_fields(message, update_id),
    )


def contact_event(message: Message, update_id: int) -> Incoming:
    """The citizen's own number from the share button. Someone else's contact card is taken
    as if its number were typed: the dialog then checks it like any typed phone."""
    contact = message.contact
    assert contact is not None
    own = message.from_user is not None and contact.user_id == message.from_user.id
    if own:
        return Incoming(
            kind=EventKind.CONTACT,
            contact_phone=contact.phone_number,
            **base_fields(message, update_id),
        )
    return Incoming(
        kind=EventKind.TEXT, text=contact.phone_number, **base_fields(message, update_id)
    )


def file_event(message: Message, update_id: int, file: IncomingFile) -> Incoming:
    return Incoming(
        kind=EventKind.FILE,
        file=file,
        text=message.caption,
        **base_fields(message, update_id),
    )


def other_event(message: Message, update_id: int) -> Incoming:
    """Everything else a citizen may send: voice, video, stickers, locations ... Media the
    dialog cannot take comes as a refused file, so a step waiting for a document names what
    it accepts; anything else comes as empty text and is re-asked like one."""
    media = next((kind for kind in _MEDIA if getattr(message, kind) is not None), None)
    if media is not None:
        refused = IncomingFile(media, "", 0, None, refused_reason=REFUSED_WRONG_TYPE)
        return file_event(message, update_id, refused)
    return text_event(message, update_id)


def button_event(query: CallbackQuery, update_id: int, at: datetime) -> Incoming:
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    return Incoming(
        channel=CHANNEL,
        chat_id=str(chat_id),
        external_id=str(update_id),
        at=at,
        kind=EventKind.BUTTON,
        button=query.data or "",
        language_hint=query.from_user.language_code,
        display_name=query.from_user.full_name,
    )
