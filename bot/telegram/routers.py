"""The bot's one Telegram router, with its two handlers: messages and button taps.

One router, not one per module: aiogram visits every router of the tree for every update,
wrapping its middlewares each time, and a tree of eight routers cost about 70 µs an update
(bench/dialog.py), more than the handlers themselves. One handler per kind of update, not one
per kind of message behind its filter, for the same reason (bot.telegram.filters):
bot.telegram.handlers.messages sorts messages by plain checks. The scope
check (private chats only) is in both handlers, where a router filter would cost a call of its
own for every update.
"""

from __future__ import annotations

from aiogram import Router

from bot.telegram.handlers.buttons import on_button
from bot.telegram.handlers.messages import on_message


def get_routers() -> list[Router]:
    """A fresh router each call: a Router belongs to one Dispatcher (tests build several)."""
    router = Router(name="telegram")
    router.message.register(on_message)
    router.callback_query.register(on_button)
    return [router]
