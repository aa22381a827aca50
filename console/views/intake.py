"""A request heard by phone or in person, written down by an operator or the reception staff
(R4, R20) and registered by the same use case as the bot's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from console.rbac import roles
from console.web import (
    actor,
    console_url,
    current_user,
    open_uow,
    redirect,
    render,
    rules,
    translate,
)
from reception.citizens import Role
from reception.errors import DomainError
from reception.requests import BookingRequest, Channel, ReceptionFormat
from reception.services.intake import STAFF_CHANNELS, StaffIntake, register_staff_request

routes = web.RouteTableDef()
INTAKE_ROLES = frozenset({Role.OPERATOR, Role.RECEPTION, Role.ADMIN})
CHANNEL_ORDER = (Channel.PHONE, Channel.IN_PERSON, Channel.CALL_CENTRE, Channel.PAPER)


def _field(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _optional_int(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise web.HTTPBadRequest()
    return int(value)


def intake_from(form: Mapping[str, Any]) -> StaffIntake:
    try:
        channel = Channel(_field(form, "channel"))
        reception_format = ReceptionFormat(_field(form, "format") or ReceptionFormat.IN_PERSON)
    except ValueError:
        raise web.HTTPBadRequest() from None
    official_id = _optional_int(_field(form, "official_id"))
    if official_id is None:
        raise web.HTTPBadRequest()
    return StaffIntake(
        channel=channel,
        applicant_name=_field(form, "name"),
        applicant_iin=_field(form, "iin"),
        question=_field(form, "question"),
        official_id=official_id,
        consent_given=bool(_field(form, "consent")),
        applicant_phone=_field(form, "phone") or None,
        topic_id=_optional_int(_field(form, "topic_id")),
        language=_field(form, "language") or "ru",
        reception_format=reception_format,
        priority_category=_field(form, "priority") or None,
        interpreter_needed=bool(_field(form, "interpreter")),
    )


async def _page(
    request: web.Request, form: Mapping[str, Any], error: DomainError | None, status: int = 200
) -> web.Response:
    async with open_uow(request, readonly=True) as uow:
        officials = await uow.schedule.officials()
        topics = await uow.schedule.topics()
    context = {
        "form": form,
        "error": error,
        "officials": officials,
        "topics": topics,
        "channels": [c for c in CHANNEL_ORDER if c in STAFF_CHANNELS],
        "priorities": rules(request).profile.priority_categories,
    }
    return render(request, "operators/intake.html", context, status=status)


@routes.get("/intake", name="intake")
@roles(INTAKE_ROLES)
async def intake_page(request: web.Request) -> web.StreamResponse:
    return await _page(request, {}, None)


@routes.post("/intake", name="intake-register")
@roles(INTAKE_ROLES)
async def register_intake(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    intake = intake_from(form)
    user = current_user(request)

    def decision(booking: BookingRequest) -> str:
        # R20: the oral request's protocol says what was done with it, in the staff's language.
        return translate(request, "ops-intake-protocol-decision", number=booking.number or "")

    async with open_uow(request) as uow:
        try:
            result = await register_staff_request(
                uow, rules(request), intake, actor(request), user.full_name, decision
            )
        except DomainError as error:
            await uow.rollback()
            return await _page(request, form, error, status=422)
        await uow.commit()
    done = {"done": "console-done-ops-registered"}
    return redirect(console_url(request, "request-card", request_id=result.request.id, query=done))
