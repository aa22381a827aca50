"""A channel-free `Reply` as the Bot API calls that show it.

Inline keyboards carry the button ids as callback_data (Telegram allows 1-64 bytes); a reply
that asks for the phone gets a reply keyboard with a contact-share button. A message holds
one keyboard, so a reply with both sends its buttons in a second, short message. Texts
longer than Telegram's 4096 characters are split at paragraph, line or word ends. Texts go
as plain text (no parse_mode): what a citizen typed is never read as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.flow.events import Reply
from bot.flow.textsplit import split_text
from bot.telegram.botapi import ApiCall, Upload

MAX_TEXT = 4096  # characters, counted in UTF-16 code units as Telegram does
MAX_CALLBACK_DATA = 64  # bytes


class RenderError(ValueError):
    """The reply cannot be shown on Telegram (an over-long button id, a missing file)."""


def telegram_calls(
    reply: Reply, chat_id: int, *, data_dir: Path, contact_label: str, more_label: str
) -> list[ApiCall]:
    calls: list[ApiCall] = []
    inline = _inline_keyboard(reply)
    texts = split_text(reply.text, MAX_TEXT) if reply.text.strip() else []
    if texts:
        calls.extend(_message(chat_id, text) for text in texts[:-1])
        if reply.ask_contact:
            calls.append(_message(chat_id, texts[-1], _contact(contact_label)))
            if inline is not None:
                calls.append(_message(chat_id, more_label, inline))
        else:
            calls.append(_message(chat_id, texts[-1], inline))
    elif inline is not None or reply.ask_contact:
        raise RenderError("buttons without a text")
    if reply.document_path:
        calls.append(_document(reply, chat_id, data_dir))
    if not calls:
        raise RenderError("nothing to send")
    return calls


def _message(chat_id: int, text: str, markup: dict[str, Any] | None = None) -> ApiCall:
    payload: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if markup is not None:
        payload["reply_markup"] = markup
    return ApiCall("sendMessage", payload)


def _inline_keyboard(reply: Reply) -> dict[str, Any] | None:
    if not reply.buttons:
        return None
    rows = []
    for row in reply.buttons:
        for button in row:
            if not 1 <= len(button.id.encode()) <= MAX_CALLBACK_DATA:
                raise RenderError(f"button id of {len(button.id.encode())} bytes")
        rows.append([{"text": b.label, "callback_data": b.id} for b in row])
    return {"inline_keyboard": rows}


def _contact(label: str) -> dict[str, Any]:
    return {
        "keyboard": [[{"text": label, "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


def _document(reply: Reply, chat_id: int, data_dir: Path) -> ApiCall:
    assert reply.document_path is not None
    path = (data_dir / reply.document_path).resolve()
    if not path.is_relative_to(data_dir.resolve()) or not path.is_file():
        raise RenderError("the document is not a file under the data folder")
    upload = Upload("document", path, reply.document_name or path.name)
    return ApiCall("sendDocument", {"chat_id": chat_id}, upload)
