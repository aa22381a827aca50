"""The Bot API calls the outbox makes, as plain JSON over HTTP.

The outbox sender needs three facts from an answer: it went (and the message_id), wait
`retry_after` seconds, or it failed and why. aiogram builds a pydantic model of every request
and validates every answer into a full Message; measured (bench/dialog.py), that was a
quarter of the bot's CPU per update. The Dispatcher side stays aiogram; sending does not
need to. Same URL scheme as aiogram (TELEGRAM_API_BASE: api.telegram.org, a self-hosted
telegram-bot-api, a fake).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import orjson

REQUEST_TIMEOUT_SECONDS = 60.0  # below the outbox lease (120 s): a slow call is never doubled


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent with a call (sendDocument's `document`)."""

    field: str
    path: Path
    filename: str


@dataclass(frozen=True, slots=True)
class ApiCall:
    method: str
    payload: dict[str, Any]
    upload: Upload | None = None


class BotApiError(Exception):
    """Telegram said no (`status` its error_code), or it could not be reached (status 0)."""

    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status} {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after


class BotApi(Protocol):
    async def call(self, call: ApiCall) -> Any:
        """The answer's `result`; raises BotApiError."""
        ...

    async def close(self) -> None: ...


def result_of(status: int, body: str) -> Any:
    """Reads a Bot API answer: {"ok": true, "result": ...} or {"ok": false, "error_code": ...,
    "description": ..., "parameters": {"retry_after": ...}}."""
    try:
        answer = orjson.loads(body)
    except ValueError:
        raise BotApiError(status, "the answer is not JSON") from None
    if answer.get("ok") is True:
        return answer.get("result")
    parameters = answer.get("parameters") or {}
    raise BotApiError(
        int(answer.get("error_code") or status),
        str(answer.get("description") or "no description"),
        parameters.get("retry_after"),
    )


class HttpBotApi:
    def __init__(self, base: str, token: str, timeout: float = REQUEST_TIMEOUT_SECONDS) -> None:
        self._url = f"{base.rstrip('/')}/bot{token}/"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def call(self, call: ApiCall) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            if call.upload is None:
                request = self._session.post(
                    self._url + call.method, data=encode(call.payload), headers=_JSON
                )
            else:
                request = self._session.post(self._url + call.method, data=_form(call))
            async with request as response:
                return result_of(response.status, await response.text())
        except (TimeoutError, aiohttp.ClientError) as error:
            raise BotApiError(0, f"network: {type(error).__name__}") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


_JSON = {"Content-Type": "application/json"}


def encode(payload: dict[str, Any]) -> bytes:
    """A call's parameters as the JSON body of the request (orjson: the outbox sends every
    reply through here)."""
    return orjson.dumps(payload)


def _form(call: ApiCall) -> aiohttp.FormData:
    assert call.upload is not None
    form = aiohttp.FormData()
    for name, value in call.payload.items():
        form.add_field(name, value if isinstance(value, str) else json.dumps(value))
    upload = call.upload
    form.add_field(upload.field, upload.path.read_bytes(), filename=upload.filename)
    return form
