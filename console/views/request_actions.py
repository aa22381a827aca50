"""The request card's actions: each one a transition of the state machine through the use
cases of reception/services, which write the citizen's notice to the outbox and the audit
record in the same transaction. A refused action shows the card again with the reason."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from app.keys import TRANSLATOR
from console.errors import status_of
from console.rbac import CASEWORK, roles
from console.views.forms import field, form_date, required_int
from console.views.request_card import FIX_REQUIREMENTS, render_card_with_error
from console.web import actor, console_url, open_uow, redirect, rules
from reception.errors import DomainError, NotFound, ValidationFailed
from reception.requests import ExtensionKind
from reception.services import invitations as invitation_cases
from reception.services.requests import apply_transition, book_request, mark_reception_outcome
from storage.repositories.invitations import SqlInvitationRepository

routes = web.RouteTableDef()
Form = MultiDictProxy[Any]
Perform = Callable[[web.Request, Any, int, Form], Awaitable[None]]


async def transition(
    request: web.Request, uow: Any, request_id: int, action: str, **kwargs: Any
) -> None:
    await apply_transition(uow, rules(request), request_id, action, actor(request), **kwargs)


async def _book(request: web.Request, uow: Any, request_id: int, form: Form) -> None:
    await book_request(
        uow, rules(request), request_id, required_int(form, "slot_id"), actor(request)
    )


async def _request_fix(request: web.Request, uow: Any, request_id: int, form: Form) -> None:
    """R17: which requirements are unmet, in the citizen's language, and the period."""
    booking = await uow.requests.get(request_id)
    citizen = await uow.citizens.get(booking.citizen_id)
    translate = request.config_dict[TRANSLATOR]
    chosen = [key for key in form.getall("requirement", []) if key in FIX_REQUIREMENTS]
    requirements = [translate(citizen.language, f"console-fix-{key}") for key in chosen]
    if field(form, "other"):
        requirements.append(field(form, "other"))
    period = field(form, "working_days")
    await transition(
        request,
        uow,
        request_id,
        "request_fix",
        requirements=requirements,
        working_days=int(period) if period.isdigit() else None,
    )


async def _extend(request: web.Request, uow: Any, request_id: int, form: Form) -> None:
    kind = field(form, "kind")
    if kind not in ExtensionKind.__members__.values():
        raise ValidationFailed("error-validation")
    await transition(
        request,
        uow,
        request_id,
        "extend",
        kind=ExtensionKind(kind),
        until=form_date(form, "until"),
        reason=field(form, "reason"),
    )


async def _invite(request: web.Request, uow: Any, request_id: int, form: Form) -> None:
    await invitation_cases.invite_bodies(
        uow,
        SqlInvitationRepository(uow.connection),
        rules(request),
        request_id,
        field(form, "bodies").splitlines(),
        actor(request),
    )


async def _declined(request: web.Request, uow: Any, request_id: int, form: Form) -> None:
    await invitation_cases.record_declined(
        uow,
        SqlInvitationRepository(uow.connection),
        rules(request),
        request_id,
        required_int(form, "invitation_id"),
        field(form, "reason"),
        actor(request),
    )


def _simple(action: str, **fields: str) -> Perform:
    """A transition whose keyword arguments are text fields of the form."""

    async def perform(request: web.Request, uow: Any, request_id: int, form: Form) -> None:
        kwargs = {argument: field(form, name) for argument, name in fields.items()}
        await transition(request, uow, request_id, action, **kwargs)

    return perform


def _outcome(attended: bool) -> Perform:
    async def perform(request: web.Request, uow: Any, request_id: int, form: Form) -> None:
        await mark_reception_outcome(uow, rules(request), request_id, attended, actor(request))

    return perform


PERFORM: dict[str, Perform] = {
    "book": _book,
    "start_review": _simple("start_review"),
    "request_fix": _request_fix,
    "fix_received": _simple("fix_received"),
    "return_unfixed": _simple("return_unfixed"),
    "forward": _simple("forward", body="body"),
    "extend": _extend,
    "invite": _invite,
    "invitation_declined": _declined,
    "leave_without_consideration": _simple("leave_without_consideration"),
    "draft_refusal": _simple("draft_refusal", text="text"),
    "refuse": _simple("refuse", motivation="motivation"),
    "uphold_objection": _simple("uphold_objection", note="note"),
    "attend": _outcome(True),
    "no_show": _outcome(False),
    "close": _simple("close", final_answer="final_answer"),
    "withdraw": _simple("withdraw", reason="reason"),
}


@routes.post(r"/requests/{request_id:\d+}/actions/{action}", name="request-action")
@roles(CASEWORK)
async def request_action(request: web.Request) -> web.StreamResponse:
    request_id = int(request.match_info["request_id"])
    perform = PERFORM.get(request.match_info["action"])
    if perform is None:
        raise NotFound()
    form = await request.post()
    try:
        async with open_uow(request) as uow:
            await perform(request, uow, request_id, form)
            await uow.commit()
    except NotFound:
        raise
    except DomainError as error:
        return await render_card_with_error(request, request_id, error, status_of(error))
    done = "console-done-" + request.match_info["action"].replace("_", "-")
    return redirect(
        console_url(request, "request-card", request_id=request_id, query={"done": done})
    )
