"""All Telegram routers under one parent that carries the scope filter (private chats)."""

from __future__ import annotations

from aiogram import Router

from bot.telegram import officials  # /start <code>, /unlink: officials and staff (issue 5)
from bot.telegram.filters import PrivateChat
from bot.telegram.handlers import buttons, commands, contacts, files, texts, unsupported


def get_routers() -> list[Router]:
    """A fresh tree each call: a Router belongs to one Dispatcher (tests build several)."""
    parent = Router(name="telegram")
    parent.message.filter(PrivateChat())
    parent.callback_query.filter(PrivateChat())
    # Order matters: a command is also text, so commands come first; the rest catches all.
    children = (officials, commands, contacts, files, buttons, texts, unsupported)
    parent.include_routers(*(module.build() for module in children))
    return [parent]
