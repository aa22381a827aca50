"""Protocols of receptions (R14, R33): the list, recording one for a reception day, the
protocol page, and the DOCX in the layout of 004 appendix 8. Controlling the instructions
is in protocol_control.py."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from console.rbac import CASEWORK, ensure_may_see_official, official_scope, roles
from console.views import protocol_docs
from console.views.protocol_forms import CATEGORIES, header_from, items_from, path_id
from console.web import (
    actor,
    client_ip,
    console_url,
    current_user,
    now,
    open_uow,
    redirect,
    render,
    rules,
)
from reception.citizens import Role
from reception.clock import local_date
from reception.errors import DomainError
from reception.requests import Status
from reception.services import protocols as use_cases
from storage.repositories.console_ops import ConsoleOpsQueries

if TYPE_CHECKING:
    from storage.uow import SqlUnitOfWork

routes = web.RouteTableDef()
RECENT_DAYS = 60  # reception days offered for a new protocol


@routes.get("/protocols", name="protocols")
@roles(CASEWORK, Role.OFFICIAL)
async def protocols_page(request: web.Request) -> web.StreamResponse:
    scope = official_scope(current_user(request))
    today = local_date(now(request))
    async with open_uow(request, readonly=True) as uow:
        listed = await ConsoleOpsQueries(uow.connection).protocols_list(limit=500)
        officials = {o.id: o for o in await uow.schedule.officials(active_only=False)}
        days = await uow.schedule.days(scope, today - timedelta(days=RECENT_DAYS), today)
    recorded_days = {p["reception_day_id"] for p in listed}
    if scope is not None:
        listed = [p for p in listed if p["official_id"] == scope]
    open_days = [d for d in reversed(days) if d.id not in recorded_days and not d.cancelled_at]
    return render(
        request,
        "protocols/list.html",
        {"protocols": listed[:100], "officials": officials, "open_days": open_days},
    )


async def _new_form_context(
    uow: SqlUnitOfWork, request: web.Request, day_id: int
) -> dict[str, Any]:
    day = await uow.schedule.get_day(day_id)
    ensure_may_see_official(current_user(request), day.official_id)
    official = await uow.schedule.get_official(day.official_id)
    slot_ids = [s.id for s in await uow.schedule.slots_of_day(day_id)]
    held = await uow.requests.for_slot_ids(slot_ids)
    return {
        "day": day,
        "official": official,
        "heard": use_cases.attended_for_protocol(held),
        "not_marked": [r for r in held if r.status is Status.BOOKED],
        "categories": CATEGORIES,
        "existing": await uow.protocols.for_day(day_id),
    }


@routes.get("/protocols/new/{day_id}", name="protocol-new")
@roles(CASEWORK)
async def new_protocol_page(request: web.Request) -> web.StreamResponse:
    day_id = path_id(request, "day_id")
    async with open_uow(request, readonly=True) as uow:
        context = await _new_form_context(uow, request, day_id)
    if context["existing"] is not None:
        return redirect(console_url(request, "protocol", protocol_id=context["existing"].id))
    return render(request, "protocols/new.html", context | {"form": {}, "error": None})


@routes.post("/protocols/new/{day_id}", name="protocol-record")
@roles(CASEWORK)
async def record_protocol(request: web.Request) -> web.StreamResponse:
    day_id = path_id(request, "day_id")
    form = await request.post()
    async with open_uow(request) as uow:
        context = await _new_form_context(uow, request, day_id)
        try:
            offered = [r.id for r in context["heard"]]
            queries = ConsoleOpsQueries(uow.connection)
            protocol = await use_cases.record_protocol(
                uow,
                rules(request),
                day_id,
                header_from(form),
                items_from(form, offered),
                actor(request),
                queries,
            )
        except DomainError as error:
            await uow.rollback()
            page = context | {"form": form, "error": error}
            return render(request, "protocols/new.html", page, status=422)
        await uow.commit()
    return redirect(
        console_url(
            request,
            "protocol",
            protocol_id=protocol.id,
            query={"done": "console-done-ops-recorded"},
        )
    )


@routes.get("/protocols/{protocol_id}", name="protocol")
@roles(CASEWORK, Role.OFFICIAL)
async def protocol_page(request: web.Request) -> web.StreamResponse:
    protocol_id = path_id(request, "protocol_id")
    async with open_uow(request, readonly=True) as uow:
        view = await protocol_docs.load(uow, request, protocol_id)
    page = {"view": view, "today": view.today, "error": None}
    return render(request, "protocols/protocol.html", page)


@routes.get("/protocols/{protocol_id}/docx", name="protocol-docx")
@roles(CASEWORK, Role.OFFICIAL)
async def protocol_docx(request: web.Request) -> web.StreamResponse:
    """R33: the protocol for signing; each download is audited (R39: it names applicants)."""
    protocol_id = path_id(request, "protocol_id")
    lang = request.query.get("lang") or current_user(request).language
    if lang not in ("kk", "ru"):
        raise web.HTTPBadRequest()
    async with open_uow(request) as uow:
        view = await protocol_docs.load(uow, request, protocol_id)
        body = protocol_docs.docx_bytes(request, view, lang)
        await uow.audit.record(
            actor(request),
            "protocol.download",
            now(request),
            "protocol",
            str(protocol_id),
            ip=client_ip(request),
            details={"format": "docx", "lang": lang},
        )
        await uow.commit()
    name = f"protocol-{view.protocol.year}-{view.protocol.number}.docx"
    return web.Response(
        body=body,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
