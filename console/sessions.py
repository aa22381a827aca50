"""Server-side sessions in the staff_sessions table.

The cookie holds a random token; the table holds only its SHA-256, so a copy of the database
opens no session. A session is new at every login, deleted at logout, and dies after
RECEPTION_SESSION_IDLE_MINUTES without a request. Its expiry moves forward at most once a
minute, so reading pages does not write to the database on every click.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from aiohttp import web

from app.keys import SETTINGS
from console.security import new_token
from console.web import client_ip, is_secure, now, open_uow
from reception.citizens import StaffUser
from reception.ports import StaffSession

SESSION_COOKIE = "console_session"
COOKIE_PATH = "/console"
TOUCH_INTERVAL = timedelta(minutes=1)


def session_id_of(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def idle_timeout(request: web.Request) -> timedelta:
    return timedelta(minutes=request.config_dict[SETTINGS].session_idle_minutes)


async def start_session(
    request: web.Request, uow: Any, user: StaffUser
) -> tuple[str, StaffSession]:
    """A new session for `user` in the caller's unit of work; returns the cookie token.

    Always a fresh id (no session fixation): any session the browser brought is dropped.
    """
    old_token = request.cookies.get(SESSION_COOKIE)
    if old_token:
        await uow.sessions.delete(session_id_of(old_token))
    token = secrets.token_urlsafe(32)
    moment = now(request)
    assert user.id is not None
    session = StaffSession(
        id=session_id_of(token),
        user_id=user.id,
        created_at=moment,
        last_seen_at=moment,
        expires_at=moment + idle_timeout(request),
        csrf_token=new_token(),
        ip=client_ip(request),
    )
    await uow.sessions.add(session)
    return token, session


async def load_session(request: web.Request) -> tuple[StaffSession, StaffUser] | None:
    """The live session the cookie names and its active user, or None.

    An expired session, or one of a deactivated user, is deleted on sight.
    """
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        return None
    session_id = session_id_of(token)
    moment = now(request)
    async with open_uow(request, readonly=True) as uow:
        session = await uow.sessions.get(session_id)
        user = None
        if session is not None and session.expires_at > moment:
            user = await uow.staff.get(session.user_id)
    if session is None:
        return None
    if user is None or not user.active:
        await end_session(request, session_id)
        return None
    if moment - session.last_seen_at >= TOUCH_INTERVAL:
        expires_at = moment + idle_timeout(request)
        async with open_uow(request) as uow:
            await uow.sessions.touch(session_id, moment, expires_at)
            await uow.commit()
        session.last_seen_at, session.expires_at = moment, expires_at
    return session, user


async def end_session(request: web.Request, session_id: str) -> None:
    async with open_uow(request) as uow:
        await uow.sessions.delete(session_id)
        await uow.commit()


def set_session_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    # No max-age: the cookie ends with the browser; the server ends the session when idle.
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=is_secure(request),
    )


def clear_session_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(SESSION_COOKIE, path=COOKIE_PATH)
