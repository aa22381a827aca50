"""What every console view uses: the signed-in user, a unit of work, the rules, audit, render.

    @routes.get("/requests/{request_id}", name="request-card")
    @roles(READERS)
    async def request_card(request: web.Request) -> web.Response:
        user = current_user(request)
        async with open_uow(request, readonly=True) as uow:
            ...
        return render(request, "request_card.html", {"booking": booking})

A view that changes something opens `open_uow(request)`, calls a use case, records
`await audit(request, uow, "request.book", "request", request_id)` and commits once.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from app.keys import CLOCK, SETTINGS, TRANSLATOR, UOW_FACTORY
from reception.actors import Actor
from reception.citizens import StaffUser
from reception.ports import StaffSession
from reception.services.context import Rules

if TYPE_CHECKING:
    from storage.uow import SqlUnitOfWork

# Keys on the console sub-application (read through request.config_dict).
JINJA: web.AppKey[jinja2.Environment] = web.AppKey("console_jinja", jinja2.Environment)
RULES: web.AppKey[Rules] = web.AppKey("console_rules", Rules)
CONSOLE_APP: web.AppKey[web.Application] = web.AppKey("console_app", web.Application)

# Keys on each request, set by the auth middleware.
USER: web.RequestKey[StaffUser] = web.RequestKey("console_user", StaffUser)
SESSION: web.RequestKey[StaffSession] = web.RequestKey("console_session", StaffSession)
LANG: web.RequestKey[str] = web.RequestKey("console_lang", str)

LANGUAGES = ("kk", "ru")
DEFAULT_LANGUAGE = "ru"
LANG_COOKIE = "console_lang"


def current_user(request: web.Request) -> StaffUser:
    """The signed-in staff user; every non-public route has one (the auth middleware)."""
    return request[USER]


def current_session(request: web.Request) -> StaffSession:
    return request[SESSION]


def actor(request: web.Request) -> Actor:
    user = current_user(request)
    assert user.id is not None
    return Actor.staff(user.id)


@asynccontextmanager
async def open_uow(request: web.Request, *, readonly: bool = False) -> AsyncIterator[SqlUnitOfWork]:
    """A unit of work for this request: `async with open_uow(request) as uow: ...; commit`.

    Its audit records carry the client's address (R39), also those the use cases write.
    """
    async with request.config_dict[UOW_FACTORY](readonly=readonly) as uow:
        uow.audit = AuditFromAddress(uow.audit, client_ip(request))  # type: ignore[assignment]
        yield uow


class AuditFromAddress:
    """The unit of work's audit repository, stamping every record with the client address."""

    def __init__(self, audit: Any, ip: str | None) -> None:
        self._audit, self._ip = audit, ip

    async def record(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("ip") is None and len(args) < 6:
            kwargs["ip"] = self._ip
        await self._audit.record(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._audit, name)


def rules(request: web.Request) -> Rules:
    return request.config_dict[RULES]


def now(request: web.Request) -> datetime:
    return request.config_dict[CLOCK].now()


def client_ip(request: web.Request) -> str | None:
    """The client's address for the audit log and the login throttle (R39).

    X-Forwarded-For is believed only from a proxy on this host or the private network (the
    deployment's reverse proxy); from anywhere else it could be forged to dodge the throttle.
    """
    peer = request.remote
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and _is_local(peer):
        return forwarded.split(",")[-1].strip()[:45] or None
    return peer[:45] if peer else None


def _is_local(address: str | None) -> bool:
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return parsed.is_loopback or parsed.is_private


def is_secure(request: web.Request) -> bool:
    """TLS directly, or a proxy that says so, or a public URL on https."""
    if request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https":
        return True
    public_url = request.config_dict[SETTINGS].public_url
    return bool(public_url and public_url.startswith("https://"))


async def audit(
    request: web.Request,
    uow: Any,
    action: str,
    object_type: str | None = None,
    object_id: object = None,
    **details: Any,
) -> None:
    """R39: who (the signed-in user), what, which object, when, from which address."""
    await uow.audit.record(
        actor(request),
        action,
        now(request),
        object_type,
        None if object_id is None else str(object_id),
        details={k: str(v) for k, v in details.items()} or None,
    )


def translate(request: web.Request, message_id: str, **args: Any) -> str:
    return request.config_dict[TRANSLATOR](language(request), message_id, **args)


def language(request: web.Request) -> str:
    """The user's language; before login, ?lang=, then the cookie, then the browser's."""
    if USER in request:
        return request[USER].language
    if LANG in request:
        return request[LANG]
    chosen = request.query.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    accepted = request.headers.get("Accept-Language", "")
    return "kk" if accepted.lower().startswith("kk") else DEFAULT_LANGUAGE


def render(
    request: web.Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> web.Response:
    """A page of the console, with the common context: request, user, lang, csrf_token."""
    session = request.get(SESSION)
    page: dict[str, Any] = {
        "request": request,
        "user": request.get(USER),
        "lang": language(request),
        "csrf_token": session.csrf_token if session is not None else "",
        "now": now(request),
    }
    page.update(context or {})
    return aiohttp_jinja2.render_template(template, request, page, status=status, app_key=JINJA)


def console_url(
    request: web.Request, name: str, *, query: dict[str, Any] | None = None, **parts: Any
) -> str:
    """The path of a named console route, e.g. console_url(request, "request-card",
    request_id=7); works from the public page on the parent application too."""
    app = request.config_dict[CONSOLE_APP]
    url = app.router[name].url_for(**{k: str(v) for k, v in parts.items()})
    if query:
        url = url.with_query({k: v for k, v in query.items() if v not in (None, "")})
    return str(url)


def redirect(location: str) -> web.Response:
    """303 See Other: after a form, the browser GETs the next page (no resubmission)."""
    return web.Response(status=303, headers={"Location": location})
