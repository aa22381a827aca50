"""Messages the bot could not deliver (outbox rows `failed` and `undeliverable`, R38), for the
staff who answer citizens: newest first, in keyset pages; each can be sent again or dismissed
once the citizen was told another way. Both actions are audited (R39).

The menu shows how many wait. The count is a query, and the menu renders synchronously, so
`badge_middleware` refreshes a per-process cache before a page is built, at most every
BADGE_TTL seconds (and at once after this page's own actions).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from app.keys import TRANSLATOR, UOW_FACTORY
from app.logging import redact
from bot.outbox.render import parse_arguments
from console.rbac import admits, roles
from console.templating import NAV_BADGES
from console.views.chat_view import OPERATOR_ROLES
from console.views.forms import form_int
from console.web import USER, audit, console_url, language, now, open_uow, redirect, render
from reception.citizens import Role
from storage.repositories.outbox_failures import (
    FAILED,
    UNDELIVERABLE,
    UNDELIVERED,
    OutboxFailures,
    UndeliveredRow,
)

routes = web.RouteTableDef()
# The staff who talk to citizens: the operators (chats), the reception staff and admins.
UNDELIVERED_ROLES = frozenset({Role.OPERATOR, Role.RECEPTION, Role.ADMIN})
PAGE_SIZE = 50
BADGE_TTL = 15.0  # seconds a process shows the same count in the menu
# Personal data never shows in plain form here (R37): app.logging's patterns, as dots.
_MASKS = {"[IIN]": "••••••••••••", "[PHONE]": "+7 ••• ••• •• ••", "[EMAIL]": "•••@•••"}


class UndeliveredBadge:
    """The count in the menu, read at most every BADGE_TTL seconds by this process."""

    def __init__(self, ttl: float = BADGE_TTL) -> None:
        self.ttl = ttl
        self.count = 0
        self._read_at: float | None = None

    def stale(self, tick: float) -> bool:
        return self._read_at is None or tick - self._read_at >= self.ttl

    def update(self, count: int, tick: float) -> None:
        self.count, self._read_at = count, tick

    def forget(self) -> None:
        self._read_at = None


BADGE: web.AppKey[UndeliveredBadge] = web.AppKey("console_undelivered_badge", UndeliveredBadge)


def setup(console: web.Application) -> None:
    console[BADGE] = UndeliveredBadge()
    console.setdefault(NAV_BADGES, {})["undelivered"] = lambda request: (
        request.config_dict[BADGE].count
    )
    # Innermost: after the auth middleware has signed the user in.
    console.middlewares.append(badge_middleware)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def badge_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Before a page a badge-seeing user GETs: the count, when the cached one is stale."""
    user = request.get(USER)
    if request.method == "GET" and user is not None and admits(undelivered_page, user):
        badge = request.config_dict[BADGE]
        if badge.stale(time.monotonic()):
            async with request.config_dict[UOW_FACTORY](readonly=True) as uow:
                count = await OutboxFailures(uow.connection).count()
            badge.update(count, time.monotonic())
    return await handler(request)


def _statuses(value: str | None) -> tuple[str, ...]:
    return (value,) if value in UNDELIVERED else UNDELIVERED


def _position(params: Mapping[str, Any]) -> dict[str, Any]:
    """Where the list stood (filter and page), from the address or a form's hidden fields."""
    status = params.get("status")
    return {
        "status": status if status in UNDELIVERED else None,
        "after": form_int(params, "after"),
        "before": form_int(params, "before"),
    }


