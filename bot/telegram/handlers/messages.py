"""Every message in a chat with the bot, sorted by plain checks (bot.telegram.filters) to the
module that handles its kind, in the order the kinds are tried: an official's link command
first (a code never reaches the dialog), then commands, shared contacts, files, typed text,
and anything else."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.types import Message, Update

from bot.telegram import officials
from bot.telegram.filters import has_file, is_command, is_private
from bot.telegram.handlers import commands, contacts, files, texts, unsupported
from bot.telegram.handlers.common import OnCommit, Process
from reception.profile import Documents


async def on_message(
    message: Message,
    event_update: Update,
    bot: Bot,
    documents: Documents,
    process: Process,
    uow_factory: Any,
    dialog: Any,
    on_commit: OnCommit,
) -> None:
    if not is_private(message.chat.type):
        return
    services = (process, uow_factory, dialog, on_commit)
    if is_command(message):
        is_link, link_code = officials.link_request(message)
        if is_link:
            await officials.on_link(
                message, event_update, link_code, uow_factory, dialog, on_commit
            )
        else:
            await commands.on_command(message, event_update, *services)
    elif message.contact is not None:
        await contacts.on_contact(message, event_update, *services)
    elif has_file(message):
        await files.on_file(message, event_update, bot, documents, *services)
    elif message.text is not None:
        await texts.on_text(message, event_update, *services)
    else:
        await unsupported.on_anything_else(message, event_update, *services)
