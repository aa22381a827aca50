"""Errors become localized pages, never a bare 500 (STYLE: domain errors mapped at the edges).

A DomainError a view did not handle itself is shown with its Fluent message
(`error.message_id`, `error.args_for_message`); 403/404/405 and the CSRF refusal get pages in
the user's language; anything unexpected is logged (no personal data: the log filter
redacts) and shown as a short apology with status 500.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from console.web import render
from reception.errors import (
    ConcurrentUpdate,
    DomainError,
    IllegalTransition,
    NotFound,
    SlotTaken,
)

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_HTTP_MESSAGES = {
    400: "console-error-bad-request",
    401: "console-error-unauthorized",
    403: "console-error-forbidden",
    404: "console-error-not-found",
    405: "console-error-method",
    413: "console-error-too-large",
}


def status_of(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, ConcurrentUpdate | IllegalTransition | SlotTaken):
        return 409
    return 422


def error_page(request: web.Request, message_id: str, status: int, **args: object) -> web.Response:
    return render(
        request,
        "error.html",
        {"message_id": message_id, "message_args": args, "status": status},
        status=status,
    )


def wants_json(request: web.Request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DomainError as error:
        status = status_of(error)
        if wants_json(request):
            from console.web import translate

            text = translate(request, error.message_id, **error.args_for_message)
            return web.json_response({"error": error.message_id, "message": text}, status=status)
        return error_page(request, error.message_id, status, **error.args_for_message)
    except web.HTTPException as error:
        message_id = _HTTP_MESSAGES.get(error.status)
        if message_id is None or wants_json(request) or error.status < 400:
            raise
        return error_page(request, message_id, error.status)
    except Exception:
        log.exception("console: unexpected error on %s %s", request.method, request.path)
        return error_page(request, "console-error-unexpected", 500)
