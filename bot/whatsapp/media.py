"""Photos and documents from WhatsApp, fetched at once by their media id and checked.

Meta gives a media id in the webhook; `GET /{media-id}` gives a download URL that lives a few
minutes, and the file is downloaded from it with the bearer token. A URL that no longer works
is asked for again. The checks are those of Telegram (bot/telegram/downloads.py): the
declared type and size before downloading, the first bytes after (bot.files.sniff). A refusal
travels as IncomingFile.refused_reason, and the dialog answers it with a message.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.files import REFUSED_TOO_LARGE, REFUSED_UNREADABLE, REFUSED_WRONG_TYPE, sniff
from bot.flow.events import IncomingFile
from bot.whatsapp.graph import GraphClient, GraphError, MediaUrlExpired, TooLarge
from bot.whatsapp.payloads import InboundMessage
from reception.profile import Documents

log = logging.getLogger(__name__)

URL_ATTEMPTS = 3  # a fresh URL each time the last one expired
# What the Cloud API accepts from a citizen (it refuses larger files itself).
WHATSAPP_LIMITS = {"image": 5 * 1024 * 1024, "document": 100 * 1024 * 1024}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def size_limit(kind: str, documents: Documents) -> int:
    return min(documents.max_file_mb * 1024 * 1024, WHATSAPP_LIMITS.get(kind, 0))


async def fetch_file(
    client: GraphClient, message: InboundMessage, documents: Documents
) -> IncomingFile:
    media: dict[str, Any] = message.content
    declared_mime = str(media.get("mime_type") or "application/octet-stream").split(";")[0]
    name = _file_name(message, declared_mime)

    def refused(reason: str, size: int = 0) -> IncomingFile:
        return IncomingFile(name, declared_mime, size, None, refused_reason=reason)

    if declared_mime.lower() not in documents.allowed_types or not media.get("id"):
        return refused(REFUSED_WRONG_TYPE)
    limit = size_limit(message.type, documents)
    try:
        content = await _download(client, str(media["id"]), limit)
    except TooLarge:
        return refused(REFUSED_TOO_LARGE, limit + 1)
    except (GraphError, MediaUrlExpired) as error:
        log.warning("whatsapp media could not be fetched: %s", error)
        return refused(REFUSED_UNREADABLE)
    actual = sniff(content)
    if actual not in documents.allowed_types:
        return refused(REFUSED_WRONG_TYPE, len(content))
    return IncomingFile(name, actual, len(content), content)


async def _download(client: GraphClient, media_id: str, limit: int) -> bytes:
    expired: MediaUrlExpired | None = None
    for _ in range(URL_ATTEMPTS):
        info = await client.media_info(media_id)
        declared_size = info.get("file_size")
        if isinstance(declared_size, int) and declared_size > limit:
            raise TooLarge()
        url = info.get("url")
        if not url:
            raise GraphError(200, None, "no download URL for the media id")
        try:
            return await client.download(str(url), limit)
        except MediaUrlExpired as error:
            log.info("whatsapp media URL expired; asking for a new one")
            expired = error
    assert expired is not None
    raise expired


def _file_name(message: InboundMessage, mime: str) -> str:
    given = message.content.get("filename")
    if given:
        return str(given)
    extension = EXTENSIONS.get(mime.lower(), "bin")
    prefix = "photo" if message.type == "image" else "document"
    return f"{prefix}_{message.wamid[-12:]}.{extension}".replace("=", "")
