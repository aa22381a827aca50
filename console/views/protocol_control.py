"""Control of a protocol's instructions (R26, R31): extend a term once, complete with the
result, close a heard request with the final answer, and the lists of those due within 3
working days and overdue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from aiohttp import web

from console.rbac import CASEWORK, ensure_may_see_official, roles
from console.views import protocol_docs
from console.views.protocol_forms import optional_date, path_id, text
from console.web import actor, console_url, current_user, open_uow, redirect, render, rules
from reception.errors import DomainError, NotFound, ValidationFailed
from reception.services import protocols as use_cases
from storage.repositories.console_ops import ConsoleOpsQueries

if TYPE_CHECKING:
    from storage.uow import SqlUnitOfWork

routes = web.RouteTableDef()


async def _act(request: web.Request, protocol_id: int, run: Any) -> web.StreamResponse:
    """Runs one control action on a protocol the user may see; a refused one is shown back
    on the protocol page with its message, nothing saved."""
    async with open_uow(request) as uow:
        protocol = await uow.protocols.get(protocol_id)
        ensure_may_see_official(current_user(request), protocol.official_id)
        try:
            await run(uow)
        except DomainError as error:
            if isinstance(error, NotFound):
                raise
            await uow.rollback()
            view = await protocol_docs.load(uow, request, protocol_id)
            page = {"view": view, "today": view.today, "error": error}
            return render(request, "protocols/protocol.html", page, status=422)
        await uow.commit()
    return redirect(
        console_url(
            request, "protocol", protocol_id=protocol_id, query={"done": "console-done-ops-saved"}
        )
    )


async def _form_action(
    request: web.Request,
    target: str,
    read: Callable[[Mapping[str, Any]], Any],
    use_case: Callable[..., Awaitable[object]],
) -> web.StreamResponse:
    """A control form posted on a protocol: `use_case(uow, rules, protocol_id, <target from
    the path>, read(form), actor)`. A value `read` refuses is shown back like any refusal."""
    protocol_id, target_id = path_id(request, "protocol_id"), path_id(request, target)
    form = await request.post()

    async def run(uow: SqlUnitOfWork) -> None:
        value = read(form)
        await use_case(uow, rules(request), protocol_id, target_id, value, actor(request))

    return await _act(request, protocol_id, run)


def _new_due(form: Mapping[str, Any]) -> date:
    new_due = optional_date(text(form, "due"))
    if new_due is None:
        raise ValidationFailed("error-validation")
    return new_due


@routes.post(
    "/protocols/{protocol_id}/instructions/{instruction_id}/extend", name="instruction-extend"
)
@roles(CASEWORK)
async def extend_instruction(request: web.Request) -> web.StreamResponse:
    return await _form_action(
        request, "instruction_id", _new_due, use_cases.extend_protocol_instruction
    )


@routes.post(
    "/protocols/{protocol_id}/instructions/{instruction_id}/complete", name="instruction-complete"
)
@roles(CASEWORK)
async def complete_instruction(request: web.Request) -> web.StreamResponse:
    return await _form_action(
        request,
        "instruction_id",
        lambda form: text(form, "result"),
        use_cases.complete_protocol_instruction,
    )


@routes.post("/protocols/{protocol_id}/requests/{request_id}/close", name="protocol-close-request")
@roles(CASEWORK)
async def close_request(request: web.Request) -> web.StreamResponse:
    """R26: the request leaves control only with the final motivated answer."""
    return await _form_action(
        request,
        "request_id",
        lambda form: text(form, "final_answer"),
        use_cases.close_with_final_answer,
    )


@routes.get("/control", name="control")
@roles(CASEWORK)
async def control_page(request: web.Request) -> web.StreamResponse:
    """R26, R31: instructions due within 3 working days, and those overdue."""
    async with open_uow(request, readonly=True) as uow:
        lists = await use_cases.control_lists(ConsoleOpsQueries(uow.connection), rules(request))
    return render(request, "protocols/control.html", {"lists": lists})
