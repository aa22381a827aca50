"""What kind of message it is, and whether the bot takes it: plain checks.

The bot's two handlers (bot.telegram.handlers.messages, .buttons) sort messages with these
instead of aiogram filters: aiogram runs each filter of each handler it tries through its
CallableObject machinery (the filter's arguments picked from the update's context by
signature), and the router's scope filter once more for each update. For a typed text that
was seven such calls before its handler, 2.2 % of the instructions of a whole update
(valgrind's callgrind on bench/dialog.py; PERFORMANCE.md: a synchronous filter would even run
in a thread).
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message


def is_private(chat_type: str | None) -> bool:
    """The bot talks to citizens one to one; groups it may be added to are ignored."""
    return chat_type == "private"


def is_private_tap(query: CallbackQuery) -> bool:
    return query.message is None or is_private(query.message.chat.type)


def is_command(message: Message) -> bool:
    return message.text is not None and message.text.startswith("/")


def has_file(message: Message) -> bool:
    """A photo or a document: what a power of attorney or a proof may come as."""
    return bool(message.photo) or message.document is not None
