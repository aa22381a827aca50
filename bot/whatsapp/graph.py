"""A thin client of the WhatsApp Cloud API (Meta's Graph API) on aiohttp.

Four calls are all the channel needs: send a message, upload a file to send, look a media id
up (its short-lived download URL) and download that URL. The base URL comes from
WHATSAPP_API_BASE (Graph API version included), so tests and proxies can stand in for Meta.
Errors keep Meta's numeric code and title, which classify them (bot/whatsapp/errors.py);
they never carry message texts or phone numbers.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

REQUEST_TIMEOUT_SECONDS = 30.0  # the outbox lease (120 s) is longer, so no double sends
DOWNLOAD_TIMEOUT_SECONDS = 60.0
_EXPIRED_URL_STATUSES = {401, 403, 404, 410}  # Meta's media URLs live about five minutes


class GraphError(Exception):
    """The API answered with an error (or not at all: `http_status` 0, `code` None)."""

    def __init__(
        self, http_status: int, code: int | None = None, title: str = "", subcode: int | None = None
    ) -> None:
        self.http_status = http_status
        self.code = code
        self.title = title
        self.subcode = subcode
        super().__init__(self.describe())

    def describe(self) -> str:
        what = f"code {self.code}" if self.code is not None else "no error code"
        return f"HTTP {self.http_status}, {what}: {self.title}".rstrip(": ")

    @classmethod
    def from_body(cls, http_status: int, text: str) -> GraphError:
        try:
            error = json.loads(text).get("error") or {}
        except (ValueError, AttributeError):
            return cls(http_status, None, "not a Graph API error body")
        code = error.get("code")
        title = error.get("error_user_title") or error.get("message") or error.get("type") or ""
        subcode = error.get("error_subcode")
        return cls(
            http_status,
            code if isinstance(code, int) else None,
            str(title)[:200],
            subcode if isinstance(subcode, int) else None,
        )


class MediaUrlExpired(Exception):
    """The download URL no longer works: look the media id up again for a fresh one."""


class TooLarge(Exception):
    """The download exceeded the size it may have."""


class GraphClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        phone_number_id: str,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self._headers = {"Authorization": f"Bearer {token}"}
        self._session = session
        self._owns_session = session is None

    def _http(self) -> aiohttp.ClientSession:
        # Created on first use, inside the running loop (aiohttp wants that).
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
            )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    async def send_message(self, to: str, message: dict[str, Any]) -> str:
        """Sends one message (text, interactive, template, document); returns its wamid."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        body.update(message)
        answer = await self._request("POST", f"/{self.phone_number_id}/messages", json=body)
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise GraphError(200, None, "no message id in the answer") from None

    async def upload(self, content: bytes, mime_type: str, file_name: str) -> str:
        """Uploads a file to send (kept by Meta for 30 days); returns its media id."""
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime_type)
        form.add_field("file", content, filename=file_name, content_type=mime_type)
        answer = await self._request("POST", f"/{self.phone_number_id}/media", data=form)
        return str(answer["id"])

    async def media_info(self, media_id: str) -> dict[str, Any]:
        """{"url", "mime_type", "file_size", "sha256", "id"} of a file a citizen sent."""
        return await self._request("GET", f"/{media_id}")

    async def download(self, url: str, max_bytes: int) -> bytes:
        """The file behind a media URL (the bearer token is required there too)."""
        timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_SECONDS)
        try:
            async with self._http().get(url, headers=self._headers, timeout=timeout) as response:
                if response.status in _EXPIRED_URL_STATUSES:
                    raise MediaUrlExpired(f"HTTP {response.status}")
                if response.status != 200:
                    raise GraphError.from_body(response.status, await response.text())
                if (response.content_length or 0) > max_bytes:
                    raise TooLarge()
                content = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    content += chunk
                    if len(content) > max_bytes:
                        raise TooLarge()
                return bytes(content)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise GraphError(0, None, type(error).__name__) from None

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        url = self.base_url + path
        try:
            async with self._http().request(
                method, url, headers=self._headers, **kwargs
            ) as response:
                text = await response.text()
                if response.status != 200:
                    raise GraphError.from_body(response.status, text)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise GraphError(0, None, type(error).__name__) from None
        try:
            answer = json.loads(text)
        except ValueError:
            raise GraphError(response.status, None, "not JSON") from None
        if not isinstance(answer, dict):
            raise GraphError(response.status, None, "not a JSON object")
        return answer
