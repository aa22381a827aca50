"""Signing in and out, the auth middleware, and argon2id password hashes.

The middleware reads the roles the route declared (console.rbac), loads the session for any
non-public route, and refuses a user whose role is not declared: 403, and the handler never
runs. A route without a declaration is refused to everyone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import argon2
from aiohttp import web

from app.keys import CLOCK
from console.rbac import ALL_STAFF, PUBLIC, admits, declared_roles, is_public, roles
from console.security import LOGIN_CSRF_COOKIE, new_token
from console.sessions import (
    COOKIE_PATH,
    clear_session_cookie,
    load_session,
    set_session_cookie,
    start_session,
)
from console.web import (
    LANG_COOKIE,
    LANGUAGES,
    SESSION,
    USER,
    actor,
    client_ip,
    console_url,
    current_session,
    is_secure,
    open_uow,
    redirect,
    render,
)
from locales import Translator
from reception.actors import Actor
from reception.citizens import Role
from reception.clock import SystemClock
from reception.errors import DomainError
from reception.services import staff
from storage.repositories.audit_queries import SqlAuditQueries
from storage.users import hash_password, needs_rehash, verify_password

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
routes = web.RouteTableDef()


class Argon2Hasher:
    """argon2id (storage.users: argon2-cffi's RFC 9106 low-memory profile). Hashing costs
    ~0.1-0.3 s of CPU on purpose, so it runs in a thread and the loop keeps serving."""

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(hash_password, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.to_thread(verify_password, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return needs_rehash(password_hash)
        except argon2.exceptions.InvalidHashError:
            return True


HASHER = Argon2Hasher()


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    route_handler = request.match_info.handler
    if request.match_info.http_exception is not None:
        return await handler(request)  # no such route: the 404 or 405 as usual
    if isinstance(request.match_info.route.resource, web.StaticResource):
        return await handler(request)  # console/static: CSS and JS, the same for everyone
    declared = declared_roles(route_handler)
    if declared is None:
        log.error("console route %s declares no roles; refused", request.match_info.route)
        raise web.HTTPForbidden()
    if is_public(route_handler):
        return await handler(request)
    loaded = await load_session(request)
    if loaded is None:
        return _to_login(request)
    request[SESSION], request[USER] = loaded
    if not admits(route_handler, loaded[1]):
        raise web.HTTPForbidden()
    return await handler(request)


def _to_login(request: web.Request) -> web.StreamResponse:
    if request.method != "GET" or request.headers.get("Accept", "").startswith("application/json"):
        raise web.HTTPUnauthorized()
    target = console_url(request, "login", query={"next": request.path_qs})
    raise web.HTTPSeeOther(target)


def _safe_next(request: web.Request, value: str | None) -> str:
    """Only a path inside the console: never an open redirect to another site."""
    if value and value.startswith("/console/") and not value.startswith("//"):
        return value
    return console_url(request, "home")


@routes.get("/login", name="login")
@roles(PUBLIC)
async def login_page(request: web.Request) -> web.StreamResponse:
    return _login_form(request, error=None, status=200)


def _login_form(request: web.Request, error: DomainError | None, status: int) -> web.Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()
    response = render(
        request,
        "login.html",
        {"login_csrf": token, "error": error, "next": request.query.get("next", "")},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=is_secure(request),
    )
    return response


@routes.post("/login", name="login-submit")
@roles(PUBLIC)
async def login_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    clock = request.config_dict[CLOCK]
    async with open_uow(request) as uow:
        try:
            user = await staff.authenticate(
                uow,
                clock,
                SqlAuditQueries(uow.connection),
                HASHER,
                username,
                password,
                client_ip(request),
            )
        except (staff.LoginRefused, staff.LoginThrottled) as refused:
            await uow.commit()  # the failed attempt stays in the audit log
            status = 429 if isinstance(refused, staff.LoginThrottled) else 401
            return _login_form(request, error=refused, status=status)
        token, _session = await start_session(request, uow, user)
        await uow.commit()
    response = redirect(_safe_next(request, str(form.get("next", ""))))
    set_session_cookie(request, response, token)
    response.del_cookie(LOGIN_CSRF_COOKIE, path=COOKIE_PATH)
    return response


@routes.post("/logout", name="logout")
@roles(ALL_STAFF)
async def logout(request: web.Request) -> web.StreamResponse:
    session = current_session(request)
    async with open_uow(request) as uow:
        await uow.sessions.delete(session.id)
        await uow.audit.record(
            actor(request),
            "auth.logout",
            request.config_dict[CLOCK].now(),
            "staff_user",
            str(request[USER].id),
            ip=client_ip(request),
        )
        await uow.commit()
    response = redirect(console_url(request, "login"))
    clear_session_cookie(response)
    return response


@routes.post("/language", name="language")
@roles(ALL_STAFF)
async def change_language(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    language = str(form.get("lang", ""))
    async with open_uow(request) as uow:
        await staff.set_language(uow, request.config_dict[CLOCK], actor(request), language)
        await uow.commit()
    response = redirect(_safe_next(request, str(form.get("next", ""))))
    if language in LANGUAGES:
        response.set_cookie(LANG_COOKIE, language, path=COOKIE_PATH, samesite="Lax")
    return response


async def create_account(
    uow_factory: Any,
    *,
    username: str,
    password: str,
    role: str,
    full_name: str,
    language: str = "ru",
    official_id: int | None = None,
) -> str | None:
    """`reception create-user`: None when created, else the refusal in Russian and Kazakh."""
    try:
        async with uow_factory() as uow:
            await staff.create_staff_user(
                uow,
                SystemClock(),
                HASHER,
                Actor.system(),
                username=username,
                full_name=full_name,
                role=Role(role),
                password=password,
                language=language,
                official_id=official_id,
            )
            await uow.commit()
    except DomainError as error:
        translate = Translator()
        return " / ".join(
            translate(lang, error.message_id, **error.args_for_message) for lang in ("ru", "kk")
        )
    return None
