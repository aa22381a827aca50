"""The request card: all the citizen gave, documents, history, messages, and the actions.

Every view of a citizen's document is audited (R39) and served only to the roles that may
read documents, as an attachment with its stored type (never sniffed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from app.keys import SETTINGS, TRANSLATOR
from console.rbac import DOCUMENT_READERS, READERS, official_scope, roles
from console.web import audit, current_user, open_uow, render, rules
from reception.citizens import Role
from reception.errors import DomainError, NotFound
from reception.services.request_card import RequestCard, load_card, load_document
from storage.repositories.invitations import SqlInvitationRepository

routes = web.RouteTableDef()

# Types a browser may show inline; anything else is always downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
FIX_REQUIREMENTS = ("name", "iin", "address", "substance", "signature", "authority")  # R17


async def card_context(request: web.Request, request_id: int) -> dict[str, Any]:
    user = current_user(request)
    async with open_uow(request, readonly=True) as uow:
        card = await load_card(
            uow,
            SqlInvitationRepository(uow.connection),
            rules(request),
            request_id,
            official_scope(user),
            with_documents=user.role in DOCUMENT_READERS,
            with_slots=user.role in (Role.RECEPTION, Role.ADMIN),
        )
    return {
        "card": card,
        "booking": card.request,
        "can_act": user.role in (Role.RECEPTION, Role.ADMIN),
        "notice_texts": notice_texts(request, card),
        "slots_by_day": slots_by_day(card),
        "fix_requirements": FIX_REQUIREMENTS,
        "profile": rules(request).profile,
        "error": None,
    }


def notice_texts(request: web.Request, card: RequestCard) -> dict[int, str]:
    """What each notice said to the citizen, in the citizen's language."""
    translator = request.config_dict[TRANSLATOR]
    return {
        item.id: translator(card.citizen.language, item.message_id, **item.args)
        for item in card.notices
        if item.id is not None and item.message_id
    }


def slots_by_day(card: RequestCard) -> list[tuple[Any, list[Any]]]:
    grouped: dict[Any, list[Any]] = {}
    for slot in card.free_slots:
        grouped.setdefault(slot.starts_at.date(), []).append(slot)
    return list(grouped.items())


@routes.get(r"/requests/{request_id:\d+}", name="request-card")
@roles(READERS)
async def request_card(request: web.Request) -> web.Response:
    request_id = int(request.match_info["request_id"])
    return render(request, "request_card.html", await card_context(request, request_id))


async def render_card_with_error(
    request: web.Request, request_id: int, error: DomainError, status: int
) -> web.Response:
    """After a refused action: the card again, the reason in the user's language on top."""
    context = await card_context(request, request_id)
    context["error"] = error
    return render(request, "request_card.html", context, status=status)


@routes.get(r"/requests/{request_id:\d+}/documents/{document_id:\d+}", name="document")
@roles(DOCUMENT_READERS)
async def document(request: web.Request) -> web.StreamResponse:
    user = current_user(request)
    request_id = int(request.match_info["request_id"])
    document_id = int(request.match_info["document_id"])
    async with open_uow(request) as uow:
        found = await load_document(uow, request_id, document_id, official_scope(user))
        await audit(request, uow, "document.view", "document", document_id, request_id=request_id)
        await uow.commit()  # R39: the view is recorded before the file leaves
    path = stored_path(request, found.path)
    inline = request.query.get("inline") == "1" and found.mime_type in INLINE_TYPES
    disposition = "inline" if inline else "attachment"
    return web.FileResponse(
        path,
        headers={
            "Content-Type": found.mime_type or "application/octet-stream",
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(found.file_name)}",
            # A document is data, never a page: no script runs even if it claims HTML.
            "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
        },
    )


def stored_path(request: web.Request, relative: str) -> Path:
    """The file under the data folder; a stored path that points outside it is refused."""
    root = request.config_dict[SETTINGS].data_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound()
    return path
