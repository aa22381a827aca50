"""Photos and documents from Telegram, checked before and after they are downloaded.

Before: the size Telegram declares against the profile's limit and the Bot API's 20 MB
getFile limit, and the declared type against the profile's types, so an oversized or wrong
file is never fetched. After: the first bytes must show an allowed type (bot.files.sniff),
whatever the name or the declared type say. A refusal travels as IncomingFile.refused_reason
(a Fluent id of bot.files), and the dialog answers it with a message.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message

from bot.files import REFUSED_TOO_LARGE, REFUSED_UNREADABLE, REFUSED_WRONG_TYPE, sniff
from bot.flow.events import IncomingFile
from reception.profile import Documents

log = logging.getLogger(__name__)

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # Bot API getFile on api.telegram.org
PHOTO_MIME = "image/jpeg"  # Telegram re-encodes every photo as JPEG
DOWNLOAD_TIMEOUT_SECONDS = 60


def size_limit(documents: Documents) -> int:
    return min(documents.max_file_mb * 1024 * 1024, TELEGRAM_DOWNLOAD_LIMIT)


async def fetch(bot: Bot, message: Message, documents: Documents) -> IncomingFile:
    file_id, name, declared_mime, declared_size = _describe(message)

    def refused(reason: str, size: int = declared_size) -> IncomingFile:
        return IncomingFile(name, declared_mime, size, None, refused_reason=reason)

    if declared_size > size_limit(documents):
        return refused(REFUSED_TOO_LARGE)
    if declared_mime not in documents.allowed_types:
        return refused(REFUSED_WRONG_TYPE)
    try:
        downloaded = await bot.download(file_id, timeout=DOWNLOAD_TIMEOUT_SECONDS)
    except TelegramBadRequest as error:  # "file is too big" and the like: asking again won't help
        log.info("telegram file refused by getFile: %s", error.message)
        too_big = "too big" in error.message.lower()
        return refused(REFUSED_TOO_LARGE if too_big else REFUSED_UNREADABLE)
    assert downloaded is not None
    content = downloaded.read()
    if len(content) > size_limit(documents):
        return refused(REFUSED_TOO_LARGE, len(content))
    actual = sniff(content)
    if actual not in documents.allowed_types:
        return refused(REFUSED_WRONG_TYPE, len(content))
    return IncomingFile(name, actual, len(content), content)


def _describe(message: Message) -> tuple[str, str, str, int]:
    """file_id, a file name, the declared MIME type and size of a photo or a document."""
    if message.photo:
        photo = message.photo[-1]  # the largest size Telegram made
        return photo.file_id, f"photo_{photo.file_unique_id}.jpg", PHOTO_MIME, photo.file_size or 0
    document = message.document
    assert document is not None
    name = document.file_name or f"document_{document.file_unique_id}"
    mime = (document.mime_type or "application/octet-stream").lower()
    return document.file_id, name, mime, document.file_size or 0
