"""Async filters. aiogram runs a synchronous filter (a magic `F` expression, a bare State)
in a thread for every update (asyncio.to_thread): measurably slower (PERFORMANCE.md)."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message


class PrivateChat(Filter):
    """The bot talks to citizens one to one; groups it may be added to are ignored."""

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        if isinstance(event, CallbackQuery):
            return event.message is None or event.message.chat.type == "private"
        return event.chat.type == "private"


class IsCommand(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.text is not None and message.text.startswith("/")


class HasText(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.text is not None


class HasContact(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.contact is not None


class HasFile(Filter):
    """A photo or a document: what a power of attorney or a proof may come as."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.photo) or message.document is not None