@routes.get("/undelivered", name="undelivered")
@roles(UNDELIVERED_ROLES)
async def undelivered_page(request: web.Request) -> web.Response:
    position = _position(request.query)
    async with open_uow(request, readonly=True) as uow:
        failures = OutboxFailures(uow.connection)
        page = await failures.page(
            _statuses(position["status"]),
            after=position["after"],
            before=position["before"] if position["after"] is None else None,
            limit=PAGE_SIZE,
        )
        total = await failures.count()
    request.config_dict[BADGE].update(total, time.monotonic())
    user = request[USER]
    context = {
        "page": page,
        "rows": [_row_view(request, row) for row in page.rows],
        "total": total,
        "status": position["status"] or "",
        "statuses": (FAILED, UNDELIVERABLE),
        "position": {k: v for k, v in position.items() if v is not None},
        "filters": {"status": position["status"]} if position["status"] else {},
        "may_open_chat": user.role in OPERATOR_ROLES,  # the chat is the operators' screen
    }
    return render(request, "undelivered/list.html", context)


@routes.post(r"/undelivered/{outbox_id:\d+}/retry", name="undelivered-retry")
@roles(UNDELIVERED_ROLES)
async def retry(request: web.Request) -> web.StreamResponse:
    handled = await _handle(
        request, "outbox.retry", lambda rows, outbox_id: rows.retry(outbox_id, now(request))
    )
    if handled is not None:
        _wake_sender(request)
    return await _back(request, "console-done-ops-undelivered-retried" if handled else None)


@routes.post(r"/undelivered/{outbox_id:\d+}/dismiss", name="undelivered-dismiss")
@roles(UNDELIVERED_ROLES)
async def dismiss(request: web.Request) -> web.StreamResponse:
    handled = await _handle(
        request, "outbox.dismiss", lambda rows, outbox_id: rows.dismiss(outbox_id)
    )
    return await _back(request, "console-done-ops-undelivered-dismissed" if handled else None)


async def _handle(
    request: web.Request,
    action: str,
    change: Callable[[OutboxFailures, int], Awaitable[Any]],
) -> Any:
    """Changes the row (None when someone else had handled it already) and audits it."""
    outbox_id = int(request.match_info["outbox_id"])
    async with open_uow(request) as uow:
        handled = await change(OutboxFailures(uow.connection), outbox_id)
        if handled is not None:
            await audit(
                request,
                uow,
                action,
                "outbox",
                outbox_id,
                status=handled.previous_status,
                channel=handled.channel,
                kind=handled.kind or "",
                request_id=handled.request_id or "",
            )
            await uow.commit()
    return handled


async def _back(request: web.Request, done: str | None) -> web.Response:
    """To the list where it stood; says so when someone else had handled the row already."""
    request.config_dict[BADGE].forget()
    position = _position(await request.post())
    query = {**position, "done": done or "console-done-ops-undelivered-gone"}
    return redirect(console_url(request, "undelivered", query=query))


def _wake_sender(request: web.Request) -> None:
    """This process's outbox sender, if it runs here, takes the row in its next round."""
    from bot.outbox.hub import OUTBOX_HUB

    hub = request.config_dict.get(OUTBOX_HUB)
    if hub is not None:
        hub.wake()


# -- what a row shows ----------------------------------------------------------------------


def _row_view(request: web.Request, row: UndeliveredRow) -> dict[str, Any]:
    return {
        "row": row,
        "text": _masked(_text(request, row)),
        "error": _masked(row.error or ""),
        "last_attempt_at": row.last_attempt_at,
    }


def _text(request: web.Request, row: UndeliveredRow) -> str:
    """What the citizen was to read: a rendered reply's text, or a notice written in the
    citizen's language (as the request card shows it); a file sent with it, by name."""
    payload = row.payload or {}
    text = str(payload.get("text") or "")
    if not text and row.message_id:
        lang = row.citizen_language if row.citizen_language in ("kk", "ru") else language(request)
        arguments = parse_arguments(row.args or {})
        text = str(request.config_dict[TRANSLATOR](lang, row.message_id, **arguments))
    if payload.get("document_name"):
        text = "\n".join(part for part in (text, "📎 " + str(payload["document_name"])) if part)
    return text


def _masked(text: str) -> str:
    masked = redact(text)
    for placeholder, dots in _MASKS.items():
        masked = masked.replace(placeholder, dots)
    return masked
