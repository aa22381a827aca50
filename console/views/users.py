"""Administrators manage staff users: create, change role, deactivate, reset the password."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from console.auth import HASHER
from console.rbac import ADMINS, roles
from console.views.forms import field, form_int
from console.web import actor, console_url, current_user, open_uow, redirect, render, rules
from reception.citizens import Role
from reception.errors import DomainError, ValidationFailed
from reception.services import staff

routes = web.RouteTableDef()


def _role(form: Any) -> Role:
    value = field(form, "role")
    if value not in Role.__members__.values():
        raise ValidationFailed("error-validation")
    return Role(value)


async def _context(request: web.Request, **extra: Any) -> dict[str, Any]:
    async with open_uow(request, readonly=True) as uow:
        users = await uow.staff.all()
        officials = await uow.schedule.officials(active_only=False)
    context: dict[str, Any] = {
        "users": users,
        "officials": {o.id: o for o in officials},
        "roles": list(Role),
        "error": None,
        "values": {},
        "me": current_user(request).id,
    }
    context.update(extra)
    return context


@routes.get("/users", name="users")
@roles(ADMINS)
async def users(request: web.Request) -> web.Response:
    return render(request, "users.html", await _context(request))


@routes.post("/users", name="user-create")
@roles(ADMINS)
async def create(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    try:
        async with open_uow(request) as uow:
            await staff.create_staff_user(
                uow,
                rules(request).clock,
                HASHER,
                actor(request),
                username=field(form, "username"),
                full_name=field(form, "full_name"),
                role=_role(form),
                password=field(form, "password"),
                language=field(form, "language") or "ru",
                official_id=form_int(form, "official_id"),
            )
            await uow.commit()
    except DomainError as error:
        values = {k: field(form, k) for k in form if k != "password"}
        return render(
            request, "users.html", await _context(request, error=error, values=values), status=422
        )
    return redirect(console_url(request, "users", query={"done": "console-done-user-created"}))


@routes.post(r"/users/{user_id:\d+}/{change:role|active|password}", name="user-change")
@roles(ADMINS)
async def change(request: web.Request) -> web.StreamResponse:
    user_id = int(request.match_info["user_id"])
    kind = request.match_info["change"]
    form = await request.post()
    clock = rules(request).clock
    try:
        async with open_uow(request) as uow:
            if kind == "role":
                await staff.change_role(
                    uow, clock, actor(request), user_id, _role(form), form_int(form, "official_id")
                )
            elif kind == "active":
                await staff.set_active(
                    uow, clock, actor(request), user_id, field(form, "active") == "1"
                )
            else:
                await staff.reset_password(
                    uow, clock, HASHER, actor(request), user_id, field(form, "password")
                )
            await uow.commit()
    except DomainError as error:
        return render(request, "users.html", await _context(request, error=error), status=422)
    return redirect(console_url(request, "users", query={"done": f"console-done-user-{kind}"}))
