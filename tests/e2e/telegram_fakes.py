"""A fake Telegram for the tests and the benchmark: no network, real payload shapes.

`FakeTelegram` answers Bot API methods the way Telegram does (Message objects, `ok: false`
with error codes, 429 with `parameters.retry_after`, getFile's 20 MB limit) and records
every call. Three ways in:
  - `FakeSession`, an aiogram session (the Dispatcher's Bot): it prepares each request like
    aiogram's AiohttpSession (every field through `prepare_value`, files read) and parses
    the answer with `check_response`, so aiogram's own error classes come out;
  - `FakeBotApi`, the outbox's Bot API client (bot.telegram.botapi): payloads and answers go
    through JSON text as on the wire, answers are read by the production `result_of`;
  - `fake_bot_api_app`, an aiohttp application serving /bot<token>/<method> (form or JSON)
    and /file/bot<token>/<path>: a stand-in for a self-hosted telegram-bot-api
    (TELEGRAM_API_BASE), for the real HTTP clients of both.
`TelegramUser` writes the updates a citizen's Telegram client would cause.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.types import InputFile, Update
from aiohttp import web

from bot.telegram.botapi import ApiCall, encode, result_of

BOT_ID = 4242
TOKEN = f"{BOT_ID}:FAKE-token-for-tests"
GETFILE_LIMIT = 20 * 1024 * 1024


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class Seen:
    """One message as the citizen's Telegram shows it."""

    text: str | None
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)  # (label, callback id)
    contact_button: str | None = None  # the label of a request_contact keyboard button
    document: str | None = None  # file name of a sent document

    @property
    def button_ids(self) -> list[str]:
        return [data for row in self.buttons for _, data in row]

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None


