"""Meta signs every webhook body: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body
with the app secret>`. The exact bytes are hashed, never a re-encoded JSON, so bodies with
Cyrillic, Kazakh letters or emoji (escaped or not) verify as Meta computed them."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta sends for `body` (also what tests sign with)."""
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(app_secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time comparison; a missing or malformed header is simply wrong."""
    if not header:
        return False
    return hmac.compare_digest(sign(app_secret, body).encode(), header.strip().encode())
