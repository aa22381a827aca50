"""Who is at the web chat: a random visitor id in a cookie signed with the secret key.

The id is the chat id of the web channel, so the signature is what keeps one visitor out of
another's conversation. HMAC-SHA256 over the id with a key derived for this one purpose;
compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

COOKIE_NAME = "reception_chat"
COOKIE_MAX_AGE = 180 * 24 * 3600  # a visitor who comes back within half a year continues
_PURPOSE = b"reception web chat visitor v1"
_VISITOR_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_visitor_id() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits, 24 characters


class VisitorSigner:
    def __init__(self, secret_key: str) -> None:
        # A key of its own, so a signature made here means nothing anywhere else.
        self._key = hmac.new(secret_key.encode(), _PURPOSE, hashlib.sha256).digest()

    def sign(self, visitor_id: str) -> str:
        return f"{visitor_id}.{self._signature(visitor_id)}"

    def verify(self, cookie: str | None) -> str | None:
        """The visitor id when the cookie is one we signed, else None."""
        if not cookie or cookie.count(".") != 1:
            return None
        visitor_id, signature = cookie.split(".")
        if not _VISITOR_ID.match(visitor_id):
            return None
        if not hmac.compare_digest(signature, self._signature(visitor_id)):
            return None
        return visitor_id

    def _signature(self, visitor_id: str) -> str:
        digest = hmac.new(self._key, visitor_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
