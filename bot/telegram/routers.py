"""The bot's one Telegram router, with the scope filter (private chats).

One router, not one per module: aiogram visits every router of the tree for every update,
wrapping its middlewares each time, and a tree of eight routers cost about 70 µs an update
(bench/dialog.py), more than the handlers themselves. Each module registers its handlers on
this router; the order of registration is the order aiogram tries them.
"""

from __future__ import annotations

from aiogram import Router

from bot.telegram import officials  # /start <code>, /unlink: officials and staff (issue 5)
from bot.telegram.filters import PrivateChat
from bot.telegram.handlers import buttons, commands, contacts, files, texts, unsupported


def get_routers() -> list[Router]:
    """A fresh router each call: a Router belongs to one Dispatcher (tests build several)."""
    router = Router(name="telegram")
    router.message.filter(PrivateChat())
    router.callback_query.filter(PrivateChat())
    # Order matters: a command is also text, so commands come first; the rest catches all.
    for module in (officials, commands, contacts, files, buttons, texts, unsupported):
        module.register(router)
    return [router]
