"""The page, file uploads and documents of the web chat."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from aiohttp import BodyPartReader, hdrs, web

from app.keys import CLOCK, TRANSLATOR, UOW_FACTORY
from bot.files import REFUSED_TOO_LARGE
from bot.flow.events import EventKind, Incoming, IncomingFile
from bot.pipeline import process
from bot.webchat.page import page_language, render_page, security_headers
from bot.webchat.sender import CHANNEL
from bot.webchat.visitor import COOKIE_MAX_AGE, COOKIE_NAME, new_visitor_id

if TYPE_CHECKING:
    from bot.webchat import WebChat

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CHUNK = 64 * 1024
MAX_NAME = 255


def webchat(request: web.Request) -> WebChat:
    from bot.webchat import WEBCHAT

    return request.config_dict[WEBCHAT]


def visitor_of(request: web.Request) -> str | None:
    return webchat(request).signer.verify(request.cookies.get(COOKIE_NAME))


def same_origin(request: web.Request) -> bool:
    """A browser names the page's origin; another site's page may not use our cookie.
    Clients that send no Origin are not browsers on another site."""
    origin = request.headers.get(hdrs.ORIGIN)
    return origin is None or urlsplit(origin).netloc == request.host


async def chat_page(request: web.Request) -> web.Response:
    chat = webchat(request)
    lang = page_language(request)
    response = web.Response(
        text=render_page(request.config_dict[TRANSLATOR], lang, chat.files.max_bytes),
        content_type="text/html",
        headers=security_headers(chat.frame_ancestors),
    )
    visitor = visitor_of(request)
    if visitor is None:
        visitor = new_visitor_id()
    # Set on every visit: the half year counts from the last one.
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    response.set_cookie(
        COOKIE_NAME,
        chat.signer.sign(visitor),
        max_age=COOKIE_MAX_AGE,
        path="/chat",
        httponly=True,
        secure=secure,
        # Inside the akimat's site the page is a third party: only SameSite=None (which needs
        # Secure) lets the browser send the cookie there; over plain http, Lax.
        samesite="None" if secure else "Lax",
    )
    return response


async def upload(request: web.Request) -> web.Response:
    """A file from the page (multipart: `id`, then `file`; or `id`, `name`, `size` when the
    page already knows the file is too large), handled like any channel's file."""
    visitor = visitor_of(request)
    if visitor is None:
        raise web.HTTPUnauthorized(text="no chat session")
    if not same_origin(request):
        raise web.HTTPForbidden(text="cross-site upload")
    if not request.content_type.startswith("multipart/"):
        raise web.HTTPBadRequest(text="multipart/form-data expected")
    chat = webchat(request)
    fields: dict[str, str] = {}
    file: IncomingFile | None = None
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue  # a nested multipart: not something the page sends
        if part.name == "file":
            file = await _read_file(part, chat.files.max_bytes)
        elif part.name in ("id", "name", "size"):
            fields[part.name] = (await part.text())[:MAX_NAME]
    client_id = fields.get("id", "")
    if not CLIENT_ID.match(client_id):
        raise web.HTTPBadRequest(text="a message id is needed")
    if file is None and fields.get("size", "").isdigit():
        file = IncomingFile(
            _name(fields.get("name")),
            "application/octet-stream",
            int(fields["size"]),
            None,
            REFUSED_TOO_LARGE,
        )
    if file is None:
        raise web.HTTPBadRequest(text="no file")
    event = Incoming(
        CHANNEL,
        visitor,
        f"{visitor}:{client_id}",
        request.config_dict[CLOCK].now(),
        EventKind.FILE,
        file=file,
    )
    await process(request.config_dict[UOW_FACTORY], chat.dialog, event, on_commit=chat.hub)
    return web.json_response({"ok": True, "id": client_id})


async def _read_file(part: BodyPartReader, max_bytes: int) -> IncomingFile:
    """Reads at most `max_bytes` (+1 to know it is more); a larger file is refused unread."""
    name = _name(part.filename)
    mime = part.headers.get(hdrs.CONTENT_TYPE, "application/octet-stream")
    content = bytearray()
    size = 0
    while chunk := await part.read_chunk(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            return IncomingFile(name, mime, size, None, REFUSED_TOO_LARGE)
        content += chunk
    return IncomingFile(name, mime, size, bytes(content))


def _name(raw: str | None) -> str:
    name = (raw or "file").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:MAX_NAME] or "file"


async def document(request: web.Request) -> web.FileResponse:
    """A document a reply to this visitor carries (e.g. an .ics); nobody else's."""
    visitor = visitor_of(request)
    if visitor is None:
        raise web.HTTPUnauthorized()
    async with request.config_dict[UOW_FACTORY](readonly=True) as uow:
        item = await uow.outbox.get(int(request.match_info["item_id"]))
    payload = item.payload if item is not None else {}
    if item is None or item.channel != CHANNEL or item.chat_id != visitor:
        raise web.HTTPNotFound()
    relative = payload.get("document_path")
    data_dir = webchat(request).data_dir.resolve()
    path = (data_dir / str(relative)).resolve() if relative else None
    if path is None or not path.is_relative_to(data_dir) or not path.is_file():
        raise web.HTTPNotFound()
    name = str(payload.get("document_name") or Path(path).name)
    disposition = f"attachment; filename=\"{_ascii(name)}\"; filename*=UTF-8''{_quote(name)}"
    return web.FileResponse(path, headers={hdrs.CONTENT_DISPOSITION: disposition})


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)


def _quote(name: str) -> str:
    return quote(name, safe="")