class FakeTelegram:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, tuple[str, bytes, int]] = {}  # file_id -> (path, content, size)
        self.pending_updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self._failures: deque[_Failure] = deque()
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(100_000)
        self._file_ids = itertools.count(1)
        self._new_updates = asyncio.Event()

    # -- scripting --------------------------------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def fail_next(
        self,
        method: str = "sendMessage",
        *,
        status: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` fail as Telegram would."""
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: chat not found",
                502: "Bad Gateway",
            }.get(status, "Internal Server Error")
        for _ in range(times):
            self._failures.append(_Failure(method, status, description, retry_after))

    def add_file(self, content: bytes, *, size: int | None = None, extension: str = "bin") -> str:
        number = next(self._file_ids)
        file_id = f"FILE-{number}"
        self.files[file_id] = (
            f"documents/file_{number}.{extension}",
            content,
            size or len(content),
        )
        return file_id

    def queue_update(self, update: dict[str, Any]) -> None:
        """For getUpdates (polling through the fake server)."""
        self.pending_updates.append(update)
        self._new_updates.set()

    # -- what the citizen saw ---------------------------------------------------------------

    def sent(self, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if method is None or c.method == method]

    def seen_by(self, chat_id: int) -> list[Seen]:
        shown = []
        for call in self.calls:
            if call.method not in ("sendMessage", "sendDocument"):
                continue
            if str(call.params.get("chat_id")) != str(chat_id):
                continue
            shown.append(_seen(call))
        return shown

    # -- the Bot API ------------------------------------------------------------------------

    async def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._updates(params)}
        self.calls.append(Call(method, params))
        failure = self._take_failure(method)
        if failure is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, body
        handler = getattr(self, "_" + method, None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return handler(params)

    def file_content(self, path: str) -> bytes | None:
        for file_path, content, _ in self.files.values():
            if file_path == path:
                return content
        return None

    def _take_failure(self, method: str) -> _Failure | None:
        for failure in self._failures:
            if failure.method == method:
                self._failures.remove(failure)
                return failure
        return None

    @staticmethod
    def _ok(result: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": result}

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Reception"},
            **content,
        }

    def _getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok(
            {"id": BOT_ID, "is_bot": True, "first_name": "Reception", "username": "reception_bot"}
        )

    def _sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        text = params.get("text") or ""
        if not text.strip():
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: empty text"}
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message is too long",
            }
        return self._ok(self._message(params, text=text))

    def _sendDocument(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        name = params.get("_filename") or "document"
        document = {"file_id": "SENT-DOC", "file_unique_id": "SENT-DOC-U", "file_name": name}
        return self._ok(self._message(params, document=document))

    def _answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok(True)

    def _setWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = params
        return self._ok(True)

    def _deleteWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = None
        return self._ok(True)

    def _getFile(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        file_id = params["file_id"]
        if file_id not in self.files:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: wrong file_id",
            }
        path, _, size = self.files[file_id]
        if size > GETFILE_LIMIT:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: file is too big",
            }
        return self._ok(
            {
                "file_id": file_id,
                "file_unique_id": file_id + "-U",
                "file_size": size,
                "file_path": path,
            }
        )

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]
        if not self.pending_updates and timeout:
            self._new_updates.clear()
            try:
                await asyncio.wait_for(self._new_updates.wait(), timeout)
            except TimeoutError:
                pass
        limit = int(params.get("limit") or 100)
        return self.pending_updates[:limit]


def _seen(call: Call) -> Seen:
    markup = call.params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    buttons: list[list[tuple[str, str]]] = []
    contact = None
    if markup and "inline_keyboard" in markup:
        buttons = [
            [(b["text"], b["callback_data"]) for b in row] for row in markup["inline_keyboard"]
        ]
    if markup and "keyboard" in markup:
        for row in markup["keyboard"]:
            for button in row:
                if button.get("request_contact"):
                    contact = button["text"]
    if call.method == "sendDocument":
        return Seen(call.params.get("caption"), buttons, contact, call.params.get("_filename"))
    return Seen(call.params.get("text"), buttons, contact)


class FakeSession(BaseSession):
    """An aiogram session that talks to a FakeTelegram in memory."""

    def __init__(self, telegram: FakeTelegram) -> None:
        super().__init__()
        self.telegram = telegram

    async def close(self) -> None:
        return None

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> Any:
        files: dict[str, InputFile] = {}
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                params[key] = prepared
        for input_file in files.values():  # read like a real upload; keep the name
            content = b"".join([chunk async for chunk in input_file.read(bot)])
            params["_filename"] = input_file.filename
            params["_size"] = len(content)
        status, body = await self.telegram.answer(method.__api_method__, params)
        response = self.check_response(bot, method, status, _answer_text(body))
        return response.result

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's signature)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        path = url.split(f"/file/bot{TOKEN}/", 1)[-1]
        content = self.telegram.file_content(path)
        if content is None:
            raise FileNotFoundError(path)
        for start in range(0, len(content), chunk_size):
            yield content[start : start + chunk_size]


def _answer_text(body: dict[str, Any]) -> str:
    """Telegram's answer as the wire carries it (UTF-8 JSON). Writing it is Telegram's work,
    not the bot's: orjson keeps that cost small and the same for every client of the fake
    (the benchmark's echo bot and the dialog alike), where json.dumps cost the dialog, whose
    answers echo long Cyrillic texts back, ten times what it cost the echo."""
    return orjson.dumps(body).decode()


def fake_bot(telegram: FakeTelegram) -> Bot:
    return Bot(TOKEN, session=FakeSession(telegram))


class FakeBotApi:
    """The outbox's Bot API client, answered by a FakeTelegram in memory."""

    def __init__(self, telegram: FakeTelegram) -> None:
        self.telegram = telegram

    async def call(self, call: ApiCall) -> Any:
        # The client's own body, as the wire carries it, parsed as Telegram would. orjson: the
        # benchmark's echo bot hands FakeSession its parameters with no wire body to parse, so
        # this stand-in for Telegram's work should cost the dialog as little as it can.
        params = orjson.loads(encode(call.payload))
        if call.upload is not None:
            params["_filename"] = call.upload.filename
            params["_size"] = len(call.upload.path.read_bytes())
        status, body = await self.telegram.answer(call.method, params)
        return result_of(status, _answer_text(body))

    async def close(self) -> None:
        return None


def fake_bot_api_app(telegram: FakeTelegram) -> web.Application:
    """The fake as an HTTP server, for a Bot built on TELEGRAM_API_BASE."""

    async def method(request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params: dict[str, Any] = {}
        if request.content_type == "application/json":
            params = await request.json()
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, str):
                    params[key] = value
                else:  # an uploaded file
                    params["_filename"] = value.filename
                    params["_size"] = len(value.file.read())
        status, body = await telegram.answer(request.match_info["method"], params)
        return web.json_response(body, status=status)

    async def file(request: web.Request) -> web.Response:
        content = telegram.file_content(request.match_info["path"])
        if content is None:
            raise web.HTTPNotFound()
        return web.Response(body=content)

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", method)
    app.router.add_get("/file/bot{token}/{path:.+}", file)
    return app


class TelegramUser:
    """A citizen in Telegram: each method returns the Update their action causes."""

    def __init__(
        self, telegram: FakeTelegram, user_id: int, *, first_name: str = "Айгүл", lang: str = "kk"
    ) -> None:
        self.telegram = telegram
        self.id = user_id
        self.first_name = first_name
        self.lang = lang
        self._message_ids = itertools.count(1)
        self.now: datetime | None = None  # the message date; defaults to the real time

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.lang,
        }

    def _message(self, **content: Any) -> dict[str, Any]:
        moment = self.now or datetime.now(UTC)
        return {
            "message_id": next(self._message_ids),
            "date": int(moment.timestamp()),
            "chat": {"id": self.id, "type": "private", "first_name": self.first_name},
            "from": self._user(),
            **content,
        }

    def _update(self, **content: Any) -> dict[str, Any]:
        return {"update_id": self.telegram.next_update_id(), **content}

    def text(self, text: str) -> dict[str, Any]:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._update(message=self._message(**content))

    def tap(self, button_id: str) -> dict[str, Any]:
        shown = self._message()
        shown["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Reception"}
        return self._update(
            callback_query={
                "id": f"CQ-{self.id}-{next(self._message_ids)}",
                "from": self._user(),
                "chat_instance": f"CI-{self.id}",
                "message": {**shown, "text": "…"},
                "data": button_id,
            }
        )

    def contact(self, phone: str, *, own: bool = True) -> dict[str, Any]:
        contact = {"phone_number": phone, "first_name": self.first_name}
        if own:
            contact["user_id"] = self.id
        return self._update(message=self._message(contact=contact))

    def photo(self, content: bytes, *, size: int | None = None) -> dict[str, Any]:
        file_id = self.telegram.add_file(content, size=size, extension="jpg")
        real = size or len(content)
        sizes = [
            {"file_id": file_id + "-small", "file_unique_id": "s", "width": 90, "height": 90},
            {
                "file_id": file_id,
                "file_unique_id": file_id + "-U",
                "width": 1280,
                "height": 960,
                "file_size": real,
            },
        ]
        return self._update(message=self._message(photo=sizes))

    def document(
        self, content: bytes, file_name: str, mime_type: str, *, size: int | None = None
    ) -> dict[str, Any]:
        extension = file_name.rsplit(".", 1)[-1]
        file_id = self.telegram.add_file(content, size=size, extension=extension)
        document = {
            "file_id": file_id,
            "file_unique_id": file_id + "-U",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": size or len(content),
        }
        return self._update(message=self._message(document=document))

    def voice(self) -> dict[str, Any]:
        voice = {"file_id": "VOICE", "file_unique_id": "VOICE-U", "duration": 3}
        return self._update(message=self._message(voice=voice))


def as_update(bot: Bot, raw: dict[str, Any]) -> Update:
    return Update.model_validate(raw, context={"bot": bot})
