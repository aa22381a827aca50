"""CSRF protection and the security headers on every console response.

CSRF: each session has its own random token (staff_sessions.csrf_token). Every request that
can change something (POST, PUT, PATCH, DELETE) must carry it, as the form field
`csrf_token` or the header `X-CSRF-Token` (for fetch); otherwise 403 and the handler never
runs, so nothing changes. The login form has no session yet: it uses a double-submit cookie.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from console.rbac import is_public
from console.web import SESSION, is_secure

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LOGIN_CSRF_COOKIE = "console_login_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No inline script or style anywhere (templates use /console/static files only).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers without frame-ancestors
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def apply_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if is_secure(request):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Staff pages carry personal data: never cached by the browser or a proxy.
    if request.path.startswith("/console/") and "/static/" not in request.path:
        response.headers.setdefault("Cache-Control", "no-store")


async def on_response_prepare(request: web.Request, response: web.StreamResponse) -> None:
    """A signal, not a middleware: it also reaches error pages and raised HTTP exceptions."""
    apply_security_headers(request, response)


async def submitted_token(request: web.Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # request.post() is cached, so the handler reads the same form again for free.
        form = await request.post()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def tokens_match(expected: str, given: str) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Runs after the auth middleware, which loaded the session."""
    if request.method in SAFE_METHODS:
        return await handler(request)
    given = await submitted_token(request)
    if is_public(request.match_info.handler):
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    else:
        session = request.get(SESSION)
        expected = session.csrf_token if session is not None else ""
    if not tokens_match(expected, given):
        raise web.HTTPForbidden(reason="CSRF token missing or wrong")
    return await handler(request)


def same_origin(request: web.Request) -> bool:
    """For WebSocket upgrades (GET, so outside CSRF): the page must come from this host."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    host = request.headers.get("X-Forwarded-Host") or request.host
    return origin.split("://", 1)[-1] == host
