"""The web chat: the same dialog as the bots, on a page the akimat's site can embed.

GET /chat (the page), GET /chat/ws (its WebSocket), POST /chat/upload (files, with the same
checks as every channel), GET /chat/files/{id} (a document a reply carries), /chat/static/.
The visitor is known by a signed cookie; the visitor id is the chat id of channel "web".
Replies reach the page through the outbox like every channel's (bot.webchat.sender).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from app.keys import CLOCK, PROFILE, SETTINGS, TRANSLATOR
from bot.files import DocumentStore
from bot.flow.dialog import Dialog
from bot.outbox.hub import OutboxHub, outbox_hub
from bot.webchat.page import frame_ancestors
from bot.webchat.sender import Visitors, WebChatSender
from bot.webchat.visitor import VisitorSigner

STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True, slots=True)
class WebChat:
    dialog: Dialog
    signer: VisitorSigner
    visitors: Visitors
    hub: OutboxHub
    frame_ancestors: str
    files: DocumentStore
    data_dir: Path


WEBCHAT: web.AppKey[WebChat] = web.AppKey("webchat", WebChat)


def setup(app: web.Application) -> None:
    from bot.webchat import socket, views

    settings = app[SETTINGS]
    profile = app[PROFILE]
    dialog = Dialog.build(profile, app[CLOCK], app[TRANSLATOR], settings.data_dir)
    visitors = Visitors()
    hub = outbox_hub(app)
    hub.add_sender(WebChatSender(visitors))
    app[WEBCHAT] = WebChat(
        dialog=dialog,
        signer=VisitorSigner(settings.secret_key.get_secret_value()),
        visitors=visitors,
        hub=hub,
        frame_ancestors=frame_ancestors(settings.webchat_frame_ancestors),
        files=dialog.files,
        data_dir=settings.data_dir,
    )
    app.router.add_get("/chat", views.chat_page, name="webchat")
    app.router.add_get("/chat/ws", socket.chat_socket)
    app.router.add_post("/chat/upload", views.upload)
    app.router.add_get("/chat/files/{item_id:\\d+}", views.document)
    app.router.add_static("/chat/static/", STATIC, name="webchat-static")

    async def close_sockets(app: web.Application) -> None:
        await visitors.close_all()

    app.on_shutdown.append(close_sockets)
