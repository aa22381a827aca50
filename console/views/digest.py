"""The staff digest page (R17, R21, R24, R26, R31): what is due within 3 working days and
what is overdue; the same digest goes each working morning to linked staff Telegram chats
(bot/jobs/staff.py). A staff member gets a one-time code here to link their own Telegram."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from console.rbac import CASEWORK, roles
from console.web import actor, current_user, open_uow, render, rules
from reception.services.digest import build_digest
from reception.services.officials import issue_staff_link_code
from storage.repositories.console_ops import ConsoleOpsQueries
from storage.repositories.reminders import SqlDeadlineQueries, SqlStaffLinkCodes

routes = web.RouteTableDef()


async def _context(request: web.Request) -> dict[str, Any]:
    user = current_user(request)
    assert user.id is not None
    async with open_uow(request, readonly=True) as uow:
        connection = uow.connection
        digest = await build_digest(
            SqlDeadlineQueries(connection), ConsoleOpsQueries(connection), rules(request)
        )
        linked = (await uow.staff.get(user.id)).telegram_chat_id is not None
    return {"digest": digest, "linked": linked, "code": None, "expires_at": None}


@routes.get("/digest", name="digest")
@roles(CASEWORK)
async def digest_page(request: web.Request) -> web.Response:
    return render(request, "digest/digest.html", await _context(request))


@routes.post("/digest/telegram-code", name="digest-telegram-code")
@roles(CASEWORK)
async def telegram_code(request: web.Request) -> web.Response:
    """A one-time code for the signed-in staff member's Telegram; shown once, hashed."""
    user = current_user(request)
    assert user.id is not None
    async with open_uow(request) as uow:
        code, expires_at = await issue_staff_link_code(
            uow, SqlStaffLinkCodes(uow.connection), rules(request).clock, actor(request), user.id
        )
        await uow.commit()
    context = await _context(request)
    context.update(code=code, expires_at=expires_at)
    return render(request, "digest/digest.html", context)
