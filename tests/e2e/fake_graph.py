"""A fake WhatsApp Cloud API (Meta's Graph API) on 127.0.0.1, for WHATSAPP_API_BASE.

It records every message sent (`sent`), checks what Meta checks (bearer token, WhatsApp's
limits on buttons, lists and texts) and answers like Meta (a wamid, or an error body with
Meta's code), serves citizens' media by id with short-lived download URLs (one can be made
to expire once), and accepts uploads. `fail_next` queues error answers for the next sends.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TOKEN = "EAAG-test-token"
PHONE_NUMBER_ID = "106540352242922"
VERSION = "v21.0"


@dataclass
class SentMessage:
    to: str
    body: dict[str, Any]
    wamid: str
    at: float = 0.0  # time.monotonic() when it arrived

    @property
    def type(self) -> str:
        return str(self.body.get("type"))

    @property
    def text(self) -> str:
        """What the citizen reads: the text, the interactive body, or the template's name."""
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        if self.type == "template":
            return str(self.body["template"]["name"])
        return ""

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(id, title) of the reply buttons or list rows."""
        if self.type != "interactive":
            return []
        interactive = self.body["interactive"]
        if interactive["type"] == "button":
            return [
                (b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]
            ]
        return [
            (row["id"], row["title"])
            for section in interactive["action"]["sections"]
            for row in section["rows"]
        ]

    @property
    def interactive_type(self) -> str | None:
        return self.body["interactive"]["type"] if self.type == "interactive" else None

    @property
    def template_params(self) -> list[str]:
        components = self.body.get("template", {}).get("components", [])
        return [p["text"] for c in components for p in c.get("parameters", [])]


@dataclass
class Media:
    content: bytes
    mime_type: str
    expire_first_url: bool = False
    urls_issued: int = 0


@dataclass
class FakeGraph:
    sent: list[SentMessage] = field(default_factory=list)
    uploads: list[tuple[str, str, bytes]] = field(default_factory=list)  # name, mime, content
    media: dict[str, Media] = field(default_factory=dict)
    media_lookups: list[str] = field(default_factory=list)
    downloads: list[tuple[str, int]] = field(default_factory=list)  # (path, HTTP status)
    refused: list[dict[str, Any]] = field(default_factory=list)  # sends answered with an error
    failures: list[tuple[int, int, str]] = field(default_factory=list)
    server: TestServer | None = None
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    # -- the test's side -------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post(f"/{VERSION}/{{phone}}/messages", self._messages)
        app.router.add_post(f"/{VERSION}/{{phone}}/media", self._upload)
        app.router.add_get(f"/{VERSION}/{{media_id}}", self._media_info)
        app.router.add_get("/files/{media_id}/{n}", self._download)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url(f"/{VERSION}"))

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def add_media(self, content: bytes, mime_type: str, *, expire_first_url: bool = False) -> str:
        media_id = f"{next(self._ids)}0451{len(self.media)}"
        self.media[media_id] = Media(content, mime_type, expire_first_url)
        return media_id

    def fail_next(self, http_status: int, code: int, title: str, times: int = 1) -> None:
        self.failures += [(http_status, code, title)] * times

    def to(self, wa_id: str) -> list[SentMessage]:
        return [m for m in self.sent if m.to == wa_id]

    async def wait_for(self, count: int, seconds: float = 5.0) -> list[SentMessage]:
        """Until `count` messages were sent in all (TimeoutError after `seconds`)."""
        async with asyncio.timeout(seconds), self._arrived:
            await self._arrived.wait_for(lambda: len(self.sent) >= count)
        return self.sent

    # -- Meta's side -----------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {TOKEN}"

    async def _messages(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 190, "Invalid OAuth access token")
        if request.match_info["phone"] != PHONE_NUMBER_ID:
            return _error(400, 100, "Unsupported post request")
        body = await request.json()
        problem = _limits_problem(body)
        if problem is not None:
            self.refused.append(body)
            return _error(400, 131009, problem)
        if self.failures:
            status, code, title = self.failures.pop(0)
            self.refused.append(body)
            return _error(status, code, title)
        wamid = f"wamid.HBgLNzcwMTEyMzQ1NjcVAgARGBI{next(self._ids):08d}A"
        self.sent.append(SentMessage(str(body["to"]), body, wamid, time.monotonic()))
        async with self._arrived:
            self._arrived.notify_all()
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": wamid}],
            }
        )

    async def _upload(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 190, "Invalid OAuth access token")
        form = await request.post()
        file = form["file"]
        assert isinstance(file, web.FileField) and form["messaging_product"] == "whatsapp"
        self.uploads.append((file.filename, file.content_type, file.file.read()))
        return web.json_response({"id": f"up{next(self._ids)}"})

    async def _media_info(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 190, "Invalid OAuth access token")
        media_id = request.match_info["media_id"]
        self.media_lookups.append(media_id)
        media = self.media.get(media_id)
        if media is None:
            return _error(400, 100, "Unsupported get request")
        media.urls_issued += 1
        assert self.server is not None
        url = self.server.make_url(f"/files/{media_id}/{media.urls_issued}")
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": str(url),
                "mime_type": media.mime_type,
                "sha256": hashlib.sha256(media.content).hexdigest(),
                "file_size": len(media.content),
                "id": media_id,
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        media = self.media.get(request.match_info["media_id"])
        if not self._authorised(request) or media is None:
            status = 401
        elif media.expire_first_url and request.match_info["n"] == "1":
            status = 404  # the first URL "expired" before it was used
        else:
            status = 200
        self.downloads.append((request.path, status))
        if status != 200:
            return web.Response(status=status)
        assert media is not None
        return web.Response(body=media.content, content_type=media.mime_type)


def _error(status: int, code: int, title: str) -> web.Response:
    return web.json_response(
        {"error": {"message": title, "type": "OAuthException", "code": code, "fbtrace_id": "Az"}},
        status=status,
    )


def _limits_problem(body: dict[str, Any]) -> str | None:
    """What Meta would refuse in a message: WhatsApp's documented limits."""
    if body.get("messaging_product") != "whatsapp" or not body.get("to"):
        return "messaging_product and to are required"
    kind = body.get("type")
    if kind == "text":
        return None if 0 < len(body["text"]["body"]) <= 4096 else "text body length"
    if kind == "interactive":
        interactive = body["interactive"]
        if not 0 < len(interactive["body"]["text"]) <= 1024:
            return "interactive body length"
        if interactive["type"] == "button":
            buttons = interactive["action"]["buttons"]
            titles = [b["reply"]["title"] for b in buttons]
            if not 1 <= len(buttons) <= 3 or any(not 0 < len(t) <= 20 for t in titles):
                return "buttons: 1 to 3, titles up to 20 characters"
            return None
        action = interactive["action"]
        rows = [row for section in action["sections"] for row in section["rows"]]
        if not 0 < len(action["button"]) <= 20 or not 1 <= len(rows) <= 10:
            return "list: button up to 20 characters, 1 to 10 rows"
        if any(not 0 < len(r["title"]) <= 24 or len(r.get("description", "")) > 72 for r in rows):
            return "list rows: titles up to 24, descriptions up to 72 characters"
        if len({r["id"] for r in rows}) != len(rows):
            return "list row ids must be unique"
        return None
    if kind in ("template", "document"):
        return None
    return f"unsupported message type {kind}"
